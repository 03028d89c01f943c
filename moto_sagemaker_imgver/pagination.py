"""Cursor pagination for every list operation.

A NextToken names the sort key of the next item, not an offset, so a page starts with a search
in the list's sorted index (no re-walk from the top) and deletions between pages neither skip
nor repeat items. It also carries the walk's stamp (see `indexes`), so a resource whose
LastModifiedTime moves during a walk sorted by it is listed once. And it is bound to the
account and region whose store made it (`tokens_scoped_to`): elsewhere it is not ours.
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import hashlib
import json
from typing import Any, Callable, Iterator, TypeVar

from .exceptions import ValidationException
from .indexes import Bound, Key, SortedIndex

Item = TypeVar("Item")

# Where the request being answered runs; part of every token's fingerprint.
_scope: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("token_scope",
                                                                         default=())


@contextlib.contextmanager
def tokens_scoped_to(*scope: str) -> Iterator[None]:
    """Tokens made or read inside belong to `scope` (an account and region) alone."""
    reset = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(reset)


def paginate(
    index: SortedIndex[Item],
    *,
    descending: bool,
    max_results: int,
    next_token: str | None,
    query: dict[str, Any],
    keep: Callable[[Item], bool] = lambda item: True,
    low: Key | None = None,
    high: Key | None = None,
) -> tuple[list[Item], str | None]:
    """One page of `index`, walked in either direction.

    `query` holds the request's other parameters: a token only continues the query it came from.
    `keep` filters while walking; `low` (inclusive) and `high` (exclusive) bound the keys, so a
    window on the sorted field starts where it starts.
    """
    fingerprint = _fingerprint(query)
    lower: Bound | None = (low, True) if low is not None else None
    upper: Bound | None = (high, False) if high is not None else None
    if next_token:
        cursor, walk = _decode(next_token, fingerprint)
        try:
            if descending and (upper is None or cursor < upper[0]):
                upper = (cursor, True)
            elif not descending and (lower is None or cursor > lower[0]):
                lower = (cursor, True)
        except TypeError:  # a forged cursor whose values do not compare with ours
            raise _invalid_token() from None
    else:
        walk = index.begin_walk()
    page: list[Item] = []
    try:
        for key, item in index.walk(walk, lower, upper, descending, keep):
            if len(page) == max_results:
                return page, _encode(key, walk, fingerprint)
            page.append(item)
    except TypeError:
        if next_token:
            raise _invalid_token() from None
        raise
    return page, None


def _fingerprint(query: dict[str, Any]) -> str:
    canonical = json.dumps([_scope.get(), query], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _encode(cursor: Key, walk: int, fingerprint: str) -> str:
    raw = json.dumps({"cursor": cursor, "walk": walk, "query": fingerprint},
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(token: str, fingerprint: str) -> tuple[Key, int]:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode()))
        cursor, walk, query = payload["cursor"], payload["walk"], payload["query"]
        if not isinstance(cursor, (list, str)) or query != fingerprint \
                or type(walk) is not int:  # noqa: E721  (bool is not a stamp)
            raise ValueError
        return (tuple(cursor) if isinstance(cursor, list) else cursor), walk
    except (ValueError, TypeError, KeyError, UnicodeError, RecursionError):
        raise _invalid_token() from None


def _invalid_token() -> ValidationException:
    # [chosen] AWS documents no error for a foreign or stale token.
    return ValidationException("The NextToken is not valid for this request.")
