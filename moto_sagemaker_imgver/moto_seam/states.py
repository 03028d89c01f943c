"""moto's state manager, for statuses that progress as users configure it (`state_manager`):
at once by default, or by hand, or by time. Everything here touches moto's `ManagedState`."""
from __future__ import annotations

import datetime as dt

from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

IMAGE_STATE_MODEL = "sagemaker::image"
IMAGE_VERSION_STATE_MODEL = "sagemaker::imageversion"
# Internal last state: a resource that reaches it is gone (describes answer ResourceNotFound).
GONE = "DELETED"


def register_state_models() -> None:
    """By default a resource settles at once; users slow it down through moto's state manager."""
    for model in (IMAGE_STATE_MODEL, IMAGE_VERSION_STATE_MODEL):
        state_manager.register_default_transition(model, transition={"progression": "immediate"})


# States a resource leaves on its own (moto's state manager moves it on).
PASSING = frozenset({"CREATING", "UPDATING", "DELETING"})


class Lifecycle(ManagedState):
    """A ManagedState whose `status` is a plain read: it moves on only when `progress()` is called.

    moto's own `status` moves on whenever it is read, so a response serialized after the store's
    checks could show a later state than the one checked, even the internal GONE. The stores
    call `progress()` in one place, at the start of each operation.
    """

    def __init__(self, model_name: str, transitions: list[tuple[str | None, str]]) -> None:
        super().__init__(model_name, transitions)
        self._observed: str | None = None
        self.progress()  # settles now if progression is immediate

    @property  # type: ignore[override]
    def status(self) -> str | None:
        return self._observed

    @status.setter
    def status(self, value: str) -> None:
        # A new state starts its own count (manual ticks, time clock) and, when progression is
        # immediate, settles at once: a later change of transition must not find it mid-way.
        self._status = value
        self._tick = 0
        self._time_progressed = dt.datetime.now()  # naive local, as ManagedState keeps it
        self.progress()

    def progress(self) -> str | None:
        """Move on as moto's state manager says (immediate, manual ticks or time); the new status."""
        self._observed = ManagedState.status.fget(self)  # type: ignore[attr-defined]
        return self._observed

    @property
    def passing(self) -> bool:
        """Whether the status may still move on by itself."""
        return self._observed in PASSING
