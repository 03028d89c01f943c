"""pytest plugin (entry point `pytest11`): installs the extension into moto for every test run,
and offers `sagemaker_imgver_server`, the endpoint URL of a moto server that serves it.

`--sagemaker-validate=all` (ini `sagemaker_validate = all`) validates every SageMaker request,
not only the image operations; `@pytest.mark.sagemaker_validate` does so for one test."""
from __future__ import annotations

# Loaded in every pytest run of the environment (off: `-p no:moto_sagemaker_imgver`), so the
# top stays light: importing the package only arms a hook that installs when moto loads SageMaker.
import os
from typing import Iterator

import pytest

import moto_sagemaker_imgver  # noqa: F401  (the import installs it)

VALIDATE_HELP = ("all: check every SageMaker request against AWS's input shapes; "
                 "images: only the image operations (default: the environment variable)")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sagemaker-imgver")
    group.addoption("--sagemaker-validate", choices=("images", "all"), default=None,
                    help=VALIDATE_HELP)
    parser.addini("sagemaker_validate", VALIDATE_HELP, default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", 'sagemaker_validate(mode="all"): validate every SageMaker request in this test')
    mode = config.getoption("sagemaker_validate") or config.getini("sagemaker_validate").strip()
    if mode:
        from moto_sagemaker_imgver.switch import set_validation

        set_validation(mode)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    marker = item.get_closest_marker("sagemaker_validate")
    if marker is None:
        yield
        return
    from moto_sagemaker_imgver.switch import current_validation, set_validation

    before = current_validation()
    set_validation(marker.kwargs.get("mode", marker.args[0] if marker.args else "all"))
    try:
        yield  # setup, call and teardown: fixtures that send requests are covered too
    finally:
        set_validation(before)


@pytest.fixture(scope="session")
def _sagemaker_imgver_threaded_server() -> Iterator[str]:
    from moto_sagemaker_imgver.supported import check_moto_version_once, unsupported_reason

    if not check_moto_version_once():  # the server would fail on what such a moto lacks
        pytest.fail(str(unsupported_reason()), pytrace=False)
    from moto.server import ThreadedMotoServer

    # One server per session, which under pytest-xdist means one per worker process.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


# What mock_aws sets for the duration of a mock, so that a client without credentials works.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "FOOBARKEY", "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET"}


@pytest.fixture
def sagemaker_imgver_server(_sagemaker_imgver_threaded_server: str) -> Iterator[str]:
    """Endpoint URL of an in-process moto server (free port) serving the image APIs.

    moto's state is reset before each test that uses it. The server runs in this process, so it
    shares moto's state with `mock_aws`; use one or the other within a test. As `mock_aws` does,
    it puts fake credentials in the environment for the test, so a client needs none.
    """
    import urllib.request
    from unittest import mock

    reset = urllib.request.Request(f"{_sagemaker_imgver_threaded_server}/moto-api/reset",
                                   method="POST")
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with direct.open(reset, timeout=30):
        pass
    with mock.patch.dict(os.environ, FAKE_CREDENTIALS):
        yield _sagemaker_imgver_threaded_server
