"""The convention holds: a new resource is one module in its family plus the family's
registration line. In a copy of the package, a throwaway Studio resource (lifecycle configs:
create, describe, delete, list, with tags) goes in as `studio/lifecycle_configs.py` and two lines
of `studio/store.py` (its import and its place among the store's bases), and answers through
boto3 with the validation, the tag calls and moto's dashboard that every resource gets."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PACKAGE = Path(__file__).resolve().parents[2] / "moto_sagemaker_imgver"

MODULE = '''
"""Studio lifecycle configs, as a throwaway of the convention's test: no status."""
from __future__ import annotations

from typing import Any

from ..exceptions import ResourceInUse, ResourceNotFound
from ..store import Tags, listing, operation, tag_dict
from .base import StudioBase, StudioResource


class StudioLifecycleConfig(StudioResource):
    def __init__(self, arn: str, name: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(name.lower(), settings, tags)
        self.studio_lifecycle_config_arn = arn
        self.studio_lifecycle_config_name = name


class LifecycleConfigOperations(StudioBase):
    ARN_TYPE = "studio-lifecycle-config"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lifecycle_configs: dict[str, StudioLifecycleConfig] = {}

    def _config(self, name: str) -> StudioLifecycleConfig:
        found = self.lifecycle_configs.get(name.lower())
        if found is None:
            raise ResourceNotFound(f"{name} does not exist.")
        return found

    @operation
    def create_studio_lifecycle_config(self, studio_lifecycle_config_name: str,
                                       tags: Tags | None = None,
                                       **settings: Any) -> dict[str, str]:
        name = studio_lifecycle_config_name
        if name.lower() in self.lifecycle_configs:
            raise ResourceInUse(f"{name} already exists.")
        arn = self.arn("studio-lifecycle-config", name)
        config = StudioLifecycleConfig(arn, name, settings, tag_dict(tags))
        self.lifecycle_configs[name.lower()] = config
        self._track(arn, config)
        return {"StudioLifecycleConfigArn": arn}

    @operation
    def describe_studio_lifecycle_config(
            self, studio_lifecycle_config_name: str) -> StudioLifecycleConfig:
        return self._config(studio_lifecycle_config_name)

    @operation
    def delete_studio_lifecycle_config(self, studio_lifecycle_config_name: str) -> dict[str, Any]:
        config = self._config(studio_lifecycle_config_name)
        del self.lifecycle_configs[config.studio_lifecycle_config_name.lower()]
        self._untrack(config.studio_lifecycle_config_arn, config)
        return {}

    @listing
    def list_studio_lifecycle_configs(self, *, query: dict[str, Any],
                                      **members: Any) -> dict[str, Any]:
        return {"StudioLifecycleConfigs": list(self.lifecycle_configs.values())}
'''

SCRIPT = '''
import json, sys
import boto3, requests
import moto_sagemaker_imgver
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

assert moto_sagemaker_imgver.__file__.startswith(sys.argv[1]), moto_sagemaker_imgver.__file__
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
url = f"http://{host}:{port}"
sm = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=url,
                  config=Config(parameter_validation=False, retries={"max_attempts": 0}))
seen = {}
arn = sm.create_studio_lifecycle_config(
    StudioLifecycleConfigName="idle", StudioLifecycleConfigContent="ZWNobyBoaQ==",
    StudioLifecycleConfigAppType="JupyterLab", Tags=[{"Key": "team", "Value": "ml"}],
)["StudioLifecycleConfigArn"]
seen["arn"] = arn
described = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="idle")
seen["described"] = [described["StudioLifecycleConfigName"],
                     described["StudioLifecycleConfigAppType"],
                     described["StudioLifecycleConfigContent"]]
seen["listed"] = [c["StudioLifecycleConfigName"]
                  for c in sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]]
sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
seen["tags"] = sm.list_tags(ResourceArn=arn)["Tags"]
try:
    sm.create_studio_lifecycle_config(StudioLifecycleConfigName="bad_name",
                                      StudioLifecycleConfigContent="x",
                                      StudioLifecycleConfigAppType="JupyterLab")
except ClientError as error:
    seen["invalid"] = [error.response["ResponseMetadata"]["HTTPStatusCode"],
                       error.response["Error"]["Code"]]
dashboard = requests.get(f"{url}/moto-api/data.json", timeout=30).json()["sagemaker"]
seen["dashboard"] = [entry["arn"] for entry in dashboard.get("studio-lifecycle-config", [])]
sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")
try:
    sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="idle")
except ClientError as error:
    seen["after delete"] = error.response["Error"]["Code"]
server.stop()
print(json.dumps(seen))
'''


def test_a_new_resource_is_one_module_and_the_family_s_registration_line(tmp_path: Path) -> None:
    copy = tmp_path / "moto_sagemaker_imgver"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "studio" / "lifecycle_configs.py").write_text(MODULE.lstrip())
    store = copy / "studio" / "store.py"
    source = store.read_text()
    bases = "class StudioStore(DomainOperations, UserProfileOperations, SpaceOperations, AppOperations"
    assert source.count(bases) == 1  # the registration line
    store.write_text(source.replace(bases, bases + ", LifecycleConfigOperations").replace(
        "from .apps import AppOperations\n",
        "from .apps import AppOperations\nfrom .lifecycle_configs import LifecycleConfigOperations\n"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(copy)], capture_output=True,
        text=True, timeout=180, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "AWS_ACCESS_KEY_ID": "testing",
             "AWS_SECRET_ACCESS_KEY": "testing"})
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    arn = "arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/idle"
    assert seen == {
        "arn": arn, "described": ["idle", "JupyterLab", "ZWNobyBoaQ=="], "listed": ["idle"],
        "tags": [{"Key": "stage", "Value": "dev"}, {"Key": "team", "Value": "ml"}],
        "invalid": [400, "ValidationException"], "dashboard": [arn],
        "after delete": "ResourceNotFound"}
