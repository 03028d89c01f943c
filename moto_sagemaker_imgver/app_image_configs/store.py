"""The app image config family's store of one account and region, and the face the other
families read configs through."""
from __future__ import annotations

from .app_image_config import AppImageConfig, AppImageConfigOperations


class AppImageConfigStore(AppImageConfigOperations):
    def find_config(self, name: str) -> AppImageConfig:
        """The family's face to the others: the app image config, or its ResourceNotFound."""
        with self.lock:
            self.settle()
            return self._find(name)

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        return self._find(name).tags
