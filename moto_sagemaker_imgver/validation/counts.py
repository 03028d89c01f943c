"""Large counts (`([a-z]+/?){3,1016}`, `.{1,2048}`): RE2 builds thousands of states for them.

Values short enough that no count can limit them are matched with the large counts taken away
(`uncounted`); only longer ones need a counted check (`counted_check`), written where it can be
in a form without counting state.
"""
from __future__ import annotations

from typing import Callable, Optional

from . import to_re2
from .java_syntax import Alt, CharSet, Node, Repeat, Seq, Unsupported, normalize, widths
from .to_re2 import compile_re2, single_set, write

# Counts above this are taken away for values short enough that they cannot matter.
_LARGE_COUNT = 100


def uncounted(node: Node) -> tuple[Node, float]:
    """The tree with large counts made unbounded, and the longest value for which that changes
    nothing: a value of n characters repeats a part at least w wide at most n / w times."""
    if isinstance(node, Repeat):
        inner, bound = uncounted(node.node)
        width = _min_width(node.node)
        if node.high is not None and node.high > _LARGE_COUNT and width > 0:
            return Repeat(inner, node.low, None, node.lazy), min(bound, node.high * width)
        return Repeat(inner, node.low, node.high, node.lazy), bound
    if isinstance(node, Alt):
        branches = [_uncounted_seq(branch) for branch in node.branches]
        return (Alt(tuple(branch for branch, _ in branches)),
                min((bound for _, bound in branches), default=float("inf")))
    if isinstance(node, Seq):
        return _uncounted_seq(node)
    return node, float("inf")


def _uncounted_seq(seq: Seq) -> tuple[Seq, float]:
    parts = [uncounted(item) for item in seq.items]
    return (Seq(tuple(part for part, _ in parts)),
            min((bound for _, bound in parts), default=float("inf")))


def _min_width(node: Node) -> int:
    return int(widths(node)[0])


def counted_check(tree: Alt) -> Callable[[str, bytes], bool]:
    """The check of a value too long for the uncounted form: the counted pattern, or, for one
    that ends in a large count of one character set, `P C{a,b}`, two scans that need no
    counting state: the value ends in a run of j characters of C, and P's longest match within
    all but the last a characters leaves between a and min(b, j) of them."""
    items = tree.branches[0].items if len(tree.branches) == 1 else ()
    last = items[-1] if items else None
    if isinstance(last, Repeat) and isinstance(last.node, CharSet) and last.high is not None \
            and uncounted(Seq(items[:-1]))[1] == float("inf"):
        head = compile_re2(write(Seq(items[:-1])), longest=True)
        run = compile_re2(f"{last.node.re2()}*$")
        low, high = last.low, last.high
        start_anchor, unanchored = to_re2.START, to_re2.UNANCHORED

        def trailing(text: str, data: bytes) -> bool:
            start = run.Match(unanchored, data, 0, len(data))[0][0]
            tail = len(data[start:].decode("utf-8", "surrogatepass"))
            if tail < low:
                return False
            limit = len(text[:len(text) - low].encode("utf-8", "surrogatepass"))
            end = head.Match(start_anchor, data, 0, limit)[0][1]
            return end >= 0 and len(text) - len(data[:end].decode("utf-8", "surrogatepass")) \
                <= min(high, tail)

        return trailing
    runs = _runs_form(last) if last is not None else None
    counted = compile_re2(write(tree) if runs is None else write(Seq(items[:-1])) + runs)
    both = to_re2.BOTH
    return lambda text, data: counted.Match(both, data, 0, len(data))[0][0] >= 0


def _runs_form(node: Node) -> Optional[str]:
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
    c, d = single_set(run.node), single_set(separator.node)
    if c is None or d is None:
        return None
    try:
        if c.minus(d) != CharSet(tuple(normalize(list(c.ranges)))):
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
    return "(?:" + write(Alt(tuple(branches))) + ")"


def _single_seq(node: Node) -> Optional[tuple[Node, ...]]:
    while isinstance(node, Alt) and len(node.branches) == 1:
        node = node.branches[0]
    return node.items if isinstance(node, Seq) else None


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 1:
        return [(total,)]
    return [(first,) + rest for first in range(1, total - parts + 2)
            for rest in _compositions(total - first, parts - 1)]
