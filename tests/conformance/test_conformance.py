"""The conformance kit: its snapshots hold the mock to what they record, and it cleans up after itself."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from moto_sagemaker_imgver.conformance import SCENARIOS, compare_file, record
from moto_sagemaker_imgver.conformance import __main__ as cli
from moto_sagemaker_imgver.conformance.__main__ import main
from moto_sagemaker_imgver.conformance.runner import Created, Failure, Run, Target, clean_up

SNAPSHOTS = Path(__file__).parent


@pytest.mark.parametrize("path", sorted(SNAPSHOTS.glob("*.json")), ids=lambda path: path.stem)
def test_snapshot_replays_on_the_mock(path: Path) -> None:
    rows = compare_file(path)
    assert rows
    assert [row for row in rows if row.verdict == "differ"] == []


def test_every_scenario_has_a_snapshot() -> None:
    assert sorted(path.stem for path in SNAPSHOTS.glob("*.json")) == sorted(SCENARIOS)


def test_list_names_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == list(SCENARIOS)


def test_record_twice_is_byte_identical_and_compares_clean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["alias-conflict", "list-aliases", "resource-in-use-states"]
    assert main(["record", "--target", "mock", "--out", str(tmp_path / "a"), "-k", *names]) == 0
    assert main(["record", "--out", str(tmp_path / "b"), "-k", *names]) == 0
    for name in names:
        first = (tmp_path / "a" / f"{name}.json").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.json").read_bytes()
        assert json.loads(first)["recorded"] == {"target": "mock"}
    capsys.readouterr()
    assert main(["compare", str(tmp_path / "a")]) == 0
    table = capsys.readouterr().out
    assert "alias-conflict" in table and "differ" not in table.split("\n")[1]
    assert " 0 differ" in table


def altered(directory: Path, name: str, change: Callable[[dict], None]) -> Path:
    """A snapshot recorded on the mock, then changed on purpose."""
    assert main(["record", "--out", str(directory), "-k", name]) == 0
    path = directory / f"{name}.json"
    snapshot = json.loads(path.read_text())
    change(snapshot)
    path.write_text(json.dumps(snapshot))
    return path


def test_an_altered_snapshot_shows_the_difference_and_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def reword(snapshot: dict) -> None:
        snapshot["calls"][2]["error"]["Message"] = "Alias ghost not found."

    altered(tmp_path, "unknown-alias", reword)
    capsys.readouterr()

    assert main(["compare", str(tmp_path)]) == 1
    table = capsys.readouterr().out
    line = next(line for line in table.splitlines() if "differ:" in line)
    assert line.startswith("unknown-alias") and "3 DescribeImageVersion" in line
    assert "error.Message: recorded 'Alias ghost not found.', mock 'ImageVersion with Alias" in line
    assert "1 differ" in table


def test_a_known_difference_is_shown_and_does_not_fail(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def as_if_from_aws(snapshot: dict) -> None:
        snapshot["recorded"] = {"target": "aws", "region": "eu-west-1", "date": "2026-11-28"}
        snapshot["calls"][2]["status"] = 404
        snapshot["known_differences"] = {"3": "AWS answers 404 here; the mock does not"}

    altered(tmp_path, "unknown-alias", as_if_from_aws)
    capsys.readouterr()

    assert main(["compare", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "known: status: recorded 404, mock 400 (why: AWS answers 404 here" in table


def test_a_missing_call_is_a_difference(tmp_path: Path) -> None:
    rows = compare_file(altered(tmp_path, "serialization", lambda snapshot: snapshot["calls"].pop()))
    assert [(row.call, row.verdict, row.difference) for row in rows][-1] == (
        "2 UpdateImageVersion", "differ", "the mock made a call the recording does not have")


def test_recording_on_the_mock_keeps_a_snapshot_recorded_on_aws(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "serialization.json"
    aws = json.dumps({"scenario": "serialization", "recorded": {"target": "aws"}, "calls": []})
    path.write_text(aws)
    assert main(["record", "--out", str(tmp_path), "-k", "serialization"]) == 0
    assert path.read_text() == aws
    assert "kept serialization.json" in capsys.readouterr().err


def test_aws_needs_its_arguments_and_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--target", "aws", "--out", str(tmp_path)]) == 2
    assert "--role-arn and --base-image" in capsys.readouterr().err
    assert main(["record", "--target", "aws", "--out", str(tmp_path), "-k", "tags",
                 "--role-arn", "arn:aws:iam::111122223333:role/r",
                 "--base-image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/r:1"]) == 2
    printed = capsys.readouterr()
    assert "1 images" in printed.out and "1 image versions" in printed.out
    assert "Refusing to run without --yes" in printed.err
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scenario_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="^2$"):  # as argparse's own usage errors
        main(["record", "--out", str(tmp_path), "-k", "tags", "no-such-scenario"])
    assert f"{cli.PROG}: error: unknown scenario(s): no-such-scenario" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_aws_with_yes_records_and_deletes_all_it_created(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeAws(0, RuntimeError())
    monkeypatch.setattr(cli, "aws_target", lambda role, image: Target(
        "aws", fake, fake, role, image, "eu-west-1"))
    assert main(["record", "--target", "aws", "--out", str(tmp_path), "--yes",
                 "-k", "app-image-configs", "resource-in-use-states", "version-numbers",
                 "--role-arn", "arn:aws:iam::111122223333:role/r",
                 "--base-image", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/r:1"]) == 0
    assert "skipped resource-in-use-states" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "app-image-configs.json", "version-numbers.json"]
    recorded = json.loads((tmp_path / "version-numbers.json").read_text())["recorded"]
    assert recorded["target"] == "aws" and recorded["region"] == "eu-west-1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", recorded["date"])
    def names(*methods: str) -> set[str]:
        return {params.get("ImageName") or params["AppImageConfigName"]
                for method, params in fake.calls if method in methods}

    created = names("create_image", "create_app_image_config")
    assert len(created) >= 3  # app image configs and images
    assert names("delete_image", "delete_app_image_config") == created


class FakeAws:
    """A client that answers like AWS until its call number `fail_at`, which raises `failure`."""

    def __init__(self, fail_at: int, failure: BaseException) -> None:
        self.fail_at = fail_at
        self.failure = failure
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.busy_once: set[str] = set()

    def __getattr__(self, method: str) -> Any:
        def call(**params: Any) -> dict[str, Any]:
            self.calls.append((method, params))
            if len(self.calls) == self.fail_at:
                raise self.failure
            name = params.get("ImageName", "")
            if method == "delete_image" and name not in self.busy_once:
                self.busy_once.add(name)  # the first delete finds the image still moving
                raise ClientError({"Error": {"Code": "ResourceInUse", "Message": "busy"}}, method)
            arn = f"arn:aws:sagemaker:us-east-1:111122223333:image/{name.lower()}"
            return {"ImageArn": arn, "ImageVersionArn": f"{arn.replace('image/', 'image-version/')}/1",
                    "ImageStatus": "CREATED", "ImageVersionStatus": "CREATED"}

        return call


@pytest.mark.parametrize("fail_at", [3, 40, 120])
@pytest.mark.parametrize("failure", [RuntimeError("connection lost"), KeyboardInterrupt()],
                         ids=["failure", "ctrl-c"])
def test_every_created_resource_is_deleted_after_a_failure(
        fail_at: int, failure: BaseException, tmp_path: Path) -> None:
    fake = FakeAws(fail_at, failure)
    target = Target("aws", fake, fake, "arn:aws:iam::111122223333:role/r",
                    "111122223333.dkr.ecr.us-east-1.amazonaws.com/r:1", "us-east-1")
    with pytest.raises(type(failure)):
        record(list(SCENARIOS.values()), tmp_path, target, prefix="cftest", out=io.StringIO())

    failed_at = fake.calls[fail_at - 1]
    after = fake.calls[fail_at:]
    created = {params["ImageName"] for method, params in fake.calls[:fail_at]
               if method == "create_image"}
    created_configs = {params["AppImageConfigName"] for method, params in fake.calls[:fail_at]
                       if method == "create_app_image_config"}
    assert created, failed_at
    deleted = {params["ImageName"] for method, params in fake.calls if method == "delete_image"}
    assert deleted == created
    assert {params["AppImageConfigName"] for method, params in after
            if method == "delete_app_image_config"} == created_configs
    assert {method for method, _ in after} <= {"delete_image", "delete_app_image_config"}
    for method, params in fake.calls:
        if method.startswith(("create", "update", "delete", "add")):
            target_name = params.get("ImageName") or params.get("AppImageConfigName") \
                or params.get("ResourceArn") or ""
            assert "cftest" in target_name.lower(), (method, params)
    # the scenarios that ended before the failure are written, marked as recorded on AWS
    written = [json.loads(path.read_text()) for path in tmp_path.glob("*.json")]
    assert (len(written) > 0) == (fail_at > 3)
    for snapshot in written:
        assert snapshot["recorded"]["target"] == "aws"
        assert snapshot["recorded"]["region"] == "us-east-1"


def test_clean_up_reports_what_it_could_not_delete() -> None:
    class Refusing:
        def delete_image(self, ImageName: str) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DeleteImage")

        def delete_app_image_config(self, AppImageConfigName: str) -> None:
            return None

    created = Created(images=["cfx-a", "cfx-a"], app_image_configs=["cfx-c"])
    assert clean_up(Refusing(), created) == ["cfx-a"]


def test_a_change_to_a_resource_not_of_the_run_is_refused_before_sending() -> None:
    fake = FakeAws(0, RuntimeError())
    run = Run(Target("aws", fake, fake, "r", "b", "us-east-1"), "cftest", Created())
    with pytest.raises(Failure):
        run.call("DeleteImage", ImageName="someone-elses")
    run.call("DescribeImage", ImageName="someone-elses")  # reading is harmless
    assert fake.calls == [("describe_image", {"ImageName": "someone-elses"})]


# --- the command line's errors: one line each, no traceback --------------------------------

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


AWS_RECORD = ("record", "--target", "aws", "--yes", "--out", "out", "-k", "tags",
              "--role-arn", "arn:aws:iam::111122223333:role/r",
              "--base-image", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/r:1")


@pytest.mark.parametrize("region, why", [
    ({"AWS_DEFAULT_REGION": "eu-west-1"}, "no AWS credentials found"),
    ({}, "no default region"),
])
def test_aws_without_credentials_or_region_stops_before_the_plan(
        tmp_path: Path, region: dict[str, str], why: str) -> None:
    done = kit(*AWS_RECORD, env=aws_environment(tmp_path, **region), cwd=tmp_path)
    line = one_line_error(done)
    assert why in line and "nothing was created" in line
    assert done.stdout == ""  # no plan
    assert not (tmp_path / "out").exists()


def test_a_create_never_sent_or_refused_is_not_reported_as_left_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    unsent = FakeAws(1, NoCredentialsError())  # the first call, CreateImage, never leaves
    monkeypatch.setattr(cli, "aws_target", lambda role, image: Target(
        "aws", unsent, unsent, role, image, "eu-west-1"))
    assert main([*AWS_RECORD[:5], str(tmp_path / "out"), *AWS_RECORD[6:]]) == 1
    printed = capsys.readouterr()
    assert "could not delete" not in printed.err and "Traceback" not in printed.err
    assert printed.err.splitlines()[-1].endswith("the run stopped: Unable to locate credentials")
    assert [method for method, _ in unsent.calls] == ["create_image"]  # nothing to delete

    refused = FakeAws(1, ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"},
                                      "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateImage"))
    run = Run(Target("aws", refused, refused, "r", "b", "us-east-1"), "cftest", Created())
    assert run.call("CreateImage", ImageName="cftest-a", RoleArn="r") is None
    assert run.created == Created()


def test_recording_again_keeps_known_differences_written_by_hand(tmp_path: Path) -> None:
    known = {"3": "AWS answers 404 here; the mock does not"}
    path = altered(tmp_path, "unknown-alias",
                   lambda snapshot: snapshot.update(known_differences=known))
    assert main(["record", "--out", str(tmp_path), "-k", "unknown-alias"]) == 0
    again = json.loads(path.read_text())
    assert again["known_differences"] == known
    assert again["recorded"] == {"target": "mock"}


def test_a_snapshot_that_cannot_be_read_is_not_recorded_over(tmp_path: Path) -> None:
    (tmp_path / "tags.json").write_text('{"known_differences": {"1": "by hand"}, ')
    line = one_line_error(kit("record", "--out", str(tmp_path), "-k", "tags"))
    assert f"{tmp_path / 'tags.json'}: not JSON" in line
    assert (tmp_path / "tags.json").read_text().startswith('{"known_differences"')


def test_list_and_every_recording_say_the_same_of_each_scenario() -> None:
    for path in sorted(SNAPSHOTS.glob("*.json")):
        snapshot = json.loads(path.read_text())
        assert snapshot["settles"] == SCENARIOS[snapshot["scenario"]].settles, path.name


def test_the_serialization_scenario_says_what_its_messages_show() -> None:
    calls = json.loads((SNAPSHOTS / "serialization.json").read_text())["calls"]
    members = {member for call in calls for member in call["request"]} - {"ImageName"}
    messages = [call["error"]["Message"] for call in calls]
    assert members and messages
    assert not any(member.lower() in message.lower() for member in members for message in messages)
    assert "naming the member" not in SCENARIOS["serialization"].settles
    assert "not the member" in SCENARIOS["serialization"].settles
