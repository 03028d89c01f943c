"""pytest plugin (entry point `pytest11`): installs the extension into moto for every test run,
and offers `sagemaker_imgver_server`, the endpoint URL of a moto server that serves it.

`--sagemaker-validate=all` (ini `sagemaker_validate = all`) validates every SageMaker request,
not only the image operations; `@pytest.mark.sagemaker_validate` does so for one test. Whatever a
test changes with `set_validation` or `set_strict_ecr` is undone when it ends; a `set_validation`
made by a fixture of wider scope (module, class, package, session) lasts until its teardown."""
from __future__ import annotations

# Loaded in every pytest run of the environment (off: `-p no:moto_sagemaker_imgver`), so the
# top stays light: importing the package only arms a hook that installs when moto loads SageMaker.
import argparse
import os
import sys
from typing import Any, Generator, Iterator, Optional

import pytest

import moto_sagemaker_imgver  # noqa: F401  (the import installs it)
from moto_sagemaker_imgver import switch

VALIDATE_HELP = ("all: check every SageMaker request against AWS's input shapes; "
                 "images: only the image operations (any case; default: the environment variable)")
MARKER = "sagemaker_validate"
ECR_MODULE = "moto_sagemaker_imgver.ecr"


def _option_mode(value: str) -> str:
    try:
        return switch.validation_mode(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sagemaker-imgver")
    group.addoption("--sagemaker-validate", type=_option_mode, default=None, metavar="MODE",
                    help=VALIDATE_HELP)
    parser.addini(MARKER, VALIDATE_HELP, default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f'{MARKER}(mode="all"): validate every SageMaker request in this test')
    mode = config.getoption(MARKER)
    if mode is None:
        setting = str(config.getini(MARKER)).strip()
        if not setting:
            return
        try:
            mode = switch.validation_mode(setting)
        except ValueError as error:
            raise pytest.UsageError(f"ini option {MARKER}: {error}") from None
    switch.set_validation(mode)


def marker_mode(marker: pytest.Mark) -> switch.Mode:
    """The mode a `sagemaker_validate` marker asks for; ValueError naming the valid ones."""
    unknown = set(marker.kwargs) - {"mode"}
    if unknown or len(marker.args) > 1 or (marker.args and marker.kwargs):
        raise ValueError(f"takes one mode, \"images\" or \"all\" (default \"all\"), "
                         f"not {marker.args!r} {marker.kwargs!r}")
    return switch.validation_mode(marker.kwargs.get("mode", marker.args[0] if marker.args
                                                    else "all"))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    # A bad marker is a collection error (as a bad `parametrize` is), not an internal error when
    # the test runs; under pytest-xdist the workers collect, so it is checked here.
    outcome = yield
    report = outcome.get_result()
    if not report.passed:
        return
    problems = []
    for node in report.result:
        marker = node.get_closest_marker(MARKER) if isinstance(node, pytest.Item) else None
        if marker is None:
            continue
        try:
            marker_mode(marker)
        except ValueError as error:
            problems.append(f"{node.nodeid}: @pytest.mark.{MARKER}: {error}")
    if problems:
        outcome.force_result(pytest.CollectReport(report.nodeid, "failed", "\n".join(problems),
                                                  [], report.sections))


# What holds between tests: the run's settings, and those of fixtures still set up; one entry
# per test protocol running (a pytester run inside a test has its own).
_between_tests: list[Optional[switch.Mode]] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    # The switches are process-wide: whatever a test (or a function-scoped fixture) sets is undone
    # when it ends, so the next test sees the run's settings and those of wider fixtures.
    _between_tests.append(switch.current_validation())
    strict_ecr = _strict_ecr_setting()
    marker = item.get_closest_marker(MARKER)
    try:
        if marker is not None:
            switch.set_validation(marker_mode(marker))
        yield  # setup, call and teardown: fixtures that send requests are covered too
    finally:
        switch.set_validation(_between_tests.pop())
        ecr = sys.modules.get(ECR_MODULE)  # never imported here: it is loaded only when used
        if ecr is not None:
            ecr.set_strict_ecr(strict_ecr)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> Iterator[None]:
    # A fixture wider than a test that sets the validation keeps it until its own teardown.
    if fixturedef.scope == "function":  # the test's protocol undoes it
        yield
        return
    made = switch.settings_made()
    undo: list[Optional[switch.Mode]] = []

    def restore() -> None:
        if undo:
            if _between_tests:
                _between_tests[-1] = undo[0]
            switch.set_validation(undo[0])

    # Registered before the fixture's own teardown, so it runs after it.
    fixturedef.addfinalizer(restore)
    yield
    if switch.settings_made() != made and _between_tests:
        undo.append(_between_tests[-1])
        _between_tests[-1] = switch.current_validation()


def _strict_ecr_setting() -> Optional[bool]:
    ecr = sys.modules.get(ECR_MODULE)
    return None if ecr is None else ecr.strict_ecr_setting()


@pytest.fixture(scope="session")
def _sagemaker_imgver_threaded_server() -> Iterator[str]:
    from moto_sagemaker_imgver.moto_seam.supported import check_moto_version_once, unsupported_reason

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
