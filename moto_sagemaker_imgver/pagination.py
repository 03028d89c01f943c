"""Cursor pagination for every list operation.

A NextToken names the sort key of the next item, not an offset, so a page starts with a binary
search (no re-walk from the top) and deletions between pages neither skip nor repeat items.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import json
from typing import Any, Callable, Sequence, TypeVar

from .exceptions import ValidationException

Item = TypeVar("Item")
SortKey = Callable[[Any], tuple]


def paginate(
    ascending: Sequence[Item],
    sort_key: SortKey,
    *,
    descending: bool,
    max_results: int,
    next_token: str | None,
    query: dict[str, Any],
    keep: Callable[[Item], bool] = lambda item: True,
) -> tuple[list[Item], str | None]:
    """One page of `ascending` (sorted by `sort_key`, keys unique), walked in either direction.

    `query` holds the request's other parameters: a token only continues the query it came from.
    `keep` filters while walking, so only one page's worth of items is looked at beyond the skip.
    """
    fingerprint = _fingerprint(query)
    position = 0 if not descending else len(ascending) - 1
    if next_token:
        cursor = _decode(next_token, fingerprint)
        try:
            if descending:
                position = bisect.bisect_right(ascending, cursor, key=sort_key) - 1
            else:
                position = bisect.bisect_left(ascending, cursor, key=sort_key)
        except TypeError:  # a forged cursor whose values do not compare with ours
            raise _invalid_token() from None
    step = -1 if descending else 1
    page: list[Item] = []
    while 0 <= position < len(ascending):
        item = ascending[position]
        if keep(item):
            if len(page) == max_results:
                return page, _encode(sort_key(item), fingerprint)
            page.append(item)
        position += step
    return page, None


def _fingerprint(query: dict[str, Any]) -> str:
    canonical = json.dumps(query, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _encode(cursor: tuple, fingerprint: str) -> str:
    raw = json.dumps({"cursor": list(cursor), "query": fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(token: str, fingerprint: str) -> tuple:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode()))
        cursor, query = payload["cursor"], payload["query"]
        if not isinstance(cursor, list) or query != fingerprint:
            raise ValueError
        return tuple(cursor)
    except (ValueError, TypeError, KeyError, UnicodeError, RecursionError):
        raise _invalid_token() from None


def _invalid_token() -> ValidationException:
    # [chosen] AWS documents no error for a foreign or stale token.
    return ValidationException("The NextToken is not valid for this request.")
