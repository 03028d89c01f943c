"""The pytest plugin: loaded through its entry point, its server fixture, and pytest-xdist."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import boto3
import pytest

from conftest import REGION, ROLE_ARN

INNER_SUITE = '''
import json
import os

import boto3
import pytest
from moto import mock_aws

ROLE = "arn:aws:iam::123456789012:role/r"


def record(kind, n, **facts):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = os.path.join(os.environ["RECORDS"], f"{kind}-{n}.json")
    with open(path, "w") as out:
        json.dump({"worker": worker, "pid": os.getpid(), **facts}, out)


@pytest.mark.parametrize("n", range(4))
def test_server_fixture(sagemaker_imgver_server, n):
    sm = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=sagemaker_imgver_server,
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    before = [image["ImageName"] for image in sm.list_images()["Images"]]
    sm.create_image(ImageName="same-name", RoleArn=ROLE)
    sm.create_image_version(ImageName="same-name", BaseImage="python:3.12", Aliases=["a"])
    record("server", n, url=sagemaker_imgver_server, before=before)


@pytest.mark.parametrize("n", range(4))
def test_mock(n):
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        before = [image["ImageName"] for image in sm.list_images()["Images"]]
        sm.create_image(ImageName="same-name", RoleArn=ROLE)
        record("mock", n, before=before)
'''


def test_the_entry_point_loads_the_plugin(request):
    assert request.config.pluginmanager.has_plugin("moto_sagemaker_imgver")
    declared = {point.name: point.value for point in entry_points(group="pytest11")}
    assert declared.get("moto_sagemaker_imgver") == "moto_sagemaker_imgver.pytest_plugin"


def test_server_fixture_serves_the_image_api(sagemaker_imgver_server):
    assert sagemaker_imgver_server.startswith("http://127.0.0.1:")
    assert not sagemaker_imgver_server.endswith(":5000")  # a free port, not moto's default
    sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=sagemaker_imgver_server)
    assert sm.list_images()["Images"] == []  # reset for this test
    sm.create_image(ImageName="my-image", RoleArn=ROLE_ARN)
    sm.create_image_version(ImageName="my-image", BaseImage="python:3.12", Aliases=["latest"])
    described = sm.describe_image_version(ImageName="my-image", Alias="latest")
    assert described["Version"] == 1
    # moto's own SageMaker is still served there
    sm.create_experiment(ExperimentName="exp")
    assert sm.describe_experiment(ExperimentName="exp")["ExperimentName"] == "exp"


def test_under_xdist_each_worker_has_its_own_mock_and_server(tmp_path: Path):
    suite = tmp_path / "suite"
    records = tmp_path / "records"
    suite.mkdir()
    records.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\n")
    (suite / "test_inner.py").write_text(textwrap.dedent(INNER_SUITE))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q"],
        cwd=suite, capture_output=True, text=True, timeout=300,
        env={**_environment(), "RECORDS": str(records)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seen = {path.stem: json.loads(path.read_text()) for path in records.glob("*.json")}
    assert len(seen) == 8

    # Every test started from an empty state, although all use the same image name.
    assert all(facts["before"] == [] for facts in seen.values())
    workers = {facts["worker"] for facts in seen.values()}
    assert workers == {"gw0", "gw1"}
    urls: dict[str, set[str]] = {}
    pids: dict[str, set[int]] = {}
    for facts in seen.values():
        pids.setdefault(facts["worker"], set()).add(facts["pid"])
        if "url" in facts:
            urls.setdefault(facts["worker"], set()).add(facts["url"])
    assert all(len(found) == 1 for found in pids.values())  # one process per worker
    assert pids["gw0"] != pids["gw1"]
    # One server per worker, on its own port.
    assert all(len(found) == 1 for found in urls.values())
    assert len(set().union(*urls.values())) == len(urls)


def _environment() -> dict[str, str]:
    # The inner run must not think it is one of this run's xdist workers.
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTEST_", "COV_"))}

