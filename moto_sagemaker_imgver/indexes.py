"""The sorted indexes behind every list operation: a page costs a search plus the page itself.

A list keeps its resources in one `SortedIndex` per sort order (sortedcontainers underneath) and
reads a page with `pagination.paginate`. In an order whose keys move (`MovingIndex`: by
LastModifiedTime, aliases between versions) a walk (the pages one NextToken chain visits) is
stamped with the index's clock when it begins, and lists each resource where it stood then. The
place a resource left stays, as a ghost, only while an open walk (one that was handed a NextToken
and is among the few used most recently) still needs it, so what a page or a write costs does not
depend on how many moves and walks came before.
"""
from __future__ import annotations

import bisect
import collections
import contextlib
import heapq
import operator
import time
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from sortedcontainers import SortedKeyList

from .exceptions import ValidationException

Item = TypeVar("Item")
Kept = TypeVar("Kept")
# A sort key: a tuple, or a string (a name: no object built per item). JSON round-trips both.
Key = Any
SortKey = Callable[[Item], Key]
Bound = tuple[Key, bool]  # (key, inclusive)
# [chosen] A walk stays exact while it is among this many walks of its list used most recently,
# and goes on within this long of its previous page; otherwise, once anything moved, its
# NextToken is refused rather than risk listing a resource twice or never.
MAX_OPEN_WALKS = 32
WALK_MEMORY_SECONDS = 600.0


class SortedIndex(Generic[Item]):
    """Items ordered by a unique sort key that does not change while they are in the index."""

    moves = False

    def __init__(self, key: SortKey[Item], items: Iterable[Item] = ()) -> None:
        self.key = key
        # the items; in a MovingIndex, an item that has moved is there as its `_Entry`
        self._entries: SortedKeyList[Any, Key] = SortedKeyList(key=self._entry_key)
        for item in items:
            self.add(item)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, item: Item) -> None:
        self._entries.add(item)

    def remove(self, item: Item) -> None:
        """Take the item out (call before its key fields change)."""
        self._entries.discard(item)

    def begin_walk(self) -> int:
        """The stamp a NextToken carries: nothing to remember in an order that never moves."""
        return 0

    def walk(self, walk: int, low: Bound | None, high: Bound | None, descending: bool,
             keep: Callable[[Item], bool]) -> Iterator[tuple[Key, Item]]:
        """(key, item) of the kept items between the bounds, in order, as a walk stamped
        `walk` sees them. The caller stops early only when it hands the walk on (a NextToken).
        Nothing changes the index during a walk."""
        for key, item in self._visible(walk, low, high, descending):
            if keep(item):
                # an item that is its own entry: its key is read when needed
                yield (self.key(item) if key is None else key), item

    def _visible(self, walk: int, low: Bound | None, high: Bound | None,
                 descending: bool) -> Iterator[tuple[Key, Item]]:
        for item in self._range(self._entries, low, high, descending):
            yield None, item

    @staticmethod
    def _range(entries: SortedKeyList[Kept, Key], low: Bound | None, high: Bound | None,
               descending: bool) -> Iterator[Kept]:
        return entries.irange_key(
            low[0] if low else None, high[0] if high else None,
            inclusive=(low[1] if low else True, high[1] if high else True), reverse=descending,
        )

    def _entry_key(self, entry: Any) -> Key:
        return self.key(entry)


class _Entry:
    """A place a resource took in a moving order, or one it left (a ghost). Until its first move
    a resource is its own entry, with no stamps: every walk finds it there (one begun before it
    was added, too)."""

    __slots__ = ("key", "item", "since", "until", "pins")

    def __init__(self, key: Key, item: Any, since: int) -> None:
        self.key = key
        self.item = item
        self.since = since  # clock when the resource took this place (0: when it was added)
        self.until: int | None = None  # clock when it left it, None while it is there
        self.pins = 0  # open walks that still need this place

    def seen_by(self, walk: int) -> bool:
        """Whether a walk begun at clock `walk` finds the resource here (at most one place)."""
        return self.since <= walk and (self.until is None or walk < self.until)


entry_key = operator.attrgetter("key")


class MovingIndex(SortedIndex[Item]):
    """A sorted index whose items change place: wrap a key change in `moving`, or take an item
    out with `leave` (it may come back with `add`, as a moved alias does)."""

    moves = True

    def __init__(self, key: SortKey[Item], items: Iterable[Item] = ()) -> None:
        self._place: dict[Item, _Entry] = {}  # item -> its entry, once it has moved
        # places left, that open walks see
        self._ghosts: SortedKeyList[_Entry, Key] = SortedKeyList(key=entry_key)
        self._left: dict[Item, list[_Entry]] = {}  # item -> the places it left that are kept
        self._clock = 0  # counts moves; a walk's stamp is the clock when it began
        self._newest_ghost = 0  # clock of the latest ghost: a walk begun since sees none
        self._open: collections.OrderedDict[int, float] = collections.OrderedDict()
        self._stamps: list[int] = []  # the open walks' stamps, sorted
        self._kept: dict[int, set[_Entry]] = {}  # stamp -> the places it keeps
        super().__init__(key, items)

    def sizes(self) -> dict[str, int]:
        """What the index holds: its items, the places kept for open walks, the open walks."""
        return {"items": len(self._entries), "ghosts": len(self._ghosts),
                "kept": sum(len(places) for places in self._left.values()),
                "walks": len(self._open)}

    def add(self, item: Item) -> None:
        if item in self._left:  # back where open walks remember it elsewhere: a move
            self._clock += 1
            self._settle(_Entry(self.key(item), item, self._clock))
        else:
            self._entries.add(item)

    def remove(self, item: Item) -> None:
        """Take the item out for good (call before its key fields change), with the places it
        left: no walk lists it again. Should it come back, it is a new item."""
        entry = self._place.pop(item, None)
        if entry is not None:
            self._entries.remove(entry)
        else:
            self._entries.discard(item)
        for ghost in self._left.pop(item, ()):
            self._ghosts.remove(ghost)
            for stamp in self._keepers(ghost):
                self._kept[stamp].discard(ghost)

    def leave(self, item: Item) -> None:
        """Take the item out; walks begun before still find it where it stood."""
        self._leave(item)

    @contextlib.contextmanager
    def moving(self, item: Item) -> Iterator[None]:
        """Wrap a change of the item's key fields; the index follows the item."""
        entry = self._place.get(item)
        if entry is None:  # its first move: it takes an entry, in place, from clock 0
            if item not in self._entries:
                yield
                return
            entry = _Entry(self.key(item), item, 0)
            self._entries.remove(item)
            self._settle(entry)
        yield
        key = self.key(item)
        if key != entry.key:
            self._leave(item)
            self._settle(_Entry(key, item, self._clock))

    def begin_walk(self) -> int:
        """The walk's stamp; it is remembered only once a NextToken carries it on."""
        return self._clock

    def walk(self, walk: int, low: Bound | None, high: Bound | None, descending: bool,
             keep: Callable[[Item], bool]) -> Iterator[tuple[Key, Item]]:
        self._resume(walk)
        try:
            yield from super().walk(walk, low, high, descending, keep)
        except GeneratorExit:  # stopped early: a NextToken carries the walk on
            self._hold(walk)
            raise

    def _visible(self, walk: int, low: Bound | None, high: Bound | None,
                 descending: bool) -> Iterator[tuple[Key, Item]]:
        entries = self._range(self._entries, low, high, descending)
        if walk < self._newest_ghost:  # it may need places left since it began
            entries = heapq.merge(entries, self._range(self._ghosts, low, high, descending),
                                  key=self._entry_key, reverse=descending)
        for entry in entries:
            if type(entry) is not _Entry:
                yield None, entry
            elif entry.seen_by(walk):
                yield entry.key, entry.item

    def _entry_key(self, entry: Any) -> Key:
        return entry.key if type(entry) is _Entry else self.key(entry)

    def _settle(self, entry: _Entry) -> None:
        self._entries.add(entry)
        self._place[entry.item] = entry

    def _leave(self, item: Item) -> None:
        entry = self._place.pop(item, None)
        if entry is None:
            entry = _Entry(self.key(item), item, 0)
            self._entries.remove(item)
        else:
            self._entries.remove(entry)
        self._clock += 1
        entry.until = self._clock
        self._forget_walks(time.monotonic())
        keepers = self._keepers(entry)
        if not keepers:  # no open walk saw it there
            return
        entry.pins = len(keepers)
        for stamp in keepers:
            self._kept[stamp].add(entry)
        self._left.setdefault(item, []).append(entry)
        self._ghosts.add(entry)
        self._newest_ghost = self._clock

    def _keepers(self, ghost: _Entry) -> list[int]:
        """The open walks that see the place: begun while the resource was there."""
        assert ghost.until is not None
        first = bisect.bisect_left(self._stamps, ghost.since)
        return self._stamps[first:bisect.bisect_left(self._stamps, ghost.until)]

    def _resume(self, walk: int) -> None:
        now = time.monotonic()
        self._forget_walks(now)
        if walk in self._open:
            self._open[walk] = now
            self._open.move_to_end(walk)
        elif walk != self._clock:
            # [chosen] AWS documents no error for a stale token.
            raise ValidationException(
                "The NextToken has expired: its list changed after the walk was idle for "
                f"{WALK_MEMORY_SECONDS / 60:.0f} minutes or {MAX_OPEN_WALKS} newer walks began. "
                "Start the list again."
            )

    def _hold(self, walk: int) -> None:
        now = time.monotonic()
        if walk not in self._open:
            bisect.insort(self._stamps, walk)
            self._kept[walk] = set()
        self._open[walk] = now
        self._open.move_to_end(walk)
        self._forget_walks(now)

    def _forget_walks(self, now: float) -> None:
        """Let go of the least recently used walks beyond the limit, and of idle ones."""
        horizon = now - WALK_MEMORY_SECONDS
        while self._open:
            stamp, used = next(iter(self._open.items()))
            if len(self._open) <= MAX_OPEN_WALKS and used >= horizon:
                return
            del self._open[stamp]
            self._stamps.remove(stamp)
            for ghost in self._kept.pop(stamp):
                ghost.pins -= 1
                if ghost.pins == 0:
                    self._ghosts.remove(ghost)
                    places = self._left[ghost.item]
                    places.remove(ghost)
                    if not places:
                        del self._left[ghost.item]


class Catalog(Generic[Item]):
    """Every sort order of one collection, kept together: add, remove and move go to all."""

    def __init__(self, **orders: SortedIndex[Item]) -> None:
        self.orders = orders

    def __getitem__(self, order: str) -> SortedIndex[Item]:
        return self.orders[order]

    def add(self, item: Item) -> None:
        for index in self.orders.values():
            index.add(item)

    def remove(self, item: Item) -> None:
        for index in self.orders.values():
            index.remove(item)

    @contextlib.contextmanager
    def moving(self, item: Item) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            for index in self.orders.values():
                if isinstance(index, MovingIndex):
                    stack.enter_context(index.moving(item))
            yield
