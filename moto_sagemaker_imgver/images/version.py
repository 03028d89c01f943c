"""Image versions and their aliases: the resource, and CreateImageVersion,
DescribeImageVersion, ListImageVersions, UpdateImageVersion, DeleteImageVersion, ListAliases."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from moto.core.utils import utcnow

from ..ecr import resolve_base_image
from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from ..lifecycle import GONE, Lifecycle
from ..pagination import paginate
from ..store import DEFAULT_MAX_RESULTS, in_window, listing, operation, time_key, window_keys
from .image import Image, ImageOperations, VersionOfImage, version_arn

VERSION_METADATA = (
    "vendor_guidance",
    "job_type",
    "ml_framework",
    "programming_lang",
    "processor",
    "horovod",
    "release_notes",
)


class ImageVersion(VersionOfImage):
    STATE_MODEL = "sagemaker::imageversion"

    def __init__(self, image: Image[ImageVersion], number: int, base_image: str, container_image: str,
                 metadata: dict[str, Any], failure_reason: str | None = None) -> None:
        outcome = "CREATED" if failure_reason is None else "CREATE_FAILED"
        super().__init__(
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


class VersionOperations(ImageOperations[ImageVersion]):
    ARN_TYPE = "image-version"

    def _version(self, image: Image[ImageVersion], version: int | None,
                 alias: str | None) -> ImageVersion:
        """The version by number or alias, the latest with neither."""
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

    def _forget(self, resource: Lifecycle) -> None:
        """A version that has finished deleting, and its aliases."""
        if not isinstance(resource, ImageVersion):
            return super()._forget(resource)
        image = resource.image
        if image.versions.pop(resource.version, None) is not None:
            image.version_orders.remove(resource)
        self._untrack(resource.image_version_arn, resource)
        for alias in list(resource.aliases):
            image.detach_alias(resource, alias, for_good=True)

    @operation
    def create_image_version(self, image_name: str, base_image: str,
                             client_token: str | None = None,
                             aliases: Sequence[str] | None = None,
                             **metadata: Any) -> ImageVersion | dict[str, str]:
        image = self._image(image_name)
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
        self._track(version.image_version_arn, version)
        for name in wanted:
            image.attach_alias(version, name)
        if client_token is not None:
            image.client_tokens[client_token] = version.image_version_arn
        self._settle(version)
        return version

    @operation
    def describe_image_version(self, image_name: str, version: int | None = None,
                               alias: str | None = None) -> ImageVersion:
        image = self._image(image_name)
        while True:  # a look may finish a deletion: then the next latest, or not found
            found = self._version(image, version, alias)
            if self._settle(found, look=True):
                return found

    @listing
    def list_image_versions(self, image_name: str,
                            creation_time_after: dt.datetime | None = None,
                            creation_time_before: dt.datetime | None = None,
                            last_modified_time_after: dt.datetime | None = None,
                            last_modified_time_before: dt.datetime | None = None,
                            max_results: int | None = None, next_token: str | None = None,
                            sort_by: str | None = None,
                            sort_order: str | None = None,
                            *, query: dict[str, Any]) -> dict[str, Any]:
        image = self._image(image_name)
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
            query=query, keep=keep, low=low, high=high,
        )
        return {"ImageVersions": page, "NextToken": token}

    @operation
    def update_image_version(self, image_name: str, alias: str | None = None,
                             version: int | None = None,
                             aliases_to_add: Sequence[str] | None = None,
                             aliases_to_delete: Sequence[str] | None = None,
                             **metadata: Any) -> ImageVersion:
        image = self._image(image_name)
        target = self._version(image, version, alias)
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

    @operation
    def delete_image_version(self, image_name: str, version: int | None = None,
                             alias: str | None = None) -> dict[str, Any]:
        target = self._version(self._image(image_name), version, alias)
        if target.status == "DELETING":
            raise ResourceInUse(f"ImageVersion ({target.image_version_arn}) is being deleted")
        self._moved(target, "DELETING")
        return {}

    @listing
    def list_aliases(self, image_name: str, alias: str | None = None, version: int | None = None,
                     max_results: int | None = None,
                     next_token: str | None = None,
                     *, query: dict[str, Any]) -> dict[str, Any]:
        image = self._image(image_name)
        # [chosen] By version, then in the order the aliases were added.
        low = high = None
        if alias is not None or version is not None:
            holder = self._version(image, version, alias)
            low, high = (holder.version,), (holder.version + 1,)

        page, token = paginate(
            image.alias_entries, descending=False,
            max_results=max_results or DEFAULT_MAX_RESULTS, next_token=next_token,
            query=query, low=low, high=high,
        )
        return {"SageMakerImageVersionAliases": page, "NextToken": token}

    def _check_aliases_free(self, image: Image[ImageVersion], aliases: Sequence[str],
                            holder: ImageVersion | None) -> None:
        for name in aliases:
            owner = image.alias_owner.get(name)
            if owner is not None and owner is not holder:
                # [chosen] An alias names one version; it does not silently move.
                raise ValidationException(
                    f"Alias {name} is already associated with version {owner.version} "
                    f"of image {image.image_name}."
                )
