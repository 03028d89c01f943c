"""The domain: images, their versions and aliases, for one account and region. No HTTP here.

Every public method of `ImageStore` takes the operation's request members as snake_case keyword
arguments (already validated against botocore's model) and returns what the operation's output
shape names, as objects or dicts. A method checks everything before it changes anything, so a
request that fails leaves no trace. Decisions AWS does not document are marked [chosen].
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Optional, Sequence

from moto.core.utils import camelcase_to_underscores, utcnow

from .ecr import resolve_base_image
from .exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .moto_seam.states import GONE, IMAGE_STATE_MODEL, IMAGE_VERSION_STATE_MODEL, Lifecycle
from .indexes import Catalog, MovingIndex, SortedIndex
from .pagination import paginate
from .store import (DEFAULT_MAX_RESULTS, Store, creation_key, in_window, locked, modification_key,
                    named_catalog, page_of_named, query_of, tag_dict, time_key, window_keys)

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
    def __init__(self, store: "ImageStore", name: str, role_arn: str, description: str | None,
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
        return self.observed_status

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


def _version_modified_key(version: "ImageVersion") -> tuple:
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
        return self.observed_status


def _image_name(image: Image) -> str:
    return image.image_name


class ImageStore(Store):
    """Images, versions and aliases of one account and region."""

    OPERATIONS = frozenset({
        "CreateImage", "DescribeImage", "ListImages", "UpdateImage", "DeleteImage",
        "CreateImageVersion", "DescribeImageVersion", "ListImageVersions", "UpdateImageVersion",
        "DeleteImageVersion", "ListAliases",
    })
    TAGGABLE_TYPES = frozenset({"image", "image-version"})

    def __init__(self, account_id: str, region_name: str, partition: str = "aws") -> None:
        super().__init__(account_id, region_name, partition)
        # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case
        # are one image (a second CreateImage is ResourceInUse; any case finds it).
        self.images: dict[str, Image] = {}
        self.catalog: Catalog[Image] = named_catalog(_image_name)

    # --- lookups ---------------------------------------------------------------------------

    def _settled(self, image: Image) -> bool:
        """Read the image's state (progressing it); drop it if it has finished deleting."""
        if image.status == GONE:
            if self.images.get(image.image_name.lower()) is image:
                del self.images[image.image_name.lower()]
                self.catalog.remove(image)
            return False
        return True

    def _find_image(self, name: str, look: bool = False) -> Image:
        image = self.images.get(name.lower())
        if image is not None and look:
            image.advance()  # a describe counts as a look (moto's manual transitions), then reads
        if image is None or not self._settled(image):
            raise ResourceNotFound(f"Image with ARN {self.arn('image', name)} does not exist")
        return image

    def _settle_version(self, version: ImageVersion) -> bool:
        if version.status == GONE:
            self._drop_version(version)
            return False
        return True

    def _drop_version(self, version: ImageVersion) -> None:
        image = version.image
        if image.versions.pop(version.version, None) is not None:
            image.version_orders.remove(version)
        for alias in list(version.aliases):
            image.detach_alias(version, alias, for_good=True)

    def _find_version(self, image: Image, version: int | None, alias: str | None,
                      look: bool = False) -> ImageVersion:
        if version is not None and alias is not None:
            # [chosen] AWS documents the two as alternatives.
            raise ValidationException("Specify either Version or Alias, not both.")
        if alias is not None:
            found = self._look(image.alias_owner.get(alias), look)
            if found is None:
                # [chosen] AWS documents ResourceNotFound without a message.
                raise ResourceNotFound(
                    f"ImageVersion with Alias {alias} for ImageName {image.image_name} does not exist."
                )
        elif version is not None:
            found = self._look(image.versions.get(version), look)
            if found is None:
                raise ResourceNotFound(
                    f"ImageVersion with ARN {version_arn(image.image_arn, version)} does not exist."
                )
        else:
            found = self._latest(image, look)
            if found is None:
                raise ResourceNotFound(
                    f"Latest ImageVersion with ImageName {image.image_name} does not exist. "
                    "Please provide a valid ImageName."
                )
        return found

    def _look(self, version: ImageVersion | None, look: bool = False) -> ImageVersion | None:
        """Read the version's state (a describe first counts a look); None if it is gone."""
        if version is None:
            return None
        if look:
            version.advance()
        return version if self._settle_version(version) else None

    def _latest(self, image: Image, look: bool) -> ImageVersion | None:
        while (latest := image.latest_version()) is not None:
            if self._look(latest, look) is not None:
                return latest
        return None

    # --- images ----------------------------------------------------------------------------

    @locked
    def create_image(self, image_name: str, role_arn: str, description: str | None = None,
                     display_name: str | None = None, tags: Sequence[dict] | None = None) -> Image:
        existing = self.images.get(image_name.lower())
        if existing is not None and self._settled(existing):
            raise ResourceInUse(
                f"The Image with ImageName {image_name} already exists. "
                "Please use a different ImageName."
            )
        image = Image(self, image_name, role_arn, description, display_name, tag_dict(tags))
        self.images[image_name.lower()] = image
        self.catalog.add(image)
        return image

    @locked
    def describe_image(self, image_name: str) -> Image:
        return self._find_image(image_name, look=True)

    @locked
    def list_images(self, creation_time_after: dt.datetime | None = None,
                    creation_time_before: dt.datetime | None = None,
                    last_modified_time_after: dt.datetime | None = None,
                    last_modified_time_before: dt.datetime | None = None,
                    max_results: int | None = None, name_contains: str | None = None,
                    next_token: str | None = None, sort_by: str | None = None,
                    sort_order: str | None = None) -> dict[str, Any]:
        query = query_of(locals())
        page, token = page_of_named(
            self.catalog, _image_name, alive=self._settled,
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(last_modified_time_after, last_modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
        )
        return {"Images": page, "NextToken": token}

    @locked
    def update_image(self, image_name: str, delete_properties: Sequence[str] | None = None,
                     description: str | None = None, display_name: str | None = None,
                     role_arn: str | None = None) -> Image:
        image = self._find_image(image_name)
        changes = {"description": description, "display_name": display_name, "role_arn": role_arn}
        deleted = sorted(set(delete_properties or ()))  # named as the API names them
        cleared = {camelcase_to_underscores(name) for name in deleted}
        both = [name for name in deleted if changes.get(camelcase_to_underscores(name)) is not None]
        if both:
            # [chosen] Setting and deleting one property in one request is contradictory.
            raise ValidationException(
                f"Property {', '.join(both)} cannot be both updated and deleted."
            )
        self._require_settled_image(image)
        for name, value in changes.items():
            if value is not None:
                setattr(image, name, value)
        for name in cleared:
            setattr(image, name, None)
        image.status = "UPDATING"
        with self.catalog.moving(image):
            image.last_modified_time = utcnow()
        return image

    @locked
    def delete_image(self, image_name: str) -> dict[str, Any]:
        image = self._find_image(image_name)
        if image.status == "DELETING":
            raise ResourceInUse(f"Image {image.image_arn} is being deleted.")
        image.status = "DELETING"
        for version in image.versions.values():
            version.status = "DELETING"
        self._settled(image)
        return {}

    def _require_settled_image(self, image: Image) -> None:
        status = image.status
        if status in ("CREATING", "UPDATING", "DELETING"):
            # [chosen] AWS lists ResourceInUse for UpdateImage without saying when.
            raise ResourceInUse(f"Image {image.image_arn} is in {status} state.")

    # --- versions --------------------------------------------------------------------------

    @locked
    def create_image_version(self, image_name: str, base_image: str,
                             client_token: str | None = None,
                             aliases: Sequence[str] | None = None,
                             **metadata: Any) -> ImageVersion | dict[str, str]:
        image = self._find_image(image_name)
        if client_token is not None and client_token in image.client_tokens:
            # [chosen] A replayed token answers as the first call did and creates nothing.
            return {"ImageVersionArn": image.client_tokens[client_token]}
        if image.status != "CREATED":
            raise ValidationException(f"Image {image.image_name} is in an invalid state.")
        wanted = list(dict.fromkeys(aliases or ()))
        self._check_aliases_free(image, wanted, holder=None)
        resolved = resolve_base_image(base_image, self.account_id, self.region_name)
        version = ImageVersion(image, image.next_version_number(), base_image,
                               resolved.container_image, metadata, resolved.failure_reason)
        image.versions[version.version] = version
        image.version_orders.add(version)
        for name in wanted:
            image.attach_alias(version, name)
        if client_token is not None:
            image.client_tokens[client_token] = version.image_version_arn
        return version

    @locked
    def describe_image_version(self, image_name: str, version: int | None = None,
                               alias: str | None = None) -> ImageVersion:
        return self._find_version(self._find_image(image_name), version, alias, look=True)

    @locked
    def list_image_versions(self, image_name: str,
                            creation_time_after: dt.datetime | None = None,
                            creation_time_before: dt.datetime | None = None,
                            last_modified_time_after: dt.datetime | None = None,
                            last_modified_time_before: dt.datetime | None = None,
                            max_results: int | None = None, next_token: str | None = None,
                            sort_by: str | None = None,
                            sort_order: str | None = None) -> dict[str, Any]:
        query = query_of(locals())
        image = self._find_image(image_name)
        if sort_by == "LAST_MODIFIED_TIME":
            order = "modified"
            low, high = window_keys(last_modified_time_after, last_modified_time_before)
        else:
            order = "created"
            low, high = window_keys(creation_time_after, creation_time_before)

        def keep(version: ImageVersion) -> bool:
            return in_window(version.creation_time, creation_time_after, creation_time_before) \
                and in_window(version.last_modified_time, last_modified_time_after,
                               last_modified_time_before)

        page, token = paginate(
            image.version_orders[order], descending=(sort_order or "DESCENDING") == "DESCENDING",
            max_results=max_results or DEFAULT_MAX_RESULTS, next_token=next_token,
            query=query, keep=keep, alive=self._settle_version, low=low, high=high,
        )
        return {"ImageVersions": page, "NextToken": token}

    @locked
    def update_image_version(self, image_name: str, alias: str | None = None,
                             version: int | None = None,
                             aliases_to_add: Sequence[str] | None = None,
                             aliases_to_delete: Sequence[str] | None = None,
                             **metadata: Any) -> ImageVersion:
        image = self._find_image(image_name)
        target = self._find_version(image, version, alias)
        adding = list(dict.fromkeys(aliases_to_add or ()))
        deleting = list(dict.fromkeys(aliases_to_delete or ()))
        both = [name for name in adding if name in deleting]
        if both:
            # [chosen] Adding and deleting one alias in one request is contradictory.
            raise ValidationException(
                f"Alias {both[0]} cannot be in both AliasesToAdd and AliasesToDelete."
            )
        self._check_aliases_free(image, adding, holder=target)
        missing = [name for name in deleting if name not in target.aliases]
        if missing:
            # [chosen] Deleting an alias the version does not hold is an error, not a no-op.
            raise ResourceNotFound(
                f"Alias {missing[0]} is not associated with version {target.version} "
                f"of image {image.image_name}."
            )
        status = target.status
        if status != "CREATED":
            # [chosen] Only a settled version can change.
            raise ResourceInUse(f"ImageVersion {target.image_version_arn} is in {status} state.")
        for name in deleting:
            image.detach_alias(target, name)
        for name in adding:
            image.attach_alias(target, name)
        for field, value in metadata.items():
            if value is not None:
                setattr(target, field, value)
        with image.version_orders.moving(target):
            target.last_modified_time = utcnow()
        return target

    @locked
    def delete_image_version(self, image_name: str, version: int | None = None,
                             alias: str | None = None) -> dict[str, Any]:
        target = self._find_version(self._find_image(image_name), version, alias)
        if target.status == "DELETING":
            raise ResourceInUse(f"ImageVersion ({target.image_version_arn}) is being deleted")
        target.status = "DELETING"
        self._settle_version(target)
        return {}

    @locked
    def list_aliases(self, image_name: str, alias: str | None = None, version: int | None = None,
                     max_results: int | None = None,
                     next_token: str | None = None) -> dict[str, Any]:
        query = query_of(locals())
        image = self._find_image(image_name)
        # [chosen] By version, then in the order the aliases were added.
        low = high = None
        if alias is not None or version is not None:
            holder = self._find_version(image, version, alias)
            low, high = (holder.version,), (holder.version + 1,)

        def holder_alive(name: str) -> bool:
            # A version that finished deleting is dropped here, with its aliases. An alias no
            # version holds is listed where it stood when the walk began (it may be moving).
            holder = image.alias_owner.get(name)
            return holder is None or self._settle_version(holder)

        page, token = paginate(
            image.alias_entries, descending=False,
            max_results=max_results or DEFAULT_MAX_RESULTS, next_token=next_token,
            query=query, alive=holder_alive, low=low, high=high,
        )
        return {"SageMakerImageVersionAliases": page, "NextToken": token}

    def _check_aliases_free(self, image: Image, aliases: Sequence[str],
                            holder: ImageVersion | None) -> None:
        for name in aliases:
            owner = image.alias_owner.get(name)
            if owner is not None and owner is not holder and self._settle_version(owner):
                # [chosen] An alias names one version; it does not silently move.
                raise ValidationException(
                    f"Alias {name} is already associated with version {owner.version} "
                    f"of image {image.image_name}."
                )

    # --- tags ------------------------------------------------------------------------------

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        if resource_type == "image-version":
            # [chosen] AWS documents tags on images, not on their versions.
            raise ValidationException("Tags are supported on images, not on image versions.")
        return self._find_image(name).tags

    @locked
    def tagged_resources(self) -> list[tuple[str, str, dict[str, str]]]:
        return [(image.image_arn, "image", dict(image.tags))
                for image in list(self.images.values()) if self._settled(image)]
