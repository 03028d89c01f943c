"""The Studio store of one account and region: domains, user profiles, spaces and apps, with
their tags. Each family's operations are in its own module; this joins them."""
from __future__ import annotations

from typing import Callable

from ..exceptions import ResourceNotFound
from .apps import App, AppOperations
from .base import StudioResource
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
        self.profile_lists: Scoped[UserProfile] = Scoped(timed_catalog)
        self.space_lists: Scoped[Space] = Scoped(timed_catalog)
        self.app_lists: Scoped[App] = Scoped(created_catalog)

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        domain_id, slash, rest = name.partition("/")
        key = (domain_id, rest) if slash else None  # `<DomainId>/<name>`, else nothing's
        lookups: dict[str, Callable[[], StudioResource | None]] = {
            "domain": lambda: self.domains.get(name),
            "user-profile": lambda: self.profiles.get(key) if key else None,
            "space": lambda: self.spaces.get(key) if key else None,
            "app": lambda: self.apps.get(self.arn(resource_type, name))}
        found = lookups[resource_type]()
        if found is None:
            # [chosen] An ARN naming nothing: ResourceNotFound, as for a deleted image.
            raise ResourceNotFound(f"Resource {self.arn(resource_type, name)} does not exist.")
        return found.tags

    def resources(self) -> list[tuple[str, str, object]]:
        return [*[("domain", item.domain_arn, item) for item in self.domains.values()],
                *[("user-profile", item.user_profile_arn, item)
                  for item in self.profiles.values()],
                *[("space", item.space_arn, item) for item in self.spaces.values()],
                *[("app", item.app_arn, item) for item in self.apps.values()]]
