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
finish). A test holds every pattern of the model to the first two ways. Large counts: `counts.py`.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional, Protocol

from . import to_re2
from .counts import counted_check, uncounted
from .deterministic import is_deterministic
from .java_syntax import Alt, Assert, CharSet, Look, Node, Repeat, Seq, Unsupported, parse
from .to_re2 import Regexp, compile_re2, single_set, write

if TYPE_CHECKING:
    import re

    import regex


class Matcher(Protocol):
    """A compiled pattern: `fullmatch` answers something true for a whole-value match, else
    None (as `re`'s does)."""

    def fullmatch(self, text: str, /) -> object: ...


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
                                            write(item.body, "look-ahead")))
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


def _last_char_not_in(group: Node, body: Alt) -> Node:
    """`group(?<!c)`, for a group `F(R){0,n}` (or `F R*`) of single characters: the group with
    its last character outside `c`, `(?:F' | F R{0,n-1} R')` where X' is X without `c`."""
    excluded = single_set(body)
    seq = group.branches[0] if isinstance(group, Alt) and len(group.branches) == 1 else group
    if excluded is None or not isinstance(seq, Seq) or len(seq.items) != 2:
        raise Unsupported("look-behind")
    first, rest = seq.items
    first_set = single_set(first)
    if first_set is None or not isinstance(rest, Repeat) or rest.low != 0:
        raise Unsupported("look-behind")
    repeated = single_set(rest.node)
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

    __slots__ = ("source", "_main", "_counted", "_exact_up_to", "_conditions", "_both", "_start")

    def __init__(self, source: str, main: Regexp,
                 counted: Optional[Callable[[str, bytes], bool]], exact_up_to: float,
                 conditions: list[tuple[int, bool, Regexp]]) -> None:
        self.source, self._main, self._counted = source, main.Match, counted
        self._exact_up_to, self._conditions = exact_up_to, conditions
        self._both, self._start = to_re2.BOTH, to_re2.START  # known once RE2 compiled `main`

    def fullmatch(self, text: str) -> Optional[bool]:
        data = text.encode("utf-8", "surrogatepass")
        if self._main(self._both, data, 0, len(data))[0][0] < 0:
            return None
        if len(text) > self._exact_up_to and self._counted is not None \
                and not self._counted(text, data):
            return None
        for offset, negative, condition in self._conditions:
            part = data if not offset else text[offset:].encode("utf-8", "surrogatepass")
            found = len(text) >= offset and condition.Match(self._start, part, 0, len(part))[0][0] >= 0
            if found is negative:
                return None
        return True


class _ShortOrLong:
    """A deterministic pattern with a large class (`\\p{L}`: hundreds of ranges): `re` for short
    values, RE2 for long ones. `re` tests a character above U+FFFF against such a class range by
    range, a constant too large for 64 KB, though still linear."""

    __slots__ = ("source", "_short", "_long")
    LONGEST_SHORT = 1024

    def __init__(self, source: str, short: re.Pattern[str], long: JavaPattern) -> None:
        self.source, self._short, self._long = source, short.fullmatch, long

    def fullmatch(self, text: str) -> Optional[bool]:
        if len(text) <= self.LONGEST_SHORT:
            return True if self._short(text) else None
        return self._long.fullmatch(text)


class _Bounded:
    """A pattern outside what RE2 can be given: matched by `regex` with a time limit."""

    __slots__ = ("source", "_compiled")
    TIMEOUT = 0.05

    def __init__(self, source: str, compiled: regex.Pattern[str]) -> None:
        self.source, self._compiled = source, compiled

    def fullmatch(self, text: str) -> Optional[bool]:
        try:
            return True if self._compiled.fullmatch(text, timeout=self.TIMEOUT) else None
        except TimeoutError:
            return True


def translate(pattern: str) -> tuple[str, list[Condition]]:
    """The pattern in RE2's syntax with Java's meaning, and the look-aheads taken out of it."""
    tree, conditions = _take_lookarounds(parse(pattern))
    return write(tree), conditions


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


def _python_re(tree: Alt) -> re.Pattern[str]:
    """The tree in `re`'s syntax (RE2's, with Python's code point escapes)."""
    import re

    source = re.sub(r"\\x\{([0-9A-F]+)\}", lambda code: "\\U%08X" % int(code.group(1), 16),
                    write(tree, "python"))
    return re.compile(source, re.ASCII)


@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> Optional[Matcher]:
    """The pattern as AWS (Java) reads it, or None if it cannot be read at all: a compiled `re`
    pattern for a deterministic one (linear there, and faster to call), else RE2's."""
    try:
        tree, conditions = _take_lookarounds(parse(pattern))
        python = _python_re(tree) if not conditions and is_deterministic(tree) else None
        if python is not None and _largest_set(tree) <= _LARGEST_SET_FOR_RE:
            return python
        short_form, exact_up_to = uncounted(tree)
        main = compile_re2(write(short_form))
        counted = counted_check(tree) if exact_up_to != float("inf") else None
        java = JavaPattern(pattern, main, counted, exact_up_to, [
            (condition.offset, condition.negative, compile_re2(condition.pattern))
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
