"""Client threads race on one image through a real server (the server command, and a
ThreadedMotoServer in this process): creating versions, moving a few aliases between them with
UpdateImageVersion, deleting versions, describing. Every request is logged with when it was
sent and answered; afterwards the log and the final state must agree with the invariants:
never a 5xx, version numbers unique and increasing in creation order with none lost to a failed
request, each alias on at most one version (on the one that took it last, when that is
unambiguous), and a failed request leaves no trace."""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from support import BASE_IMAGE, RACE_SHARE, ROLE_ARN, client_for

pytestmark = pytest.mark.slow  # thread races

IMAGE = "race-image"
THREADS = 8
REQUESTS = int(150 * RACE_SHARE)  # actions per thread; a move is up to three requests
TIME_LIMIT = 60.0  # seconds for the whole race, whatever the machine's load
POOL = ["a0", "a1", "a2", "a3", "a4"]  # few aliases: many requests fight over each
CONFIG = Config(retries={"max_attempts": 0}, max_pool_connections=2, connect_timeout=10,
                read_timeout=30)
TOLERANCE = 0.005  # seconds between the client's clock readings and the server's timestamps
# What a request may be refused with under contention; ResourceInUse never (statuses settle).
ALLOWED = {"create": {"ValidationException"},
           "update": {"ValidationException", "ResourceNotFound"},
           "delete": {"ResourceNotFound"}, "describe": {"ResourceNotFound"}, "list": set()}


@dataclass
class Call:
    kind: str
    request: dict[str, Any]
    sent: float
    received: float
    code: str | None = None  # None: it succeeded
    answer: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.code is None

    def before(self, other: "Call") -> bool:
        """Answered before the other was sent: the server handled it first."""
        return self.received < other.sent


def send(sm: Any, log: list[Call], kind: str, **request: Any) -> Call:
    method = {"create": sm.create_image_version, "update": sm.update_image_version,
              "delete": sm.delete_image_version, "describe": sm.describe_image_version,
              "list": sm.list_aliases}[kind]
    call = Call(kind, request, time.time(), 0.0)
    try:
        call.answer = method(ImageName=IMAGE, **request)
    except ClientError as error:
        call.code = error.response["Error"]["Code"]
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == 400, f"{kind} {request}: {status} {error.response['Error']}"
    call.received = time.time()
    log.append(call)
    return call


def number_of(call: Call) -> int:
    return int(call.answer["ImageVersionArn"].rsplit("/", 1)[1])


def race(sm: Any, log: list[Call], seed: int, known: list[int], deadline: float) -> None:
    rng = random.Random(seed)
    for _ in range(REQUESTS):
        if time.monotonic() > deadline:
            return
        version = rng.choice(known[-6:] + known[:1])  # mostly recent versions, one maybe gone
        roll = rng.random()
        if roll < 0.14:
            aliases = rng.sample(POOL, rng.choice([0, 1, 1, 2]))
            call = send(sm, log, "create", BaseImage=BASE_IMAGE, Aliases=aliases)
            if call.ok:
                known.append(number_of(call))
        elif roll < 0.40:  # the documented move: delete from the holder, then add
            alias = rng.choice(POOL)
            found = send(sm, log, "describe", Alias=alias)
            if found.ok:
                send(sm, log, "update", Version=found.answer["Version"], AliasesToDelete=[alias])
            send(sm, log, "update", Version=version, AliasesToAdd=[alias])
        elif roll < 0.64:
            add = rng.sample(POOL, rng.choice([1, 1, 2]))
            delete = rng.sample([a for a in POOL if a not in add], rng.choice([0, 0, 1]))
            send(sm, log, "update", Version=version, AliasesToAdd=add, AliasesToDelete=delete,
                 **({"ReleaseNotes": f"from {seed}"} if rng.random() < 0.3 else {}))
        elif roll < 0.76:
            send(sm, log, "update", Version=version, AliasesToDelete=[rng.choice(POOL)])
        elif roll < 0.82:
            send(sm, log, "delete", Version=version)
        elif roll < 0.93:
            target = rng.choice([{"Alias": rng.choice(POOL)}, {"Version": version}, {}])
            send(sm, log, "describe", **target)
        else:
            send(sm, log, "list", MaxResults=100)


def adds(call: Call) -> list[tuple[str, int]]:
    """(alias, version) pairs a successful call put in place."""
    if call.kind == "create":
        return [(alias, number_of(call)) for alias in call.request["Aliases"]]
    if call.kind == "update":
        return [(alias, call.request["Version"]) for alias in call.request.get("AliasesToAdd", [])]
    return []


def removes(call: Call) -> list[tuple[str, int]]:
    if call.kind == "update":
        return [(alias, call.request["Version"])
                for alias in call.request.get("AliasesToDelete", [])]
    return []


def expected_holder(alias: str, log: list[Call], deleted: set[int]) -> tuple[bool, int | None]:
    """(known, version): where the alias must be, when its last add or delete is unambiguous
    (sent after every other one on it was answered)."""
    events = [call for call in log if call.ok and call.kind in ("create", "update")
              and any(a == alias for a, _ in adds(call) + removes(call))]
    last = [call for call in events if all(other is call or other.before(call) for other in events)]
    if not last:
        return not events, None
    added = [number for a, number in adds(last[0]) if a == alias]
    if not added:
        return True, None
    return True, (None if added[0] in deleted else added[0])


def check(sm: Any, log: list[Call], seeded: int) -> None:
    for call in log:
        assert call.ok or call.code in ALLOWED[call.kind], (call.kind, call.request, call.code)
    creations = sorted((call for call in log if call.kind == "create" and call.ok),
                       key=lambda call: call.sent)
    numbers = [number_of(call) for call in creations]
    # Unique, none skipped (a refused create takes no number), increasing in real-time order.
    assert sorted(numbers) == list(range(seeded + 1, seeded + len(numbers) + 1))
    for earlier in creations:
        for later in creations:
            if earlier.before(later):
                assert number_of(earlier) < number_of(later)
    deleted = {call.request["Version"] for call in log if call.kind == "delete" and call.ok}
    versions, token = [], None
    while True:
        page = sm.list_image_versions(ImageName=IMAGE, SortOrder="ASCENDING", MaxResults=100,
                                      **({"NextToken": token} if token else {}))
        versions += page["ImageVersions"]
        token = page.get("NextToken")
        if not token:
            break
    live = [version["Version"] for version in versions]
    assert live == sorted(set(range(1, seeded + len(numbers) + 1)) - deleted)

    holder: dict[str, int] = {}
    for number in live:
        for alias in sm.list_aliases(ImageName=IMAGE, Version=number,
                                     MaxResults=100)["SageMakerImageVersionAliases"]:
            assert alias not in holder, f"{alias} is on versions {holder[alias]} and {number}"
            holder[alias] = number
    for alias in POOL:
        known, where = expected_holder(alias, log, deleted)
        if known:
            assert holder.get(alias) == where, (alias, where, holder.get(alias))
    # No alias is ever seen on a version before a request that put it there was sent: a refused
    # add (a conflict, a version gone) did not half-apply.
    seen = [(alias, number, time.time()) for alias, number in holder.items()]
    seen += [(call.request["Alias"], call.answer["Version"], call.received) for call in log
             if call.kind == "describe" and call.ok and "Alias" in call.request]
    put = [(pair, call.sent) for call in log if call.ok for pair in adds(call)]
    for alias, number, when in seen:
        assert any(pair == (alias, number) and sent < when for pair, sent in put), \
            f"{alias} was seen on version {number}, where no successful request had put it"
    for call in log:
        if call.kind == "list" and call.ok:
            listed = call.answer["SageMakerImageVersionAliases"]
            assert len(listed) == len(set(listed)), f"an alias on two versions at once: {listed}"
        if call.kind == "describe" and call.ok:
            assert call.answer["Version"] in numbers or call.answer["Version"] <= seeded

    # A refused update left no trace: a version's LastModifiedTime is its creation's or falls
    # within a successful update of it, never only within a refused one.
    for version in versions:
        number, modified = version["Version"], version["LastModifiedTime"].timestamp()
        if version["LastModifiedTime"] == version["CreationTime"]:
            continue
        updates = [call for call in log if call.kind == "update" and call.ok
                   and call.request["Version"] == number]
        assert any(call.sent - TOLERANCE <= modified <= call.received + TOLERANCE
                   for call in updates), f"version {number} was modified by a refused request"


@pytest.mark.parametrize("server", ["server_url", "sagemaker_imgver_server"],
                         ids=["server command", "in-process"])
def test_racing_clients_keep_every_invariant(server: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(server)
    clients = [client_for(url, config=CONFIG) for _ in range(THREADS)]
    clients[0].create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    logs: list[list[Call]] = [[] for _ in range(THREADS)]
    known = [number_of(send(clients[0], logs[0], "create", BaseImage=BASE_IMAGE, Aliases=[]))
             for _ in range(3)]
    seeded, logs[0] = len(known), []
    barrier = threading.Barrier(THREADS)
    crashes: list[BaseException] = []
    deadline = time.monotonic() + TIME_LIMIT

    def worker(index: int) -> None:
        barrier.wait()
        try:
            race(clients[index], logs[index], index, known, deadline)
        except BaseException as error:  # noqa: BLE001  (re-raised in the test's thread)
            crashes.append(error)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT + 60)
    assert not any(thread.is_alive() for thread in threads), "client threads did not finish"
    assert not crashes, crashes[0]
    log = [call for calls in logs for call in calls]
    assert len(log) >= THREADS * 20, "the race hardly ran"
    check(clients[0], log, seeded)
    outcomes: dict[str, int] = {}
    for call in log:
        key = f"{call.kind} {call.code or 'ok'}"
        outcomes[key] = outcomes.get(key, 0) + 1
    print(f"\n{server}: {len(log)} requests in {time.monotonic() - deadline + TIME_LIMIT:.1f} s,"
          f" {sorted(outcomes.items())}")
