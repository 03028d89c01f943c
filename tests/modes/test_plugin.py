"""The pytest plugin: loaded through its entry point, its server fixture, pytest-xdist, the
switches restored after each test, and bad settings refused as usage errors."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import boto3
import pytest

from support import REGION, ROLE_ARN

pytest_plugins = ["pytester"]

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


@pytest.mark.slow
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



# --- nothing leaks from one test to the next ---------------------------------------------------

LEAK_SUITE = """
import boto3
from moto import mock_aws

import moto_sagemaker_imgver
from moto_sagemaker_imgver import ecr


def create_model(name):
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        return sm.create_model(ModelName=name, ExecutionRoleArn="arn:aws:iam::1:role/r",
                               PrimaryContainer={"Image": "i"})["ModelArn"]


def test_one_turns_the_switches_on():
    moto_sagemaker_imgver.set_validation("all")
    ecr.set_strict_ecr(True)


def test_two_expects_moto_to_take_an_underscore():
    assert create_model("my_model").endswith(":model/my_model")
    assert not ecr.strict_ecr()
"""


def test_a_mode_set_in_a_test_is_undone_for_the_next(pytester: pytest.Pytester,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTO_SAGEMAKER_IMGVER_VALIDATE", raising=False)
    monkeypatch.delenv("MOTO_SAGEMAKER_IMGVER_STRICT_ECR", raising=False)
    pytester.makepyfile(test_leak=LEAK_SUITE)
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_the_run_setting_holds_again_after_a_test_changed_it(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsagemaker_validate = all\n")
    pytester.makepyfile(test_run_setting="""
        import moto_sagemaker_imgver
        from moto_sagemaker_imgver import switch

        def test_changes_it():
            moto_sagemaker_imgver.set_validation("images")

        def test_sees_the_run_setting():
            assert switch.current_validation() == "all"
    """)
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_a_setting_made_by_a_fixture_lasts_as_long_as_the_fixture(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTO_SAGEMAKER_IMGVER_VALIDATE", raising=False)
    pytester.makepyfile(test_a_module="""
        import pytest
        import moto_sagemaker_imgver
        from moto_sagemaker_imgver import switch

        @pytest.fixture(scope="module", autouse=True)
        def validate_all():
            moto_sagemaker_imgver.set_validation("all")
            yield
            assert switch.current_validation() == "all"  # still set in its own teardown

        @pytest.fixture
        def images_for_one_test():
            moto_sagemaker_imgver.set_validation("images")

        def test_first():
            assert switch.current_validation() == "all"
            moto_sagemaker_imgver.set_validation(None)  # a test's own change

        def test_second(images_for_one_test):
            assert switch.current_validation() == "images"

        @pytest.mark.sagemaker_validate("images")
        def test_marked():
            assert switch.current_validation() == "images"

        def test_last():
            assert switch.current_validation() == "all"

        class TestWithin:
            @pytest.fixture(scope="class", autouse=True)
            def images_for_the_class(self):
                moto_sagemaker_imgver.set_validation("all")  # the same mode, set again
                moto_sagemaker_imgver.set_validation("images")

            def test_class_first(self):
                assert switch.current_validation() == "images"

            def test_class_second(self):
                assert switch.current_validation() == "images"

        def test_after_the_class():
            assert switch.current_validation() == "all"
    """, test_b_module="""
        from moto_sagemaker_imgver import switch

        def test_after_the_module():
            assert switch.current_validation() is None
    """)
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=8)


# --- bad settings are usage errors; case is ignored everywhere ---------------------------------

VALID_MODES = "must be one of 'images', 'all' (any case), not 'bogus'"
MODE_PROBE = """
    import pytest
    from moto_sagemaker_imgver import switch

    def test_plain():
        print("plain:", switch.current_validation())

    @pytest.mark.sagemaker_validate({marker})
    def test_marked():
        print("marked:", switch.current_validation())
"""


def probe(pytester: pytest.Pytester, marker: str = "", ini: str = "",
          *args: str) -> pytest.RunResult:
    pytester.makeini("[pytest]\n" + ini)
    pytester.makepyfile(test_probe=MODE_PROBE.format(marker=marker))
    return pytester.runpytest("-p", "no:cacheprovider", "-s", *args)


def test_a_bad_marker_is_a_collection_error_naming_the_modes(pytester: pytest.Pytester) -> None:
    result = probe(pytester, '"bogus"')
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([
        f"test_probe.py::test_marked: @pytest.mark.sagemaker_validate: validation mode {VALID_MODES}"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


@pytest.mark.parametrize("marker", ['"all", "images"', 'mode="all", other=1', "5"])
def test_a_marker_given_anything_but_one_mode_is_refused(pytester: pytest.Pytester,
                                                         marker: str) -> None:
    result = probe(pytester, marker)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*test_probe.py::test_marked: @pytest.mark.sagemaker_validate: *"])


@pytest.mark.slow
def test_a_bad_marker_under_xdist_is_a_collection_error_too(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(test_probe=MODE_PROBE.format(marker='"bogus"'))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    assert result.ret != pytest.ExitCode.INTERNAL_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    assert f"validation mode {VALID_MODES}" in output


def test_a_bad_ini_setting_is_a_usage_error_naming_the_modes(pytester: pytest.Pytester) -> None:
    result = probe(pytester, ini="sagemaker_validate = bogus\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: ini option sagemaker_validate: validation mode {VALID_MODES}"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_bad_option_is_a_usage_error_naming_the_modes(pytester: pytest.Pytester) -> None:
    result = probe(pytester, "", "", "--sagemaker-validate=bogus")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*argument --sagemaker-validate: validation mode {VALID_MODES}"])


@pytest.mark.parametrize("marker, ini, args, seen", [
    ('"IMAGES"', "", ("--sagemaker-validate=ALL",), ("all", "images")),
    ('mode=" All "', "sagemaker_validate = Images\n", (), ("images", "all")),
])
def test_case_is_ignored_in_option_ini_and_marker(pytester: pytest.Pytester, marker: str,
                                                  ini: str, args: tuple, seen: tuple) -> None:
    result = probe(pytester, marker, ini, *args)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"*plain: {seen[0]}*", f"*marked: {seen[1]}*"])


def test_set_validation_ignores_case_and_names_the_modes() -> None:
    from moto_sagemaker_imgver import switch

    before = switch.current_validation()
    try:
        switch.set_validation("ALL")  # type: ignore[arg-type]
        assert switch.current_validation() == "all"
        with pytest.raises(ValueError, match="must be one of 'images', 'all'"):
            switch.set_validation("everything")  # type: ignore[arg-type]
    finally:
        switch.set_validation(before)


def test_set_strict_ecr_refuses_a_string_that_would_read_as_true() -> None:
    from moto_sagemaker_imgver import ecr

    with pytest.raises(TypeError):
        ecr.set_strict_ecr("false")  # type: ignore[arg-type]
    assert ecr.strict_ecr_setting() is None


MYPY_SNIPPET = """
import moto_sagemaker_imgver
from moto_sagemaker_imgver.ecr import set_strict_ecr

moto_sagemaker_imgver.set_validation("all")
moto_sagemaker_imgver.set_validation(None)
moto_sagemaker_imgver.set_validation("everything")
set_strict_ecr(True)
set_strict_ecr("yes")
"""


@pytest.mark.slow  # runs mypy
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_catches_a_mode_that_does_not_exist(tmp_path: Path) -> None:
    import moto_sagemaker_imgver

    (tmp_path / "snippet.py").write_text(MYPY_SNIPPET)
    # An editable install is found through an import hook mypy does not run: point at the source.
    where = Path(moto_sagemaker_imgver.__file__).resolve().parent.parent
    path = "" if where.name in ("site-packages", "dist-packages") else f"mypy_path = {where}\n"
    # moto and botocore are skipped: only the package's own signatures matter here.
    (tmp_path / "mypy.ini").write_text(
        "[mypy]\nignore_missing_imports = True\n" + path
        + "[mypy-moto.*,botocore.*,boto3.*]\nfollow_imports = skip\n")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir", ".cache",
         "--no-error-summary", "snippet.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    errors = [line for line in done.stdout.splitlines()
              if line.startswith("snippet.py:") and ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["7", "9"], done.stdout + done.stderr
    assert "'everything'" in errors[0] and '"set_strict_ecr"' in errors[1]
