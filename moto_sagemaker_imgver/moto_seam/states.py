"""The state-manager tie: the package's state models, registered with moto's state manager so
that users slow them down as they do moto's own (by default everything settles at once)."""
from __future__ import annotations

from moto.moto_api import state_manager

from .. import families  # noqa: F401  (imports every resource class, which declares its model)
from ..lifecycle import STATE_MODELS


def register_state_models() -> None:
    for model in STATE_MODELS:
        state_manager.register_default_transition(model, transition={"progression": "immediate"})
