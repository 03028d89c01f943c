"""Checks a request against its input shape in botocore's SageMaker model, as AWS's front end does.

One generic walker over shapes, like botocore's own ``validate.py``, but for the constraints that
botocore leaves to the server (max length, max value, pattern, enum) as well as the ones it checks.
Each shape's checks are built once, the first time a request needs them.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Callable, Pattern

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel, Shape

from .exceptions import SerializationException, ValidationException

# A checker validates one value at a JSON path, appends messages to `errors`, and returns the
# value as the domain wants it (timestamps become datetimes).
Checker = Callable[[Any, str, list], Any]


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """botocore's SageMaker model, parsed on first use so importing the package stays cheap."""
    return ServiceModel(create_loader().load_service_model("sagemaker", "service-2"), "sagemaker")


@functools.lru_cache(maxsize=None)
def operation_model(operation: str) -> OperationModel:
    return service_model().operation_model(operation)


def validate_request(operation: str, body: Any) -> dict[str, Any]:
    """Return the request's members (timestamps parsed), or raise AWS's error for it."""
    if not isinstance(body, dict):
        raise SerializationException("The request body must be a JSON object.")
    shape = operation_model(operation).input_shape
    if shape is None:
        return {}
    errors: list[str] = []
    parsed = _checker_for(shape)(body, "", errors)
    if errors:
        count = len(errors)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(errors))
    return parsed


def aws_printed_pattern(pattern: str) -> str:
    """The pattern as AWS's messages and API reference print it. botocore strips its anchors.

    [chosen] Add `^` unless the pattern already anchors itself, and `$` unless it already has one;
    `.*` is printed bare, as the API reference prints it.
    """
    if pattern == ".*":
        return pattern
    head = "" if "^" in pattern else "^"
    tail = "" if "$" in pattern else "$"
    return f"{head}{pattern}{tail}"


def violation(value: Any, path: str, rule: str) -> str:
    return f"Value {_java_repr(value)} at '{path}' failed to satisfy constraint: Member must {rule}"


def _java_repr(value: Any) -> str:
    if value is None:
        return "null"
    return f"'{_java_str(value)}'"


def _java_str(value: Any) -> str:
    # AWS prints values as Java's toString does: [a, b] for lists, {k=v} for maps.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_java_str(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_java_str(v)}" for k, v in value.items()) + "}"
    return str(value)


def _member_path(parent: str, member: str) -> str:
    name = member[:1].lower() + member[1:]
    return f"{parent}.{name}" if parent else name


_checkers: dict[str, Checker] = {}


def _checker_for(shape: Shape) -> Checker:
    key = shape.name
    if key not in _checkers:
        # A placeholder first, so recursive shapes refer to the finished checker.
        _checkers[key] = lambda value, path, errors: _checkers[key](value, path, errors)
        _checkers[key] = _build_checker(shape)
    return _checkers[key]


def _build_checker(shape: Shape) -> Checker:
    builder = _BUILDERS.get(shape.type_name)
    if builder is None:
        return lambda value, path, errors: value
    return builder(shape)


def _wrong_type(path: str, expected: str) -> SerializationException:
    where = f" at '{path}'" if path else ""
    return SerializationException(f"Expected {expected}{where}.")


def _range_rules(shape: Shape, measure: str) -> list[Callable[[Any], str | None]]:
    """Rules for `min`/`max` of a length (strings, lists, maps) or of a value (numbers)."""
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    size: Callable[[Any], Any] = len if measure == "length" else (lambda v: v)
    rules = []
    if high is not None:
        rules.append(lambda v: None if size(v) <= high else f"have {measure} less than or equal to {high}")
    if low is not None:
        rules.append(lambda v: None if size(v) >= low else f"have {measure} greater than or equal to {low}")
    return rules


def _compile(pattern: str) -> Pattern[str]:
    if "\\p{" in pattern:
        import regex  # knows \p{L}, \p{Z}, \p{N}; only a few tag shapes need it

        return regex.compile(pattern)  # type: ignore[no-any-return]
    return re.compile(pattern)


def _string_checker(shape: Shape) -> Checker:
    rules = _range_rules(shape, "length")
    pattern = shape.metadata.get("pattern")
    if pattern is not None:
        compiled = _compile(pattern)
        printed = f"satisfy regular expression pattern: {aws_printed_pattern(pattern)}"
        rules.append(lambda v: None if compiled.fullmatch(v) else printed)
    enum = shape.metadata.get("enum")
    if enum:
        allowed = frozenset(enum)
        printed_enum = "satisfy enum value set: [" + ", ".join(enum) + "]"
        rules.append(lambda v: None if v in allowed else printed_enum)

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, str):
            raise _wrong_type(path, "a string")
        for rule in rules:
            broken = rule(value)
            if broken:
                errors.append(violation(value, path, broken))
        return value

    return check


def _number_checker(shape: Shape) -> Checker:
    rules = _range_rules(shape, "value")
    whole = shape.type_name in ("integer", "long")

    def check(value: Any, path: str, errors: list) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong_type(path, "a number")
        if whole and not float(value).is_integer():
            raise _wrong_type(path, "a whole number")
        if whole:
            value = int(value)
        for rule in rules:
            broken = rule(value)
            if broken:
                errors.append(violation(value, path, broken))
        return value

    return check


def _boolean_checker(shape: Shape) -> Checker:
    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, bool):
            raise _wrong_type(path, "a boolean")
        return value

    return check


def _timestamp_checker(shape: Shape) -> Checker:
    def check(value: Any, path: str, errors: list) -> Any:
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, (int, float)):
                moment = dt.datetime.fromtimestamp(value, dt.timezone.utc)
            elif isinstance(value, str):
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            else:
                raise ValueError
            # Naive UTC, as moto's clock (moto.core.utils.utcnow) keeps time.
            if moment.tzinfo:
                moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return moment
        except (ValueError, OverflowError, OSError):
            pass
        raise _wrong_type(path, "a timestamp")

    return check


def _structure_checker(shape: Shape) -> Checker:
    members = list(shape.members.items())
    required = set(shape.required_members)

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, dict):
            raise _wrong_type(path, "an object")
        parsed = {}
        for name, member_shape in members:
            member_path = _member_path(path, name)
            member_value = value.get(name)
            if member_value is None:
                if name in required:
                    errors.append(violation(None, member_path, "not be null"))
                continue
            parsed[name] = _checker_for(member_shape)(member_value, member_path, errors)
        return parsed

    return check


def _list_checker(shape: Shape) -> Checker:
    rules = _range_rules(shape, "length")

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, list):
            raise _wrong_type(path, "a list")
        item = _checker_for(shape.member)
        parsed = [
            None if entry is None else item(entry, f"{path}.{index}.member", errors)
            for index, entry in enumerate(value, start=1)
        ]
        for rule in rules:
            broken = rule(value)
            if broken:
                errors.append(violation(value, path, broken))
        return parsed

    return check


def _map_checker(shape: Shape) -> Checker:
    rules = _range_rules(shape, "length")

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, dict):
            raise _wrong_type(path, "an object")
        key_check, value_check = _checker_for(shape.key), _checker_for(shape.value)
        parsed = {}
        for key, entry in value.items():
            key_check(key, f"{path}.{key}.member.key", errors)
            parsed[key] = value_check(entry, f"{path}.{key}.member.value", errors)
        for rule in rules:
            broken = rule(value)
            if broken:
                errors.append(violation(value, path, broken))
        return parsed

    return check


_BUILDERS: dict[str, Callable[[Shape], Checker]] = {
    "string": _string_checker,
    "integer": _number_checker,
    "long": _number_checker,
    "float": _number_checker,
    "double": _number_checker,
    "boolean": _boolean_checker,
    "timestamp": _timestamp_checker,
    "structure": _structure_checker,
    "list": _list_checker,
    "map": _map_checker,
}
