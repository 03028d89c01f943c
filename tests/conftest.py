"""Shared fixtures. The package itself is loaded by its pytest plugin (entry point `pytest11`),
so nothing here imports it: the tests also prove that a user needs no import line."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any, Callable, Iterator

import boto3
import pytest
import requests
from botocore.config import Config
from moto import mock_aws

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
BASE_IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-repo:1.0"
UNVALIDATED = Config(parameter_validation=False, retries={"max_attempts": 0})
# The races run full length once (moto-newest); the older moto lines run a quarter of each (RACES=short).
RACE_SHARE = 0.25 if os.environ.get("RACES") == "short" else 1.0


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)


_session: boto3.Session | None = None


def shared_session() -> boto3.Session:
    """One session for the run: botocore then parses SageMaker's large model once, not per test
    (`mock_aws` replaces boto3's default session each time it starts)."""
    global _session
    if _session is None:
        _session = boto3.Session()
    return _session


@pytest.fixture
def sm() -> Iterator[Any]:
    """A SageMaker client under `mock_aws`."""
    with mock_aws():
        yield shared_session().client("sagemaker", region_name=REGION)


@pytest.fixture
def sm_raw(sm: Any) -> Any:
    """A client that sends what it is given: server-side validation sees every value."""
    return shared_session().client("sagemaker", region_name=REGION, config=UNVALIDATED)


@pytest.fixture
def make_image(sm: Any) -> Callable[..., str]:
    def make(name: str = "my-image", **extra: Any) -> str:
        return sm.create_image(ImageName=name, RoleArn=ROLE_ARN, **extra)["ImageArn"]

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(f"{url}/moto-api/data.json", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up")


@pytest.fixture(scope="session")
def server_command() -> Iterator[str]:
    """The real server command (`python -m moto_sagemaker_imgver`) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_sagemaker_imgver", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server_url(server_command: str) -> str:
    """The server command's URL, with moto's state reset before the test."""
    requests.post(f"{server_command}/moto-api/reset", timeout=10).raise_for_status()
    return server_command


def plain_moto(script: str) -> Any:
    """What the installed moto answers without the extension, as a baseline that no moto release
    can turn stale: `script` runs in a fresh interpreter that never loads the package and prints
    one JSON value on its last line."""
    guard = ("\nimport sys\nassert 'moto_sagemaker_imgver' not in sys.modules, "
             "'the baseline must be plain moto'\n")
    done = subprocess.run([sys.executable, "-c", script + guard], capture_output=True, text=True,
                          timeout=180, env={**os.environ, "AWS_ACCESS_KEY_ID": "testing",
                                            "AWS_SECRET_ACCESS_KEY": "testing"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def client_for(url: str, **kwargs: Any) -> Any:
    return shared_session().client("sagemaker", region_name=REGION, endpoint_url=url,
                        aws_access_key_id="testing", aws_secret_access_key="testing", **kwargs)


@pytest.fixture
def slow() -> Iterator[Callable[[str], None]]:
    """Make a state model move on only on every second look, as moto's 'manual' progression
    does; the transitions set are unset after the test."""
    from moto.moto_api import state_manager

    changed: list[str] = []

    def set_manual(model: str) -> None:
        state_manager.set_transition(model, {"progression": "manual", "times": 2})
        changed.append(model)

    yield set_manual
    for model in changed:
        state_manager.unset_transition(model)
