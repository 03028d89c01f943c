"""The walker: checks a request against its input shape, as AWS's front end does, and finds every
entry of AWS's message.

One generic walker over shapes, like botocore's own ``validate.py``, but for the constraints that
botocore leaves to the server (max length, max value, pattern, enum) as well as the ones it checks.
Each shape's checker is built once, the first time a request needs it. How entries are laid out:
- a scalar breaking its pattern and a length rule gives two entries, the pattern first, then
  length (max, then min);
- a list of scalars (strings, numbers, enums) with bad items is reported once, at the list: the
  whole list printed, good items included, and the item shape's rules in brackets, in the order
  max, min, pattern, enum (``Value '[ok, -bad]' at 'aliasesToAdd' failed to satisfy constraint:
  Member must satisfy constraint: [Member must have length ..., ...]``); a map of scalars the
  same way (``Map keys must ...``, ``Map value must satisfy constraint: [...]``); a list's or a
  map's own length rule is an ordinary entry at its path;
- items of a list of structures are walked with 1-based paths, ``tags.3.member.key``.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Iterable

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .messages import NOT_NULL, violation, wrong_type
from .model import ShapeKey, shape_key
from .rules import SCALARS, Rule, converter, range_rules, scalar_rules

# A checker validates one value at a JSON path, appends entries to `errors`, and returns the
# value as the domain wants it (timestamps become datetimes).
Checker = Callable[[Any, str, list[str]], Any]

_checkers: dict[ShapeKey, Checker] = {}
_building: dict[ShapeKey, Checker] = {}
_build_lock = threading.RLock()


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
    # botocore builds each container kind as its own class: the type name and the class agree.
    if isinstance(shape, StructureShape):
        return _structure_checker(shape)
    if isinstance(shape, ListShape):
        return _list_checker(shape)
    if isinstance(shape, MapShape):
        return _map_checker(shape)
    if shape.type_name in SCALARS:
        convert, rules = converter(shape), scalar_rules(shape, pattern_first=True)

        def check(value: Any, path: str, errors: list[str]) -> Any:
            value = convert(value)
            for rule in rules:
                if not rule.keeps(value):
                    errors.append(violation(value, path, rule.text, shape))
            return value

        return check
    return lambda value, path, errors: value  # documents and unknown kinds: taken as given


# Checks the scalars of one list or map together: returns them converted, and the bracketed
# constraint when any breaks a rule (None when all keep them).
ScalarsCheck = Callable[[Iterable[Any]], tuple[list[Any], "str | None"]]


def _scalars_check(shape: Shape, head: str, null_is_a_rule: bool) -> ScalarsCheck:
    """`null_is_a_rule`: a null item adds `Member must not be null` to the brackets (maps, as
    observed). Otherwise ([chosen], lists: AWS services differ) the brackets never say it, and a
    null item breaks the item's rules like a bad value, printed `null` in its place; only an
    item shape with no rule to list gets `Member must not be null` alone."""
    convert, rules = converter(shape), scalar_rules(shape)
    texts = [rule.text for rule in rules]

    def check(items: Iterable[Any]) -> tuple[list[Any], str | None]:
        converted = [None if item is None else convert(item) for item in items]
        null_seen = None in converted
        broken = null_seen or any(not rule.keeps(item) for item in converted for rule in rules)
        if not broken:
            return converted, None
        shown = texts + ([NOT_NULL] if null_seen and (null_is_a_rule or not texts) else [])
        return converted, f"{head} must satisfy constraint: [{', '.join(shown)}]"

    return check


# --- containers --------------------------------------------------------------------------------

def _structure_checker(shape: StructureShape) -> Checker:
    required = set(shape.required_members)
    members = [(name, name[:1].lower() + name[1:], name in required, checker_for(member))
               for name, member in shape.members.items()]

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            raise wrong_type(value, "structure")
        parsed: dict[str, Any] = {}
        prefix = f"{path}." if path else ""
        # [chosen] Entries follow the shape's member order (AWS's own order is not known).
        for name, camel, is_required, member_check in members:
            member_value = value.get(name)
            if member_value is None:  # Coral reads null as absent
                if is_required:
                    errors.append(violation(None, prefix + camel, NOT_NULL))
                continue
            parsed[name] = member_check(member_value, prefix + camel, errors)
        return parsed

    return check


def _list_checker(shape: ListShape) -> Checker:
    own = range_rules(shape, "length")
    member = shape.member
    if member.type_name in SCALARS:
        items_check = _scalars_check(member, "Member", null_is_a_rule=False)

        def check_scalars(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, list):
                raise wrong_type(value, "list")
            _own(own, value, path, errors, shape)  # [chosen] the list's length rule first
            parsed, broken = items_check(value)
            if broken:  # one entry for the whole list, however many items are bad
                errors.append(violation(value, path, broken, shape))
            return [item for item in parsed if item is not None]

        return check_scalars
    item_check = checker_for(member)

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, list):
            raise wrong_type(value, "list")
        _own(own, value, path, errors, shape)
        parsed: list[Any] = []
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                errors.append(violation(None, item_path, NOT_NULL))
            else:
                parsed.append(item_check(item, item_path, errors))
        return parsed

    return check


def _map_checker(shape: MapShape) -> Checker:
    own = range_rules(shape, "length")
    keys_check = _scalars_check(shape.key, "Map keys", null_is_a_rule=True)
    value_shape = shape.value
    simple_values = value_shape.type_name in SCALARS
    if simple_values:
        values_check = _scalars_check(value_shape, "Map value", null_is_a_rule=True)
    else:
        value_check = checker_for(value_shape)

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            raise wrong_type(value, "map")
        _own(own, value, path, errors, shape)
        _, broken = keys_check(value)
        if broken:
            errors.append(violation(value, path, broken, shape))
        if simple_values:
            parsed, broken = values_check(value.values())
            if broken:
                errors.append(violation(value, path, broken, shape))
            return dict(zip(value, parsed))
        parsed_map: dict[str, Any] = {}
        for key, item in value.items():
            item_path = f"{path}.{key}.member"
            if item is None:
                errors.append(violation(None, item_path, NOT_NULL))
            else:
                parsed_map[key] = value_check(item, item_path, errors)
        return parsed_map

    return check


def _own(rules: list[Rule], value: Any, path: str, errors: list[str], shape: Shape) -> None:
    for rule in rules:
        if not rule.keeps(value):
            errors.append(violation(value, path, rule.text, shape))
