"""The list orders of Studio resources, one set per scope (everything, one domain, one owner), so
that a filter on an exact member reads its own order and a page costs the page, whatever the
number of resources elsewhere."""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Generic, Hashable, Iterable, Iterator, Protocol, TypeVar

from ..indexes import Catalog, MovingIndex, SortedIndex
from ..pagination import paginate
from ..store import DEFAULT_MAX_RESULTS, Timed, creation_key, modification_key

Scope = tuple[Hashable, ...]
EVERYTHING: Scope = ()


class Tied(Timed, Protocol):
    tie: str  # breaks equal times in list orders


Item = TypeVar("Item", bound=Tied)


def timed_catalog() -> Catalog[Item]:
    """By creation and by last modification; ties go by the resource's `tie`."""
    return Catalog(created=SortedIndex(creation_key),
                   modified=MovingIndex(lambda item: modification_key(item, item.tie)))


def created_catalog() -> Catalog[Item]:
    return Catalog(created=SortedIndex(creation_key))


class Scoped(Generic[Item]):
    """One catalog per scope; a scope's catalog exists while it holds something."""

    def __init__(self, factory: Callable[[], Catalog[Item]]) -> None:
        self.factory = factory
        self.catalogs: dict[Scope, Catalog[Item]] = {}

    def add(self, item: Item, scopes: Iterable[Scope]) -> None:
        for scope in scopes:
            catalog = self.catalogs.get(scope)
            if catalog is None:
                catalog = self.catalogs[scope] = self.factory()
            catalog.add(item)

    def remove(self, item: Item, scopes: Iterable[Scope]) -> None:
        for scope in scopes:
            catalog = self.catalogs.get(scope)
            if catalog is not None:
                catalog.remove(item)

    def drop(self, scope: Scope) -> None:
        self.catalogs.pop(scope, None)

    @contextlib.contextmanager
    def moving(self, item: Item, scopes: Iterable[Scope]) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            for scope in scopes:
                catalog = self.catalogs.get(scope)
                if catalog is not None:
                    stack.enter_context(catalog.moving(item))
            yield

    def page(self, scope: Scope, *, sort_by: str | None, sort_order: str | None,
             max_results: int | None, next_token: str | None, query: dict[str, Any],
             keep: Callable[[Item], bool] = lambda item: True) -> tuple[list[Item], str | None]:
        """One page of the scope. The model's defaults: by CreationTime, Ascending."""
        catalog = self.catalogs.get(scope) or self.factory()  # an empty one still reads tokens
        order = "modified" if sort_by == "LastModifiedTime" else "created"
        return paginate(catalog[order], descending=sort_order == "Descending",
                        max_results=max_results or DEFAULT_MAX_RESULTS, next_token=next_token,
                        query=query, keep=keep)


def contains(needle: str | None) -> Callable[[str], bool]:
    """A `...NameContains` filter."""
    # [chosen] They ignore case, as ListImages' NameContains does.
    lowered = (needle or "").lower()
    return lambda name: lowered in name.lower()
