"""Concurrency stress against the real server command: 8 client threads x 250 mixed operations on
one image. Afterwards the image must be consistent: no 5xx anywhere, version numbers unique and
increasing in creation order, no alias on two versions, and ListAliases of the whole image equal
to the union of its versions' aliases."""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from support import BASE_IMAGE, RACE_SHARE, ROLE_ARN, client_for

pytestmark = pytest.mark.slow  # a thread race against the server command

IMAGE = "stress-image"
THREADS = 8
OPERATIONS = int(250 * RACE_SHARE)  # per thread
POOL = [f"pool-{i}" for i in range(20)]
SEED_VERSIONS = 4
# One client per thread, never retrying: every answer the server gives is seen and counted.
CONFIG = Config(retries={"max_attempts": 0}, max_pool_connections=2, connect_timeout=10,
                read_timeout=30)
# Errors a correct server may give under contention, by what the request tried.
ADDS_ALIAS = {"ValidationException", "ResourceNotFound"}  # alias held elsewhere; target gone
OTHER = {"ResourceNotFound"}  # the version (or the alias on it) went away meanwhile


@dataclass
class Shared:
    """Client-side bookkeeping: guesses that steer the operations, never the thing checked."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    live: list[int] = field(default_factory=list)
    holder: dict[str, int] = field(default_factory=dict)  # alias -> version last seen holding it
    creations: list[tuple[float, float, int]] = field(default_factory=list)  # start, end, number
    statuses: list[int] = field(default_factory=list)
    snapshots: list[list[str]] = field(default_factory=list)  # whole-image ListAliases pages
    unexpected: list[str] = field(default_factory=list)

    def pick(self, rng: random.Random) -> int | None:
        with self.lock:
            return rng.choice(self.live) if self.live else None


def call(shared: Shared, allowed: set[str], operation: Callable[..., Any], **kwargs: Any) -> Any:
    """The answer, or None for an allowed error; anything else is recorded as unexpected."""
    try:
        answer = operation(**kwargs)
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        code = error.response["Error"]["Code"]
        with shared.lock:
            shared.statuses.append(status)
            if status != 400 or code not in allowed:
                shared.unexpected.append(f"{operation.__name__}{kwargs}: {status} {code} "
                                         f"{error.response['Error'].get('Message')}")
        return None
    except BotoCoreError as error:  # a dropped connection, a body botocore cannot parse
        with shared.lock:
            shared.unexpected.append(f"{operation.__name__}{kwargs}: {error!r}")
        return None
    with shared.lock:
        shared.statuses.append(answer["ResponseMetadata"]["HTTPStatusCode"])
    return answer


def number_of(arn: str) -> int:
    return int(arn.rsplit("/", 1)[1])


def create(sm: Any, shared: Shared, rng: random.Random) -> None:
    aliases = [rng.choice(POOL)] if rng.random() < 0.3 else []
    start = time.monotonic()
    answer = call(shared, ADDS_ALIAS if aliases else OTHER, sm.create_image_version,
                  ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=aliases)
    end = time.monotonic()
    if answer is not None:
        number = number_of(answer["ImageVersionArn"])
        with shared.lock:
            shared.creations.append((start, end, number))
            shared.live.append(number)
            for alias in aliases:
                shared.holder[alias] = number


def move_alias(sm: Any, shared: Shared, rng: random.Random) -> None:
    alias, target = rng.choice(POOL), shared.pick(rng)
    if target is None:
        return
    with shared.lock:
        holder = shared.holder.get(alias)
    if holder == target:
        return
    if holder is not None:
        call(shared, OTHER, sm.update_image_version, ImageName=IMAGE, Version=holder,
             AliasesToDelete=[alias])
        with shared.lock:
            if shared.holder.get(alias) == holder:
                del shared.holder[alias]  # deleted from it, or the guess was stale
    if call(shared, ADDS_ALIAS, sm.update_image_version, ImageName=IMAGE, Version=target,
            AliasesToAdd=[alias]) is not None:
        with shared.lock:
            shared.holder[alias] = target
    else:  # held elsewhere: learn where, for a later move
        found = call(shared, OTHER, sm.describe_image_version, ImageName=IMAGE, Alias=alias)
        if found is not None:
            with shared.lock:
                shared.holder[alias] = found["Version"]


def update_metadata(sm: Any, shared: Shared, rng: random.Random) -> None:
    target = shared.pick(rng)
    if target is not None:
        call(shared, OTHER, sm.update_image_version, ImageName=IMAGE, Version=target,
             ReleaseNotes=f"notes {rng.random()}", JobType=rng.choice(["TRAINING", "INFERENCE"]),
             Horovod=rng.random() < 0.5)


def delete_version(sm: Any, shared: Shared, rng: random.Random) -> None:
    target = shared.pick(rng)
    if target is None:
        return
    if call(shared, OTHER, sm.delete_image_version, ImageName=IMAGE, Version=target) is not None:
        with shared.lock:
            if target in shared.live:
                shared.live.remove(target)
            for alias in [a for a, number in shared.holder.items() if number == target]:
                del shared.holder[alias]


def list_aliases(sm: Any, shared: Shared, rng: random.Random) -> None:
    target = shared.pick(rng)
    if target is None or rng.random() < 0.3:
        # One page holds the whole pool: a snapshot, in which no alias may appear twice.
        answer = call(shared, OTHER, sm.list_aliases, ImageName=IMAGE, MaxResults=100)
        if answer is not None:
            with shared.lock:
                shared.snapshots.append(answer["SageMakerImageVersionAliases"])
    else:
        call(shared, OTHER, sm.list_aliases, ImageName=IMAGE, Version=target)


MIX = [(create, 15), (move_alias, 35), (update_metadata, 20), (delete_version, 12), (list_aliases, 18)]


def all_pages(operation: Callable[..., Any], key: str, **kwargs: Any) -> list[Any]:
    items, token = [], None
    while True:
        answer = operation(**kwargs, **({"NextToken": token} if token else {}))
        items += answer[key]
        token = answer.get("NextToken")
        if not token:
            return items


def test_concurrent_mixed_operations_leave_a_consistent_image(server_url: str) -> None:
    clients = [client_for(server_url, config=CONFIG) for _ in range(THREADS)]
    setup = clients[0]
    setup.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    shared = Shared()
    for _ in range(SEED_VERSIONS):
        create(setup, shared, random.Random(0))
    operations, weights = zip(*MIX)
    barrier = threading.Barrier(THREADS)
    crashes: list[BaseException] = []

    def worker(index: int) -> None:
        rng = random.Random(index)
        barrier.wait()
        try:
            for operation in rng.choices(operations, weights, k=OPERATIONS):
                operation(clients[index], shared, rng)
        except BaseException as error:  # noqa: BLE001  (re-raised in the test's thread below)
            crashes.append(error)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "client threads did not finish"
    assert not crashes, crashes[0]

    # No 5xx, no error a correct server would not give, and the operations really ran.
    assert not [status for status in shared.statuses if status >= 500]
    assert not shared.unexpected, shared.unexpected[:5]
    assert len(shared.statuses) >= THREADS * OPERATIONS * 0.9

    assert shared.snapshots and all(len(page) == len(set(page)) for page in shared.snapshots), \
        "an alias was listed twice while the threads ran"

    # Version numbers: unique, and a creation that finished before another began got a lower one.
    numbers = [number for _, _, number in shared.creations]
    assert len(numbers) == len(set(numbers))
    for start, _, number in shared.creations:
        earlier = [n for _, end, n in shared.creations if end < start]
        assert all(n < number for n in earlier), (number, max(earlier))
    versions = all_pages(setup.list_image_versions, "ImageVersions", ImageName=IMAGE,
                         SortOrder="ASCENDING", MaxResults=100)
    listed = [version["Version"] for version in versions]
    assert listed == sorted(set(listed)) and set(listed) <= set(numbers)
    times = [version["CreationTime"] for version in versions]
    assert times == sorted(times)

    # Aliases: each on at most one version, and the image's list is the union of its versions'.
    per_version = {number: all_pages(setup.list_aliases, "SageMakerImageVersionAliases",
                                     ImageName=IMAGE, Version=number, MaxResults=3)
                   for number in listed}
    held = [alias for aliases in per_version.values() for alias in aliases]
    assert len(held) == len(set(held)), "an alias is on two versions"
    assert set(held) <= set(POOL)
    whole = all_pages(setup.list_aliases, "SageMakerImageVersionAliases", ImageName=IMAGE,
                      MaxResults=7)
    assert whole == held  # the union, in the spec's order: by version, then as added
    for number, aliases in per_version.items():
        for alias in aliases:
            assert setup.describe_image_version(ImageName=IMAGE, Alias=alias)["Version"] == number
    for alias in set(POOL) - set(held):  # a freed alias points nowhere, not at a deleted version
        with pytest.raises(ClientError) as info:
            setup.describe_image_version(ImageName=IMAGE, Alias=alias)
        assert info.value.response["Error"]["Code"] == "ResourceNotFound", alias
