"""The sorted indexes behind every list operation: a page costs a search plus the page itself.

A list keeps its resources in one `SortedIndex` per sort order (sortedcontainers underneath) and
reads a page with `pagination.paginate`. A walk (the pages one NextToken chain visits) is stamped
with the index's clock when it begins. When a key moves (LastModifiedTime), the entry it moved
away from stays, as a ghost, while a walk begun before the move may still need it: that walk
finds the resource where it was when the walk began (or, created since, where it was created), so
it lists it once and never skips it.
"""
from __future__ import annotations

import collections
import contextlib
import time
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from sortedcontainers import SortedKeyList

Item = TypeVar("Item")
# A sort key: a tuple, or a string (a name: no object built per item). JSON round-trips both.
Key = Any
SortKey = Callable[[Any], Key]
Bound = tuple[Key, bool]  # (key, inclusive)
# [chosen] A walk in an order whose key moves stays exact for this long after a move.
WALK_MEMORY_SECONDS = 600.0


class _Entry:
    """A position a resource took in an order whose key moves, or one it left (a ghost).

    Until its first move a resource is its own entry, with no stamps: every walk finds it there
    (one begun before it was created, too)."""

    __slots__ = ("key", "item", "since", "until")

    def __init__(self, key: Key, item: Any, since: int) -> None:
        self.key = key
        self.item = item
        self.since = since  # clock when the resource took this key (0: when it was added)
        self.until: int | None = None  # clock when it left it (a ghost), None while current

    def seen_by(self, walk: int) -> bool:
        """Whether a walk begun at clock `walk` finds the resource here (exactly one entry)."""
        return self.since <= walk and (self.until is None or walk < self.until)


class SortedIndex(Generic[Item]):
    """Items ordered by a unique sort key. `moves`: the key may change (call `moving`)."""

    def __init__(self, key: SortKey, moves: bool = False, items: Iterable[Item] = ()) -> None:
        self.key = key
        self.moves = moves
        self._entries: Any = SortedKeyList(key=self._entry_key if moves else key)
        self._clock = 0
        self._latest_walk = -1
        self._ghosts: collections.deque[tuple[float, _Entry]] = collections.deque()
        for item in items:
            self.add(item)

    def __len__(self) -> int:
        return len(self._entries) - len(self._ghosts)

    def add(self, item: Item) -> None:
        self._entries.add(item)

    def remove(self, item: Item) -> None:
        """Take the item out, with its ghosts (call before its key fields change)."""
        if not self.moves:
            self._entries.discard(item)
            return
        current = self._current(item)
        if current is not None:
            self._entries.remove(current)
        for ghost in [ghost for _, ghost in self._ghosts if ghost.item is item]:
            self._entries.remove(ghost)
        self._ghosts = collections.deque(pair for pair in self._ghosts if pair[1].item is not item)

    @contextlib.contextmanager
    def moving(self, item: Item) -> Iterator[None]:
        """Wrap a change of the item's key fields; the index follows the item."""
        old = self._current(item)
        if old is item:  # its first move: it takes an entry, in place, from clock 0
            self._entries.remove(item)
            old = _Entry(self.key(item), item, 0)
            self._entries.add(old)
        yield
        if old is None or self.key(item) == old.key:
            return
        self._forget_old_ghosts()
        self._clock += 1
        if old.since <= self._latest_walk:  # a walk begun since may still need this entry
            old.until = self._clock
            self._ghosts.append((time.monotonic(), old))
        else:
            self._entries.remove(old)
        self._entries.add(_Entry(self.key(item), item, self._clock))

    def begin_walk(self) -> int:
        """A walk that goes on past its first page begins now: its stamp, for the NextToken."""
        self._latest_walk = self._clock
        return self._clock

    def walk(self, walk: int, low: Bound | None, high: Bound | None, descending: bool,
             keep: Callable[[Item], bool],
             alive: Callable[[Item], bool]) -> Iterator[tuple[Key, Item]]:
        """(key, item) of the kept items between the bounds, in order, as a walk stamped
        `walk` sees them.

        `alive` may drop the item from the index (it finished deleting): the walk then goes on
        from that key with a fresh search, since the list under the iterator changed."""
        while True:
            for entry in self._range(low, high, descending):
                if isinstance(entry, _Entry):
                    if not entry.seen_by(walk):
                        continue
                    key, item = entry.key, entry.item
                else:
                    key, item = None, entry
                if not keep(item):
                    continue
                if alive(item):
                    yield (key if key is not None else self.key(item)), item
                    continue
                resume = (key if key is not None else self.key(item), False)
                if descending:
                    high = resume
                else:
                    low = resume
                break
            else:
                return

    def _range(self, low: Bound | None, high: Bound | None, descending: bool) -> Iterator[Any]:
        return self._entries.irange_key(
            low[0] if low else None, high[0] if high else None,
            inclusive=(low[1] if low else True, high[1] if high else True), reverse=descending,
        )

    def _entry_key(self, entry: Any) -> Key:
        return entry.key if isinstance(entry, _Entry) else self.key(entry)

    def _current(self, item: Item) -> Any:
        """Where the item is now: its current entry, or the item itself before its first move."""
        key = self.key(item)
        return next((entry for entry in self._entries.irange_key(key, key)
                     if entry is item or (isinstance(entry, _Entry) and entry.item is item
                                          and entry.until is None)), None)

    def _forget_old_ghosts(self) -> None:
        horizon = time.monotonic() - WALK_MEMORY_SECONDS
        while self._ghosts and self._ghosts[0][0] < horizon:
            self._entries.remove(self._ghosts.popleft()[1])


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
                if index.moves:
                    stack.enter_context(index.moving(item))
            yield
