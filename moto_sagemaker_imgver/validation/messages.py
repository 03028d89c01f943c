"""AWS's wording of a rejected request, as its (Coral) front end words it in real responses.

- a JSON value of the wrong type stops the request with a ``SerializationException`` in Coral's
  words (``NUMBER_VALUE can not be converted to a String``, ``Start of list found where not
  expected``, ...), which name the JSON type but not the member; a combination never observed
  gets a plain message of ours;
- every broken constraint becomes one entry ``Value '<v>' at '<path>' failed to satisfy
  constraint: Member must <rule>``, joined by ``error_message``;
- every entry prints its value as Java does: ``[a, b]``, ``[]``, structures and maps as
  ``{Name: python3, DisplayName: Python 3}``; only a value holding a member botocore marks
  ``sensitive`` is hidden (``Value at '<path>'``). The printer keeps its own stack, so no value
  the JSON decoder accepts can exhaust Python's.
"""
from __future__ import annotations

from typing import Any, Iterable

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..exceptions import SerializationException
from .model import ShapeKey, shape_key, shapes_within

NOT_NULL = "Member must not be null"
# How Coral names the Java type in "<X>_VALUE can not be converted to <target>" (observed).
_TARGETS = {"string": "a String", "integer": "an Integer", "long": "a Long",
            "boolean": "an Boolean"}


def error_message(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)


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
            item_shape = shape.member if isinstance(shape, ListShape) else None
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


def _printed_members(value: dict[str, Any], shape: Shape | None) -> list[list[Any]]:
    if isinstance(shape, StructureShape):
        members = shape.members
        return [[f"{name}: ", (item, members[name])] for name, item in value.items()
                if name in members and item is not None]
    value_shape = shape.value if isinstance(shape, MapShape) else None
    # A map prints as Java's Map does (observed), a structure as Coral prints its members.
    return [[f"{key}=", (item, value_shape)] for key, item in value.items()]


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


# --- printed patterns: what is outside character classes ---------------------------------------

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


# --- wrong JSON types --------------------------------------------------------------------------

def _json_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    return None


def found_where_not_expected(value: Any) -> str | None:
    if isinstance(value, list):
        return "Start of list found where not expected"
    if isinstance(value, dict):
        return "Start of structure or map found where not expected."
    return None


def wrong_type(value: Any, kind: str) -> SerializationException:
    """Coral's words for a value of the wrong JSON type (observed). [chosen] Where AWS was never
    seen to answer: `The value can not be read as a <type>.`"""
    message = found_where_not_expected(value)
    if message is None:
        if kind == "list":
            message = "Expected list or null"
        elif kind == "structure":
            message = "Expected null"
        elif kind in _TARGETS and _json_kind(value):
            message = f"{_json_kind(value)} can not be converted to {_TARGETS[kind]}"
    return SerializationException(message or f"The value can not be read as a {kind}.")


def not_whole(value: float, kind: str) -> SerializationException:
    return SerializationException(f"{value} can not be converted to {_TARGETS[kind]}")


def out_of_range(value: int, kind: str) -> SerializationException:
    return SerializationException(f"Numeric value ({value}) out of range of {_TARGETS[kind]}")


def not_finite(value: float) -> SerializationException:
    return SerializationException(f"{value} is not a finite number")
