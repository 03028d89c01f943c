"""The image operations of one account and region: images, versions, aliases. No HTTP here.

Every public method takes the operation's request members as snake_case keyword arguments
(already validated against botocore's model) and returns what the operation's output shape
names, as objects or dicts. A method checks everything before it changes anything, so a request
that fails leaves no trace. Lookups only read; statuses move on in one place, `settle()`, which
each operation runs first. Decisions AWS does not document are marked [chosen].
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from moto.core.utils import camelcase_to_underscores, utcnow

from .ecr import resolve_base_image
from .exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .images import Image, ImageVersion, image_name, version_arn
from .indexes import Catalog
from .lifecycle import Lifecycle
from .pagination import paginate
from .store import (DEFAULT_MAX_RESULTS, Store, Tags, in_window, listing, named_catalog,
                    operation, page_of_named, tag_dict, window_keys)


class ImageStore(Store):
    """Images, versions and aliases of one account and region."""

    TAGGABLE_TYPES = frozenset({"image", "image-version"})

    def __init__(self, account_id: str, region_name: str, partition: str = "aws") -> None:
        super().__init__(account_id, region_name, partition)
        # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case
        # are one image (a second CreateImage is ResourceInUse; any case finds it).
        self.images: dict[str, Image] = {}
        self.catalog: Catalog[Image] = named_catalog(image_name)

    # --- settling (`Store.settle`): what a finished deletion drops ---------------------------

    def _forget(self, resource: Lifecycle) -> None:
        if isinstance(resource, Image):
            if self.images.get(resource.image_name.lower()) is resource:
                del self.images[resource.image_name.lower()]
                self.catalog.remove(resource)
            for version in resource.versions.values():
                self._passing.pop(version, None)
        else:
            assert isinstance(resource, ImageVersion)
            image = resource.image
            if image.versions.pop(resource.version, None) is not None:
                image.version_orders.remove(resource)
            for alias in list(resource.aliases):
                image.detach_alias(resource, alias, for_good=True)

    # --- lookups: they only read -----------------------------------------------------------

    def _image(self, name: str) -> Image:
        image = self.images.get(name.lower())
        if image is None:
            raise ResourceNotFound(f"Image with ARN {self.arn('image', name)} does not exist")
        return image

    def find_version(self, image_name: str, number: int | None = None,
                     alias: str | None = None) -> ImageVersion:
        """The family's face to the others: the image's version by number or alias (the latest
        with neither), settled under this store's lock, or the image calls' ResourceNotFound."""
        with self.lock:
            self.settle()
            return self._version(self._image(image_name), number, alias)

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

    # --- images ----------------------------------------------------------------------------

    @operation
    def create_image(self, image_name: str, role_arn: str, description: str | None = None,
                     display_name: str | None = None, tags: Tags | None = None) -> Image:
        if image_name.lower() in self.images:
            raise ResourceInUse(
                f"The Image with ImageName {image_name} already exists. "
                "Please use a different ImageName."
            )
        image = Image(self, image_name, role_arn, description, display_name, tag_dict(tags))
        self.images[image_name.lower()] = image
        self.catalog.add(image)
        self._settle(image)
        return image

    @operation
    def describe_image(self, image_name: str) -> Image:
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
        page, token = page_of_named(
            self.catalog, image_name,
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(last_modified_time_after, last_modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
        )
        return {"Images": page, "NextToken": token}

    @operation
    def update_image(self, image_name: str, delete_properties: Sequence[str] | None = None,
                     description: str | None = None, display_name: str | None = None,
                     role_arn: str | None = None) -> Image:
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
        with self.catalog.moving(image):
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

    # --- versions --------------------------------------------------------------------------

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

    def _check_aliases_free(self, image: Image, aliases: Sequence[str],
                            holder: ImageVersion | None) -> None:
        for name in aliases:
            owner = image.alias_owner.get(name)
            if owner is not None and owner is not holder:
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
        return self._image(name).tags

    def resources(self) -> list[tuple[str, str, object]]:
        return [found for image in self.images.values()
                for found in [("image", image.image_arn, image), *[
                    ("image-version", version.image_version_arn, version)
                    for version in image.versions.values()]]]
