"""The app image config family: app image configs (app_image_config.py)."""
from .app_image_config import AppImageConfig
from .store import AppImageConfigStore

__all__ = ["AppImageConfig", "AppImageConfigStore"]
