"""The image family's store of one account and region: images, their versions and aliases, each
resource's operations in its own module; and the face the other families read them through."""
from __future__ import annotations

from ..exceptions import ValidationException
from .image import ImageOperations
from .version import ImageVersion, VersionOperations


class ImageStore(VersionOperations, ImageOperations[ImageVersion]):
    """Images, versions and aliases of one account and region."""

    def find_version(self, image_name: str, number: int | None = None,
                     alias: str | None = None) -> ImageVersion:
        """The family's face to the others: the image's version by number or alias (the latest
        with neither), settled under this store's lock, or the image calls' ResourceNotFound."""
        with self.lock:
            self.settle()
            return self._version(self._image(image_name), number, alias)

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        if resource_type == "image-version":
            # [chosen] AWS documents tags on images, not on their versions.
            raise ValidationException("Tags are supported on images, not on image versions.")
        return self._image(name).tags
