"""A conformance kit: the same scenarios against real AWS and the mock, recorded and diffed.

`python -m moto_sagemaker_imgver.conformance list | record | compare` (see README, "Conformance").
`list` needs nothing extra; recording and comparing need the `conformance` extra (`matching`).
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TextIO

from .runner import (
    MOCK_SUBNET_IDS,
    MOCK_VPC_ID,
    Created,
    Failure,
    Row,
    Run,
    Target,
    clean_up,
    dump,
    new_prefix,
    recorded_where,
)
from . import lifecycle_scenarios, studio_scenarios  # noqa: F401  (register theirs)
from .scenarios import SCENARIOS, Scenario

if TYPE_CHECKING:
    import boto3  # for the annotation; mock_target imports it when it runs

MOCK_REGION = "us-east-1"
MOCK_ACCOUNT = "123456789012"
MOCK_ROLE_ARN = f"arn:aws:iam::{MOCK_ACCOUNT}:role/conformance"
MOCK_BASE_IMAGE = f"{MOCK_ACCOUNT}.dkr.ecr.{MOCK_REGION}.amazonaws.com/conformance:1.0"

EXTRA = 'pip install "moto-sagemaker-imgver[conformance]"'

__all__ = ["EXTRA", "SCENARIOS", "Failure", "SnapshotError", "Target", "compare", "compare_file",
           "load_snapshot", "mock_target", "record", "render", "run_scenarios", "selected",
           "snapshot_of", "snapshots_in"]


class SnapshotError(Exception):
    """A snapshot file (or directory of them) that cannot be read as one: its path and why."""


def selected(names: Sequence[str] | None) -> list[Scenario]:
    unknown = sorted(set(names or ()) - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(unknown)}")
    return [SCENARIOS[name] for name in names] if names else list(SCENARIOS.values())


_mock_session: boto3.Session | None = None


@contextmanager
def mock_target() -> Iterator[Target]:
    """The mock, in-process, with a fresh moto state."""
    global _mock_session
    import boto3
    from botocore.config import Config
    from moto import mock_aws

    import moto_sagemaker_imgver  # noqa: F401 - installs the operations into moto

    with mock_aws():
        # One session for every mock run: botocore then reads SageMaker's large model once.
        _mock_session = _mock_session or boto3.Session(region_name=MOCK_REGION)
        yield Target("mock", _mock_session.client("sagemaker"),
                     _mock_session.client("sagemaker", config=Config(parameter_validation=False)),
                     MOCK_ROLE_ARN, MOCK_BASE_IMAGE, MOCK_REGION,
                     vpc_id=MOCK_VPC_ID, subnet_ids=MOCK_SUBNET_IDS)


Done = Callable[[str, list[dict[str, Any]]], None]


def run_scenarios(scenarios: Sequence[Scenario], target: Target | None = None,
                  prefix: str | None = None, out: TextIO | None = None,
                  done: Done | None = None) -> dict[str, list[dict[str, Any]]]:
    """Run scenarios; their normalised calls by name (each also given to `done` when it ends).

    With no target, each runs on a fresh mock. On a given target, whatever a scenario created is
    deleted when it ends, also when it fails or is interrupted (the error then goes on up).
    """
    prefix = prefix or new_prefix()
    out = out or sys.stderr
    results: dict[str, list[dict[str, Any]]] = {}
    for index, scenario in enumerate(scenarios):
        scenario_prefix = f"{prefix}{index:02d}"
        if target is None:
            with mock_target() as mock:
                results[scenario.name] = _run_one(scenario, mock, scenario_prefix)
        elif scenario.mock_only and target.name != "mock":
            print(f"skipped {scenario.name}: it needs statuses only the mock can hold", file=out)
            continue
        else:
            print(f"running {scenario.name}", file=out)
            created = Created()
            try:
                results[scenario.name] = _run_one(scenario, target, scenario_prefix, created)
            finally:
                _delete(target, created, out)
        if done is not None:
            done(scenario.name, results[scenario.name])
    return results


def _delete(target: Target, created: Created, out: TextIO) -> None:
    left: list[str] = []
    try:
        left = clean_up(target.client, created, target.poll_delay)
    except KeyboardInterrupt:
        left = created.labels()
        print("interrupted while deleting", file=out)
        raise
    finally:
        if left:
            print(f"could not delete, please delete by hand: {', '.join(left)}", file=out)


def _run_one(scenario: Scenario, target: Target, prefix: str,
             created: Created | None = None) -> list[dict[str, Any]]:
    from .matching import normalise

    run = Run(target, prefix, created or Created())
    scenario.steps(run)
    return normalise(run.calls, target, prefix)


def snapshot_of(scenario: Scenario, calls: list[dict[str, Any]], where: dict[str, str],
                known: dict[str, str] | None = None) -> dict[str, Any]:
    snapshot: dict[str, Any] = {"scenario": scenario.name, "settles": scenario.settles,
                                "recorded": where, "calls": calls}
    if known:
        snapshot["known_differences"] = known
    return snapshot


def record(scenarios: Sequence[Scenario], directory: Path, target: Target | None = None,
           prefix: str | None = None, out: TextIO | None = None) -> list[Path]:
    """Write one snapshot per scenario. A mock recording never replaces one made on AWS, and a
    snapshot's `known_differences` (written by hand) survive it being recorded again.

    An existing snapshot that cannot be read stops it before anything runs (SnapshotError)."""
    from . import matching  # noqa: F401 - fail before anything runs without the extra

    out = out or sys.stderr
    existing = {s.name: load_snapshot(directory / f"{s.name}.json") for s in scenarios
                if (directory / f"{s.name}.json").exists()}
    directory.mkdir(parents=True, exist_ok=True)
    if target is None:
        keep = [s for s in scenarios
                if existing.get(s.name, {}).get("recorded", {}).get("target") == "aws"]
        for scenario in keep:
            print(f"kept {scenario.name}.json: it was recorded on AWS", file=out)
        scenarios = [s for s in scenarios if s not in keep]
        where = {"target": "mock"}
    else:
        where = recorded_where(target)
    written = []

    def write(name: str, calls: list[dict[str, Any]]) -> None:
        path = directory / f"{name}.json"
        known = existing.get(name, {}).get("known_differences")
        path.write_text(dump(snapshot_of(SCENARIOS[name], calls, where, known)), encoding="utf-8")
        written.append(path)

    run_scenarios(scenarios, target, prefix, out, done=write)
    return written


def load_snapshot(path: Path) -> dict[str, Any]:
    """A snapshot as written by `record` (or edited by hand); SnapshotError if it is not one."""
    try:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SnapshotError(f"{path}: cannot be read ({error.strerror or error})") from None
    except ValueError as error:  # not UTF-8, or not JSON
        raise SnapshotError(f"{path}: not JSON ({error})") from None
    if not isinstance(snapshot, dict):
        raise SnapshotError(f"{path}: not a snapshot (a JSON object with \"calls\")")
    calls = snapshot.get("calls")
    if not isinstance(calls, list) or not all(
            isinstance(call, dict) and isinstance(call.get("call"), str) for call in calls):
        raise SnapshotError(f"{path}: \"calls\" must be a list of calls, each an object with "
                            "the operation's name in \"call\"")
    if not isinstance(snapshot.get("scenario", ""), str) or \
            not isinstance(snapshot.get("recorded", {}), dict):
        raise SnapshotError(f"{path}: \"scenario\" must be a name, \"recorded\" an object")
    known = snapshot.get("known_differences", {})
    if not isinstance(known, dict) or not all(
            isinstance(reason, str) for reason in known.values()):
        raise SnapshotError(f"{path}: \"known_differences\" must map call numbers to reasons")
    return snapshot


def snapshots_in(where: Path) -> list[Path]:
    """A snapshot file, or the snapshots (*.json) of a directory; SnapshotError if there are none."""
    if where.is_file():
        return [where]
    if not where.is_dir():
        raise SnapshotError(f"{where}: no such file or directory")
    paths = sorted(where.glob("*.json"))
    if not paths:
        raise SnapshotError(f"{where}: no snapshots (*.json) in it")
    return paths


def compare(where: Path) -> list[Row]:
    """Replay every snapshot's scenario on the mock; one row per call. Every file is read before
    anything runs, so a broken one is reported at once (SnapshotError)."""
    snapshots = [(path, load_snapshot(path)) for path in snapshots_in(where)]
    return [row for path, snapshot in snapshots for row in _compare(path, snapshot)]


def compare_file(path: Path) -> list[Row]:
    return _compare(path, load_snapshot(path))


def _compare(path: Path, snapshot: dict[str, Any]) -> list[Row]:
    from .matching import compare_calls

    name = snapshot.get("scenario", path.stem)
    if name not in SCENARIOS:
        return [Row(name, "-", "differ", f"{path.name}: no such scenario")]
    observed = run_scenarios([SCENARIOS[name]])[name]
    return list(compare_calls(name, snapshot["calls"], observed,
                              snapshot.get("known_differences") or {}))


def render(rows: Sequence[Row]) -> str:
    """The table `compare` prints: scenario, call, verdict, and the difference if any."""
    header = ("scenario", "call", "result")
    cells = [(row.scenario, row.call, row.verdict + (f": {row.difference}" if row.difference
                                                     else "")) for row in rows]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(2)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in [header, *cells]]
    failed = sum(row.verdict == "differ" for row in rows)
    lines.append(f"{len(rows)} calls, {failed} differ, "
                 f"{sum(row.verdict == 'known' for row in rows)} known differences")
    return "\n".join(lines)

