"""The strings the Java oracle judges: a corpus shared by every pattern, and per pattern a few
generated examples, their class edges and one-character mutations of them.

Everything here is deterministic: the random generator of each pattern is seeded from the
pattern's text (crc32, not `hash`, which Python salts per process).
"""
from __future__ import annotations

import random
import re
import zlib
from typing import Any, Iterable

try:
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SEED = 17

# Spaces and separators that Java's \s, \S, \p{Z} and Python's \s each see differently.
UNICODE_SPACES = (
    [chr(c) for c in range(0x1C, 0x20)]
    + ["\x85", "\xa0", "\u1680", "\u180e"]
    + [chr(c) for c in range(0x2000, 0x200C)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"]
)
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x9f",
            "\xad", "\u200e", "\u2060", "\ufff9", "\ufffe", "\uffff"]
LINE_TERMINATORS = ["\n", "\r", "\r\n", "\n\r", "\n\n", "\x85", "\u2028", "\u2029"]
# Letters, digits, marks and symbols of other scripts: \w, \d, \p{Alnum}, \p{L}, \p{N} differ.
OTHER_SCRIPTS = [
    "é", "ß", "Ω", "Ж", "漢", "١", "\u0660", "\u0966", "４", "²", "Ⅻ",  # letters, digits, numbers
    "\u0301", "ǅ", "ʰ", "ı", "\u212a", "ſ", "ﬀ", "Ａ", "ｚ", "ª", "º", "µ",  # marks, odd letters
    "‿", "€", "©", "«", "¡",  # punctuation and symbols
]
NON_BMP = ["😀", "𝔘", "𝟘", "𐍈", "\U00010000", "\U0010ffff"]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]

HARD = UNICODE_SPACES + CONTROLS + LINE_TERMINATORS + OTHER_SCRIPTS + NON_BMP + LONE_SURROGATES


def normalized(text: str) -> str:
    """The text as Java holds it: adjacent high and low surrogates are one code point."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def unique(strings: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in strings:
        seen.setdefault(normalized(text), None)
    return list(seen)


def shared_corpus() -> list[str]:
    """Strings judged for every pattern."""
    out = ["", " ", "a", "abc", "ABC", "123", "a b", " a", "a ", "a-b", "a_b", "a.b", "a/b",
           "arn:aws:sagemaker:us-east-1:123456789012:image/x", "None", "  ", "\t\t", "10.0.0.1",
           "ip-10-0-0-1.ec2.internal"]
    out += [chr(code) for code in range(128)]
    out += HARD
    out += [h + h for h in UNICODE_SPACES]
    for term in LINE_TERMINATORS:
        out += [term + "a", "a" + term, "a" + term + "b", "abc" + term, term + "abc", " " + term]
    for lone in LONE_SURROGATES:
        out += [lone + "a", "a" + lone, "a" + lone + "b"]
    out += ["\udc00\ud800", "\ud83d", "\ude00", "a\ud83d", "\ude00a", "😀a", "a😀", "漢字",
            "é1"]
    return unique(out)


# --- examples: a small generator over Python's parse of a Python-readable form -----------------

_PROPERTY_SAMPLES = {  # enough of each class to build an example; Java's verdict decides anyway
    "L": "a-zA-Z", "M": "\u0301", "Z": " ", "N": "0-9", "S": "+$", "P": "!.,",
    "Alnum": "a-zA-Z0-9",
}
_PROPERTY = re.compile(r"\\([pP])\{(\w+)\}")
_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def python_form(pattern: str) -> str:
    """A form `re` parses that accepts roughly the same strings (only used to generate)."""
    pattern = _PAIR.sub(
        lambda m: "\\U%08x" % (0x10000 + ((int(m[1], 16) - 0xD800) << 10) + int(m[2], 16) - 0xDC00),
        pattern)
    pattern = re.sub(r"\$\{\d+(,\d*)?\}", "$", pattern)  # Java accepts a quantified `$`

    def prop(match: re.Match) -> str:
        sample = _PROPERTY_SAMPLES.get(match[2], "a")
        return sample if match[1] == "p" else "\\x00"

    out, depth = [], 0
    for piece in re.split(r"(\\p\{\w+\}|\\P\{\w+\}|\\.|\[|\])", pattern):
        if _PROPERTY.fullmatch(piece):
            piece = prop(_PROPERTY.fullmatch(piece))  # type: ignore[arg-type]
            piece = piece if depth else f"[{piece}]"
        elif piece == "[" and not depth:
            depth = 1
        elif piece == "]" and depth:
            depth = 0
        out.append(piece)
    return "".join(out)


_PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
_PREFERRED = [chr(c) for c in b"abcxyzAQZ0179-_./: "]


def _in_class(char: str, items: list[tuple[Any, Any]]) -> bool:
    hit = False
    for op, arg in items:
        if op is C.NEGATE:
            continue
        if op is C.LITERAL:
            hit = hit or ord(char) == arg
        elif op is C.RANGE:
            hit = hit or arg[0] <= ord(char) <= arg[1]
        elif op is C.CATEGORY:
            hit = hit or bool(re.fullmatch(_CATEGORY[arg], char))
    negated = bool(items) and items[0][0] is C.NEGATE
    return hit != negated


_CATEGORY = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
             C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}


_MEMBERS: dict[tuple[Any, ...], tuple[list[str], list[str]]] = {}


def _one_of(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    key = tuple((str(op), arg) for op, arg in items)
    if key not in _MEMBERS:
        _MEMBERS[key] = ([c for c in _PREFERRED if _in_class(c, items)],
                         [c for c in _PRINTABLE if _in_class(c, items)])
    preferred, printable = _MEMBERS[key]
    if preferred and rng.random() < 0.5:
        return rng.choice(preferred)
    if printable:
        return rng.choice(printable)
    op, arg = rng.choice([item for item in items if item[0] in (C.LITERAL, C.RANGE)] or [(0, 0)])
    if op is C.LITERAL:
        return chr(arg)
    if op is C.RANGE:
        return chr(rng.randint(arg[0], arg[1]))
    return "a"


def _generate(tree: Iterable[tuple[Any, Any]], rng: random.Random, out: list[str]) -> None:
    for op, arg in tree:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append(rng.choice([c for c in _PREFERRED if ord(c) != arg]))
        elif op is C.ANY:
            out.append(rng.choice(_PREFERRED))
        elif op is C.IN:
            out.append(_one_of(arg, rng))
        elif op is C.BRANCH:
            _generate(rng.choice(arg[1]), rng, out)
        elif op is C.SUBPATTERN:
            _generate(arg[-1], rng, out)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = arg
            high = low + 6 if high is C.MAXREPEAT else min(high, low + 6)
            count = rng.randint(low, high) if high - low <= 1 else rng.choice(
                [low, low, rng.randint(low, high)])
            for _ in range(count):
                _generate(sub, rng, out)
        elif op is C.ATOMIC_GROUP:
            _generate(arg, rng, out)
        # AT, ASSERT, ASSERT_NOT: zero-width; Java's verdict filters what they reject


def examples(pattern: str, count: int = 12) -> list[str]:
    """Strings meant to match the pattern (most do; Java decides which)."""
    try:
        tree = sre_parse.parse(python_form(pattern))
    except (re.error, ValueError, OverflowError):
        return []
    rng = seeded(pattern)
    out = []
    for _ in range(count):
        parts: list[str] = []
        _generate(tree, rng, parts)
        out.append("".join(parts))
    return unique(out)


def class_edges(pattern: str) -> list[str]:
    """The characters at each end of each class range and literal in a class, and one past each."""
    try:
        tree = sre_parse.parse(python_form(pattern))
    except (re.error, ValueError, OverflowError):
        return []
    codes: set[int] = set()

    def walk(node: Any) -> None:
        for op, arg in node:
            if op is C.IN:
                for item_op, item in arg:
                    low, high = (item, item) if item_op is C.LITERAL else (
                        item if item_op is C.RANGE else (None, None))
                    if low is not None:
                        codes.update({low - 1, low, high, high + 1})
            elif op is C.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op is C.SUBPATTERN:
                walk(arg[-1])
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                walk(arg[2])
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(arg[1])
            elif op is C.ATOMIC_GROUP:
                walk(arg)

    walk(tree)
    return [chr(code) for code in sorted(codes) if 0 <= code <= 0x10FFFF]


def mutations(base: str, chars: Iterable[str], rng: random.Random) -> list[str]:
    """The base with each char inserted at its start, middle, end and one random place, and
    replacing its middle, last and one random character."""
    mid = len(base) // 2
    out = []
    for char in chars:
        at = rng.randint(0, len(base))
        out += [char + base, base[:mid] + char + base[mid:], base + char,
                base[:at] + char + base[at:]]
        if base:
            at = rng.randrange(len(base))
            out += [base[:mid] + char + base[mid + 1:], base[:-1] + char,
                    base[:at] + char + base[at + 1:]]
    return out


def seeded(pattern: str) -> random.Random:
    return random.Random(SEED * 1_000_003 + zlib.crc32(pattern.encode("utf-8")))
