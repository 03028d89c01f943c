"""The convention holds: a new resource is one module in its family plus the family's
registration line. In a copy of the package, a throwaway resource (hubs: create, describe,
delete, list, with tags) goes in as `studio/hubs.py` and two lines of `studio/store.py` (its
import and its place among the store's bases), and answers through boto3 with the validation,
the tag calls and moto's dashboard that every resource gets."""
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
"""Hubs, as a throwaway of the convention's test: no status of their own."""
from __future__ import annotations

from typing import Any

from ..exceptions import ResourceInUse, ResourceNotFound
from ..store import Tags, listing, operation, tag_dict
from .base import StudioBase, StudioResource


class Hub(StudioResource):
    def __init__(self, arn: str, name: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(name.lower(), settings, tags)
        self.hub_arn = arn
        self.hub_name = name


class HubOperations(StudioBase):
    ARN_TYPE = "hub"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hubs: dict[str, Hub] = {}

    def _hub(self, name: str) -> Hub:
        found = self.hubs.get(name.lower())
        if found is None:
            raise ResourceNotFound(f"{name} does not exist.")
        return found

    @operation
    def create_hub(self, hub_name: str, tags: Tags | None = None,
                   **settings: Any) -> dict[str, str]:
        if hub_name.lower() in self.hubs:
            raise ResourceInUse(f"{hub_name} already exists.")
        arn = self.arn("hub", hub_name)
        hub = Hub(arn, hub_name, settings, tag_dict(tags))
        self.hubs[hub_name.lower()] = hub
        self._track(arn, hub)
        return {"HubArn": arn}

    @operation
    def describe_hub(self, hub_name: str) -> Hub:
        return self._hub(hub_name)

    @operation
    def delete_hub(self, hub_name: str) -> dict[str, Any]:
        hub = self._hub(hub_name)
        del self.hubs[hub.hub_name.lower()]
        self._untrack(hub.hub_arn, hub)
        return {}

    @listing
    def list_hubs(self, *, query: dict[str, Any], **members: Any) -> dict[str, Any]:
        return {"HubSummaries": list(self.hubs.values())}
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
arn = sm.create_hub(HubName="models", HubDescription="team models",
                   Tags=[{"Key": "team", "Value": "ml"}])["HubArn"]
seen["arn"] = arn
described = sm.describe_hub(HubName="models")
seen["described"] = [described["HubName"], described["HubDescription"]]
seen["listed"] = [hub["HubName"] for hub in sm.list_hubs()["HubSummaries"]]
sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
seen["tags"] = sm.list_tags(ResourceArn=arn)["Tags"]
try:
    sm.create_hub(HubName="bad_name", HubDescription="x")
except ClientError as error:
    seen["invalid"] = [error.response["ResponseMetadata"]["HTTPStatusCode"],
                       error.response["Error"]["Code"]]
dashboard = requests.get(f"{url}/moto-api/data.json", timeout=30).json()["sagemaker"]
seen["dashboard"] = [entry["arn"] for entry in dashboard.get("hub", [])]
sm.delete_hub(HubName="models")
try:
    sm.describe_hub(HubName="models")
except ClientError as error:
    seen["after delete"] = error.response["Error"]["Code"]
server.stop()
print(json.dumps(seen))
'''


def test_a_new_resource_is_one_module_and_the_family_s_registration_line(tmp_path: Path) -> None:
    copy = tmp_path / "moto_sagemaker_imgver"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "studio" / "hubs.py").write_text(MODULE.lstrip())
    store = copy / "studio" / "store.py"
    source = store.read_text()
    bases = "class StudioStore("
    assert source.count(bases) == 1  # the registration line
    store.write_text(source.replace(bases, bases + "HubOperations, ").replace(
        "from .apps import AppOperations\n",
        "from .apps import AppOperations\nfrom .hubs import HubOperations\n"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(copy)], capture_output=True,
        text=True, timeout=180, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "AWS_ACCESS_KEY_ID": "testing",
             "AWS_SECRET_ACCESS_KEY": "testing"})
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    arn = "arn:aws:sagemaker:us-east-1:123456789012:hub/models"
    assert seen == {
        "arn": arn, "described": ["models", "team models"], "listed": ["models"],
        "tags": [{"Key": "stage", "Value": "dev"}, {"Key": "team", "Value": "ml"}],
        "invalid": [400, "ValidationException"], "dashboard": [arn],
        "after delete": "ResourceNotFound"}
