"""A conformance kit: the same scenarios against real AWS and the mock, recorded and diffed.

`python -m moto_sagemaker_imgver.conformance list | record | compare` (see README, "Conformance").
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TextIO

from .runner import (
    Created,
    Failure,
    Row,
    Run,
    Target,
    clean_up,
    compare_calls,
    dump,
    new_prefix,
    normalise,
    recorded_where,
)
from .scenarios import SCENARIOS, Scenario

MOCK_REGION = "us-east-1"
MOCK_ACCOUNT = "123456789012"
MOCK_ROLE_ARN = f"arn:aws:iam::{MOCK_ACCOUNT}:role/conformance"
MOCK_BASE_IMAGE = f"{MOCK_ACCOUNT}.dkr.ecr.{MOCK_REGION}.amazonaws.com/conformance:1.0"

__all__ = ["SCENARIOS", "Failure", "Target", "compare", "compare_file", "mock_target", "record",
           "render", "run_scenarios", "selected", "snapshot_of"]


def selected(names: Sequence[str] | None) -> list[Scenario]:
    unknown = sorted(set(names or ()) - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(unknown)}")
    return [SCENARIOS[name] for name in names] if names else list(SCENARIOS.values())


_mock_session: Any = None


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
                     MOCK_ROLE_ARN, MOCK_BASE_IMAGE, MOCK_REGION)


Done = Callable[[str, list[dict]], None]


def run_scenarios(scenarios: Sequence[Scenario], target: Target | None = None,
                  prefix: str | None = None, out: TextIO | None = None,
                  done: Done | None = None) -> dict[str, list[dict]]:
    """Run scenarios; their normalised calls by name (each also given to `done` when it ends).

    With no target, each runs on a fresh mock. On a given target, whatever a scenario created is
    deleted when it ends, also when it fails or is interrupted (the error then goes on up).
    """
    prefix = prefix or new_prefix()
    out = out or sys.stderr
    results: dict[str, list[dict]] = {}
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
        left = created.app_image_configs + created.images
        print("interrupted while deleting", file=out)
        raise
    finally:
        if left:
            print(f"could not delete, please delete by hand: {', '.join(left)}", file=out)


def _run_one(scenario: Scenario, target: Target, prefix: str,
             created: Created | None = None) -> list[dict]:
    run = Run(target, prefix, created or Created())
    scenario.steps(run)
    return normalise(run.calls, target, prefix)


def snapshot_of(scenario: Scenario, calls: list[dict], where: dict[str, str],
                known: dict[str, str] | None = None) -> dict[str, Any]:
    snapshot: dict[str, Any] = {"scenario": scenario.name, "settles": scenario.settles,
                                "recorded": where, "calls": calls}
    if known:
        snapshot["known_differences"] = known
    return snapshot


def record(scenarios: Sequence[Scenario], directory: Path, target: Target | None = None,
           prefix: str | None = None, out: TextIO | None = None) -> list[Path]:
    """Write one snapshot per scenario. A mock recording never replaces one made on AWS."""
    out = out or sys.stderr
    directory.mkdir(parents=True, exist_ok=True)
    if target is None:
        keep = [s for s in scenarios if _recorded_on(directory / f"{s.name}.json") == "aws"]
        for scenario in keep:
            print(f"kept {scenario.name}.json: it was recorded on AWS", file=out)
        scenarios = [s for s in scenarios if s not in keep]
        where = {"target": "mock"}
    else:
        where = recorded_where(target)
    written = []

    def write(name: str, calls: list[dict]) -> None:
        path = directory / f"{name}.json"
        known = _load(path).get("known_differences") if target is not None else None
        path.write_text(dump(snapshot_of(SCENARIOS[name], calls, where, known)), encoding="utf-8")
        written.append(path)

    run_scenarios(scenarios, target, prefix, out, done=write)
    return written


def _load(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _recorded_on(path: Path) -> str | None:
    return _load(path).get("recorded", {}).get("target")


def compare(directory: Path) -> list[Row]:
    """Replay every snapshot's scenario on the mock; one row per call."""
    return [row for path in sorted(directory.glob("*.json")) for row in compare_file(path)]


def compare_file(path: Path) -> list[Row]:
    snapshot = _load(path)
    name = snapshot.get("scenario", path.stem)
    if name not in SCENARIOS:
        return [Row(name, "-", "differ", f"{path.name}: no such scenario")]
    observed = run_scenarios([SCENARIOS[name]])[name]
    return list(compare_calls(name, snapshot.get("calls", []), observed,
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

