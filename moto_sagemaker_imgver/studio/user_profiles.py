"""User profiles: Create/Describe/Update/Delete/ListUserProfiles."""
from __future__ import annotations

from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ResourceInUse, ResourceNotFound
from ..lifecycle import Lifecycle
from ..store import Tags, listing, operation, tag_dict
from .base import AppOwner, StudioBase, merged, with_defaults
from .custom_images import Structure, check_limit
from .domains import DomainOperations
from .listing import EVERYTHING, Scope, Scoped, contains, timed_catalog


class UserProfile(AppOwner):
    STATE_MODEL = "sagemaker::userprofile"

    def __init__(self, store: StudioBase, domain_id: str, name: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(f"{domain_id}/{name.lower()}", settings,
                         tags)
        self.domain_id = domain_id
        self.user_profile_name = name
        self.user_profile_arn = store.arn("user-profile", f"{domain_id}/{name}")

    @property
    def scopes(self) -> list[Scope]:
        return [EVERYTHING, (self.domain_id,)]

    @property
    def user_settings(self) -> Structure | None:
        return self._structure("user_settings")


class UserProfileOperations(DomainOperations):
    ARN_TYPE = "user-profile"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # keyed by (DomainId, lower-cased name): [chosen] names differing in case are one, as
        # their lower-cased ARNs are
        self.profiles: dict[tuple[str, str], UserProfile] = {}
        self.profile_lists: Scoped[UserProfile] = Scoped(timed_catalog)

    def _profile(self, domain_id: str, name: str) -> UserProfile:
        self._domain(domain_id)
        profile = self.profiles.get((domain_id, name.lower()))
        if profile is None:
            # [chosen] The code is observed (ResourceNotFound), the words are not.
            raise ResourceNotFound(
                f"UserProfile with ARN {self.arn('user-profile', f'{domain_id}/{name}')} "
                "does not exist.")
        return profile

    def _domain_gone(self, domain_id: str) -> None:
        self.profile_lists.drop((domain_id,))
        super()._domain_gone(domain_id)

    @operation
    def create_user_profile(self, domain_id: str, user_profile_name: str,
                            tags: Tags | None = None,
                            user_settings: Structure | None = None,
                            **settings: Any) -> UserProfile:
        domain = self._domain(domain_id)
        key = user_profile_name.lower()
        arn = self.arn("user-profile", f"{domain_id}/{user_profile_name}")
        if key in domain.user_profiles:
            # [chosen] Modeled code (ResourceInUse), AWS's words are not known.
            raise ResourceInUse(f"UserProfile {arn} already exists.")
        self._created_under(domain, domain.domain_arn, "UserProfile", arn)
        check_limit("UserProfile", arn, user_settings)
        self._check_attachable(user_settings)
        profile = UserProfile(self, domain_id, user_profile_name,
                              {"user_settings": user_settings, **settings}, tag_dict(tags))
        domain.user_profiles[key] = profile
        self.profiles[(domain_id, key)] = profile
        self._track(profile.user_profile_arn, profile)
        self.profile_lists.add(profile, profile.scopes)
        self._settle(profile)
        return profile

    @operation
    def describe_user_profile(self, domain_id: str, user_profile_name: str) -> UserProfile:
        profile = self._profile(domain_id, user_profile_name)
        if not self._settle(profile, look=True):
            return self._profile(domain_id, user_profile_name)
        return profile

    @operation
    def update_user_profile(self, domain_id: str, user_profile_name: str,
                            user_settings: Structure | None = None) -> UserProfile:
        profile = self._profile(domain_id, user_profile_name)
        settings = with_defaults(merged(profile.user_settings, user_settings))
        check_limit("UserProfile", profile.user_profile_arn, settings)
        if profile.status != "InService":
            # [chosen] Only a settled user profile can change, as for images.
            raise ResourceInUse(f"UserProfile {profile.user_profile_arn} is in "
                                f"{profile.status} state.")
        self._check_attachable(user_settings, profile.user_settings)
        profile.settings["user_settings"] = settings
        with self.profile_lists.moving(profile, profile.scopes):
            profile.last_modified_time = utcnow()
        self._moved(profile, "Updating")
        return profile

    @operation
    def delete_user_profile(self, domain_id: str, user_profile_name: str) -> dict[str, Any]:
        profile = self._profile(domain_id, user_profile_name)
        if self._running_apps(profile):
            raise ResourceInUse(  # observed
                f"Unable to delete UserProfile [{profile.user_profile_arn}] because App(s) are "
                "associated with it.")
        if profile.status == "Deleting":
            raise ResourceInUse(f"UserProfile {profile.user_profile_arn} is being deleted.")
        self._moved(profile, "Deleting")
        return {}

    @listing
    def list_user_profiles(self, max_results: int | None = None, next_token: str | None = None,
                           sort_order: str | None = None, sort_by: str | None = None,
                           domain_id_equals: str | None = None,
                           user_profile_name_contains: str | None = None,
                           *, query: dict[str, Any]) -> dict[str, Any]:
        wanted = contains(user_profile_name_contains)
        page, token = self.profile_lists.page(
            (domain_id_equals,) if domain_id_equals else EVERYTHING,
            sort_by=sort_by, sort_order=sort_order, max_results=max_results,
            next_token=next_token, query=query,
            keep=lambda profile: wanted(profile.user_profile_name))
        return {"UserProfiles": page, "NextToken": token}

    def _forget(self, profile: Lifecycle) -> None:
        """A user profile that has finished deleting, and its apps (all Deleted or Failed)."""
        if not isinstance(profile, UserProfile):
            return super()._forget(profile)
        self._untrack(profile.user_profile_arn, profile)
        key = (profile.domain_id, profile.user_profile_name.lower())
        if self.profiles.get(key) is profile:
            del self.profiles[key]
            self.profile_lists.remove(profile, profile.scopes)
            self.domains[profile.domain_id].user_profiles.pop(key[1], None)
        self._drop_apps_of(profile)
