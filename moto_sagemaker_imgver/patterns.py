"""The model's patterns as AWS's Java front end reads them (`java.util.regex`, whole-value match),
matched in time linear in the value by RE2.

Python's engines backtrack: some SageMaker patterns take exponential time on a short value, and
hold the interpreter lock while they do. RE2 never backtracks. A pattern is parsed in Java's syntax
and written out in RE2's with Java's meaning:
- `.` stops at Java's line terminators; `\\d`, `\\s`, `\\w` and the POSIX classes
  (`\\p{Alnum}`, ...) are ASCII-only, their negations everything else;
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

MAX_CODE_POINT = 0x10FFFF
_RE2_MAX_COUNT = 1000
_TERMINATORS = [(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]
_SPACE = [(0x09, 0x0D), (0x20, 0x20)]
_DIGIT = [(0x30, 0x39)]
_UPPER, _LOWER = [(0x41, 0x5A)], [(0x61, 0x7A)]
_WORD = _DIGIT + _UPPER + [(0x5F, 0x5F)] + _LOWER
_PUNCT = [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]
# Java's POSIX classes, US-ASCII only (without UNICODE_CHARACTER_CLASS, as AWS compiles them).
_POSIX = {
    "Lower": _LOWER, "Upper": _UPPER, "ASCII": [(0, 0x7F)], "Alpha": _UPPER + _LOWER,
    "Digit": _DIGIT, "Alnum": _DIGIT + _UPPER + _LOWER, "Punct": _PUNCT,
    "Graph": _PUNCT + _DIGIT + _UPPER + _LOWER, "Print": [(0x20, 0x7E)],
    "Blank": [(0x09, 0x09), (0x20, 0x20)], "Cntrl": [(0, 0x1F), (0x7F, 0x7F)],
    "XDigit": _DIGIT + [(0x41, 0x46), (0x61, 0x66)], "Space": _SPACE,
}
_SHORTHANDS = {"d": _DIGIT, "s": _SPACE, "w": _WORD}
_ESCAPED_CHARS = {"t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "a": 0x07, "e": 0x1B}
# Unicode general categories RE2 knows by the same name as Java.
_CATEGORIES = frozenset(
    "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp "
    "C Cc Cf Co Cs".split())


class Unsupported(Exception):
    """A construct this translation does not write in RE2's syntax."""


def _normalize(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], 0
    for low, high in _normalize(ranges):
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return out


def _without(ranges: list[tuple[int, int]], removed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    keep = _complement(removed)
    return _normalize([(max(a, c), min(b, d)) for a, b in ranges for c, d in keep
                       if max(a, c) <= min(b, d)])


class CharSet(NamedTuple):
    """One character out of a set: code point ranges, plus Unicode categories (`\\p{L}`),
    the whole negated when `negated`."""

    ranges: tuple[tuple[int, int], ...]
    categories: tuple[str, ...] = ()
    negated: bool = False

    def re2(self) -> str:
        ranges = _normalize(list(self.ranges))
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1] and not self.categories \
                and not self.negated:
            return _char_text(ranges[0][0])
        negated = self.negated
        if not self.categories and ranges and ranges[-1][1] == MAX_CODE_POINT:
            # `\S` in a class reads as "all but six", not as three ranges up to U+10FFFF.
            ranges, negated = _complement(ranges), not negated
        parts = [_range_text(low, high) for low, high in ranges] + list(self.categories)
        if not parts:
            return "[^\\x00-\\x{10FFFF}]" if not negated else "[\\x00-\\x{10FFFF}]"
        return ("[^" if negated else "[") + "".join(parts) + "]"

    def minus(self, other: "CharSet") -> "CharSet":
        if self.categories or other.categories or self.negated or other.negated:
            raise Unsupported("set difference with categories")
        return CharSet(tuple(_without(list(self.ranges), list(other.ranges))))


def _range_text(low: int, high: int) -> str:
    return _char_text(low) if low == high else f"{_char_text(low)}-{_char_text(high)}"


def _char_text(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:X}}}"


# The syntax tree: a CharSet, or one of these.
class Seq(NamedTuple):
    items: tuple[Any, ...]


class Alt(NamedTuple):
    branches: tuple[Seq, ...]


class Repeat(NamedTuple):
    node: Any
    low: int
    high: Optional[int]  # None: no upper bound
    lazy: bool


class Look(NamedTuple):
    ahead: bool
    negative: bool
    body: Alt


class Assert(NamedTuple):
    """`^`, `$`, `\\b` or `\\B`."""

    text: str


Node = Union[CharSet, Seq, Alt, Repeat, Look, Assert]


class _Parser:
    """Java's pattern syntax, the parts SageMaker's model uses and their near neighbours."""

    def __init__(self, pattern: str) -> None:
        self.text, self.at = pattern, 0

    def parse(self) -> Alt:
        tree = self.alternation()
        if self.at != len(self.text):
            raise Unsupported(f"unbalanced ')' at {self.at}")
        return tree

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        return self.text[index] if index < len(self.text) else ""

    def take(self, count: int = 1) -> str:
        piece = self.text[self.at:self.at + count]
        self.at += count
        return piece

    def alternation(self) -> Alt:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.take()
            branches.append(self.sequence())
        return Alt(tuple(branches))

    def sequence(self) -> Seq:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(self.atom()))
        return Seq(tuple(items))

    def quantified(self, node: Node) -> Node:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.take()
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and self._count_follows():
            low, high = self._count()
        else:
            return node
        if isinstance(node, Look):
            raise Unsupported("quantified look-around")
        if isinstance(node, Assert):  # Java takes `${1,128}`: the assertion, or nothing at 0
            self._skip_lazy_or_possessive()
            return node if low >= 1 else Seq(())
        lazy = self.peek() == "?"
        if lazy:
            self.take()
        elif self.peek() == "+":
            raise Unsupported("possessive quantifier")
        return self.quantified(Repeat(node, low, high, lazy))

    def _skip_lazy_or_possessive(self) -> None:
        if self.peek() in ("?", "+"):
            self.take()

    def _count_follows(self) -> bool:
        end = self.text.find("}", self.at)
        body = self.text[self.at + 1:end] if end > 0 else ""
        low, _, high = body.partition(",")
        return low.isdigit() and (high == "" or high.isdigit())

    def _count(self) -> tuple[int, Optional[int]]:
        body = self.take(self.text.index("}", self.at) - self.at + 1)[1:-1]
        low, comma, high = body.partition(",")
        return int(low), (int(high) if high else None) if comma else int(low)

    def atom(self) -> Node:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == ".":
            return CharSet(tuple(_TERMINATORS), negated=True)
        if char in ("^", "$"):
            return Assert(char)
        if char == "\\":
            return self.escape(in_class=False)
        if char in ("*", "+", "?", "{"):
            if char == "{":
                return CharSet(((ord(char), ord(char)),))
            raise Unsupported(f"dangling {char!r}")
        return CharSet(((ord(char), ord(char)),))

    def group(self) -> Node:
        look = None
        if self.peek() == "?":
            self.take()
            kind = self.take()
            if kind == "<" and self.peek() in ("=", "!"):
                look = (False, self.take() == "!")
            elif kind in ("=", "!"):
                look = (True, kind == "!")
            elif kind != ":":
                raise Unsupported(f"group (?{kind}")
        body = self.alternation()
        if self.take() != ")":
            raise Unsupported("unclosed group")
        return Look(look[0], look[1], body) if look else body

    def escape(self, in_class: bool) -> Node:
        char = self.take()
        if char in _SHORTHANDS:
            return CharSet(tuple(_SHORTHANDS[char]))
        if char.lower() in _SHORTHANDS:
            return CharSet(tuple(_complement(_SHORTHANDS[char.lower()])))
        if char in ("p", "P"):
            return self.property(negated=char == "P")
        if char in ("b", "B") and not in_class:
            return Assert("\\" + char)
        if char == "u":
            code = int(self.take(4), 16)
            if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", self.at):
                low = int(self.text[self.at + 2:self.at + 6], 16)
                if 0xDC00 <= low <= 0xDFFF:
                    self.take(6)
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            return CharSet(((code, code),))
        if char == "x":
            if self.peek() == "{":
                code = int(self.take(self.text.index("}", self.at) - self.at + 1)[1:-1], 16)
            else:
                code = int(self.take(2), 16)
            return CharSet(((code, code),))
        if char in _ESCAPED_CHARS:
            code = _ESCAPED_CHARS[char]
            return CharSet(((code, code),))
        if char.isalnum():
            raise Unsupported(f"escape \\{char}")
        return CharSet(((ord(char), ord(char)),))

    def property(self, negated: bool) -> CharSet:
        if self.peek() != "{":
            name = self.take()
        else:
            name = self.take(self.text.index("}", self.at) - self.at + 1)[1:-1]
        if name in _POSIX:
            ranges = _POSIX[name]
            return CharSet(tuple(_complement(ranges) if negated else ranges))
        name = name[2:] if name.startswith("Is") and name[2:] in _CATEGORIES else name
        if name not in _CATEGORIES:
            raise Unsupported(f"property {name}")
        return CharSet((), (f"\\{'P' if negated else 'p'}{{{name}}}",))

    def char_class(self) -> CharSet:
        negated = self.peek() == "^"
        if negated:
            self.take()
        ranges: list[tuple[int, int]] = []
        categories: list[str] = []
        first = True
        while True:
            char = self.peek()
            if char == "":
                raise Unsupported("unclosed class")
            if char == "]" and not first:
                self.take()
                break
            first = False
            if char == "[" or self.text.startswith("&&", self.at):
                raise Unsupported("nested class or intersection")
            item = self._class_item()
            if isinstance(item, CharSet):
                if item.negated:
                    raise Unsupported("negated set in a class")
                ranges.extend(item.ranges)
                categories.extend(item.categories)
                continue
            low = item
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.take()
                high = self._class_item()
                if isinstance(high, CharSet):
                    raise Unsupported("range to a set")
                ranges.append((low, high))
            else:
                ranges.append((low, low))
        return CharSet(tuple(ranges), tuple(categories), negated)

    def _class_item(self) -> Union[int, CharSet]:
        char = self.take()
        if char != "\\":
            return ord(char)
        node = self.escape(in_class=True)
        if isinstance(node, CharSet) and len(node.ranges) == 1 and not node.categories \
                and node.ranges[0][0] == node.ranges[0][1]:
            return node.ranges[0][0]
        if not isinstance(node, CharSet):
            raise Unsupported("assertion in a class")
        return node


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
    if isinstance(item, CharSet) and not item.negated and not item.categories \
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


def _python_re(tree: Alt) -> Any:
    """The tree in `re`'s syntax (RE2's, with Python's code point escapes)."""
    import re

    source = re.sub(r"\\x\{([0-9A-F]+)\}", lambda code: "\\U%08X" % int(code.group(1), 16),
                    _write(tree, "python"))
    return re.compile(source, re.ASCII)


@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> Union[JavaPattern, _Bounded, Any, None]:
    """The pattern as AWS (Java) reads it, or None if it cannot be read at all: a compiled `re`
    pattern for a deterministic one (linear there, and faster to call), else RE2's."""
    from .deterministic import is_deterministic

    try:
        tree, conditions = _take_lookarounds(_Parser(pattern).parse())
        if not conditions and is_deterministic(tree):
            return _python_re(tree)
        uncounted, exact_up_to = _uncounted(tree)
        main = _re2(_write(uncounted))
        counted = _counted_check(tree) if exact_up_to != float("inf") else None
        return JavaPattern(pattern, main, counted, exact_up_to, [
            (condition.offset, condition.negative, _re2(condition.pattern))
            for condition in conditions])
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
