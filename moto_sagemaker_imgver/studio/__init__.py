"""SageMaker Studio, where custom images are used: domains, user profiles, spaces and apps."""
from .base import register_state_models
from .store import StudioStore

register_state_models()  # listed by moto's state manager before any backend is built

__all__ = ["StudioStore"]
