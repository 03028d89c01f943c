"""The conformance kit: its snapshots hold the mock to what they record, and it cleans up after itself."""
from __future__ import annotations

import io
import json
import re
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


AWS_RECORD = ("record", "--target", "aws", "--yes", "--out", "out", "-k", "tags",
              "--role-arn", "arn:aws:iam::111122223333:role/r",
              "--base-image", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/r:1")


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
