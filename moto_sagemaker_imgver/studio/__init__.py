"""SageMaker Studio, where custom images are used: domains, user profiles, spaces and apps."""
from .store import StudioStore

__all__ = ["StudioStore"]
