"""The Studio store of one account and region: domains, user profiles, spaces, apps and
lifecycle configs, each resource's operations in its own module (with its containers); this
joins them and gives them the images and app image configs they name, through those families'
faces."""
from __future__ import annotations

from .apps import AppOperations
from .custom_images import FindConfig, FindVersion, ImageCatalog
from .domains import DomainOperations
from .lifecycle_configs import LifecycleConfigOperations
from .spaces import SpaceOperations
from .user_profiles import UserProfileOperations


# Each resource's operations, those that read others' before them (apps read spaces, which
# read user profiles, which read domains).
class StudioStore(AppOperations, SpaceOperations, UserProfileOperations, DomainOperations,
                  LifecycleConfigOperations):
    def __init__(self, account_id: str, region_name: str, partition: str, *,
                 find_version: FindVersion, find_config: FindConfig) -> None:
        super().__init__(account_id, region_name, partition)
        self.catalog = ImageCatalog(find_version, find_config,
                                    f"arn:{partition}:sagemaker:{region_name}:{account_id}:")
