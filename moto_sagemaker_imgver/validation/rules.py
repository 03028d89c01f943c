"""A shape's rules as data, and the reading of a scalar as the domain wants it.

A rule is one of a few kinds (length or value bounds, pattern, enum) with its constant and AWS's
text for it. Each kind is a real function here, which the walker runs; `generated.py` writes the
same test into its checks from one template per kind.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, Callable, NamedTuple

from botocore.model import Shape

from . import messages
from .patterns import compile_pattern

SCALARS = frozenset({"string", "integer", "long", "float", "double", "boolean", "timestamp",
                     "blob"})
# Scalars read as they come, when of this JSON type.
EXACT_TYPES = {"string": str, "blob": str, "boolean": bool}
# Java's int and long: Coral cannot read a number outside them.
_INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


class Kind(enum.Enum):
    LENGTH_AT_MOST = "length at most"
    LENGTH_AT_LEAST = "length at least"
    VALUE_AT_MOST = "value at most"
    VALUE_AT_LEAST = "value at least"
    PATTERN = "pattern"  # the constant: a compiled pattern's fullmatch
    ENUM = "enum"  # the constant: a frozenset


# Each kind's test of a value `v` against the rule's constant `c`, as a closure over `c`.
# [chosen] A string's length counts code points, as Smithy's length trait defines it (Unicode
# scalar values); Java's String.length() would count UTF-16 units (2 for a character outside the
# BMP). Which one AWS counts is not recorded: the conformance scenario `length-units` settles it.
_TESTS: dict[Kind, Callable[[Any], Callable[[Any], bool]]] = {
    Kind.LENGTH_AT_MOST: lambda c: lambda v: len(v) <= c,
    Kind.LENGTH_AT_LEAST: lambda c: lambda v: len(v) >= c,
    Kind.VALUE_AT_MOST: lambda c: lambda v: v <= c,
    Kind.VALUE_AT_LEAST: lambda c: lambda v: v >= c,
    Kind.PATTERN: lambda c: lambda v: c(v) is not None,
    Kind.ENUM: lambda c: lambda v: v in c,
}


class Rule(NamedTuple):
    kind: Kind
    constant: Any
    text: str  # "Member must ..."
    keeps: Callable[[Any], bool]  # true when the value keeps the rule


def _rule(kind: Kind, constant: Any, text: str) -> Rule:
    return Rule(kind, constant, text, _TESTS[kind](constant))


def range_rules(shape: Shape, measure: str) -> list[Rule]:
    """`max` then `min`, of a length (strings, lists, maps) or of a value (numbers)."""
    at_most, at_least = ((Kind.LENGTH_AT_MOST, Kind.LENGTH_AT_LEAST) if measure == "length"
                         else (Kind.VALUE_AT_MOST, Kind.VALUE_AT_LEAST))
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    rules: list[Rule] = []
    if high is not None:
        rules.append(_rule(at_most, high,
                           f"Member must have {measure} less than or equal to {high}"))
    if low is not None:
        rules.append(_rule(at_least, low,
                           f"Member must have {measure} greater than or equal to {low}"))
    return rules


def scalar_rules(shape: Shape, pattern_first: bool = False) -> list[Rule]:
    """A scalar's rules: max, min, pattern, enum, as AWS lists them in brackets; or, for a
    scalar's own entries, the pattern first (as recent SageMaker answers order them)."""
    numeric = shape.type_name in ("integer", "long", "float", "double")
    rules = range_rules(shape, "value" if numeric else "length")
    pattern: str | None = shape.metadata.get("pattern")
    if pattern is not None and (compiled := compile_pattern(pattern)) is not None:
        printed = messages.aws_printed_pattern(pattern)
        rule = _rule(Kind.PATTERN, compiled.fullmatch,
                     f"Member must satisfy regular expression pattern: {printed}")
        rules.insert(0 if pattern_first else len(rules), rule)
    enum_ = shape.metadata.get("enum")
    if enum_:
        rules.append(_rule(Kind.ENUM, frozenset(enum_),
                           "Member must satisfy enum value set: [" + ", ".join(enum_) + "]"))
    return rules


# --- reading scalars -----------------------------------------------------------------------------

def converter(shape: Shape) -> Callable[[Any], Any]:
    """The scalar as the domain wants it (numbers checked, timestamps parsed), or Coral's
    SerializationException for a value of the wrong JSON type."""
    kind = shape.type_name
    exact = EXACT_TYPES.get(kind)
    if exact is not None:
        def as_is(value: Any) -> Any:
            if not isinstance(value, exact):
                raise messages.wrong_type(value, kind)
            return value

        return as_is
    if kind == "timestamp":
        return _to_timestamp
    bounds = _INTEGER_RANGES.get(kind)

    def to_number(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise messages.wrong_type(value, kind)
        if bounds is not None:
            if isinstance(value, float):
                if not value.is_integer():
                    raise messages.not_whole(value, kind)
                value = int(value)
            if not bounds[0] <= value <= bounds[1]:
                raise messages.out_of_range(value, kind)
        elif value != value or value in (float("inf"), float("-inf")):
            raise messages.not_finite(value)
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
        raise messages.wrong_type(value, "timestamp") from None
    return moment
