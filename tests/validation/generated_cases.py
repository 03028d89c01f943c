"""The cases of tests/validation/test_validation.py, generated from botocore's model: a valid value
for every shape, and a request of every served operation with one constraint broken (the member's
path, the rule, AWS's words for it). Shared with the property tests."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.model import Shape

from support import ACCOUNT, REGION, ROLE_ARN, UNVALIDATED, shared_session
from moto import mock_aws
from moto_sagemaker_imgver import validation
from moto_sagemaker_imgver.families import routed_operations
from moto_sagemaker_imgver.validation import messages
from moto_sagemaker_imgver.validation.rules import SCALARS

try:  # the parser behind `re`, used to write the shortest string a pattern accepts
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]

IMAGE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/my-image"
# Members whose value decides where a request goes, not whether it is valid.
ROUTING_VALUES = {"ResourceArn": IMAGE_ARN, "RoleArn": ROLE_ARN}
NUMBERS = ("integer", "long", "float", "double")
COUNT_LINE = re.compile(r"^(\d+) validation errors? detected: (.*)$", re.DOTALL)



# --- values from the model -----------------------------------------------------------------------

def shortest_match(pattern: str, grow: int = 0) -> str | None:
    """A string the pattern accepts: each repeat taken `grow` times more than its minimum."""
    # `regex`-only classes, close enough for writing a sample (the validator checks it after).
    source = pattern.replace("\\p{L}", "a-zA-Z").replace("\\p{N}", "0-9").replace("\\p{Z}", " ")
    source = source.replace("\\p{Alnum}", "a-zA-Z0-9")
    try:
        parsed = sre_parse.parse(source)
    except re.error:
        return None
    return _spell(parsed, grow)


def _spell(items: Any, grow: int) -> str:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("b" if chr(arg) == "a" else "a")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class_member(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = arg
            count = low + grow if high == sre_parse.MAXREPEAT else min(high, low + grow)
            out.append(_spell(body, grow) * count)
        elif name == "SUBPATTERN":
            out.append(_spell(arg[-1], grow))
        elif name == "ATOMIC_GROUP":
            out.append(_spell(arg, grow))
        elif name == "BRANCH":
            out.append(_spell(arg[1][0], grow))
    return "".join(out)


def _class_member(items: Any) -> str:
    negated = any(str(op) == "NEGATE" for op, _ in items)
    if negated:
        banned = {chr(arg) for op, arg in items if str(op) == "LITERAL"}
        return next(c for c in "a0_-" if c not in banned)
    op, arg = next((op, arg) for op, arg in items if str(op) != "NEGATE")
    if str(op) == "LITERAL":
        return chr(arg)
    if str(op) == "RANGE":
        return chr(arg[0])
    return {"CATEGORY_DIGIT": "0", "CATEGORY_SPACE": " "}.get(str(arg), "a")


def _bounds(shape: Shape) -> tuple[int, float]:
    return shape.metadata.get("min", 0), shape.metadata.get("max", float("inf"))


def _accepts(shape: Shape, value: str) -> bool:
    low, high = _bounds(shape)
    pattern = shape.metadata.get("pattern")
    compiled = validation.compile_pattern(pattern) if pattern else None
    return low <= len(value) <= high and (compiled is None or compiled.fullmatch(value) is not None)


def valid_string(shape: Shape, name: str = "") -> str:
    if name in ROUTING_VALUES:
        return ROUTING_VALUES[name]
    if shape.metadata.get("enum"):
        return shape.metadata["enum"][0]
    low, _ = _bounds(shape)
    pattern = shape.metadata.get("pattern")
    for grow in (0, 1, 2, 8, 32, max(low - 1, 0)):
        candidate = shortest_match(pattern, grow) if pattern else "a" * max(low, 1)
        if candidate is not None and _accepts(shape, candidate):
            return candidate
    raise AssertionError(f"no valid sample for {shape.name} ({pattern!r}); teach shortest_match")


def valid_value(shape: Shape, name: str = "") -> Any:
    """A value of the shape that breaks nothing: required members only, one item per list."""
    kind = shape.type_name
    if kind == "structure":
        return {member: valid_value(shape.members[member], member)
                for member in shape.required_members}
    if kind == "list":
        return [valid_value(shape.member)] * max(shape.metadata.get("min", 0), 1)
    if kind == "map":
        return {valid_string(shape.key): valid_value(shape.value)}
    if kind in NUMBERS:
        low = shape.metadata.get("min", 1)
        return max(low, min(1, shape.metadata.get("max", 1)))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000
    return valid_string(shape, name)


# --- breaking one rule ----------------------------------------------------------------------------

def scalar_rules(shape: Shape) -> list[str]:
    """The shape's rules in AWS's words, in AWS's order (max, min, pattern, enum)."""
    measure = "value" if shape.type_name in NUMBERS else "length"
    rules = []
    if "max" in shape.metadata:
        rules.append(f"Member must have {measure} less than or equal to {shape.metadata['max']}")
    if "min" in shape.metadata:
        rules.append(f"Member must have {measure} greater than or equal to {shape.metadata['min']}")
    if "pattern" in shape.metadata:
        printed = messages.aws_printed_pattern(shape.metadata["pattern"])
        rules.append(f"Member must satisfy regular expression pattern: {printed}")
    if shape.metadata.get("enum"):
        rules.append("Member must satisfy enum value set: [" + ", ".join(shape.metadata["enum"]) + "]")
    return rules


def scalar_breakers(shape: Shape) -> Iterator[tuple[str, str, Any]]:
    """(rule kind, rule text, a value breaking it) for each rule a value can break."""
    low, high = _bounds(shape)
    if shape.type_name in NUMBERS:
        if high != float("inf"):
            yield "max", f"Member must have value less than or equal to {high}", high + 1
        if low > 0 or "min" in shape.metadata:
            yield "min", f"Member must have value greater than or equal to {low}", low - 1
        return
    if shape.type_name != "string":
        return
    pattern = shape.metadata.get("pattern")
    if high != float("inf"):
        long = shortest_match(pattern, int(high) + 1) if pattern else None
        if not long or len(long) <= high:
            long = "a" * (int(high) + 1)
        yield "max", f"Member must have length less than or equal to {high}", long
    if low > 0:
        yield "min", f"Member must have length greater than or equal to {low}", "a" * (low - 1)
    if pattern is not None:
        compiled = validation.compile_pattern(pattern)
        for char in "*!\n -":
            wrong = char * max(low, 1)
            if len(wrong) <= high and not compiled.fullmatch(wrong):
                printed = messages.aws_printed_pattern(pattern)
                yield "pattern", f"Member must satisfy regular expression pattern: {printed}", wrong
                break
    if shape.metadata.get("enum"):
        yield "enum", scalar_rules(shape)[-1], "NOT_" + shape.metadata["enum"][0] + "_X"


def bracket(head: str, shape: Shape) -> str:
    return f"{head} must satisfy constraint: [{', '.join(scalar_rules(shape))}]"


@dataclass
class Case:
    operation: str
    params: dict
    path: str
    rule: str
    kind: str

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.path}-{self.kind}"


Put = Callable[[Any], dict]


def cases_in_structure(operation: str, shape: Shape, put: Put, path: str) -> Iterator[Case]:
    base = valid_value(shape)
    for name, member in shape.members.items():
        member_path = f"{path}.{name[:1].lower()}{name[1:]}" if path else name[:1].lower() + name[1:]

        def put_member(value: Any, name: str = name, member: Shape = member) -> dict:
            if value is None:
                rest = {key: item for key, item in base.items() if key != name}
                # boto3 fills an absent idempotency token; an explicit null it sends as is.
                return put(rest | {name: None} if member.metadata.get("idempotencyToken") else rest)
            return put({**base, name: value})

        if name in shape.required_members:
            yield Case(operation, put_member(None), member_path, "Member must not be null", "required")
        yield from cases_in_value(operation, member, put_member, member_path)


def cases_in_value(operation: str, shape: Shape, put: Put, path: str) -> Iterator[Case]:
    kind = shape.type_name
    if kind in SCALARS:
        for rule_kind, rule, wrong in scalar_breakers(shape):
            yield Case(operation, put(wrong), path, rule, rule_kind)
    elif kind == "structure":
        yield from cases_in_structure(operation, shape, put, path)
    elif kind in ("list", "map"):
        item_shape = shape.member if kind == "list" else shape.value
        one = valid_value(item_shape)
        low, high = _bounds(shape)
        make = (lambda n: [one] * n) if kind == "list" else (
            lambda n: {f"k{i}": one for i in range(n)})
        if high != float("inf"):
            yield Case(operation, put(make(int(high) + 1)), path,
                       f"Member must have length less than or equal to {high}", "max")
        if low > 0:
            yield Case(operation, put(make(low - 1)), path,
                       f"Member must have length greater than or equal to {low}", "min")
        if kind == "map":
            for rule_kind, _, wrong in scalar_breakers(shape.key):
                yield Case(operation, put({wrong: one}), path, bracket("Map keys", shape.key),
                           f"key-{rule_kind}")
        if item_shape.type_name in SCALARS:
            # One entry at the list or map, its item rules in brackets, the good items printed.
            head = "Map value" if kind == "map" else "Member"
            for rule_kind, _, wrong in scalar_breakers(item_shape):
                bad = {"k": wrong} if kind == "map" else [one, wrong] if high >= 2 else [wrong]
                yield Case(operation, put(bad), path, bracket(head, item_shape),
                           f"{'value' if kind == 'map' else 'item'}-{rule_kind}")
        else:
            item_path = f"{path}.1.member" if kind == "list" else f"{path}.k.member"
            wrap = (lambda v: put([v])) if kind == "list" else (lambda v: put({"k": v}))
            yield from cases_in_value(operation, item_shape, wrap, item_path)


def input_shape(operation: str) -> Shape:
    return validation.operation_model(operation).input_shape


OPERATIONS = sorted(routed_operations())
CASES = [case for operation in OPERATIONS
         for case in cases_in_structure(operation, input_shape(operation), lambda v: v, "")]


def entries_of(message: str) -> list[str]:
    match = COUNT_LINE.match(message)
    assert match, message
    entries = match.group(2).split("; ")
    assert len(entries) == int(match.group(1)), message
    return entries


def call(client: Any, operation: str, params: dict) -> ClientError:
    with pytest.raises(ClientError) as caught:
        getattr(client, xform_name(operation))(**params)
    return caught.value


def send_document(client: Any, operation: str, document: Any) -> ClientError:
    """Send this JSON body (or these bytes) as the operation's request: boto3's serializer would
    reshape a value of the wrong type (a string for a list becomes a list of characters)."""
    event = f"before-sign.sagemaker.{operation}"
    body = document if isinstance(document, bytes) else json.dumps(document).encode()

    def replace(request: Any, **_: Any) -> None:
        request.data = body

    client.meta.events.register(event, replace, unique_id="send-document")
    try:
        return call(client, operation, {})
    finally:
        client.meta.events.unregister(event, unique_id="send-document")


@pytest.fixture(scope="module")
def raw_client() -> Iterator[Any]:
    """`sm_raw`, shared by the module: every request here is rejected, so no state changes."""
    with mock_aws():
        yield shared_session().client("sagemaker", region_name=REGION, config=UNVALIDATED,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
