"""The Studio state machine (test_studio_state_machine.py) under moto's state manager in manual
progression, the way users test their waiters: after the seed, a change leaves a domain, user
profile, space or app Pending, Updating or Deleting, and only the `advance` rule moves a kind on
(time passing). So every interleaving of creates, updates and deletes under parents on their
way in or out, and of advances, is held to the reference model: nothing is created under a
parent that is not InService, and nothing a parent held outlives it.

CI runs it derandomized (STATE_MACHINE_CI_EXAMPLES, default 12, of 60 steps); a long random run:
`STATE_MACHINE_EXAMPLES=500 python -m pytest tests/studio/test_studio_slow_machine.py -s`."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule
from moto.moto_api import state_manager

from support.image_machine import run_machine
from support.state_machine import OUTCOMES, assert_drawn
from studio_reference_model import SPACE, USER
from test_studio_state_machine import StudioApis

pytestmark = pytest.mark.slow  # a state-machine test

MODELS = {"domain": "sagemaker::domain", USER: "sagemaker::userprofile",
          SPACE: "sagemaker::space", "app": "sagemaker::app"}
# Describes count as looks in manual progression; this many never come, so only `advance` moves.
NEVER = {"progression": "manual", "times": 10**9}
# What CI must draw at least this often: the advances and the deletes.
DRAWN = ("advance", "delete_domain", "delete_profile", "delete_space", "stop")


class SlowStudioApis(StudioApis):
    @initialize()
    def seed(self) -> None:
        """The Studio machine's seed (settled at once), then everything slowed."""
        super().seed()
        for model in MODELS.values():
            state_manager.set_transition(model, NEVER)
        self.studio.slow = True

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            for model in MODELS.values():
                state_manager.unset_transition(model)

    @rule(kind=st.sampled_from(list(MODELS)))
    def advance(self, kind: str) -> None:
        """Time passes for one kind: whatever of it is Pending or Updating is InService, what is
        Deleting is gone (an app: Deleted). Any Studio call settles what is passing."""
        state_manager.set_transition(MODELS[kind], {"progression": "immediate"})
        try:
            self.sm.list_domains(MaxResults=1)
        finally:
            state_manager.set_transition(MODELS[kind], NEVER)
        self.studio.advance(kind)
        OUTCOMES["advance", kind] += 1
        self.check_lists()

    def remove(self, domain: Any, kind: str, name: str) -> None:
        """The documented clean-up order, waiting as a user's waiters do: the apps that run
        stopped (not a Failed one), then Deleted, then the user profile or space deleted, then
        gone."""
        for app in self.studio.apps_of(domain.domain_id, kind, name.lower(), running=True):
            self.stop(domain.domain_id, app.owner, app.app_type, app.name)
        self.advance("app")
        (self.delete_profile if kind == USER else self.delete_space)(self.slot_of(
            domain.domain_id), name)
        self.advance(kind)


def test_slowed_studio_call_sequences_agree_with_the_reference_model() -> None:
    run_machine(SlowStudioApis, ci_examples=12, ci_steps=60, drawn=DRAWN)
    assert_drawn(DRAWN)
