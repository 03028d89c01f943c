"""The Studio store of one account and region: domains, user profiles, spaces and apps, with
their tags. Each family's operations are in its own module; this joins them."""
from __future__ import annotations

from typing import Any

from ..exceptions import ResourceNotFound
from ..store import locked
from .apps import App, AppOperations
from .custom_images import FindConfig, FindVersion, ImageCatalog
from .domains import Domain, DomainOperations, new_domain_list
from .listing import Scoped, created_catalog, timed_catalog
from .spaces import Space, SpaceOperations
from .user_profiles import UserProfile, UserProfileOperations


class StudioStore(DomainOperations, UserProfileOperations, SpaceOperations, AppOperations):
    TAGGABLE_TYPES = frozenset({"domain", "user-profile", "space", "app"})

    def __init__(self, account_id: str, region_name: str, partition: str, *,
                 find_version: FindVersion, find_config: FindConfig) -> None:
        super().__init__(account_id, region_name, partition)
        self.catalog = ImageCatalog(find_version, find_config,
                                    f"arn:{partition}:sagemaker:{region_name}:{account_id}:")
        self.domains: dict[str, Domain] = {}
        self.domain_list = new_domain_list()
        # keyed by (DomainId, lower-cased name): [chosen] names differing in case are one, as
        # their lower-cased ARNs are
        self.profiles: dict[tuple[str, str], UserProfile] = {}
        self.spaces: dict[tuple[str, str], Space] = {}
        self.apps: dict[str, App] = {}  # by ARN
        self.profile_lists = Scoped(timed_catalog)
        self.space_lists = Scoped(timed_catalog)
        self.app_lists = Scoped(created_catalog)

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        found: Any = None
        if resource_type == "domain":
            found = self.domains.get(name)
        elif resource_type == "user-profile":
            found = self.profiles.get(tuple(name.split("/", 1)))  # type: ignore[arg-type]
        elif resource_type == "space":
            found = self.spaces.get(tuple(name.split("/", 1)))  # type: ignore[arg-type]
        else:
            found = self.apps.get(self.arn(resource_type, name))
        if found is None:
            # [chosen] An ARN naming nothing: ResourceNotFound, as for a deleted image.
            raise ResourceNotFound(f"Resource {self.arn(resource_type, name)} does not exist.")
        return found.tags

    @locked
    def tagged_resources(self) -> list[tuple[str, str, dict[str, str]]]:
        found: list[tuple[str, str, dict[str, str]]] = []
        found += [(item.domain_arn, "domain", dict(item.tags)) for item in self.domains.values()]
        found += [(item.user_profile_arn, "user-profile", dict(item.tags))
                  for item in self.profiles.values()]
        found += [(item.space_arn, "space", dict(item.tags)) for item in self.spaces.values()]
        found += [(item.app_arn, "app", dict(item.tags)) for item in self.apps.values()]
        return found
