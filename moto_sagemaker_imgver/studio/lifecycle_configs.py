"""Studio lifecycle configs: the scripts that run when a Studio app starts. The resource, and
CreateStudioLifecycleConfig, DescribeStudioLifecycleConfig, DeleteStudioLifecycleConfig,
ListStudioLifecycleConfigs. No update operation (only tags change), and no status."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from ..exceptions import ResourceInUse, ResourceNotFound
from ..lifecycle import Lifecycle
from ..store import NamedResources, Tags, listing, operation, tag_dict
from .base import NOT_RUNNING, StudioBase, StudioResource, lifecycle_configs_in
from .custom_images import Structure


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


# Where each app type's lifecycle configs are, in UserSettings, DefaultSpaceSettings and
# SpaceSettings (the model).
LIFECYCLE_SETTINGS = {"JupyterServer": "JupyterServerAppSettings",
                "KernelGateway": "KernelGatewayAppSettings",
                "JupyterLab": "JupyterLabAppSettings", "CodeEditor": "CodeEditorAppSettings"}


def _for_app_type(app_type: str, inherited: Sequence[Structure | None]) -> list[Structure]:
    """The app type's own settings in each of the settings an app inherits, nearest first."""
    return [((settings or {}).get(LIFECYCLE_SETTINGS.get(app_type, "")) or {})
            for settings in inherited]


def built_in_for(app_type: str, inherited: Sequence[Structure | None]) -> str | None:
    """The administrator's built-in lifecycle config an app runs: it "always runs when a space
    starts, and resolves dynamically from the domain settings at launch time" (doc), before the
    default; [chosen] the nearest of the settings the app inherits, as for defaults."""
    return next((arn for found in _for_app_type(app_type, inherited)
                 if (arn := found.get("BuiltInLifecycleConfigArn")) not in (None, "None")),
                None)


def launched_with(resource_spec: Structure | None, app_type: str,
                  inherited: Sequence[Structure | None],
                  tracked: Mapping[str, object]) -> tuple[str | None, str | None]:
    """The lifecycle config an app runs (its ResourceSpec's, else the nearest default of the
    settings it inherits) and, when the app fails to start with it, why."""
    given = (resource_spec or {}).get("LifecycleConfigArn")
    own = _for_app_type(app_type, inherited)
    defaults = [(found.get("DefaultResourceSpec") or {}).get("LifecycleConfigArn")
                for found in own]
    # "None" names none: at that level there is no default ([chosen] a nearer one does not
    # hide a farther one by it).
    chosen = given if given not in (None, "None") else next(
        (arn for arn in defaults if arn not in (None, "None")), None)
    if chosen is None:
        return None, None
    config = tracked.get(chosen)
    if not isinstance(config, StudioLifecycleConfig):
        # [chosen] Launching with one that does not exist is refused, as attaching it is.
        raise ResourceNotFound(f"StudioLifecycleConfig with ARN {chosen} does not exist.")
    attached = {arn for found in own for arn in found.get("LifecycleConfigArns") or ()}
    if chosen not in attached:
        # Observed: a default not in LifecycleConfigArns is accepted, and the app fails to
        # start; [chosen] the same for one the request names, and the words.
        return chosen, (f"Lifecycle config {chosen} is not attached for {app_type} apps in the "
                        "settings the app inherits.")
    if config.app_type != app_type:
        # [chosen] One written for another app type fails the app as well.
        return chosen, (f"Lifecycle config {chosen} is for {config.app_type} apps, not "
                        f"{app_type}.")
    return chosen, None


class LifecycleConfigOperations(StudioBase):
    ARN_TYPE = "studio-lifecycle-config"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # [chosen] Keyed by the lower-cased name, as the ARN is: names differing only in case
        # are one lifecycle config, as for images.
        self.lifecycle_configs: NamedResources[StudioLifecycleConfig] = NamedResources(_name_of)

    def _lifecycle_config(self, name: str) -> StudioLifecycleConfig:
        found = self.lifecycle_configs.get(name)
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
        if self.lifecycle_configs.get(name) is not None:
            # Modeled code; [chosen] the words.
            raise ResourceInUse(f"StudioLifecycleConfig {arn} already exists.")
        # [chosen] The content is kept as given: AWS documents that it "must be base64
        # encoded", not that it refuses what is not.
        config = StudioLifecycleConfig(arn, name, settings, tag_dict(tags))
        self.lifecycle_configs.add(config)
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
        # Any resource whose settings list it or name it, but an app that runs nothing.
        using = next((holder for holder, resource in self.by_arn.items()
                      if isinstance(resource, StudioResource)
                      and not (isinstance(resource, Lifecycle) and resource.status in NOT_RUNNING)
                      and arn in lifecycle_configs_in(resource.settings)), None)
        if using is not None:
            # Documented: ResourceInUse while an app runs it or settings still list it;
            # [chosen] the words.
            raise ResourceInUse(f"Unable to delete StudioLifecycleConfig [{arn}] because it is "
                                f"in use by [{using}].")
        self.lifecycle_configs.remove(config)
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
        page, token = self.lifecycle_configs.page(
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(modified_time_after, modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
            also=None if app_type_equals is None else (
                lambda config: config.app_type == app_type_equals))
        return {"StudioLifecycleConfigs": page, "NextToken": token}
