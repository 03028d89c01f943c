"""Figure 10's history rows: what a page and a write cost after many UpdateImage/ListImages
pairs (sorted by LastModifiedTime, each first page handing out a NextToken), against the same
calls in a fresh store of the same images. Both stores live in one mock, in two regions, and are
called in-process (no HTTP, no boto3): the cost measured is the store's, under its lock.

The pairs go straight to the store too: through boto3, 200,000 of them would take about 15
minutes to set up.
"""
from __future__ import annotations

import gc
import itertools
import time
from typing import Any, Callable

IMAGES = 200  # images in each store
VICTIMS = 400  # images deleted per timed batch of deletes
PAGES = 200  # first pages per timed batch
BY_MODIFIED = {"sort_by": "LAST_MODIFIED_TIME", "sort_order": "DESCENDING", "max_results": 10}


def fill(store: Any, role_arn: str) -> None:
    for number in range(IMAGES):
        store.create_image(image_name=f"image-{number:05}", role_arn=role_arn)


def pile_up(store: Any, pairs: int) -> None:
    """`pairs` times: UpdateImage of one image, then the first page of ListImages by
    LastModifiedTime (newest first), which hands out a NextToken: a polling client."""
    for pair in range(pairs):
        store.update_image(image_name="image-00007", description=f"pair {pair}")
        if not store.list_images(**BY_MODIFIED)["NextToken"]:
            raise AssertionError("a first page of 10 of 200 images has a NextToken")


def _timed(action: Callable[[], Any], calls: int) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) / calls


def page_batch(store: Any) -> Callable[[], float]:
    def run() -> None:
        for _ in range(PAGES):
            store.list_images(**BY_MODIFIED)

    return lambda: _timed(run, PAGES)


def delete_batch(store: Any, role_arn: str) -> Callable[[], float]:
    """Deletes of unrelated images, made (untimed) just before each batch."""
    counter = itertools.count()

    def once() -> float:
        victims = [f"victim-{next(counter):06}" for _ in range(VICTIMS)]
        for name in victims:
            store.create_image(image_name=name, role_arn=role_arn)

        def run() -> None:
            for name in victims:
                store.delete_image(image_name=name)

        return _timed(run, VICTIMS)

    return once
