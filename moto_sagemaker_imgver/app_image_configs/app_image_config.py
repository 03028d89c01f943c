"""App image configs: the resource, and CreateAppImageConfig, DescribeAppImageConfig,
ListAppImageConfigs, UpdateAppImageConfig, DeleteAppImageConfig. No HTTP here.

The three app configurations (KernelGateway, JupyterLab, CodeEditor) are kept as the validated
request gave them: their shapes come from botocore's model, so nothing here restates them. An
app image config has no status.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ResourceInUse, ResourceNotFound
from ..store import NamedResources, Store, Tags, listing, operation, tag_dict, time_key

APP_CONFIG_KINDS = ("kernel_gateway_image_config", "jupyter_lab_app_image_config",
                    "code_editor_app_image_config")


class AppImageConfig:
    __slots__ = ("app_image_config_arn", "app_image_config_name", "creation_time",
                 "last_modified_time", "creation_key", "tags") + APP_CONFIG_KINDS

    def __init__(self, arn: str, name: str, configs: dict[str, Any], tags: dict[str, str]) -> None:
        self.app_image_config_arn = arn
        self.app_image_config_name = name
        self.creation_time = self.last_modified_time = utcnow()
        self.creation_key = time_key(self.creation_time, name)
        self.tags = tags
        for kind in APP_CONFIG_KINDS:
            setattr(self, kind, configs.get(kind))


def _name_of(config: AppImageConfig) -> str:
    return config.app_image_config_name


class AppImageConfigOperations(Store):
    ARN_TYPE = "app-image-config"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.configs: NamedResources[AppImageConfig] = NamedResources(_name_of)

    def _find(self, name: str) -> AppImageConfig:
        config = self.configs.get(name)
        if config is None:
            # [chosen] AWS documents ResourceNotFound without a message.
            raise ResourceNotFound(
                f"App Image Config with ARN {self.arn('app-image-config', name)} does not exist."
            )
        return config

    @operation
    def create_app_image_config(self, app_image_config_name: str,
                                tags: Tags | None = None,
                                **configs: Any) -> AppImageConfig:
        if self.configs.get(app_image_config_name) is not None:
            raise ResourceInUse("The ID or Name specified is already in use.")
        config = AppImageConfig(self.arn("app-image-config", app_image_config_name),
                                app_image_config_name, configs, tag_dict(tags))
        self.configs.add(config)
        self._track(config.app_image_config_arn, config)
        return config

    @operation
    def describe_app_image_config(self, app_image_config_name: str) -> AppImageConfig:
        return self._find(app_image_config_name)

    @operation
    def update_app_image_config(self, app_image_config_name: str, **configs: Any) -> AppImageConfig:
        config = self._find(app_image_config_name)
        # [chosen] A configuration the request leaves out is kept, as other SageMaker updates do.
        for kind in APP_CONFIG_KINDS:
            if configs.get(kind) is not None:
                setattr(config, kind, configs[kind])
        with self.configs.moving(config):
            config.last_modified_time = utcnow()
        return config

    @operation
    def delete_app_image_config(self, app_image_config_name: str) -> dict[str, Any]:
        config = self._find(app_image_config_name)
        self.configs.remove(config)
        self._untrack(config.app_image_config_arn, config)
        return {}

    @listing
    def list_app_image_configs(self, max_results: int | None = None,
                               next_token: str | None = None,
                               name_contains: str | None = None,
                               creation_time_before: dt.datetime | None = None,
                               creation_time_after: dt.datetime | None = None,
                               modified_time_before: dt.datetime | None = None,
                               modified_time_after: dt.datetime | None = None,
                               sort_by: str | None = None,
                               sort_order: str | None = None,
                               *, query: dict[str, Any]) -> dict[str, Any]:
        page, token = self.configs.page(
            sort_by=sort_by, sort_order=sort_order, name_contains=name_contains,
            created=(creation_time_after, creation_time_before),
            modified=(modified_time_after, modified_time_before),
            max_results=max_results, next_token=next_token, query=query,
        )
        return {"AppImageConfigs": page, "NextToken": token}
