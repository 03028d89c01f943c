"""Spaces: Create/Describe/Update/Delete/ListSpaces."""
from __future__ import annotations

from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ResourceInUse
from ..lifecycle import Lifecycle
from ..store import Tags, listing, operation, tag_dict
from .base import AppOwner, StudioBase, merged, missing
from .custom_images import Structure, check_limit
from .listing import EVERYTHING, Scope, Scoped, contains, timed_catalog
from .user_profiles import UserProfileOperations


class Space(AppOwner):
    STATE_MODEL = "sagemaker::space"

    def __init__(self, store: StudioBase, domain_id: str, name: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(f"{domain_id}/{name.lower()}", settings, tags)
        self.domain_id = domain_id
        self.space_name = name
        self.space_arn = store.arn("space", f"{domain_id}/{name}")

    @property
    def scopes(self) -> list[Scope]:
        return [EVERYTHING, (self.domain_id,)]

    @property
    def space_settings(self) -> Structure | None:
        return self._structure("space_settings")

    @property
    def ownership_settings(self) -> Structure | None:
        return self._structure("ownership_settings")

    # ListSpaces' summaries: the model's members of the full settings
    @property
    def space_settings_summary(self) -> Structure | None:
        return self.space_settings

    @property
    def ownership_settings_summary(self) -> Structure | None:
        return self.ownership_settings

    @property
    def space_sharing_settings_summary(self) -> Structure | None:
        return self._structure("space_sharing_settings")


class SpaceOperations(UserProfileOperations):
    ARN_TYPE = "space"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # by (DomainId, lower-cased name), as user profiles
        self.spaces: dict[tuple[str, str], Space] = {}
        self.space_lists: Scoped[Space] = Scoped(timed_catalog)

    def _space(self, domain_id: str, name: str, describing: bool = False) -> Space:
        space = self.spaces.get((domain_id, name.lower()))
        if space is None:
            raise missing("Space", self.arn("space", f"{domain_id}/{name}"), describing)
        return space

    def _domain_gone(self, domain_id: str) -> None:
        self.space_lists.drop((domain_id,))
        super()._domain_gone(domain_id)

    @operation
    def create_space(self, domain_id: str, space_name: str, tags: Tags | None = None,
                     space_settings: Structure | None = None,
                     ownership_settings: Structure | None = None, **settings: Any) -> Space:
        domain = self._domain(domain_id)
        key = space_name.lower()
        arn = self.arn("space", f"{domain_id}/{space_name}")
        if key in domain.spaces:
            # [chosen] Modeled code (ResourceInUse), AWS's words are not known.
            raise ResourceInUse(f"Space {arn} already exists.")
        self._created_under(domain, domain.domain_arn, "Space", arn)
        if ownership_settings is not None:
            # [chosen] A private space's owner must exist.
            owner = self._profile(domain_id, ownership_settings["OwnerUserProfileName"])
            self._created_under(owner, owner.user_profile_arn, "Space", arn)
        check_limit("Space", arn, space_settings)
        self._check_attachable(space_settings)
        space = Space(self, domain_id, space_name,
                      {"space_settings": space_settings, "ownership_settings": ownership_settings,
                       **settings}, tag_dict(tags))
        domain.spaces[key] = space
        self.spaces[(domain_id, key)] = space
        self._track(space.space_arn, space)
        self.space_lists.add(space, space.scopes)
        self._settle(space)
        return space

    @operation
    def describe_space(self, domain_id: str, space_name: str) -> Space:
        space = self._space(domain_id, space_name, describing=True)
        if not self._settle(space, look=True):
            return self._space(domain_id, space_name, describing=True)
        return space

    @operation
    def update_space(self, domain_id: str, space_name: str,
                     space_settings: Structure | None = None,
                     space_display_name: str | None = None) -> Space:
        space = self._space(domain_id, space_name)
        settings = merged(space.space_settings, space_settings)
        check_limit("Space", space.space_arn, settings)
        if space.status != "InService":
            # [chosen] Only a settled space can change, as for images.
            raise ResourceInUse(f"Space {space.space_arn} is in {space.status} state.")
        self._check_attachable(space_settings, space.space_settings)
        space.settings["space_settings"] = settings
        if space_display_name is not None:
            space.settings["space_display_name"] = space_display_name
        with self.space_lists.moving(space, space.scopes):
            space.last_modified_time = utcnow()
        self._moved(space, "Updating")
        return space

    @operation
    def delete_space(self, domain_id: str, space_name: str) -> dict[str, Any]:
        space = self._space(domain_id, space_name)
        if self._running_apps(space):
            # [chosen] As DeleteUserProfile answers (observed there).
            raise ResourceInUse(f"Unable to delete Space [{space.space_arn}] because App(s) are "
                                "associated with it.")
        if space.status == "Deleting":
            raise ResourceInUse(f"Space {space.space_arn} is being deleted.")
        self._moved(space, "Deleting")
        return {}

    @listing
    def list_spaces(self, max_results: int | None = None, next_token: str | None = None,
                    sort_order: str | None = None, sort_by: str | None = None,
                    domain_id_equals: str | None = None, space_name_contains: str | None = None,
                    *, query: dict[str, Any]) -> dict[str, Any]:
        wanted = contains(space_name_contains)
        page, token = self.space_lists.page(
            (domain_id_equals,) if domain_id_equals else EVERYTHING,
            sort_by=sort_by, sort_order=sort_order, max_results=max_results,
            next_token=next_token, query=query, keep=lambda space: wanted(space.space_name))
        return {"Spaces": page, "NextToken": token}

    def _forget(self, space: Lifecycle) -> None:
        """A space that has finished deleting, and its apps (all Deleted or Failed)."""
        if not isinstance(space, Space):
            return super()._forget(space)
        self._untrack(space.space_arn, space)
        key = (space.domain_id, space.space_name.lower())
        if self.spaces.get(key) is space:
            del self.spaces[key]
            self.space_lists.remove(space, space.scopes)
            self.domains[space.domain_id].spaces.pop(key[1], None)
        self._drop_apps_of(space)
