"""Java's pattern syntax (`java.util.regex`) read into a small tree: character sets as code point
ranges with Java's meaning (`.` stops at Java's line terminators; `\\d`, `\\s`, `\\w` and the
POSIX classes are ASCII-only; `\\uXXXX` surrogate pairs are one code point), sequences,
alternations, repeats, assertions and look-arounds. `to_re2.py` writes the tree for RE2."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple, Optional, Union

MAX_CODE_POINT = 0x10FFFF
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
_CATEGORY_TABLE = Path(__file__).with_name("java_categories.txt")


@functools.lru_cache(maxsize=None)
def _category(name: str) -> Optional[list[tuple[int, int]]]:
    """Java's ranges for a general category (`L`, `Lu`, ...), from the table that
    `tools/java_categories.py` wrote with a JVM; None for a name not in it."""
    with open(_CATEGORY_TABLE, encoding="ascii") as table:
        for line in table:
            if line.startswith(name + " "):
                return [(int(low, 16), int(high, 16))
                        for low, _, high in (part.partition("-") for part in line.split()[1:])]
    return None


class Unsupported(Exception):
    """A construct this translation does not write in RE2's syntax."""


def normalize(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], 0
    for low, high in normalize(ranges):
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return out


def _without(ranges: list[tuple[int, int]], removed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    keep = complement(removed)
    return normalize([(max(a, c), min(b, d)) for a, b in ranges for c, d in keep
                       if max(a, c) <= min(b, d)])


class CharSet(NamedTuple):
    """One character out of a set: code point ranges, negated when `negated`."""

    ranges: tuple[tuple[int, int], ...]
    negated: bool = False

    def re2(self) -> str:
        ranges = normalize(list(self.ranges))
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1] and not self.negated:
            return _char_text(ranges[0][0])
        negated = self.negated
        if ranges and ranges[-1][1] == MAX_CODE_POINT:
            # `\S` in a class reads as "all but six", not as three ranges up to U+10FFFF.
            ranges, negated = complement(ranges), not negated
        parts = [_range_text(low, high) for low, high in ranges]
        if not parts:
            return "[^\\x00-\\x{10FFFF}]" if not negated else "[\\x00-\\x{10FFFF}]"
        return ("[^" if negated else "[") + "".join(parts) + "]"

    def minus(self, other: "CharSet") -> "CharSet":
        if self.negated or other.negated:
            raise Unsupported("set difference with a negated set")
        return CharSet(tuple(_without(list(self.ranges), list(other.ranges))))


def _range_text(low: int, high: int) -> str:
    return _char_text(low) if low == high else f"{_char_text(low)}-{_char_text(high)}"


def _char_text(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:X}}}"


# The syntax tree: a CharSet, or one of these.
class Seq(NamedTuple):
    items: tuple[Node, ...]


class Alt(NamedTuple):
    branches: tuple[Seq, ...]


class Repeat(NamedTuple):
    node: Node
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


def widths(node: Node) -> tuple[float, float]:
    """How many characters the node matches, at least and at most (inf: no upper bound)."""
    if isinstance(node, CharSet):
        return 1, 1
    if isinstance(node, (Seq, Alt)):
        parts = [widths(part) for part in (node.items if isinstance(node, Seq) else node.branches)]
        if isinstance(node, Seq):
            return sum(low for low, _ in parts), sum(high for _, high in parts)
        return min(low for low, _ in parts), max(high for _, high in parts)
    if isinstance(node, Repeat):
        low, high = widths(node.node)
        most = float("inf") if node.high is None else node.high * high if node.high else 0
        return node.low * low, most
    return 0, 0  # assertions and look-arounds take no characters


def parse(pattern: str) -> Alt:
    """The pattern's tree; Unsupported for a construct outside what is read here."""
    return _Parser(pattern).parse()


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
            return CharSet(tuple(complement(_SHORTHANDS[char.lower()])))
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
            return CharSet(tuple(complement(ranges) if negated else ranges))
        category = _category(name[2:] if name.startswith("Is") else name) or _category(name)
        if category is None:
            raise Unsupported(f"property {name}")
        return CharSet(tuple(complement(category) if negated else category))

    def char_class(self) -> CharSet:
        negated = self.peek() == "^"
        if negated:
            self.take()
        ranges: list[tuple[int, int]] = []
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
        return CharSet(tuple(ranges), negated)

    def _class_item(self) -> Union[int, CharSet]:
        char = self.take()
        if char != "\\":
            return ord(char)
        node = self.escape(in_class=True)
        if isinstance(node, CharSet) and len(node.ranges) == 1 \
                and node.ranges[0][0] == node.ranges[0][1]:
            return node.ranges[0][0]
        if not isinstance(node, CharSet):
            raise Unsupported("assertion in a class")
        return node
