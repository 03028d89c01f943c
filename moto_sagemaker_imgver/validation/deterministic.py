"""Whether a pattern is deterministic (one-unambiguous): read left to right, the next character
always decides which branch, repetition or exit the match takes; or nearly so (a few undecided
choices outside loops, one undecided loop followed by a short rest).

Python's backtracking `re` matches such a pattern in linear time: at every choice, every way
but one fails on the next character. It does so in a fifth of the time RE2's binding needs per
call, and most of the model's patterns (names, ARNs) are deterministic, so they go to `re`; the
rest, where backtracking can blow up, to RE2.
"""
from __future__ import annotations

from .java_syntax import (Alt, Assert, CharSet, Look, Node, Repeat, Seq, complement, normalize,
                          widths)


# Outside any loop, a choice the next character cannot decide (`role/?[a-z/]+`) costs a
# constant factor, the number of its ways; the factors multiply, so their product is capped.
_MOST_WAYS = 64
# What may follow the one undecided loop, at most, in characters.
_LONGEST_REST = 256


def is_deterministic(tree: Node) -> bool:
    try:
        return _deterministic(tree, [], _Ways())
    except _Unknown:
        return False


class _Ways:
    """The product of the ways of the undecided choices met outside loops, and whether the one
    undecided loop allowed has been met."""

    def __init__(self) -> None:
        self.product = 1
        self.loop_taken = False

    def allow(self, ways: int, in_loop: bool) -> bool:
        self.product *= ways
        return not in_loop and self.product <= _MOST_WAYS

    def allow_loop(self, in_loop: bool, rest_width: float) -> bool:
        """One loop whose exit the next character cannot decide (`[a-z-]*[a-z]`) is linear: the
        backtracker gives its characters back one at a time, and each time tries what follows,
        which is short. Two such loops, or a long rest, multiply."""
        if in_loop or self.loop_taken or rest_width > _LONGEST_REST:
            return False
        self.loop_taken = True
        return True


class _Unknown(Exception):
    """A node this analysis does not know."""


def _ranges(charset: CharSet) -> list[tuple[int, int]]:
    ranges = normalize(list(charset.ranges))
    return complement(ranges) if charset.negated else ranges


def _overlap(firsts: list[CharSet], others: list[CharSet]) -> bool:
    mine = normalize([r for charset in firsts for r in _ranges(charset)])
    theirs = normalize([r for charset in others for r in _ranges(charset)])
    return any(a <= d and c <= b for a, b in mine for c, d in theirs)


def _first(node: Node) -> tuple[list[CharSet], bool]:
    """The sets the node's first character comes from, and whether it can match nothing."""
    if isinstance(node, CharSet):
        return [node], False
    if isinstance(node, Seq):
        firsts: list[CharSet] = []
        for item in node.items:
            first, nullable = _first(item)
            firsts += first
            if not nullable:
                return firsts, False
        return firsts, True
    if isinstance(node, Alt):
        parts = [_first(branch) for branch in node.branches]
        return [c for first, _ in parts for c in first], any(n for _, n in parts)
    if isinstance(node, Repeat):
        first, nullable = _first(node.node)
        return first, nullable or node.low == 0
    if isinstance(node, (Assert, Look)):
        return [], True
    raise _Unknown


def _max_width(node: Node) -> float:
    return widths(node)[1]


def _deterministic(node: Node, follow: list[CharSet], ways: _Ways, in_loop: bool = False,
                   rest_width: float = 0) -> bool:
    """`follow`: the sets the character after the node can come from; `rest_width`: how many
    characters, at most, the rest of the pattern after the node takes."""
    if isinstance(node, (CharSet, Assert)):
        return True
    if isinstance(node, Seq):
        for index, item in enumerate(node.items):
            after = Seq(node.items[index + 1:])
            rest, nullable = _first(after)
            if not _deterministic(item, rest + (follow if nullable else []), ways, in_loop,
                                  _max_width(after) + rest_width):
                return False
        return True
    if isinstance(node, Alt):
        parts = [_first(branch) for branch in node.branches]
        undecided = any(
            any(_overlap(first, other) for other, _ in parts[index + 1:]) or (
                nullable and any(_overlap(other, follow) for other, _ in parts))
            for index, (first, nullable) in enumerate(parts))
        if undecided and not ways.allow(len(parts), in_loop):
            return False
        return all(_deterministic(branch, follow, ways, in_loop, rest_width)
                   for branch in node.branches)
    if isinstance(node, Repeat):
        first, nullable = _first(node.node)
        if nullable:
            return False  # (a*)*: many ways to match nothing
        bounded = node.high is not None and node.high - node.low <= 1
        if node.high != node.low and _overlap(first, follow) and not (
                (bounded and ways.allow(2, in_loop)) or ways.allow_loop(in_loop, rest_width)):
            return False  # another round or what follows: the next character cannot tell
        looping = in_loop or node.high is None or node.high > 1
        return _deterministic(node.node, first + follow, ways, looping, rest_width)
    return False
