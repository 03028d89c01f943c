"""The Studio state machine with lifecycle configs (test_studio_lifecycle_machine.py) under moto's
state manager in manual progression (test_studio_slow_machine.py): lifecycle configs created,
attached at every level and detached while the domains, user profiles and spaces that hold them
are Pending, Updating or Deleting; apps launched with one (by name, or by the default inherited)
stay Pending, and one failing to start is Failed only once time passes (`advance`); deleting a
lifecycle config is refused while settings list it or name it as a default, or while an app that
is neither Deleted nor Failed runs it (Pending, InService or Deleting: SPEC.md, "there must be
no running apps using the Lifecycle Configuration", and docs/choices.md; a Failed app runs
nothing), and is allowed once every holder let it go and every app that ran it is Deleted or
Failed.

CI runs it derandomized (STATE_MACHINE_CI_EXAMPLES, default 45, of 60 steps), topped up under
fixed seeds while a lifecycle config rule is drawn under 20 times (each example enables some of
its rules only); a long random run: `STATE_MACHINE_EXAMPLES=500 python -m pytest
tests/studio/test_studio_slow_lifecycle_machine.py -s`."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from studio_machine_support import app_names, domain_slots, owners
from studio_reference_model import NOT_RUNNING, SPACE, USER
from support.image_machine import run_machine
from support.state_machine import OUTCOMES, assert_drawn, counted_as
from test_studio_lifecycle_machine import (SCRIPT_NAMES, SCRIPT_TYPES, SETTINGS_OF,
                                           ScriptedStudioApis, script_arn, scripts_in)
from test_studio_slow_machine import SlowStudioApis

pytestmark = pytest.mark.slow  # a state-machine test

# What CI must draw at least this often: the lifecycle config rules, and time passing.
DRAWN = ("create_script", "delete_script", "attach_scripts", "launch_with_script",
         "delete_running_script", "retire_script", "failed_app", "advance")


class SlowScriptedStudioApis(SlowStudioApis, ScriptedStudioApis):
    """The seed of the lifecycle machine (settled at once), then everything slowed; its rules
    and the Studio machine's, with `advance` the only way anything moves on."""

    # The Studio machines draw these reads; here they would take the steps (`check_lists` and
    # `check_domain` stay, and every `advance` checks the lists).
    list_domains = list_owners = list_apps = None

    @initialize()
    def seed(self) -> None:
        """The lifecycle machine's seed: its calls are no draws of the rules it goes through."""
        with counted_as("seed"):
            super().seed()

    def wait_for(self, *kinds: str) -> None:
        """What a user's waiter does before a change: time passes for these kinds."""
        with counted_as("waiter"):
            for kind in kinds:
                self.advance(kind)

    @rule(slot=domain_slots, owner=owners, app_type=st.sampled_from(SCRIPT_TYPES),
          listed=st.lists(st.sampled_from(SCRIPT_NAMES), max_size=2),
          default=st.none() | st.sampled_from([*SCRIPT_NAMES, "None"]),
          where=st.sampled_from(["domain", "space defaults", "owner"]), wait=st.booleans())
    def attach_scripts(self, slot: str, owner: tuple[str, str], app_type: str,
                       listed: list[str], default: str | None, where: str,
                       wait: bool = False) -> None:  # type: ignore[override]
        """The lifecycle machine's rule, after waiting for the holder (or not: it may still be
        Pending or Updating, and the update is refused)."""
        if wait:
            self.wait_for("domain" if where != "owner" else owner[0])
        super().attach_scripts(slot, owner, app_type, listed, default, where)

    @rule(slot=domain_slots, owner=owners, app_type=st.sampled_from(SCRIPT_TYPES),
          name=app_names, script=st.none() | st.sampled_from(SCRIPT_NAMES), wait=st.booleans())
    def launch_with_script(self, slot: str, owner: tuple[str, str], app_type: str, name: str,
                           script: str | None,
                           wait: bool = False) -> None:  # type: ignore[override]
        """The lifecycle machine's rule, after waiting for the domain and the owner (or not)."""
        if wait:
            self.wait_for("domain", owner[0])
        super().launch_with_script(slot, owner, app_type, name, script)

    @rule(data=st.data(), fresh=st.booleans(),
          then=st.sampled_from(["Pending", "Pending", "InService", "Deleting", "Deleted"]))
    def delete_running_script(self, data: Any, fresh: bool, then: str) -> None:
        """DeleteStudioLifecycleConfig aimed at one an app runs: refused while the app is
        neither Deleted nor Failed (settings may hold it too); allowed past a Failed one, which
        runs nothing. The app just launched naming one (`fresh`, or when none ran one), after
        waiting for its parents, and left Pending, or time passed (InService, or Failed when it
        is not attached), or stopped (Deleting), or stopped and time passed (Deleted); else one
        an app launched before runs, mostly an app that runs."""
        with counted_as("delete_running_script"):
            app = self.launch_one(data) if fresh or not self.ran_scripts() else None
            if app is not None and then != "Pending":
                if then != "InService":
                    self.stop(app.domain_id, app.owner, app.app_type, app.name)
                if then != "Deleting":
                    self.advance("app")
            ran = self.ran_scripts()
            if app is None and ran:
                running = [app for app in ran if app.status not in NOT_RUNNING]
                app = data.draw(st.sampled_from(running * 3 + ran))
            if app is not None:
                self.delete_script(app.spec["LifecycleConfigArn"].rpartition("/")[2])
        OUTCOMES["delete_running_script", f"its app {app.status}" if app else "none ran"] += 1

    def ran_scripts(self) -> list[Any]:
        return [app for app in self.studio.apps.values()
                if (app.spec or {}).get("LifecycleConfigArn")]

    @rule(name=st.sampled_from(SCRIPT_NAMES), wait=st.booleans())
    def retire_script(self, name: str, wait: bool) -> None:
        """Detach one lifecycle config everywhere it is listed or the default (an empty
        LifecycleConfigArns, the default `None`), time passing for the domains, user profiles
        and spaces (or not: they are still Updating), then delete it: refused while an app that
        is neither Deleted nor Failed runs it, or while a holder was not InService to let it
        go."""
        OUTCOMES["retire_script", "waited" if wait else "at once"] += 1
        with counted_as("retire_script"):
            self.retire(script_arn(name), wait)

    def retire(self, arn: str, wait: bool) -> None:
        for domain in list(self.studio.domains.values()):
            slot = self.slot_of(domain.domain_id)
            user, space = self.let_go(domain.user_settings, arn), \
                self.let_go(domain.space_settings, arn)
            if user or space:
                self.update_domain(slot, user, space, None)
            for owner in [*domain.profiles.values(), *domain.spaces.values()]:
                change = self.let_go(owner.settings, arn)
                if change and owner.kind == USER:
                    self.update_profile(slot, owner.name, change)
                elif change:
                    self.update_space(slot, owner.name, change, None)
        if wait:
            for kind in ("domain", USER, SPACE):
                self.advance(kind)
        self.delete_script(arn.rpartition("/")[2])

    @staticmethod
    def let_go(settings: dict | None, arn: str) -> dict | None:
        """The update that detaches `arn` from these settings (None when they do not hold it)."""
        change = {key: {"LifecycleConfigArns": [], "DefaultResourceSpec": {
            "LifecycleConfigArn": "None"}} for key in SETTINGS_OF.values()
            if arn in scripts_in((settings or {}).get(key))}
        return change or None

    def check_everything(self) -> None:
        super().check_everything()
        self.list_scripts()


def test_slowed_studio_with_lifecycle_configs_agrees_with_the_reference_model() -> None:
    run_machine(SlowScriptedStudioApis, ci_examples=45, ci_steps=60, drawn=DRAWN)
    assert_drawn(DRAWN)
