"""The resource families: images (with their versions and aliases), app image configs, and
Studio (domains, user profiles, spaces and apps). Their stores, which every account and region
has, in the order requests are offered to them."""
from __future__ import annotations

import functools

from .app_image_configs import AppImageConfigStore
from .images import ImageStore
from .studio import StudioStore
from .store import Store

# In the order requests are offered to them.
STORE_CLASSES: tuple[type[Store], ...] = (ImageStore, AppImageConfigStore, StudioStore)


def build_stores(account_id: str, region_name: str, partition: str) -> list[Store]:
    """Every store of one account and region. Studio reads images and app image configs through
    the faces their families offer."""
    images = ImageStore(account_id, region_name, partition)
    configs = AppImageConfigStore(account_id, region_name, partition)
    studio = StudioStore(account_id, region_name, partition, find_version=images.find_version,
                         find_config=configs.find_config)
    return [images, configs, studio]


@functools.lru_cache(maxsize=1)
def routed_operations() -> frozenset[str]:
    """Operations any store may answer (tag operations only for their own ARNs)."""
    names = set(Store.TAG_OPERATIONS)
    for cls in STORE_CLASSES:
        names |= cls.OPERATIONS
    return frozenset(names)
