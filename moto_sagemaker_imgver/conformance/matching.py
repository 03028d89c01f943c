"""Masking and comparing outcomes, with `localstack-snapshot` (LocalStack's AWS-parity snapshot
library, the `conformance` extra): its transformers mask timestamps, tokens, ARNs' account and
region and the run's name prefix; its `SnapshotMatchResult` (DeepDiff) finds what differs. Its file
handling is not used: it stamps every recording with the time, and a mock recording must stay
byte-identical.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

# localstack-snapshot ships no types (no stubs, no py.typed): its names are Any here.
from localstack_snapshot.snapshots import SnapshotMatchResult  # type: ignore[import-untyped]
from localstack_snapshot.snapshots.transformer import (  # type: ignore[import-untyped]
    RegexTransformer,
    TextTransformer,
    TimestampTransformer,
    TransformContext,
)
from localstack_snapshot.snapshots.transformer_utility import (  # type: ignore[import-untyped]
    TransformerUtility,
)

from .runner import MOCK_SUBNET_IDS, MOCK_VPC_ID, Row, Target, repository_of


# --- normalising ---------------------------------------------------------------------------

def normalise(calls: list[dict[str, Any]], target: Target, prefix: str) -> list[dict[str, Any]]:
    """Outcomes with everything that differs between two runs of the same behaviour masked."""
    ordered = [_ordered(_network_masked(call, target)) for call in calls]
    repository = repository_of(target.base_image)
    transformers = [
        TransformerUtility.key_value("NextToken"),
        TransformerUtility.key_value("ClientToken"),
        TimestampTransformer(),
        TextTransformer(target.role_arn, "<role-arn>"),
        TextTransformer(target.base_image, "<base-image>"),
        TextTransformer(repository, "<base-image-repository>"),
        RegexTransformer(r"sha256:[0-9a-f]{64}", "sha256:<digest>"),
        TextTransformer(target.region, "<region>"),
        RegexTransformer(r"(?<!\d)\d{12}(?!\d)", "<account-id>"),
        RegexTransformer(re.compile(re.escape(prefix), re.IGNORECASE), "<prefix>"),
    ]
    context = TransformContext()
    data: dict[str, Any] = {"calls": ordered}
    for transformer in transformers:
        data = transformer.transform(data, ctx=context)
    text = json.dumps(data["calls"], default=str)
    for replace in context.serialized_replacements:
        text = replace(text)
    masked: list[dict[str, Any]] = json.loads(text)
    return masked


def _network_masked(value: Any, target: Target) -> Any:
    """The VPC and subnets a run was given, as the mock's: an AWS recording then compares."""
    subnets = set(target.subnet_ids)
    if isinstance(value, str):
        if value == target.vpc_id:
            return MOCK_VPC_ID
        return MOCK_SUBNET_IDS[0] if value in subnets else value
    if isinstance(value, list):
        if subnets and value and all(isinstance(item, str) for item in value) \
                and set(value) == subnets:
            return list(MOCK_SUBNET_IDS)
        return [_network_masked(item, target) for item in value]
    if isinstance(value, dict):
        return {key: _network_masked(item, target) for key, item in value.items()}
    return value


def _ordered(value: Any) -> Any:
    """Response keys sorted, so key order never shows up as a difference."""
    if isinstance(value, dict):
        return {key: _ordered(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


# --- comparing -----------------------------------------------------------------------------

def compare_calls(scenario: str, recorded: list[dict[str, Any]], observed: list[dict[str, Any]],
                  known: dict[str, str]) -> Iterator[Row]:
    """One row per call: the recording against the mock's replay."""
    for index in range(max(len(recorded), len(observed))):
        label = f"{index + 1} " + (recorded[index] if index < len(recorded)
                                   else observed[index])["call"]
        if index >= len(recorded):
            difference = "the mock made a call the recording does not have"
        elif index >= len(observed):
            difference = "the recording has a call the mock did not make"
        else:
            result = SnapshotMatchResult(recorded[index], observed[index])
            if result:
                yield Row(scenario, label, "match")
                continue
            difference = describe_difference(result)
        reason = known.get(str(index + 1))
        if reason is not None:
            yield Row(scenario, label, "known", f"{difference} (why: {reason})")
        else:
            yield Row(scenario, label, "differ", difference)


def describe_difference(result: SnapshotMatchResult) -> str:
    """DeepDiff's changes, one per `;`: path, recorded value, mock's value."""
    parts = []
    for changes in result.result.tree.values():
        for change in changes:
            path = "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                           for step in change.path(output_format="list")).lstrip(".")
            recorded = "(absent)" if _absent(change.t1) else repr(change.t1)
            mock = "(absent)" if _absent(change.t2) else repr(change.t2)
            parts.append(f"{path}: recorded {recorded}, mock {mock}")
    return "; ".join(sorted(parts))


def _absent(value: Any) -> bool:
    return type(value).__name__ == "NotPresent"
