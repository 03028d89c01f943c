"""The conformance kit's command line, run as a user runs it (a fresh interpreter each): its
errors are one line each, with no traceback, and it needs the `conformance` extra only to record
and compare. The kit itself is tested in-process in test_conformance.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moto_sagemaker_imgver.conformance import SCENARIOS
from moto_sagemaker_imgver.conformance import __main__ as cli
from test_conformance import AWS_RECORD, SNAPSHOTS

pytestmark = pytest.mark.slow  # each test runs the command in a fresh interpreter

EXTRA_LINE = 'pip install "moto-sagemaker-imgver[conformance]"'
# A stand-in for an environment without the `conformance` extra (uninstalling is not an option).
NO_EXTRA = """
import sys

class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "localstack_snapshot":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Missing())
"""


def kit(*args: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moto_sagemaker_imgver.conformance", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd,
                          env=env if env is not None else dict(os.environ))


def one_line_error(done: subprocess.CompletedProcess[str], status: int = 2) -> str:
    assert done.returncode == status, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def without_the_extra(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "blocker").mkdir()
    (tmp_path / "blocker" / "sitecustomize.py").write_text(NO_EXTRA)
    path = os.pathsep.join(filter(None, [str(tmp_path / "blocker"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def test_list_needs_nothing_extra(without_the_extra: dict[str, str]) -> None:
    done = kit("list", env=without_the_extra)
    assert done.returncode == 0, done.stderr
    assert [line.split(":", 1)[0] for line in done.stdout.splitlines()] == list(SCENARIOS)


@pytest.mark.parametrize("args", [("record", "--out", "snapshots"), ("compare", str(SNAPSHOTS))],
                         ids=["record", "compare"])
def test_record_and_compare_name_the_extra(without_the_extra: dict[str, str], tmp_path: Path,
                                           args: tuple[str, ...]) -> None:
    line = one_line_error(kit(*args, env=without_the_extra, cwd=tmp_path))
    assert f"{args[0]} needs the conformance extra" in line and EXTRA_LINE in line
    assert not (tmp_path / "snapshots").exists()


@pytest.mark.parametrize("content, why", [
    (None, "no such file or directory"),
    ("", "no snapshots (*.json) in it"),
    ("{not json", "not JSON (Expecting property name"),
    ('{"calls": 5}', '"calls" must be a list of calls'),
    ('["a list"]', "not a snapshot"),
    ('{"scenario": "tags", "calls": [{"call": "ListTags"}], "known_differences": [1]}',
     '"known_differences" must map call numbers to reasons'),
], ids=["missing", "empty directory", "not JSON", "calls not a list", "not an object",
        "known differences not a map"])
def test_compare_of_what_is_not_a_snapshot_is_a_one_line_error(
        tmp_path: Path, content: str | None, why: str) -> None:
    where = tmp_path / "does-not-exist"
    if content == "":
        where.mkdir()
    elif content is not None:
        where.mkdir()
        where = where / "broken.json"
        where.write_text(content)
    done = kit("compare", str(where))
    assert one_line_error(done).startswith(f"{cli.PROG}: error: {where}: {why}")
    assert done.stdout == ""


def test_compare_reads_every_file_before_running_any(tmp_path: Path) -> None:
    (tmp_path / "a-good.json").write_bytes((SNAPSHOTS / "tags.json").read_bytes())
    (tmp_path / "b-broken.json").write_text('{"calls": 5}')
    assert "b-broken.json" in one_line_error(kit("compare", str(tmp_path)))


def aws_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No credentials anywhere, and no instance metadata service to ask."""
    (tmp_path / "empty").write_text("")
    kept = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return {**kept, "AWS_CONFIG_FILE": str(tmp_path / "empty"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "empty"),
            "AWS_EC2_METADATA_DISABLED": "true", **extra}


@pytest.mark.parametrize("region, why", [
    ({"AWS_DEFAULT_REGION": "eu-west-1"}, "no AWS credentials found"),
    ({}, "no default region"),
])
@pytest.mark.parametrize("scenario", ["tags", "lifecycle-delete-in-use"],
                         ids=["images", "studio"])  # Studio's VPC is looked up only after
def test_aws_without_credentials_or_region_stops_before_the_plan(
        tmp_path: Path, region: dict[str, str], why: str, scenario: str) -> None:
    args = [scenario if arg == "tags" else arg for arg in AWS_RECORD]
    done = kit(*args, env=aws_environment(tmp_path, **region), cwd=tmp_path)
    line = one_line_error(done)
    assert why in line and "nothing was created" in line
    assert done.stdout == ""  # no plan
    assert not (tmp_path / "out").exists()


def test_a_snapshot_that_cannot_be_read_is_not_recorded_over(tmp_path: Path) -> None:
    (tmp_path / "tags.json").write_text('{"known_differences": {"1": "by hand"}, ')
    line = one_line_error(kit("record", "--out", str(tmp_path), "-k", "tags"))
    assert f"{tmp_path / 'tags.json'}: not JSON" in line
    assert (tmp_path / "tags.json").read_text().startswith('{"known_differences"')
