"""Studio lifecycle configs: the scripts that run when a Studio app starts. The resource, and
CreateStudioLifecycleConfig, DescribeStudioLifecycleConfig, DeleteStudioLifecycleConfig,
ListStudioLifecycleConfigs. No update operation (only tags change), and no status."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..exceptions import ResourceInUse, ResourceNotFound
from ..indexes import Catalog
from ..store import Tags, listing, named_catalog, operation, page_of_named, tag_dict
from .base import StudioBase, StudioResource, lifecycle_configs_in


class StudioLifecycleConfig(StudioResource):
    def __init__(self, arn: str, name: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(name, settings, tags)
        self.studio_lifecycle_config_arn = arn
        self.studio_lifecycle_config_name = name

    @property
    def app_type(self) -> str:
        app_type: str = self.settings["studio_lifecycle_config_app_type"]
        return app_type


def _name_of(config: StudioLifecycleConfig) -> str:
    return config.studio_lifecycle_config_name


class LifecycleConfigOperations(StudioBase):
    ARN_TYPE = "studio-lifecycle-config"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case
        # are one lifecycle config, as for images.
        self.lifecycle_configs: dict[str, StudioLifecycleConfig] = {}
        self.lifecycle_config_list: Catalog[StudioLifecycleConfig] = named_catalog(_name_of)

    def _lifecycle_config(self, name: str) -> StudioLifecycleConfig:
        found = self.lifecycle_configs.get(name.lower())
        if found is None:
            # Modeled code; [chosen] the words (terraform reads "does not exist" on delete).
            raise ResourceNotFound(f"StudioLifecycleConfig with ARN "
                                   f"{self.arn('studio-lifecycle-config', name)} does not exist.")
        return found

    @operation
    def create_studio_lifecycle_config(self, studio_lifecycle_config_name: str,
                                       tags: Tags | None = None,
                                       **settings: Any) -> dict[str, str]:
        name = studio_lifecycle_config_name
        # [chosen] Names are lower-cased in the ARN, as for images (AWS's form is not recorded).
        arn = self.arn("studio-lifecycle-config", name)
        if name.lower() in self.lifecycle_configs:
            # Modeled code; [chosen] the words.
            raise ResourceInUse(f"StudioLifecycleConfig {arn} already exists.")
        # [chosen] The content is kept as given: AWS documents that it "must be base64
        # encoded", not that it refuses what is not.
        config = StudioLifecycleConfig(arn, name, settings, tag_dict(tags))
        self.lifecycle_configs[name.lower()] = config
        self.lifecycle_config_list.add(config)
        self._track(arn, config)
        return {"StudioLifecycleConfigArn": arn}

    @operation
    def describe_studio_lifecycle_config(
            self, studio_lifecycle_config_name: str) -> StudioLifecycleConfig:
        return self._lifecycle_config(studio_lifecycle_config_name)

    @operation
    def delete_studio_lifecycle_config(self, studio_lifecycle_config_name: str) -> dict[str, Any]:
        config = self._lifecycle_config(studio_lifecycle_config_name)
        arn = config.studio_lifecycle_config_arn
        holders: list[tuple[str, StudioResource]] = [
            *[(domain.domain_arn, domain) for domain in self.domains.values()],
            *[(profile.user_profile_arn, profile) for profile in self.profiles.values()],
            *[(space.space_arn, space) for space in self.spaces.values()],
            *[(app.app_arn, app) for app in self.apps.values() if app.status != "Deleted"]]
        using = next((holder for holder, resource in holders
                      if arn in lifecycle_configs_in(resource.settings)), None)
        if using is not None:
            # Documented: ResourceInUse while an app runs it or settings still list it;
            # [chosen] the words.
            raise ResourceInUse(f"Unable to delete StudioLifecycleConfig [{arn}] because it is "
                                f"in use by [{using}].")
        del self.lifecycle_configs[config.studio_lifecycle_config_name.lower()]
        self.lifecycle_config_list.remove(config)
        self._untrack(config.studio_lifecycle_config_arn, config)
        return {}

    @listing
    def list_studio_lifecycle_configs(self, max_results: int | None = None,
                                      next_token: str | None = None,
                                      name_contains: str | None = None,
                                      app_type_equals: str | None = None,
                                      creation_time_before: dt.datetime | None = None,
                                      creation_time_after: dt.datetime | None = None,
                                      modified_time_before: dt.datetime | None = None,
                                      modified_time_after: dt.datetime | None = None,
                                      sort_by: str | None = None,
                                      sort_order: str | None = None,
                                      *, query: dict[str, Any]) -> dict[str, Any]:
        page, token = page_of_named(
            self.lifecycle_config_list, _name_of,
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(modified_time_after, modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
            also=None if app_type_equals is None else (
                lambda config: config.app_type == app_type_equals))
        return {"StudioLifecycleConfigs": page, "NextToken": token}
