"""Images: the resource, and CreateImage, DescribeImage, ListImages, UpdateImage, DeleteImage.

Every operation takes the request's members as snake_case keyword arguments (already validated
against botocore's model) and returns what the output shape names. A method checks everything
before it changes anything, so a request that fails leaves no trace. Decisions AWS does not
document are marked [chosen].
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Generic, Sequence, TypeVar

from moto.core.utils import camelcase_to_underscores, utcnow

from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from ..indexes import Catalog, MovingIndex, SortedIndex
from ..lifecycle import GONE, Lifecycle
from ..store import (NamedResources, Store, Tags, TimeKey, creation_key, listing,
                     modification_key, operation, tag_dict, time_key)


class VersionOfImage(Lifecycle):
    """What an image knows of its versions (version.py's ImageVersion is the one kind): the
    image module is below the version module, so it names them through this."""

    version: int
    image_version_arn: str
    aliases: dict[str, int]  # alias -> position, for "in the order they were added"
    creation_time: dt.datetime
    last_modified_time: dt.datetime
    creation_key: TimeKey


V = TypeVar("V", bound=VersionOfImage)


def version_arn(image_arn: str, number: int) -> str:
    return f"{image_arn.replace(':image/', ':image-version/', 1)}/{number}"


class Image(Lifecycle, Generic[V]):
    """An image: its versions and their aliases, with their orders."""

    STATE_MODEL = "sagemaker::image"

    def __init__(self, store: Store, name: str, role_arn: str, description: str | None,
                 display_name: str | None, tags: dict[str, str]) -> None:
        super().__init__(
            transitions=[("CREATING", "CREATED"), ("UPDATING", "CREATED"), ("DELETING", GONE)],
        )
        self.image_name = name
        self.image_arn = store.arn("image", name)
        self.role_arn = role_arn
        self.description = description
        self.display_name = display_name
        self.failure_reason: str | None = None
        self.creation_time = self.last_modified_time = utcnow()
        self.creation_key = time_key(self.creation_time, name)
        self.tags = tags
        self.versions: dict[int, V] = {}  # ascending by number, which is creation order
        self._version_orders: Catalog[V] | None = None
        self.alias_owner: dict[str, V] = {}
        self._alias_entries: MovingIndex[str] | None = None
        self.client_tokens: dict[str, str] = {}
        self._version_numbers = itertools.count(1)
        self._alias_order = itertools.count()

    @property
    def image_status(self) -> str | None:
        return self.status

    # Indexes are built on first use: an image without versions costs no more than before.
    @property
    def version_orders(self) -> Catalog[V]:
        if self._version_orders is None:
            self._version_orders = Catalog(
                created=SortedIndex(creation_key),
                modified=MovingIndex(_version_modified_key),
            )
        return self._version_orders

    @property
    def alias_entries(self) -> MovingIndex[str]:
        """Every alias, by (version, position, alias): ListAliases pages through it, for the
        whole image or (a range) for one version. An alias that moves between versions is one
        item, so a walk lists it once."""
        if self._alias_entries is None:
            self._alias_entries = MovingIndex(self._alias_key)
        return self._alias_entries

    def _alias_key(self, name: str) -> tuple[int, int, str]:
        holder = self.alias_owner[name]
        return holder.version, holder.aliases[name], name

    def next_version_number(self) -> int:
        return next(self._version_numbers)

    def attach_alias(self, version: V, name: str) -> None:
        if name in version.aliases:
            return
        version.aliases[name] = next(self._alias_order)
        self.alias_owner[name] = version
        self.alias_entries.add(name)

    def detach_alias(self, version: V, name: str, for_good: bool = False) -> None:
        """Take the alias off the version. Walks begun before still list it where it stood (it
        may be moving: the second call adds it elsewhere), unless it goes `for_good`."""
        if self.alias_owner.get(name) is version:
            (self.alias_entries.remove if for_good else self.alias_entries.leave)(name)
            del self.alias_owner[name]
        del version.aliases[name]

    def latest_version(self) -> V | None:
        return self.versions[next(reversed(self.versions))] if self.versions else None


def _version_modified_key(version: VersionOfImage) -> TimeKey:
    return modification_key(version, version.version)


def image_name(image: Image[Any]) -> str:
    return image.image_name


class ImageOperations(Store, Generic[V]):
    """The account's images; V is the kind of their versions (the version module's)."""

    ARN_TYPE = "image"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case
        # are one image (a second CreateImage is ResourceInUse; any case finds it).
        self.images: NamedResources[Image[V]] = NamedResources(image_name)

    def _image(self, name: str) -> Image[V]:
        image = self.images.get(name)
        if image is None:
            raise ResourceNotFound(f"Image with ARN {self.arn('image', name)} does not exist")
        return image

    def _forget(self, resource: Lifecycle) -> None:
        """An image that has finished deleting, with its versions."""
        if not isinstance(resource, Image):
            return super()._forget(resource)
        self.images.remove(resource)
        self._untrack(resource.image_arn, resource)
        for version in resource.versions.values():
            self._passing.pop(version, None)
            self._untrack(version.image_version_arn, version)

    @operation
    def create_image(self, image_name: str, role_arn: str, description: str | None = None,
                     display_name: str | None = None, tags: Tags | None = None) -> Image[V]:
        if self.images.get(image_name) is not None:
            raise ResourceInUse(
                f"The Image with ImageName {image_name} already exists. "
                "Please use a different ImageName."
            )
        image: Image[V] = Image(self, image_name, role_arn, description, display_name,
                                tag_dict(tags))
        self.images.add(image)
        self._track(image.image_arn, image)
        self._settle(image)
        return image

    @operation
    def describe_image(self, image_name: str) -> Image[V]:
        image = self._image(image_name)
        if not self._settle(image, look=True):
            return self._image(image_name)  # it has just finished deleting: not found
        return image

    @listing
    def list_images(self, creation_time_after: dt.datetime | None = None,
                    creation_time_before: dt.datetime | None = None,
                    last_modified_time_after: dt.datetime | None = None,
                    last_modified_time_before: dt.datetime | None = None,
                    max_results: int | None = None, name_contains: str | None = None,
                    next_token: str | None = None, sort_by: str | None = None,
                    sort_order: str | None = None,
                    *, query: dict[str, Any]) -> dict[str, Any]:
        page, token = self.images.page(
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(last_modified_time_after, last_modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
        )
        return {"Images": page, "NextToken": token}

    @operation
    def update_image(self, image_name: str, delete_properties: Sequence[str] | None = None,
                     description: str | None = None, display_name: str | None = None,
                     role_arn: str | None = None) -> Image[V]:
        image = self._image(image_name)
        changes = {"description": description, "display_name": display_name, "role_arn": role_arn}
        deleted = sorted(set(delete_properties or ()))  # named as the API names them
        cleared = {camelcase_to_underscores(name) for name in deleted}
        both = [name for name in deleted if changes.get(camelcase_to_underscores(name)) is not None]
        if both:
            # [chosen] Setting and deleting one property in one request is contradictory.
            raise ValidationException(
                f"Property {', '.join(both)} cannot be both updated and deleted."
            )
        if image.status in ("CREATING", "UPDATING", "DELETING"):
            # [chosen] AWS lists ResourceInUse for UpdateImage without saying when.
            raise ResourceInUse(f"Image {image.image_arn} is in {image.status} state.")
        for name, value in changes.items():
            if value is not None:
                setattr(image, name, value)
        for name in cleared:
            setattr(image, name, None)
        self._moved(image, "UPDATING")
        with self.images.moving(image):
            image.last_modified_time = utcnow()
        return image

    @operation
    def delete_image(self, image_name: str) -> dict[str, Any]:
        image = self._image(image_name)
        if image.status == "DELETING":
            raise ResourceInUse(f"Image {image.image_arn} is being deleted.")
        for version in image.versions.values():
            version.status = "DELETING"
        self._moved(image, "DELETING")
        return {}
