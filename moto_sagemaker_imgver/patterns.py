"""The model's patterns as AWS's Java front end reads them (`java.util.regex`, whole-value match),
matched in time linear in the value by RE2.

Python's engines backtrack: some SageMaker patterns take exponential time on a short value, and
hold the interpreter lock while they do. RE2 never backtracks. A pattern is parsed in Java's syntax
and written out in RE2's with Java's meaning:
- `.` stops at Java's line terminators; `\\d`, `\\s`, `\\w` and the POSIX classes
  (`\\p{Alnum}`, ...) are ASCII-only, their negations everything else;
- `\\p{L}` and the other general categories as Java's tables have them (JDK 17: Unicode 13),
  from `java_categories.txt`, which `tools/java_categories.py` wrote with a JVM;
- `\\uXXXX` escapes, surrogate pairs read as one code point;
- a value is matched as UTF-8 with lone surrogates kept (as Java keeps them, one char each);
- counts above RE2's 1,000 are split into counts it takes.
RE2 has no look-arounds. The model's are rewritten exactly:
- a look-ahead after a fixed-width literal start (`(?!^[.-])^...`, `(?=.{1,256}$)...`,
  `/(?!.*\\.\\.)...`) becomes a second check at that offset, with Java's `$` (end, or before a
  final line terminator);
- `(?<!c)` after a group `F(R){0,n}` becomes the group with its last character kept from `c`.
A pattern outside these forms is matched by the `regex` module, with a time limit
([chosen] past it the value is taken as matching: a check never rejects a value it could not
finish). A test holds every pattern of the model to the first two ways.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, NamedTuple, Optional, Union

from .deterministic import is_deterministic
from .java_syntax import (Alt, Assert, CharSet, Look, Node, Repeat, Seq,
                          Unsupported, _normalize, _Parser)

_RE2_MAX_COUNT = 1000


# --- writing RE2's syntax ----------------------------------------------------------------------

def _write(node: Node, mode: str = "re2") -> str:
    """`mode`: "re2"; "look-ahead", RE2's inside a look-ahead (Java's `$`); "python", with
    counts left whole (deterministic patterns, for `re`)."""
    if isinstance(node, CharSet):
        return node.re2()
    if isinstance(node, Alt):
        return "|".join(_write(branch, mode) for branch in node.branches)
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
    return f"(?:{_write(item, mode)})" if isinstance(item, Alt) else _write(item, mode)


def _write_repeat(node: Repeat, mode: str) -> str:
    inner = _write(node.node, mode)
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


# --- look-arounds ------------------------------------------------------------------------------

class Condition(NamedTuple):
    """A look-ahead taken out of the pattern: the text from `offset` must (or, `negative`, must
    not) begin with a match of `pattern`."""

    offset: int
    negative: bool
    pattern: str


def _take_lookarounds(tree: Alt) -> tuple[Alt, list[Condition]]:
    """The tree without its look-arounds, and the checks that replace the look-aheads."""
    conditions: list[Condition] = []
    if len(tree.branches) == 1:
        items: list[Node] = []
        offset: Optional[int] = 0
        for item in tree.branches[0].items:
            if isinstance(item, Look) and item.ahead and offset is not None:
                conditions.append(Condition(offset, item.negative,
                                            _write(item.body, "look-ahead")))
                continue
            if isinstance(item, Look) and not item.ahead and item.negative and items:
                items[-1] = _last_char_not_in(items[-1], item.body)
                offset = None
                continue
            offset = _fixed_offset(offset, item)
            items.append(item)
        tree = Alt((Seq(tuple(items)),))
    return tree, conditions


def _fixed_offset(offset: Optional[int], item: Node) -> Optional[int]:
    """The offset after `item` when every item so far matched one known width, else None."""
    if offset is None:
        return None
    if isinstance(item, Assert) and item.text == "^":
        return offset
    if isinstance(item, CharSet) and not item.negated \
            and len(item.ranges) == 1 and item.ranges[0][0] == item.ranges[0][1]:
        return offset + 1
    return None


def _single_set(node: Node) -> Optional[CharSet]:
    while isinstance(node, (Alt, Seq)):
        inner = node.branches if isinstance(node, Alt) else node.items
        if len(inner) != 1:
            return None
        node = inner[0]
    return node if isinstance(node, CharSet) else None


def _last_char_not_in(group: Node, body: Alt) -> Node:
    """`group(?<!c)`, for a group `F(R){0,n}` (or `F R*`) of single characters: the group with
    its last character outside `c`, `(?:F' | F R{0,n-1} R')` where X' is X without `c`."""
    excluded = _single_set(body)
    seq = group.branches[0] if isinstance(group, Alt) and len(group.branches) == 1 else group
    if excluded is None or not isinstance(seq, Seq) or len(seq.items) != 2:
        raise Unsupported("look-behind")
    first, rest = seq.items
    first_set = _single_set(first)
    if first_set is None or not isinstance(rest, Repeat) or rest.low != 0:
        raise Unsupported("look-behind")
    repeated = _single_set(rest.node)
    if repeated is None:
        raise Unsupported("look-behind")
    longer = Seq((first_set, Repeat(repeated, 0, None if rest.high is None else rest.high - 1,
                                    False), repeated.minus(excluded)))
    if rest.high == 0:
        return first_set.minus(excluded)
    return Alt((Seq((first_set.minus(excluded),)), longer))


# --- matching ----------------------------------------------------------------------------------

class JavaPattern:
    """Matches whole values as Java's `Pattern.matcher(value).matches()` does, in linear time.
    `fullmatch` answers True or None, as `re`'s answers a match or None.

    A large count of a group that can match in many ways (`([a-z]+/?){3,1016}`) makes RE2 build
    a thousand states on first use. So values up to `exact_up_to` characters, which no count can
    limit, are matched with the counts taken away (`{3,}`); only longer ones need the counts.
    """

    __slots__ = ("source", "_main", "_counted", "_exact_up_to", "_conditions")

    def __init__(self, source: str, main: Any, counted: Any, exact_up_to: float,
                 conditions: list[tuple[int, bool, Any]]) -> None:
        self.source, self._main, self._counted = source, main.Match, counted
        self._exact_up_to, self._conditions = exact_up_to, conditions

    def fullmatch(self, text: str) -> Optional[bool]:
        data = text.encode("utf-8", "surrogatepass")
        if self._main(_BOTH, data, 0, len(data))[0][0] < 0:
            return None
        if len(text) > self._exact_up_to and not self._counted(text, data):
            return None
        for offset, negative, condition in self._conditions:
            part = data if not offset else text[offset:].encode("utf-8", "surrogatepass")
            found = len(text) >= offset and condition.Match(_START, part, 0, len(part))[0][0] >= 0
            if found is negative:
                return None
        return True


class _ShortOrLong:
    """A deterministic pattern with a large class (`\\p{L}`: hundreds of ranges): `re` for short
    values, RE2 for long ones. `re` tests a character above U+FFFF against such a class range by
    range, a constant too large for 64 KB, though still linear."""

    __slots__ = ("source", "_short", "_long")
    LONGEST_SHORT = 1024

    def __init__(self, source: str, short: Any, long: JavaPattern) -> None:
        self.source, self._short, self._long = source, short.fullmatch, long

    def fullmatch(self, text: str) -> Optional[bool]:
        if len(text) <= self.LONGEST_SHORT:
            return True if self._short(text) else None
        return self._long.fullmatch(text)


class _Bounded:
    """A pattern outside what RE2 can be given: matched by `regex` with a time limit."""

    __slots__ = ("source", "_compiled")
    TIMEOUT = 0.05

    def __init__(self, source: str, compiled: Any) -> None:
        self.source, self._compiled = source, compiled

    def fullmatch(self, text: str) -> Optional[bool]:
        try:
            return True if self._compiled.fullmatch(text, timeout=self.TIMEOUT) else None
        except TimeoutError:
            return True


_BOTH: Any = None
_START: Any = None
_UNANCHORED: Any = None


def _counted_check(tree: Alt) -> Callable[[str, bytes], bool]:
    """The check of a value too long for the uncounted form: the counted pattern, or, for one
    that ends in a large count of one character set, `P C{a,b}`, two scans that need no
    counting state: the value ends in a run of j characters of C, and P's longest match within
    all but the last a characters leaves between a and min(b, j) of them."""
    items = tree.branches[0].items if len(tree.branches) == 1 else ()
    last = items[-1] if items else None
    if isinstance(last, Repeat) and isinstance(last.node, CharSet) and last.high is not None \
            and _uncounted(Seq(items[:-1]))[1] == float("inf"):
        head = _re2(_write(Seq(items[:-1])), longest=True)
        run = _re2(f"{last.node.re2()}*$")
        low, high = last.low, last.high

        def trailing(text: str, data: bytes) -> bool:
            start = run.Match(_UNANCHORED, data, 0, len(data))[0][0]
            tail = len(data[start:].decode("utf-8", "surrogatepass"))
            if tail < low:
                return False
            limit = len(text[:len(text) - low].encode("utf-8", "surrogatepass"))
            end = head.Match(_START, data, 0, limit)[0][1]
            return end >= 0 and len(text) - len(data[:end].decode("utf-8", "surrogatepass")) \
                <= min(high, tail)

        return trailing
    runs = _runs_form(last) if items else None
    counted = _re2(_write(tree) if runs is None else _write(Seq(items[:-1])) + runs)
    return lambda text, data: counted.Match(_BOTH, data, 0, len(data))[0][0] >= 0


def _runs_form(node: Any) -> Optional[str]:
    """`(C+D?){m,n}`, C and D disjoint sets, m small, without its ambiguity: its values are the
    runs of C, one D after each but maybe the last, at most n runs and at least m C in all."""
    if not isinstance(node, Repeat) or node.high is None or node.low > 4:
        return None
    parts = _single_seq(node.node)
    if parts is None or len(parts) != 2:
        return None
    run, separator = parts
    if not (isinstance(run, Repeat) and (run.low, run.high) == (1, None)
            and isinstance(separator, Repeat) and (separator.low, separator.high) == (0, 1)):
        return None
    c, d = _single_set(run.node), _single_set(separator.node)
    if c is None or d is None:
        return None
    try:
        if c.minus(d) != CharSet(tuple(_normalize(list(c.ranges)))):
            return None
    except Unsupported:
        return None
    m, n = node.low, node.high
    runs_ = Repeat(c, 1, None, False)
    maybe_d = Repeat(d, 0, 1, False)
    branches = [Seq((runs_, Repeat(Seq((d, runs_)), max(m - 1, 0), n - 1, False), maybe_d))]
    for count in range(1, m):  # fewer than m runs, with m C among them
        for sizes in _compositions(m, count):
            body: list[Node] = []
            for size in sizes:
                body += [d] if body else []
                body.append(Repeat(c, size, None, False))
            branches.append(Seq((*body, maybe_d)))
    return "(?:" + _write(Alt(tuple(branches))) + ")"


def _single_seq(node: Any) -> Optional[tuple[Any, ...]]:
    while isinstance(node, Alt) and len(node.branches) == 1:
        node = node.branches[0]
    return node.items if isinstance(node, Seq) else None


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 1:
        return [(total,)]
    return [(first,) + rest for first in range(1, total - parts + 2)
            for rest in _compositions(total - first, parts - 1)]


def _re2(source: str, longest: bool = False) -> Any:
    global _BOTH, _START, _UNANCHORED
    from re2 import _re2 as engine  # the C++ binding: no per-call work in Python

    options = engine.RE2.Options()
    options.never_capture = True
    options.longest_match = longest
    options.log_errors = False
    options.max_mem = 64 << 20  # the large counts (`{1,2048}`) need more than the default 8 MB
    compiled = engine.RE2(source.encode("utf-8"), options)
    if not compiled.ok():
        raise Unsupported(compiled.error())
    _BOTH, _START = engine.RE2.Anchor.ANCHOR_BOTH, engine.RE2.Anchor.ANCHOR_START
    _UNANCHORED = engine.RE2.Anchor.UNANCHORED
    return compiled


def translate(pattern: str) -> tuple[str, list[Condition]]:
    """The pattern in RE2's syntax with Java's meaning, and the look-aheads taken out of it."""
    tree, conditions = _take_lookarounds(_Parser(pattern).parse())
    return _write(tree), conditions


# Counts above this are taken away for values short enough that they cannot matter.
_LARGE_COUNT = 100


def _uncounted(node: Node) -> tuple[Node, float]:
    """The tree with large counts made unbounded, and the longest value for which that changes
    nothing: a value of n characters repeats a part at least w wide at most n / w times."""
    if isinstance(node, Repeat):
        inner, bound = _uncounted(node.node)
        width = _min_width(node.node)
        if node.high is not None and node.high > _LARGE_COUNT and width > 0:
            return Repeat(inner, node.low, None, node.lazy), min(bound, node.high * width)
        return Repeat(inner, node.low, node.high, node.lazy), bound
    if isinstance(node, (Alt, Seq)):
        parts = [_uncounted(item) for item in (node.branches if isinstance(node, Alt)
                                               else node.items)]
        bound = min((part_bound for _, part_bound in parts), default=float("inf"))
        return type(node)(tuple(part for part, _ in parts)), bound  # type: ignore[arg-type, misc]
    return node, float("inf")


def _min_width(node: Node) -> int:
    if isinstance(node, CharSet):
        return 1
    if isinstance(node, Seq):
        return sum(_min_width(item) for item in node.items)
    if isinstance(node, Alt):
        return min(_min_width(branch) for branch in node.branches)
    if isinstance(node, Repeat):
        return node.low * _min_width(node.node)
    return 0


# Past this many ranges in one set, `re` only takes short values (see `_ShortOrLong`).
_LARGEST_SET_FOR_RE = 64


def _largest_set(node: Node) -> int:
    if isinstance(node, CharSet):
        return len(node.ranges)
    if isinstance(node, (Seq, Alt)):
        return max((_largest_set(item) for item in
                    (node.items if isinstance(node, Seq) else node.branches)), default=0)
    if isinstance(node, Repeat):
        return _largest_set(node.node)
    return 0


def _python_re(tree: Alt) -> Any:
    """The tree in `re`'s syntax (RE2's, with Python's code point escapes)."""
    import re

    source = re.sub(r"\\x\{([0-9A-F]+)\}", lambda code: "\\U%08X" % int(code.group(1), 16),
                    _write(tree, "python"))
    return re.compile(source, re.ASCII)


@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> Union[JavaPattern, _ShortOrLong, _Bounded, Any, None]:
    """The pattern as AWS (Java) reads it, or None if it cannot be read at all: a compiled `re`
    pattern for a deterministic one (linear there, and faster to call), else RE2's."""
    try:
        tree, conditions = _take_lookarounds(_Parser(pattern).parse())
        python = _python_re(tree) if not conditions and is_deterministic(tree) else None
        if python is not None and _largest_set(tree) <= _LARGEST_SET_FOR_RE:
            return python
        uncounted, exact_up_to = _uncounted(tree)
        main = _re2(_write(uncounted))
        counted = _counted_check(tree) if exact_up_to != float("inf") else None
        java = JavaPattern(pattern, main, counted, exact_up_to, [
            (condition.offset, condition.negative, _re2(condition.pattern))
            for condition in conditions])
        return java if python is None else _ShortOrLong(pattern, python, java)
    except Unsupported:
        pass
    import regex

    try:
        return _Bounded(pattern, regex.compile(pattern))
    except regex.error:
        return None  # [chosen] a pattern nothing can read is not enforced


def is_linear(pattern: str) -> bool:
    """Whether the pattern is matched in linear time: by RE2, or by `re` when deterministic (not
    by the time-limited fallback)."""
    return not isinstance(compile_pattern(pattern), _Bounded)
