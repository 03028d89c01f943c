"""Images, their versions and their aliases: the resources, with their orders. No HTTP here;
`image_store.py` holds the operations on them."""
from __future__ import annotations

import itertools
from typing import Any, Optional

from moto.core.utils import utcnow

from .indexes import Catalog, MovingIndex, SortedIndex
from .lifecycle import GONE, IMAGE_STATE_MODEL, IMAGE_VERSION_STATE_MODEL, Lifecycle
from .store import Store, TimeKey, creation_key, modification_key, time_key

VERSION_METADATA = (
    "vendor_guidance",
    "job_type",
    "ml_framework",
    "programming_lang",
    "processor",
    "horovod",
    "release_notes",
)

def version_arn(image_arn: str, number: int) -> str:
    return f"{image_arn.replace(':image/', ':image-version/', 1)}/{number}"


class Image(Lifecycle):
    def __init__(self, store: Store, name: str, role_arn: str, description: str | None,
                 display_name: str | None, tags: dict[str, str]) -> None:
        super().__init__(
            IMAGE_STATE_MODEL,
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
        self.versions: dict[int, ImageVersion] = {}  # ascending by number, which is creation order
        self._version_orders: Catalog[ImageVersion] | None = None
        self.alias_owner: dict[str, ImageVersion] = {}
        self._alias_entries: MovingIndex[str] | None = None
        self.client_tokens: dict[str, str] = {}
        self._version_numbers = itertools.count(1)
        self._alias_order = itertools.count()

    @property
    def image_status(self) -> str | None:
        return self.status

    # Indexes are built on first use: an image without versions costs no more than before.
    @property
    def version_orders(self) -> Catalog["ImageVersion"]:
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

    def attach_alias(self, version: "ImageVersion", name: str) -> None:
        if name in version.aliases:
            return
        version.aliases[name] = next(self._alias_order)
        self.alias_owner[name] = version
        self.alias_entries.add(name)

    def detach_alias(self, version: "ImageVersion", name: str, for_good: bool = False) -> None:
        """Take the alias off the version. Walks begun before still list it where it stood (it
        may be moving: the second call adds it elsewhere), unless it goes `for_good`."""
        if self.alias_owner.get(name) is version:
            (self.alias_entries.remove if for_good else self.alias_entries.leave)(name)
            del self.alias_owner[name]
        del version.aliases[name]

    def latest_version(self) -> Optional["ImageVersion"]:
        return self.versions[next(reversed(self.versions))] if self.versions else None


def _version_modified_key(version: "ImageVersion") -> TimeKey:
    return modification_key(version, version.version)


class ImageVersion(Lifecycle):
    def __init__(self, image: Image, number: int, base_image: str, container_image: str,
                 metadata: dict[str, Any], failure_reason: str | None = None) -> None:
        outcome = "CREATED" if failure_reason is None else "CREATE_FAILED"
        super().__init__(
            IMAGE_VERSION_STATE_MODEL,
            transitions=[("CREATING", outcome), ("DELETING", GONE)],
        )
        self.image = image
        self.version = number
        self.image_arn = image.image_arn
        self.image_version_arn = version_arn(image.image_arn, number)
        self.base_image = base_image
        self.container_image = container_image
        self.failure_reason = failure_reason
        self.creation_time = self.last_modified_time = utcnow()
        self.creation_key = time_key(self.creation_time, number)
        self.aliases: dict[str, int] = {}  # alias -> position, for "in the order they were added"
        for field in VERSION_METADATA:
            setattr(self, field, metadata.get(field))

    @property
    def image_version_status(self) -> str | None:
        return self.status


def image_name(image: Image) -> str:
    return image.image_name
