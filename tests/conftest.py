"""Shared fixtures, and the `slow` marker. The package itself is loaded by its pytest plugin
(entry point `pytest11`), so nothing here imports it: the tests also prove that a user needs no
import line. The helpers the tests share (constants, clients, reading an error) are in
`tests/support/`: `from support import ...`, never `from conftest import ...`."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, Callable, Iterator

import pytest
import requests
from moto import mock_aws

from support import REGION, ROLE_ARN, UNVALIDATED, free_port, shared_session, wait_until_up

SLOW = ("slow: starts a subprocess or the server command, or is a property (hypothesis), race "
        "or state-machine test, or takes long; `pytest -m 'not slow'` leaves these out")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", SLOW)


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)


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
def server_url(request: pytest.FixtureRequest, server_command: str) -> str:
    """The server command's URL, with moto's state reset before the test (a test that uses it
    starts a process: it must be marked slow, so that `-m "not slow"` never starts one)."""
    if request.node.get_closest_marker("slow") is None:
        pytest.fail(f"{request.node.nodeid} uses the server command: mark it slow")
    requests.post(f"{server_command}/moto-api/reset", timeout=10).raise_for_status()
    return server_command


@pytest.fixture
def manual() -> Iterator[Callable[[str], None]]:
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
