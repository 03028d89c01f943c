"""Checks a request against its input shape in botocore's SageMaker model, as AWS's front end does.

One generic walker over shapes, like botocore's own ``validate.py``, but for the constraints that
botocore leaves to the server (max length, max value, pattern, enum) as well as the ones it checks.
Each shape's checks are built once, the first time a request needs them; the model is parsed on
first use, so importing the package stays cheap.

The wording follows AWS's (Coral) front end as seen in real responses:
- a JSON value of the wrong type stops the request with a ``SerializationException`` in Coral's
  words (``NUMBER_VALUE can not be converted to a String``, ``Start of list found where not
  expected``, ...), which name the JSON type but not the member; a combination never observed
  gets a plain message of ours;
- every broken constraint becomes one entry ``Value '<v>' at '<path>' failed to satisfy
  constraint: Member must <rule>``; a scalar breaking its pattern and a length rule gives two
  entries, the pattern first, then length (max, then min);
- a list of scalars (strings, numbers, enums) with bad items is reported once, at the list: the
  whole list printed, good items included, and the item shape's rules in brackets, in the order
  max, min, pattern, enum (``Value '[ok, -bad]' at 'aliasesToAdd' failed to satisfy constraint:
  Member must satisfy constraint: [Member must have length ..., ...]``); a map of scalars the
  same way (``Map keys must ...``, ``Map value must satisfy constraint: [...]``); a list's or a
  map's own length rule is an ordinary entry at its path;
- items of a list of structures are walked with 1-based paths, ``tags.3.member.key``;
- every entry prints its value as Java does: ``[a, b]``, ``[]``, structures and maps as
  ``{Name: python3, DisplayName: Python 3}``; only a value holding a member botocore marks
  ``sensitive`` is hidden (``Value at '<path>'``). The printer keeps its own stack, so no value
  the JSON decoder accepts can exhaust Python's.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from typing import Any, Callable, Iterable, NamedTuple

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel, Shape

from .exceptions import SerializationException, ValidationException
from .patterns import compile_pattern

# A checker validates one value at a JSON path, appends entries to `errors`, and returns the
# value as the domain wants it (timestamps become datetimes).
Checker = Callable[[Any, str, list], Any]


class Rule(NamedTuple):
    """A rule of a value: `test` is a Python expression of `{v}` (the value) and `{c}` (the
    rule's constant), true when the value keeps the rule. It is the one source of the rule: the
    walker runs it as `keeps`, and `validity.py` writes it into its generated checks."""

    test: str
    constant: Any
    text: str  # "Member must ..."
    keeps: Callable[[Any], bool]


def _rule(test: str, constant: Any, text: str) -> Rule:
    keeps = eval(f"lambda v, c=c: {test.format(v='v', c='c')}", {"c": constant})  # noqa: S307
    return Rule(test, constant, text, keeps)


SCALARS = frozenset({"string", "integer", "long", "float", "double", "boolean", "timestamp",
                     "blob"})
# Scalars read as they come, when of this JSON type.
EXACT_TYPES = {"string": str, "blob": str, "boolean": bool}
# Java's int and long: Coral cannot read a number outside them.
_INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
# How Coral names the Java type in "<X>_VALUE can not be converted to <target>" (observed).
_TARGETS = {"string": "a String", "integer": "an Integer", "long": "a Long",
            "boolean": "an Boolean"}


@functools.lru_cache(maxsize=None)
def service_model(service: str = "sagemaker") -> ServiceModel:
    """botocore's model of a service, parsed on first use so importing the package stays cheap."""
    return ServiceModel(create_loader().load_service_model(service, "service-2"), service)


@functools.lru_cache(maxsize=None)
def operation_model(operation: str, service: str = "sagemaker") -> OperationModel:
    return service_model(service).operation_model(operation)


def model_patterns(service: str = "sagemaker") -> list[str]:
    """Every distinct pattern of the service's model."""
    model = service_model(service)
    return sorted({model.shape_for(name).metadata["pattern"] for name in model.shape_names
                   if "pattern" in model.shape_for(name).metadata})


def validate_request(operation: str, body: Any, service: str = "sagemaker") -> dict[str, Any]:
    """Return the request's members (timestamps parsed), or raise AWS's error for it."""
    if not isinstance(body, dict):
        raise SerializationException(
            _found_where_not_expected(body) or "The request body must be a JSON object."
        )
    shape = operation_model(operation, service).input_shape
    if shape is None:
        return {}
    errors: list[str] = []
    try:
        parsed = checker_for(shape)(body, "", errors)
    except RecursionError:  # a recursive shape (SearchExpression) nested past Python's stack
        raise SerializationException.unreadable_body() from None
    if errors:
        raise ValidationException(error_message(errors))
    return parsed


def member_is_valid(operation: str, member: str, value: Any) -> bool:
    """Whether one top-level member's value breaks nothing (type or constraint)."""
    errors: list[str] = []
    try:
        checker_for(operation_model(operation).input_shape.members[member])(value, member, errors)
    except SerializationException:
        return False
    return not errors


def error_message(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)


def aws_printed_pattern(pattern: str) -> str:
    """The pattern as AWS's messages and API reference print it. botocore strips its anchors.

    [chosen] Add `^` unless the pattern anchors itself somewhere, and `$` likewise; `.*` is
    printed bare, as the API reference prints it.
    """
    if pattern == ".*":
        return pattern
    bare = _outside_classes(pattern)
    head = "" if "^" in bare else "^"
    tail = "" if "$" in bare else "$"
    return f"{head}{pattern}{tail}"


def violation(value: Any, path: str, constraint: str, shape: Shape | None = None) -> str:
    """One entry of the message; `constraint` is the full "Member must ..." text; `shape` is
    the value's, which decides what is printed (None: the value as given)."""
    if value is None:
        shown = "Value null"
    elif shape is not None and _holds_sensitive(shape):
        shown = "Value"
    else:
        shown = f"Value '{java_str(value, shape)}'"
    return f"{shown} at '{path}' failed to satisfy constraint: {constraint}"


def java_str(value: Any, shape: Shape | None = None) -> str:
    """The value as AWS prints it: `[a, b]` for lists, as Java does, and
    `{Name: python3, DisplayName: Python 3}` for structures and maps ([chosen]: no full example is
    public); a structure's members as given, without the ones its shape does not know and the
    nulls, which Coral reads as absent.

    Iterative, so that a value nested as deep as the JSON decoder allows never exhausts the stack.
    [chosen] Printed in full at any depth (AWS's output for deep values is not known).
    """
    out: list[str] = []
    # Pieces still to print, last first: literal text, or a (value, shape) pair.
    pending: list[Any] = [(value, shape)]
    while pending:
        piece = pending.pop()
        if isinstance(piece, str):
            out.append(piece)
            continue
        value, shape = piece
        if isinstance(value, list):
            item_shape = shape.member if shape is not None and shape.type_name == "list" else None
            pending.append("]")
            _push_items(pending, [[(item, item_shape)] for item in value])
            pending.append("[")
        elif isinstance(value, dict):
            pending.append("}")
            _push_items(pending, _printed_members(value, shape))
            pending.append("{")
        elif value is None:
            out.append("null")
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        else:
            out.append(str(value))
    return "".join(out)


def _push_items(pending: list[Any], items: list[list[Any]]) -> None:
    """Push the items (each a list of pieces) so that they pop in order, `, ` between them."""
    for index in range(len(items) - 1, -1, -1):
        pending.extend(reversed(items[index]))
        if index:
            pending.append(", ")


def _printed_members(value: dict, shape: Shape | None) -> list[list[Any]]:
    if shape is not None and shape.type_name == "structure":
        members = shape.members
        return [[f"{name}: ", (item, members[name])] for name, item in value.items()
                if name in members and item is not None]
    value_shape = shape.value if shape is not None and shape.type_name == "map" else None
    # A map prints as Java's Map does (observed), a structure as Coral prints its members.
    return [[f"{key}=", (item, value_shape)] for key, item in value.items()]


# --- regular expressions ---------------------------------------------------------------------

def _scan(pattern: str) -> Iterable[tuple[str, bool]]:
    """Each piece of the pattern (an escape pair or one character), and whether it is in a class."""
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            yield pattern[index:index + 2], in_class
            index += 2
            continue
        if char == "[" and not in_class:
            yield char, False
            in_class = True
            index += 1
            # A leading `^` or `]` belongs to the class.
            for lead in ("^", "]"):
                if pattern.startswith(lead, index):
                    yield lead, True
                    index += 1
            continue
        if char == "]" and in_class:
            in_class = False
            yield char, False
            index += 1
            continue
        yield char, in_class
        index += 1


def _outside_classes(pattern: str) -> str:
    return "".join(piece for piece, in_class in _scan(pattern) if not in_class and len(piece) == 1)


# --- building checkers -------------------------------------------------------------------------

# Keyed by the model a shape comes from and its name: shape names are unique per service only.
ShapeKey = tuple[object, str]
_checkers: dict[ShapeKey, Checker] = {}
_building: dict[ShapeKey, Checker] = {}
_build_lock = threading.RLock()


def shape_key(shape: Shape) -> ShapeKey:
    # Every shape of one ServiceModel holds that model's resolver (compared by identity).
    return shape._shape_resolver, shape.name


def checker_for(shape: Shape) -> Checker:
    """The checker of a shape, built once (thread-safe; recursive shapes allowed)."""
    key = shape_key(shape)
    checker = _checkers.get(key)
    if checker is not None:
        return checker
    with _build_lock:
        checker = _checkers.get(key) or _building.get(key)
        if checker is None:
            # A recursive reference met while building calls the finished checker later.
            _building[key] = lambda value, path, errors: _checkers[key](value, path, errors)
            try:
                checker = _checkers[key] = _build(shape)
            finally:
                del _building[key]
        return checker


def _build(shape: Shape) -> Checker:
    kind = shape.type_name
    if kind == "structure":
        return _structure_checker(shape)
    if kind == "list":
        return _list_checker(shape)
    if kind == "map":
        return _map_checker(shape)
    if kind in SCALARS:
        convert, rules = converter(shape), scalar_rules(shape, pattern_first=True)

        def check(value: Any, path: str, errors: list) -> Any:
            value = convert(value)
            for rule in rules:
                if not rule.keeps(value):
                    errors.append(violation(value, path, rule.text, shape))
            return value

        return check
    return lambda value, path, errors: value  # documents and unknown kinds: taken as given


_sensitive: dict[ShapeKey, bool] = {}


def _holds_sensitive(shape: Shape) -> bool:
    """Whether a value of the shape may hold a member botocore marks sensitive.

    [chosen] Such a value is not printed at all (`Value at '<path>'`), not even its other parts.
    """
    known = _sensitive.get(shape_key(shape))
    if known is None:
        known = _sensitive[shape_key(shape)] = any(
            inner.metadata.get("sensitive") for inner in shapes_within(shape))
    return known


def shapes_within(shape: Shape) -> Iterable[Shape]:
    """The shape and every shape it reaches, each once (recursive shapes included)."""
    seen: set[str] = set()
    pending = [shape]
    while pending:
        current = pending.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        yield current
        if current.type_name == "structure":
            pending.extend(current.members.values())
        elif current.type_name == "list":
            pending.append(current.member)
        elif current.type_name == "map":
            pending.extend((current.key, current.value))


def range_rules(shape: Shape, measure: str) -> list[Rule]:
    """`max` then `min`, of a length (strings, lists, maps) or of a value (numbers)."""
    size = "len({v})" if measure == "length" else "{v}"
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    rules: list[Rule] = []
    if high is not None:
        rules.append(_rule(size + " <= {c}", high,
                           f"Member must have {measure} less than or equal to {high}"))
    if low is not None:
        rules.append(_rule(size + " >= {c}", low,
                           f"Member must have {measure} greater than or equal to {low}"))
    return rules


def scalar_rules(shape: Shape, pattern_first: bool = False) -> list[Rule]:
    """A scalar's rules: max, min, pattern, enum, as AWS lists them in brackets; or, for a
    scalar's own entries, the pattern first (as recent SageMaker answers order them)."""
    numeric = shape.type_name in ("integer", "long", "float", "double")
    rules = range_rules(shape, "value" if numeric else "length")
    pattern = shape.metadata.get("pattern")
    compiled = compile_pattern(pattern) if pattern is not None else None
    if compiled is not None:
        printed = aws_printed_pattern(pattern)
        rule = _rule("{c}({v}) is not None", compiled.fullmatch,
                     f"Member must satisfy regular expression pattern: {printed}")
        rules.insert(0 if pattern_first else len(rules), rule)
    enum = shape.metadata.get("enum")
    if enum:
        rules.append(_rule("{v} in {c}", frozenset(enum),
                           "Member must satisfy enum value set: [" + ", ".join(enum) + "]"))
    return rules


# Checks the scalars of one list or map together: returns them converted, and the bracketed
# constraint when any breaks a rule (None when all keep them).
ScalarsCheck = Callable[[Iterable[Any]], tuple[list, "str | None"]]


def _scalars_check(shape: Shape, head: str, null_is_a_rule: bool) -> ScalarsCheck:
    """`null_is_a_rule`: a null item adds `Member must not be null` to the brackets (maps, as
    observed). Otherwise ([chosen], lists: AWS services differ) the brackets never say it, and a
    null item breaks the item's rules like a bad value, printed `null` in its place; only an
    item shape with no rule to list gets `Member must not be null` alone."""
    convert, rules = converter(shape), scalar_rules(shape)
    texts = [rule.text for rule in rules]

    def check(items: Iterable[Any]) -> tuple[list, str | None]:
        converted = [None if item is None else convert(item) for item in items]
        null_seen = None in converted
        broken = null_seen or any(not rule.keeps(item) for item in converted for rule in rules)
        if not broken:
            return converted, None
        shown = texts + (["Member must not be null"] if null_seen and (null_is_a_rule or not texts)
                         else [])
        return converted, f"{head} must satisfy constraint: [{', '.join(shown)}]"

    return check


# --- wrong JSON types --------------------------------------------------------------------------

def _json_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    return None


def _found_where_not_expected(value: Any) -> str | None:
    if isinstance(value, list):
        return "Start of list found where not expected"
    if isinstance(value, dict):
        return "Start of structure or map found where not expected."
    return None


def _wrong_type(value: Any, kind: str) -> SerializationException:
    """Coral's words for a value of the wrong JSON type (observed). [chosen] Where AWS was never
    seen to answer: `The value can not be read as a <type>.`"""
    message = _found_where_not_expected(value)
    if message is None:
        if kind == "list":
            message = "Expected list or null"
        elif kind == "structure":
            message = "Expected null"
        elif kind in _TARGETS and _json_kind(value):
            message = f"{_json_kind(value)} can not be converted to {_TARGETS[kind]}"
    return SerializationException(message or f"The value can not be read as a {kind}.")


def converter(shape: Shape) -> Callable[[Any], Any]:
    kind = shape.type_name
    exact = EXACT_TYPES.get(kind)
    if exact is not None:
        def as_is(value: Any) -> Any:
            if not isinstance(value, exact):
                raise _wrong_type(value, kind)
            return value

        return as_is
    if kind == "timestamp":
        return _to_timestamp
    bounds = _INTEGER_RANGES.get(kind)

    def to_number(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong_type(value, kind)
        if bounds is not None:
            if isinstance(value, float):
                if not value.is_integer():
                    raise SerializationException(f"{value} can not be converted to {_TARGETS[kind]}")
                value = int(value)
            if not bounds[0] <= value <= bounds[1]:
                raise SerializationException(f"Numeric value ({value}) out of range of {_TARGETS[kind]}")
        elif value != value or value in (float("inf"), float("-inf")):
            raise SerializationException(f"{value} is not a finite number")
        return value

    return to_number


# [chosen] Besides epoch seconds (what botocore sends), RFC 3339's date-time; not the other
# forms Python's ISO reader takes (week dates, bare dates, basic format), which AWS refuses.
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?"
                        r"(?:[Zz]|([+-]\d{2}:\d{2}))", re.ASCII)


def _to_timestamp(value: Any) -> dt.datetime:
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, (int, float)):
            moment = dt.datetime.fromtimestamp(value, dt.timezone.utc)
        elif isinstance(value, str) and (parts := _DATE_TIME.fullmatch(value)):
            date, time, fraction, offset = parts.groups()
            moment = dt.datetime.fromisoformat(  # in the one form every Python reads
                f"{date}T{time}.{(fraction or '').ljust(6, '0')[:6]}{offset or '+00:00'}")
        else:
            raise ValueError
        # Naive UTC, as moto's clock (moto.core.utils.utcnow) keeps time.
        if moment.tzinfo:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise _wrong_type(value, "timestamp") from None
    return moment


# --- containers --------------------------------------------------------------------------------

def _structure_checker(shape: Shape) -> Checker:
    required = set(shape.required_members)
    members = [(name, name[:1].lower() + name[1:], name in required, checker_for(member))
               for name, member in shape.members.items()]

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, dict):
            raise _wrong_type(value, "structure")
        parsed = {}
        prefix = f"{path}." if path else ""
        # [chosen] Entries follow the shape's member order (AWS's own order is not known).
        for name, camel, is_required, member_check in members:
            member_value = value.get(name)
            if member_value is None:  # Coral reads null as absent
                if is_required:
                    errors.append(violation(None, prefix + camel, "Member must not be null"))
                continue
            parsed[name] = member_check(member_value, prefix + camel, errors)
        return parsed

    return check


def _list_checker(shape: Shape) -> Checker:
    own = range_rules(shape, "length")
    member = shape.member
    if member.type_name in SCALARS:
        items_check = _scalars_check(member, "Member", null_is_a_rule=False)

        def check_scalars(value: Any, path: str, errors: list) -> Any:
            if not isinstance(value, list):
                raise _wrong_type(value, "list")
            _own(own, value, path, errors, shape)  # [chosen] the list's length rule first
            parsed, broken = items_check(value)
            if broken:  # one entry for the whole list, however many items are bad
                errors.append(violation(value, path, broken, shape))
            return [item for item in parsed if item is not None]

        return check_scalars
    item_check = checker_for(member)

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, list):
            raise _wrong_type(value, "list")
        _own(own, value, path, errors, shape)
        parsed = []
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                errors.append(violation(None, item_path, "Member must not be null"))
            else:
                parsed.append(item_check(item, item_path, errors))
        return parsed

    return check


def _map_checker(shape: Shape) -> Checker:
    own = range_rules(shape, "length")
    keys_check = _scalars_check(shape.key, "Map keys", null_is_a_rule=True)
    value_shape = shape.value
    simple_values = value_shape.type_name in SCALARS
    if simple_values:
        values_check = _scalars_check(value_shape, "Map value", null_is_a_rule=True)
    else:
        value_check = checker_for(value_shape)

    def check(value: Any, path: str, errors: list) -> Any:
        if not isinstance(value, dict):
            raise _wrong_type(value, "map")
        _own(own, value, path, errors, shape)
        _, broken = keys_check(value)
        if broken:
            errors.append(violation(value, path, broken, shape))
        if simple_values:
            parsed, broken = values_check(value.values())
            if broken:
                errors.append(violation(value, path, broken, shape))
            return dict(zip(value, parsed))
        parsed_map = {}
        for key, item in value.items():
            item_path = f"{path}.{key}.member"
            if item is None:
                errors.append(violation(None, item_path, "Member must not be null"))
            else:
                parsed_map[key] = value_check(item, item_path, errors)
        return parsed_map

    return check


def _own(rules: list[Rule], value: Any, path: str, errors: list, shape: Shape) -> None:
    for rule in rules:
        if not rule.keeps(value):
            errors.append(violation(value, path, rule.text, shape))
