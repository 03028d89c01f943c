"""A pattern's tree (`java_syntax.py`) written in RE2's syntax with Java's meaning, and compiled
by RE2's C++ binding."""
from __future__ import annotations

from typing import Optional, Protocol

from .java_syntax import Alt, Assert, CharSet, Node, Repeat, Seq, Unsupported

_RE2_MAX_COUNT = 1000

# RE2's anchors (members of the binding's RE2.Anchor), read from the binding when it is first
# loaded (see `compile_re2`).
BOTH: object = None
START: object = None
UNANCHORED: object = None


class Regexp(Protocol):
    """A pattern compiled by RE2's C++ binding (`re2._re2.RE2`), as used here."""

    def ok(self) -> bool: ...

    def error(self) -> bytes: ...

    # (start, end) of the match, then of each group; (-1, -1) when there is none
    def Match(self, anchor: object, text: bytes, pos: int,
              endpos: int) -> list[tuple[int, int]]: ...


def write(node: Node, mode: str = "re2") -> str:
    """`mode`: "re2"; "look-ahead", RE2's inside a look-ahead (Java's `$`); "python", with
    counts left whole (deterministic patterns, for `re`)."""
    if isinstance(node, CharSet):
        return node.re2()
    if isinstance(node, Alt):
        return "|".join(write(branch, mode) for branch in node.branches)
    if isinstance(node, Seq):
        return "".join(_write_item(item, mode) for item in node.items)
    if isinstance(node, Repeat):
        return _write_repeat(node, mode)
    if isinstance(node, Assert):
        if node.text == "$" and mode == "look-ahead":
            # Java's `$`: the end, or before a final line terminator.
            return "(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?$"
        return node.text
    raise Unsupported("look-around in this position")


def _write_item(item: Node, mode: str) -> str:
    return f"(?:{write(item, mode)})" if isinstance(item, Alt) else write(item, mode)


def _write_repeat(node: Repeat, mode: str) -> str:
    inner = write(node.node, mode)
    if not isinstance(node.node, CharSet):
        inner = f"(?:{inner})"
    lazy = "?" if node.lazy else ""
    counts: list[tuple[int, Optional[int]]] = []
    low, high = node.low, node.high
    # RE2 takes counts up to 1,000: x{1,2048} is x{1,1000}x{0,1000}x{0,48}.
    while mode != "python" and (low > _RE2_MAX_COUNT or (high or 0) > _RE2_MAX_COUNT):
        step_low = min(low, _RE2_MAX_COUNT)
        counts.append((step_low, _RE2_MAX_COUNT))
        low -= step_low
        high = None if high is None else high - _RE2_MAX_COUNT
    counts.append((low, high))
    return "".join(inner + _count_text(lo, hi) + lazy for lo, hi in counts)


def _count_text(low: int, high: Optional[int]) -> str:
    if high is None:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    if (low, high) == (0, 1):
        return "?"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def single_set(node: Node) -> Optional[CharSet]:
    """The one character set a node amounts to (`(?:[a-z])`), or None."""
    while isinstance(node, (Alt, Seq)):
        inner = node.branches if isinstance(node, Alt) else node.items
        if len(inner) != 1:
            return None
        node = inner[0]
    return node if isinstance(node, CharSet) else None


def compile_re2(source: str, longest: bool = False) -> Regexp:
    global BOTH, START, UNANCHORED
    # The C++ binding (no per-call work in Python); google-re2's stubs cover only its Python API.
    from re2 import _re2 as engine  # type: ignore[import-untyped]

    options = engine.RE2.Options()
    options.never_capture = True
    options.longest_match = longest
    options.log_errors = False
    options.max_mem = 64 << 20  # the large counts (`{1,2048}`) need more than the default 8 MB
    compiled: Regexp = engine.RE2(source.encode("utf-8"), options)
    if not compiled.ok():
        raise Unsupported(compiled.error())
    BOTH, START = engine.RE2.Anchor.ANCHOR_BOTH, engine.RE2.Anchor.ANCHOR_START
    UNANCHORED = engine.RE2.Anchor.UNANCHORED
    return compiled
