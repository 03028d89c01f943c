"""What the image family's operations share: the account's images, their lookups, ARNs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..exceptions import ResourceNotFound, ValidationException
from ..indexes import Catalog
from ..store import Store

if TYPE_CHECKING:
    from .image import Image
    from .version import ImageVersion


def version_arn(image_arn: str, number: int) -> str:
    return f"{image_arn.replace(':image/', ':image-version/', 1)}/{number}"



class ImageBase(Store):
    """The containers and lookups every image operation uses; lookups only read."""

    # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case are
    # one image (a second CreateImage is ResourceInUse; any case finds it).
    images: dict[str, Image]
    catalog: Catalog[Image]

    def _image(self, name: str) -> Image:
        image = self.images.get(name.lower())
        if image is None:
            raise ResourceNotFound(f"Image with ARN {self.arn('image', name)} does not exist")
        return image

    def _version(self, image: Image, version: int | None, alias: str | None) -> ImageVersion:
        if version is not None and alias is not None:
            # [chosen] AWS documents the two as alternatives.
            raise ValidationException("Specify either Version or Alias, not both.")
        if alias is not None:
            found = image.alias_owner.get(alias)
            if found is None:
                # [chosen] AWS documents ResourceNotFound without a message.
                raise ResourceNotFound(
                    f"ImageVersion with Alias {alias} for ImageName {image.image_name} does not exist."
                )
        elif version is not None:
            found = image.versions.get(version)
            if found is None:
                raise ResourceNotFound(
                    f"ImageVersion with ARN {version_arn(image.image_arn, version)} does not exist."
                )
        else:
            found = image.latest_version()
            if found is None:
                raise ResourceNotFound(
                    f"Latest ImageVersion with ImageName {image.image_name} does not exist. "
                    "Please provide a valid ImageName."
                )
        return found
