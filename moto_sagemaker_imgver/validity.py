"""Whether a request is valid, answered fast: one generated Python function per shape.

Most requests are valid, and a valid request needs no message, no paths and no parsed copy. So
before the walker of `validation.py` runs, a function written for the operation's input shape
answers yes or no, with the shape's rules inlined (`isinstance(x, str) and len(x) <= c3 and
...`). Only a request it says no to goes to the walker, which finds what to say. Both read the
same rules (`validation.Rule.test`), and a property test holds them to the same answer.
"""
from __future__ import annotations

import itertools
import threading
from typing import Any, Callable

from botocore.model import Shape

from .exceptions import SerializationException
from .validation import (EXACT_TYPES, SCALARS, Rule, ShapeKey, converter, operation_model,
                         range_rules, scalar_rules, shape_key, shapes_within, validate_request)

Predicate = Callable[[Any], bool]
# A length of at least 0 or less always holds; the walker keeps the rule for its messages.
_LENGTH_AT_LEAST = "len({v}) >= {c}"
CONTAINERS = ("structure", "list", "map")

_predicates: dict[ShapeKey, Predicate] = {}
_lock = threading.Lock()


def request_is_valid(operation: str, body: Any, service: str = "sagemaker") -> bool:
    """True when `validation.validate_request` would accept the body; False when it would raise."""
    if not isinstance(body, dict):
        return False
    shape = operation_model(operation, service).input_shape
    try:
        return shape is None or predicate_for(shape)(body)
    except RecursionError:
        return False  # the walker answers it


def check_request(operation: str, body: Any, service: str = "sagemaker") -> None:
    """Raise AWS's error for an invalid request, as `validation.validate_request` does; a valid
    one costs only the generated check."""
    if not request_is_valid(operation, body, service):
        validate_request(operation, body, service)


def predicate_for(shape: Shape) -> Predicate:
    """The generated check of a structure, list or map shape, written on first use."""
    predicate = _predicates.get(shape_key(shape))
    if predicate is None:
        with _lock:
            _write(shape)
        predicate = _predicates[shape_key(shape)]
    return predicate


def _write(root: Shape) -> None:
    """Write the functions of the root and of every container shape it reaches, still unwritten,
    into one namespace; recursive shapes call each other by name, and functions written earlier
    are called as constants."""
    writer = _Writer()
    unwritten: list[Shape] = []
    for shape in shapes_within(root):
        key = shape_key(shape)
        if key in _predicates:
            writer.name_of[key] = writer.constant(_predicates[key])
        elif shape.type_name in CONTAINERS:
            writer.name_of[key] = f"check_{len(unwritten)}"
            unwritten.append(shape)
    source = "\n".join(writer.function(shape) for shape in unwritten)
    exec(compile(source, f"<checks of {root.name}>", "exec"), writer.namespace)  # noqa: S102
    for shape in unwritten:
        _predicates[shape_key(shape)] = writer.namespace[writer.name_of[shape_key(shape)]]


class _Writer:
    """Writes the source of the checks; constants (patterns, enums, bounds, functions written
    earlier) go into the namespace the source runs in."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self.name_of: dict[ShapeKey, str] = {}
        self._names = itertools.count()

    def constant(self, value: Any) -> str:
        name = f"c{next(self._names)}"
        self.namespace[name] = value
        return name

    def function(self, shape: Shape) -> str:
        kind = shape.type_name
        lines = [f"def {self.name_of[shape_key(shape)]}(v):"]
        lines.append(f"    if not isinstance(v, {'list' if kind == 'list' else 'dict'}): return False")
        if kind != "structure":
            own = self._rules_hold(range_rules(shape, "length"), "v")
            if own != "True":
                lines.append(f"    if not ({own}): return False")
        if kind == "structure":
            required = set(shape.required_members)
            for name, member in shape.members.items():
                holds = self.holds(member, "x")
                lines.append(f"    x = v.get({name!r})")
                if name in required:
                    lines.append("    if x is None: return False")
                    if holds != "True":
                        lines.append(f"    if not ({holds}): return False")
                elif holds != "True":
                    lines.append(f"    if x is not None and not ({holds}): return False")
        elif kind == "list":
            lines.append("    for x in v:")
            lines.append(f"        if x is None or not ({self.holds(shape.member, 'x')}): return False")
        else:
            lines.append("    for k, x in v.items():")
            lines.append(f"        if not ({self.holds(shape.key, 'k')}): return False")
            lines.append(f"        if x is None or not ({self.holds(shape.value, 'x')}): return False")
        lines.append("    return True")
        return "\n".join(lines) + "\n"

    def holds(self, shape: Shape, var: str) -> str:
        """An expression true when the value in `var` (not None) passes the walker's checks."""
        kind = shape.type_name
        if kind in CONTAINERS:
            return f"{self.name_of[shape_key(shape)]}({var})"
        if kind not in SCALARS:
            return "True"  # documents: taken as given, as the walker does
        rules = scalar_rules(shape)
        exact = EXACT_TYPES.get(kind)
        if exact is not None:
            rules_hold = self._rules_hold(rules, var)
            is_exact = f"isinstance({var}, {exact.__name__})"
            return is_exact if rules_hold == "True" else f"{is_exact} and {rules_hold}"
        return f"{self.constant(_converted_check(shape))}({var})"  # numbers, timestamps

    def _rules_hold(self, rules: list[Rule], var: str) -> str:
        tests = [rule.test.format(v=var, c=self._literal(rule.constant)) for rule in rules
                 if not (rule.test == _LENGTH_AT_LEAST and rule.constant <= 0)]
        return " and ".join(tests) or "True"

    def _literal(self, value: Any) -> str:
        # A number is written as itself: a constant is read faster than a name.
        return repr(value) if type(value) is int else self.constant(value)


def _converted_check(shape: Shape) -> Predicate:
    """For scalars the walker converts first (numbers, timestamps): convertible, then the rules."""
    convert, rules = converter(shape), scalar_rules(shape)

    def check(value: Any) -> bool:
        try:
            converted = convert(value)
        except SerializationException:
            return False
        return all(rule.keeps(converted) for rule in rules)

    return check
