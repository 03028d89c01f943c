"""Statuses that move on as moto's state manager says (`state_manager.set_transition`): at once
by default, after a number of describes (manual), or after some seconds (time), as moto's own
resources do. Read through moto's public state manager; moving on happens only in `progress()`."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional, Sequence

from moto.moto_api import state_manager

# Every resource class's state model, as the class declares it: the seam registers each with
# moto's state manager, so a new resource with a status needs nothing more.
STATE_MODELS: list[str] = []
# Internal last state: a resource that reaches it is gone (describes answer ResourceNotFound).
GONE = "DELETED"


class Lifecycle:
    """A status read as a plain attribute; `progress()` moves it on, `advance()` counts a look.

    Reading never moves it, so a response serialized after the store's checks shows the state
    that was checked. The stores call `progress()` in one place, at the start of each operation.
    """

    STATE_MODEL = ""  # moto's name for the model, e.g. "sagemaker::image"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("STATE_MODEL")
        if model and model not in STATE_MODELS:
            STATE_MODELS.append(model)

    def __init__(self, transitions: Sequence[tuple[Optional[str], str]]) -> None:
        self.model_name = self.STATE_MODEL
        self._transitions = dict(transitions)  # each state has one next state
        self._status: Optional[str] = transitions[0][0]
        self._looks = 0
        self._since = dt.datetime.now()
        self.progress()  # settles now if progression is immediate

    @property
    def status(self) -> Optional[str]:
        return self._status

    @status.setter
    def status(self, value: Optional[str]) -> None:
        # A new state starts its own count (looks, clock) and, when progression is immediate,
        # settles at once: a later change of transition must not find it mid-way.
        self._status, self._looks, self._since = value, 0, dt.datetime.now()
        self.progress()

    @property
    def passing(self) -> bool:
        """Whether the status may still move on by itself (a state with a next one)."""
        return self._status in self._transitions

    def advance(self) -> None:
        """A describe looked at it (manual progression counts looks)."""
        self._looks += 1

    def progress(self) -> Optional[str]:
        """Move on as the state manager's transition for this model says; the new status."""
        transition = state_manager.get_transition(self.model_name)
        progression = transition["progression"]
        if progression == "immediate":
            while self._status in self._transitions:
                self._status = self._transitions[self._status]
        elif progression == "manual" and self._looks >= transition["times"]:
            self._status, self._looks = self._transitions.get(self._status, self._status), 0
        elif progression == "time" and dt.datetime.now() > self._since + dt.timedelta(
                seconds=transition["seconds"]):
            self._status = self._transitions.get(self._status, self._status)
            self._since = dt.datetime.now()
        return self._status
