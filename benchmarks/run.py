"""Benchmarks of the image operations against moto's own SageMaker calls, side by side in one run.

    python benchmarks/run.py              # the reference figures (a few minutes on 2 cores)
    python benchmarks/run.py --quick      # a fast smoke run: smaller counts, fewer repeats
    python benchmarks/run.py --only 3,4   # some of the figures
    python benchmarks/run.py --build store  # build the 10,000 versions in the store, not via boto3

Every figure is a ratio to a baseline measured in the same run, interleaved with it, as the
median of several repeats, so the machine's speed and its noise largely cancel out. The final
table is what the README quotes. Exit status 1 when a goal is missed.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
os.environ.update(FAKE_CREDENTIALS)  # before boto3 reads its configuration; never real AWS

import boto3  # noqa: E402
import requests  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto import mock_aws  # noqa: E402

import moto_sagemaker_imgver  # noqa: E402,F401  (installs the image operations into moto)

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
BASE_IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/bench:1.0"
NO_RETRIES = Config(retries={"max_attempts": 0}, max_pool_connections=4)


@dataclass
class Settings:
    repeats: int
    calls: int  # calls per timed batch, in-process
    versions: int  # the "10,000 versions" of figures 2, 3 and 6
    small_versions: int  # the "100 versions" of figure 3
    server_calls: int  # calls per client thread per timed batch
    import_runs: int
    build: str  # how the large images are built: "boto3" or "store"
    list_big: int = 10_000  # figure 10: resources per list, large
    list_small: int = 200  # figure 10: resources per list, small
    list_calls: int = 20  # figure 10: pages per timed batch
    pileup_pairs: int = 200_000  # figure 10: UpdateImage/ListImages pairs before a page, a delete


FULL = Settings(repeats=11, calls=120, versions=10_000, small_versions=100, server_calls=80,
                import_runs=21, build="boto3")
QUICK = Settings(repeats=3, calls=60, versions=1_000, small_versions=100, server_calls=50,
                 import_runs=3, build="store", list_big=2_000, list_calls=10, pileup_pairs=20_000)


@dataclass
class Figure:
    number: int
    name: str
    measured: str  # ours, with its unit
    baseline: str  # the baseline, with its unit
    ratio: float | None
    goal: str  # e.g. "<= 1.15x"; "" for a figure reported without a goal
    passed: bool | None


# --- helpers -------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed(action: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def client(**kwargs: Any) -> Any:
    return boto3.client("sagemaker", region_name=REGION, **kwargs)


def store_of(account: str = ACCOUNT, region: str = REGION,
             serving: str = "create_image_version") -> Any:
    """The store behind the mock that serves `serving` (for building large fixtures fast)."""
    from moto.sagemaker.models import sagemaker_backends

    backend = sagemaker_backends[account][region]
    return next(store for store in backend.image_stores if hasattr(store, serving))


def build_image(sm: Any, name: str, versions: int, aliases_per_version: int, how: str) -> None:
    """An image with `versions` versions; version n holds aliases `<name>-n` (and `<name>-n-b`)."""
    sm.create_image(ImageName=name, RoleArn=ROLE_ARN)

    def aliases(number: int) -> list[str]:
        return [f"{name}-{number}", f"{name}-{number}-b"][:aliases_per_version]

    if how == "store":
        store = store_of()
        for number in range(1, versions + 1):
            store.create_image_version(image_name=name, base_image=BASE_IMAGE, aliases=aliases(number))
    else:
        for number in range(1, versions + 1):
            sm.create_image_version(ImageName=name, BaseImage=BASE_IMAGE, Aliases=aliases(number))


def interleaved(repeats: int, **actions: Callable[[], float]) -> dict[str, list[float]]:
    """Run each action once per repeat, alternating which goes first; their samples by name."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for repeat in range(repeats):
        for name in (names if repeat % 2 == 0 else names[::-1]):
            samples[name].append(actions[name]())
    return samples


def paired_ratio(ours: Sequence[float], base: Sequence[float]) -> float:
    """Median of the per-repeat ratios: each pair ran back to back, so a slow spell of the
    machine (other processes) hits both sides of a pair alike."""
    return median([a / b for a, b in zip(ours, base)])


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} us"


def at_most(number: int, name: str, ours: Sequence[float], base: Sequence[float], goal: float | None,
            unit: Callable[[float], str]) -> Figure:
    """A figure whose ratio must stay at or below `goal` (None: reported for information)."""
    ratio = paired_ratio(ours, base)
    return Figure(number, name, unit(median(ours)), unit(median(base)), ratio,
                  f"<= {goal:.2f}x" if goal is not None else "",
                  ratio <= goal if goal is not None else None)


# --- 1. in-process call cost -----------------------------------------------------------------


def bench_call_cost(settings: Settings) -> list[Figure]:
    with mock_aws():
        sm = client()
        sm.create_image(ImageName="cost", RoleArn=ROLE_ARN)
        counter = iter(range(10**9))

        def update_batch() -> float:
            # A fresh version per batch, a fresh alias per call: alias lists stay short.
            number = int(sm.create_image_version(ImageName="cost", BaseImage=BASE_IMAGE)
                         ["ImageVersionArn"].rsplit("/", 1)[1])
            batch = next(counter)

            def run() -> None:
                for i in range(settings.calls):
                    sm.update_image_version(ImageName="cost", Version=number,
                                            AliasesToAdd=[f"a{batch}-{i}"], ReleaseNotes="notes")

            return timed(run) / settings.calls

        def list_models_batch() -> float:
            def run() -> None:
                for _ in range(settings.calls):
                    sm.list_models()

            return timed(run) / settings.calls

        update_batch(), list_models_batch()  # warm both paths
        samples = interleaved(settings.repeats, update=update_batch, list_models=list_models_batch)
    return [at_most(1, "UpdateImageVersion (1 alias added, ReleaseNotes) vs list_models, in-process",
                    samples["update"], samples["list_models"], 1.15, us)]


# --- 2 and 3. scale and pagination -----------------------------------------------------------


def bench_scale_and_pages(settings: Settings, which: set[int]) -> list[Figure]:
    figures: list[Figure] = []
    with mock_aws():
        sm = client()
        started = time.perf_counter()
        build_image(sm, "big", settings.versions, 1, settings.build)
        build_seconds = time.perf_counter() - started
        build_image(sm, "one", 1, 1, "boto3")
        build_image(sm, "small", settings.small_versions, 1, "boto3")
        print(f"  built {settings.versions:,} versions with an alias each through "
              f"{'boto3' if settings.build == 'boto3' else 'the store'} in {build_seconds:.1f} s",
              flush=True)
        # Pages first: the scale figure's updates add aliases to the big image.
        pages = _pages(sm, settings) if 3 in which else []
        figures += _scale(sm, settings) if 2 in which else []
    return figures + pages


def _scale(sm: Any, settings: Settings) -> list[Figure]:
    counter = iter(range(10**9))
    size = {"big": settings.versions, "one": 1}

    def targets(image: str) -> Iterator[int]:
        # Spread over the whole image (a stride co-prime with its size), not one hot entry.
        for i in range(settings.calls):
            yield (i * 7919) % size[image] + 1

    def describe(image: str) -> Callable[[], float]:
        def batch() -> float:
            def run() -> None:
                for number in targets(image):
                    sm.describe_image_version(ImageName=image, Alias=f"{image}-{number}")

            return timed(run) / settings.calls

        return batch

    def update(image: str) -> Callable[[], float]:
        def batch() -> float:
            tag = next(counter)

            def run() -> None:
                for i, number in enumerate(targets(image)):
                    sm.update_image_version(ImageName=image, Alias=f"{image}-{number}",
                                            AliasesToAdd=[f"u{tag}-{i}"], ReleaseNotes="notes")

            return timed(run) / settings.calls

        return batch

    for action in (describe("big"), describe("one"), update("big"), update("one")):
        action()  # warm
    described = interleaved(settings.repeats, big=describe("big"), one=describe("one"))
    updated = interleaved(settings.repeats, big=update("big"), one=update("one"))
    n = f"{settings.versions:,}"
    return [
        at_most(2, f"DescribeImageVersion by alias, {n} versions vs 1",
                described["big"], described["one"], 1.2, us),
        at_most(2, f"UpdateImageVersion by alias, {n} versions vs 1",
                updated["big"], updated["one"], 1.2, us),
    ]


def _walk(list_call: Callable[..., dict], key: str, **request: Any) -> int:
    """Walk every page of a list operation by NextToken; the number of pages."""
    pages, token = 0, None
    while True:
        answer = list_call(**request, **({"NextToken": token} if token else {}))
        pages += 1
        if key not in answer:
            raise AssertionError(f"no {key} in {answer}")
        token = answer.get("NextToken")
        if not token:
            return pages


def _pages(sm: Any, settings: Settings) -> list[Figure]:
    expected_big = -(-settings.versions // 100)
    walks_small = max(1, expected_big // 2)  # the small walk is one page: repeat it for a sample

    def per_page(walks: int, expected: int, list_call: Callable[..., dict], key: str,
                 **request: Any) -> Callable[[], float]:
        def batch() -> float:
            pages = 0

            def run() -> None:
                nonlocal pages
                for _ in range(walks):
                    pages += _walk(list_call, key, **request)

            seconds = timed(run)
            if pages != walks * expected:
                raise AssertionError(f"{request}: walked {pages} pages, expected {walks * expected}")
            return seconds / pages

        return batch

    def compare(repeats: int, list_call: Callable[..., dict], key: str,
                **request: Any) -> dict[str, list[float]]:
        big = per_page(1, expected_big, list_call, key, ImageName="big", **request)
        small = per_page(walks_small, 1, list_call, key, ImageName="small", **request)
        big(), small()  # warm
        return interleaved(repeats, big=big, small=small)

    sizes = f"{settings.versions:,} vs {settings.small_versions} versions"
    versions = compare(settings.repeats, sm.list_image_versions, "ImageVersions", MaxResults=100)
    # The same question asked of the other order and of ListAliases, for information (figure 10
    # asks it of every list and order with a goal).
    by_modified = compare(2, sm.list_image_versions, "ImageVersions", MaxResults=100,
                          SortBy="LAST_MODIFIED_TIME")
    aliases = compare(2, sm.list_aliases, "SageMakerImageVersionAliases", MaxResults=100)
    return [
        at_most(3, f"ListImageVersions per page (100, default sort), {sizes}",
                versions["big"], versions["small"], 1.5, us),
        at_most(3, f"ListImageVersions per page (100, SortBy=LAST_MODIFIED_TIME), {sizes}",
                by_modified["big"], by_modified["small"], None, us),
        at_most(3, f"ListAliases of the whole image per page (100), {sizes}",
                aliases["big"], aliases["small"], None, us),
    ]


# --- 10. every list, every order: page cost at 10,000 resources vs 200 ----------------------

LIST_REGIONS = {"big": "us-east-1", "small": "us-west-2"}  # one size per region, one mock


def build_lists(size: int, region: str) -> None:
    """`size` images (each tagged), app image configs and versions of one image ("versions",
    one alias each; version 1 holds 120 more), built through the stores."""
    images = store_of(region=region)
    configs = store_of(region=region, serving="create_app_image_config")
    for number in range(size):
        images.create_image(image_name=f"image-{number:05}", role_arn=ROLE_ARN,
                            tags=[{"Key": f"k{tag}", "Value": "v"} for tag in range(3)])
        configs.create_app_image_config(app_image_config_name=f"config-{number:05}")
    for number in range(0, size, 3):  # modification order differs from creation order
        images.update_image(image_name=f"image-{number:05}", description="touched")
        configs.update_app_image_config(app_image_config_name=f"config-{number:05}")
    images.create_image(image_name="versions", role_arn=ROLE_ARN,
                        tags=[{"Key": f"tag-{tag:02}", "Value": "v"} for tag in range(50)])
    for number in range(1, size + 1):
        images.create_image_version(image_name="versions", base_image=BASE_IMAGE,
                                    aliases=[f"alias-{number}"])
    images.update_image_version(image_name="versions", version=1,
                                aliases_to_add=[f"more-{i:03}" for i in range(120)])
    for number in range(2, size + 1, 3):
        images.update_image_version(image_name="versions", version=number, release_notes="x")


def list_rows() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(row name, client method, result key, request) for every list operation and order."""
    rows: list[tuple[str, str, str, dict[str, Any]]] = []
    for by in ("CREATION_TIME", "LAST_MODIFIED_TIME", "IMAGE_NAME"):
        for order in ("ASCENDING", "DESCENDING"):
            rows.append((f"ListImages {by} {order}", "list_images", "Images",
                         {"SortBy": by, "SortOrder": order}))
    for by in ("CREATION_TIME", "LAST_MODIFIED_TIME"):
        for order in ("ASCENDING", "DESCENDING"):
            rows.append((f"ListImageVersions {by} {order}", "list_image_versions",
                         "ImageVersions", {"ImageName": "versions", "SortBy": by, "SortOrder": order}))
    rows += [
        ("ListAliases of the image", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions"}),
        ("ListAliases by Version", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions", "Version": 1}),
        ("ListAliases by Alias", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions", "Alias": "alias-1"}),
    ]
    for by in ("CreationTime", "LastModifiedTime", "Name"):
        for order in ("Ascending", "Descending"):
            rows.append((f"ListAppImageConfigs {by} {order}", "list_app_image_configs",
                         "AppImageConfigs", {"SortBy": by, "SortOrder": order}))
    rows.append(("ListTags (50 tags)", "list_tags", "Tags",
                 {"ResourceArn": "arn:aws:sagemaker:{region}:123456789012:image/versions"}))
    return rows


def _middle_token(call: Callable[..., dict], request: dict[str, Any], size: int) -> str | None:
    """A NextToken from about the middle of `size` resources, with at least a page of 100 after
    it where there are that many (None when one page holds them all)."""
    answer = call(**request, MaxResults=100)
    token, listed = answer.get("NextToken"), 100
    while token and listed < size // 2:
        answer = call(**request, MaxResults=100, NextToken=token)
        token, listed = answer.get("NextToken") or token, listed + 100
    return token


def bench_lists(settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    with mock_aws():
        started = time.perf_counter()
        build_lists(settings.list_big, LIST_REGIONS["big"])
        build_lists(settings.list_small, LIST_REGIONS["small"])
        clients = {size: client_for_region(region) for size, region in LIST_REGIONS.items()}
        print(f"  built {settings.list_big:,} and {settings.list_small} of each resource in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        for name, method, key, template in list_rows():
            requests_of = {size: {k: (v.format(region=LIST_REGIONS[size]) if isinstance(v, str) else v)
                                  for k, v in template.items()} for size in LIST_REGIONS}
            counts = {"big": settings.list_big, "small": settings.list_small}
            tokens = {size: _middle_token(getattr(clients[size], method), requests_of[size],
                                          counts[size]) for size in LIST_REGIONS}
            for page in ((50,) if method == "list_tags" else (10, 100)):  # ListTags: 50 at least
                def batch(size: str, page: int = page) -> Callable[[], float]:
                    call, request, token = getattr(clients[size], method), requests_of[size], tokens[size]

                    def run() -> None:
                        for i in range(settings.list_calls):  # first pages and middle pages
                            extra = {"NextToken": token} if token and i % 2 else {}
                            if key not in call(**request, MaxResults=page, **extra):
                                raise AssertionError(f"no {key}")

                    return lambda: timed(run) / settings.list_calls

                big, small = batch("big"), batch("small")
                big(), small()  # warm
                samples = interleaved(settings.repeats, big=big, small=small)
                figures.append(at_most(10, f"{name}, page of {page}: {settings.list_big:,} vs "
                                          f"{settings.list_small}", samples["big"],
                                       samples["small"], 1.2, us))
        figures.append(_walk_figure(settings, clients))
        figures += _pileup_figures(settings)
    return figures


def _pileup_figures(settings: Settings) -> list[Figure]:
    """A page and a delete after many update/list pairs against a fresh store (pileup.py)."""
    import pileup

    piled, fresh = store_of(region="eu-west-1"), store_of(region="eu-central-1")
    pileup.fill(piled, ROLE_ARN)
    pileup.fill(fresh, ROLE_ARN)
    started = time.perf_counter()
    pileup.pile_up(piled, settings.pileup_pairs)
    print(f"  {settings.pileup_pairs:,} update/list pairs in {time.perf_counter() - started:.1f} s",
          flush=True)
    figures = []
    for what, batch in (("first page of ListImages LAST_MODIFIED_TIME DESCENDING (10)",
                         pileup.page_batch),
                        ("DeleteImage of an unrelated image",
                         lambda store: pileup.delete_batch(store, ROLE_ARN))):
        ours, base = batch(piled), batch(fresh)
        ours(), base()  # warm
        samples = interleaved(settings.repeats, ours=ours, base=base)
        figures.append(at_most(10, f"{what} after {settings.pileup_pairs:,} UpdateImage/ListImages "
                                   "pairs vs a fresh store (in-process, store calls)",
                               samples["ours"], samples["base"], 1.2, us))
    return figures


def client_for_region(region: str) -> Any:
    return boto3.client("sagemaker", region_name=region)


def _walk_figure(settings: Settings, clients: dict[str, Any]) -> Figure:
    """The boto3 paginator's walk of every image, MaxResults=100: the large walk against the
    small one scaled by the number of images."""
    def walk(size: str) -> Callable[[], float]:
        def once() -> float:
            paginator = clients[size].get_paginator("list_images")
            seconds = timed(lambda: sum(len(page["Images"]) for page in
                                        paginator.paginate(PaginationConfig={"PageSize": 100})))
            return seconds

        return once

    scale = (settings.list_big + 1) / (settings.list_small + 1)
    big, small = walk("big"), walk("small")
    big(), small()
    samples = interleaved(max(3, settings.repeats // 3), big=big,
                          small=lambda: small() * scale)
    return at_most(10, f"Paginator walk of {settings.list_big + 1:,} images (MaxResults=100) vs "
                      f"the walk of {settings.list_small + 1} scaled x{scale:.0f}",
                   samples["big"], samples["small"], 1.2, lambda s: f"{s * 1e3:,.0f} ms")


# --- 4. server throughput --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_sagemaker_imgver", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **FAKE_CREDENTIALS},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(f"{url}/moto-api/data.json", timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("server did not come up")


def _threads_throughput(clients: Sequence[Any], work: Callable[[Any, int], None], calls: int) -> float:
    """Operations per second of one client per thread, each making `calls` calls."""
    barrier = threading.Barrier(len(clients) + 1)
    failures: list[BaseException] = []

    def run(sm: Any, index: int) -> None:
        barrier.wait()
        try:
            work(sm, index)
        except BaseException as error:  # noqa: BLE001  (reported below)
            failures.append(error)

    threads = [threading.Thread(target=run, args=(sm, index)) for index, sm in enumerate(clients)]
    for thread in threads:
        thread.start()
    gc.collect()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"a client thread failed: {failures[0]!r}")
    return len(clients) * calls / seconds


def bench_server(settings: Settings) -> list[Figure]:
    process, url = start_server()
    try:
        session = boto3.session.Session()
        clients = [session.client("sagemaker", region_name=REGION, endpoint_url=url, config=NO_RETRIES)
                   for _ in range(4)]
        clients[0].create_image(ImageName="served", RoleArn=ROLE_ARN)
        for _ in clients:
            clients[0].create_image_version(ImageName="served", BaseImage=BASE_IMAGE)
        counter = iter(range(10**9))

        def updates() -> float:
            batch = next(counter)

            def work(sm: Any, index: int) -> None:
                for i in range(settings.server_calls):  # thread i updates version i+1
                    sm.update_image_version(ImageName="served", Version=index + 1,
                                            AliasesToAdd=[f"t{batch}-{index}-{i}"], ReleaseNotes="notes")

            return _threads_throughput(clients, work, settings.server_calls)

        def list_models() -> float:
            def work(sm: Any, index: int) -> None:
                for _ in range(settings.server_calls):
                    sm.list_models()

            return _threads_throughput(clients, work, settings.server_calls)

        updates(), list_models()  # warm
        samples = interleaved(settings.repeats, update=updates, list_models=list_models)
    finally:
        process.terminate()
        process.wait(timeout=10)
    ours, base = median(samples["update"]), median(samples["list_models"])
    ratio = paired_ratio(samples["update"], samples["list_models"])
    return [Figure(4, "Server: 4 threads of UpdateImageVersion vs 4 of list_models (throughput)",
                   f"{ours:,.0f} ops/s", f"{base:,.0f} ops/s", ratio, ">= 0.85x", ratio >= 0.85)]


# --- 5. import cost --------------------------------------------------------------------------


def bench_import(settings: Settings) -> list[Figure]:
    """The ratio is of CPU time (user + system) of each child: importing is CPU-bound once the
    files are cached, and CPU time does not count the time other processes hold the CPU."""
    import resource

    wall: dict[str, list[float]] = {"ours": [], "moto": []}

    def run(name: str, statement: str) -> Callable[[], float]:
        def once() -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", statement], check=True)
            wall[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        return once

    # The package's import only arms a hook; the extension installs when moto loads SageMaker.
    ours = run("ours", "import moto_sagemaker_imgver, moto.sagemaker.models")
    moto_own = run("moto", "import moto.sagemaker.models")
    ours(), moto_own()  # warm the file cache
    wall["ours"].clear(), wall["moto"].clear()
    samples = interleaved(settings.import_runs, ours=ours, moto=moto_own)
    print(f"     wall time: {median(wall['ours']) * 1e3:,.0f} ms vs {median(wall['moto']) * 1e3:,.0f} ms"
          f" = {paired_ratio(wall['ours'], wall['moto']):.2f}x", flush=True)
    return [at_most(5, 'python -c "import moto_sagemaker_imgver, moto.sagemaker.models" vs '
                       '"import moto.sagemaker.models" (CPU time)',
                    samples["ours"], samples["moto"], 1.10, lambda s: f"{s * 1e3:,.0f} ms")]


# --- 9. pytest plugin start-up ---------------------------------------------------------------


PLUGIN_GOAL_SECONDS = 0.030


# A pytest start (`--co`, in the child's cwd) that times pytest's loading of the plugin's entry
# point: the import of the plugin and the package, with pytest's assertion rewriting of them.
PLUGIN_LOAD = """
import importlib.metadata, time, pytest
spent = []
load = importlib.metadata.EntryPoint.load
def timed_load(self):
    start = time.process_time()
    try:
        return load(self)
    finally:
        if self.group == "pytest11" and self.value.startswith("moto_sagemaker_imgver"):
            spent.append(time.process_time() - start)
importlib.metadata.EntryPoint.load = timed_load
pytest.main(["--co", "-q", "-p", "no:cacheprovider"])
print("plugin load:", sum(spent), len(spent))
"""


def bench_plugin_startup(settings: Settings) -> list[Figure]:
    """What the plugin adds to every pytest start; the goal is absolute, at most 30 ms.

    The goal is judged on the plugin's own work, timed inside a real `pytest --co` start: the CPU
    time pytest spends loading its entry point (importing the plugin and the package, rewriting
    their asserts). The difference it makes to a whole `pytest
    --co` of a one-test suite (plugin loaded vs `-p no:moto_sagemaker_imgver`) is reported too,
    but on a busy machine a 1.6 s start varies by more than 100 ms, so it cannot tell 5 ms from
    30 ms."""
    import resource
    import tempfile

    def own_load(suite: str) -> float:
        result = subprocess.run([sys.executable, "-c", PLUGIN_LOAD], cwd=suite, check=True,
                                capture_output=True, text=True)
        seconds, loads = result.stdout.rsplit("plugin load:", 1)[1].split()
        if loads != "1":
            raise RuntimeError("the plugin's entry point was not loaded once")
        return float(seconds)

    def run(suite: str, *extra: str) -> Callable[[], float]:
        def once() -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider",
                            *extra], cwd=suite, check=True, stdout=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        return once

    with tempfile.TemporaryDirectory() as suite:
        with open(os.path.join(suite, "pytest.ini"), "w") as ini:
            ini.write("[pytest]\n")
        with open(os.path.join(suite, "test_trivial.py"), "w") as test:
            test.write("def test_nothing():\n    pass\n")
        loaded, off = run(suite), run(suite, "-p", "no:moto_sagemaker_imgver")
        loaded(), off(), own_load(suite)  # warm the file cache
        samples = interleaved(settings.import_runs, loaded=loaded, off=off)
        loads = [own_load(suite) for _ in range(settings.import_runs)]
    added = median([a - b for a, b in zip(samples["loaded"], samples["off"])])
    own = median(loads)
    return [
        Figure(9, "pytest's loading of the plugin in a `pytest --co` start (CPU time)",
               f"{own * 1e3:,.1f} ms", "-", None,
               f"<= {PLUGIN_GOAL_SECONDS * 1e3:.0f} ms", own <= PLUGIN_GOAL_SECONDS),
        Figure(9, "`pytest --co` of a one-test suite, plugin loaded vs `-p no:moto_sagemaker_imgver` "
                  "(CPU time; within a start's noise)",
               f"{median(samples['loaded']) * 1e3:,.0f} ms ({added * 1e3:+,.0f} ms)",
               f"{median(samples['off']) * 1e3:,.0f} ms",
               paired_ratio(samples["loaded"], samples["off"]), "", None),
    ]


# --- 6. memory -------------------------------------------------------------------------------


def rss_bytes() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource  # peak, not current, where /proc is missing: still an upper bound on growth

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def memory_worker(versions: int, how: str) -> None:
    """In a fresh process: RSS growth while `versions` versions with 2 aliases each are created."""
    with mock_aws():
        sm = client()
        build_image(sm, "warm", 2, 2, how)  # every code path loaded before the first reading
        gc.collect()
        before = rss_bytes()
        build_image(sm, "mem", versions, 2, how)
        gc.collect()
        after = rss_bytes()
        held = sum(len(version.aliases) for version in store_of().images["mem"].versions.values())
    print(json.dumps({"before": before, "after": after, "aliases": held}))


def bench_memory(settings: Settings) -> list[Figure]:
    answer = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--memory-worker", str(settings.versions),
         "--build", settings.build],
        check=True, capture_output=True, text=True,
    )
    reading = json.loads(answer.stdout.strip().splitlines()[-1])
    if reading["aliases"] != 2 * settings.versions:
        raise AssertionError(f"expected {2 * settings.versions} aliases, found {reading['aliases']}")
    growth = reading["after"] - reading["before"]
    per_version = growth / settings.versions
    return [Figure(6, f"RSS growth, {settings.versions:,} versions x 2 aliases (built through "
                      f"{'boto3' if settings.build == 'boto3' else 'the store'})",
                   f"{growth / 2**20:,.1f} MB ({per_version / 1024:,.1f} KB/version)", "-",
                   None, "", None)]


# --- 7 and 8. validating moto's own operations ------------------------------------------------


def _handling_timer() -> tuple[list[float], Callable[[], None]]:
    """Times each request's handling by moto behind boto3's HTTP send (moto's routing, our hook,
    the backend, the response), without boto3's own work on either side."""
    from moto.core.botocore_stubber import BotocoreStubber

    spent: list[float] = []
    original = BotocoreStubber.__call__

    def timed_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    BotocoreStubber.__call__ = timed_call  # type: ignore[method-assign]

    def restore() -> None:
        BotocoreStubber.__call__ = original  # type: ignore[method-assign]

    return spent, restore


def _validation_on_vs_off(settings: Settings, number: int, name: str,
                          call: Callable[[Any, int], Any], prepare: Callable[[Any], None]) -> Figure:
    """Calls alternate on, off, on, off...: each pair meets the same state of the machine and of
    moto (CreateModel's count of models grows alike on both sides)."""
    from moto_sagemaker_imgver import set_validation

    spent, restore = _handling_timer()
    counter = iter(range(10**9))
    try:
        with mock_aws():
            sm = client()
            prepare(sm)

            def timed_call(mode: str) -> float:
                set_validation(mode)
                spent.clear()
                call(sm, next(counter))
                return spent[-1]

            def batch() -> list[tuple[float, float]]:
                gc.collect()
                return [(timed_call("all"), timed_call("images")) for _ in range(settings.calls)]

            batch()  # warm: the model and the checkers are built
            pairs = [pair for _ in range(settings.repeats) for pair in batch()]
    finally:
        set_validation(None)
        restore()
    # One ratio per adjacent pair of calls, their median: a slow spell of the machine is shared.
    return at_most(number, name, [on for on, _ in pairs], [off for _, off in pairs], 1.05, us)


def bench_validate_all(settings: Settings) -> list[Figure]:
    def create_model(sm: Any, n: int) -> None:
        sm.create_model(ModelName=f"model-{n}", ExecutionRoleArn=ROLE_ARN,
                        PrimaryContainer={"Image": BASE_IMAGE, "Environment": {"MODE": "bench"}},
                        Tags=[{"Key": "team", "Value": "bench"}])

    def some_models(sm: Any) -> None:
        for n in range(20):
            create_model(sm, -n - 1)

    return [
        _validation_on_vs_off(settings, 7, "CreateModel, validation of every operation on vs off "
                              "(moto's handling, no boto3)", create_model, lambda sm: None),
        _validation_on_vs_off(settings, 8, "ListModels (20 models, MaxResults 10), validation on vs "
                              "off (moto's handling, no boto3)",
                              lambda sm, n: sm.list_models(MaxResults=10, SortBy="Name"), some_models),
    ]


# --- 11. pattern checks in linear time ----------------------------------------------------------


def bench_patterns(settings: Settings) -> list[Figure]:
    import patterns as adversarial  # benchmarks/patterns.py

    worst, typical, pattern, value = adversarial.worst_check()
    figures = [Figure(11, f"Worst pattern check, every SageMaker pattern x adversarial 64 KB values "
                          f"(first use; slowest: {pattern[:40]!r} on {value!r}...) vs the median",
                      f"{worst * 1000:.1f} ms", f"{typical * 1000:.2f} ms", None, "< 50 ms",
                      worst < 0.05)]
    os.environ["MOTO_SAGEMAKER_IMGVER_VALIDATE"] = "all"
    process, url = start_server()
    try:
        beside, alone = adversarial.delayed_list(
            url, lambda url: boto3.client("sagemaker", region_name=REGION, endpoint_url=url,
                                          config=NO_RETRIES), settings.repeats)
    finally:
        del os.environ["MOTO_SAGEMAKER_IMGVER_VALIDATE"]
        process.terminate()
        process.wait(timeout=10)
    delay = median(beside) - median(alone)
    figures.append(Figure(11, "Server, validating all: ListImages while a 64 KB CreatePipeline "
                              "definition is checked vs ListImages alone (delay)",
                          us(median(beside)), us(median(alone)), paired_ratio(beside, alone),
                          "delay < 50 ms", delay < 0.05))
    return figures


# --- the run -----------------------------------------------------------------------------------


def table(figures: Sequence[Figure]) -> str:
    lines = ["| # | figure | ours | baseline | ratio | goal | result |",
             "|---|---|---|---|---|---|---|"]
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        result = {True: "PASS", False: "FAIL", None: "info"}[f.passed]
        lines.append(f"| {f.number} | {f.name} | {f.measured} | {f.baseline} | {ratio} | "
                     f"{f.goal or '-'} | {result} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (not the reference figures)")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10,11", help="comma-separated figure numbers")
    parser.add_argument("--build", choices=("boto3", "store"),
                        help="build large images through boto3 or directly through the store")
    parser.add_argument("--memory-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.build:
        settings.build = args.build
    if args.memory_worker is not None:
        memory_worker(args.memory_worker, settings.build)
        return 0

    import moto

    which = {int(part) for part in args.only.split(",") if part.strip()}
    print(f"python {platform.python_version()}, moto {moto.__version__}, boto3 {boto3.__version__}, "
          f"{os.cpu_count()} CPUs; {'QUICK smoke run' if args.quick else 'reference run'}: "
          f"{settings.repeats} repeats, medians", flush=True)
    steps: list[tuple[set[int], Callable[[], list[Figure]]]] = [
        ({1}, lambda: bench_call_cost(settings)),
        ({2, 3}, lambda: bench_scale_and_pages(settings, which)),
        ({4}, lambda: bench_server(settings)),
        ({5}, lambda: bench_import(settings)),
        ({6}, lambda: bench_memory(settings)),
        ({7, 8}, lambda: bench_validate_all(settings)),
        ({9}, lambda: bench_plugin_startup(settings)),
        ({10}, lambda: bench_lists(settings)),
        ({11}, lambda: bench_patterns(settings)),
    ]
    figures: list[Figure] = []
    for numbers, step in steps:
        if numbers & which:
            started = time.perf_counter()
            new = step()
            for f in new:
                ratio = f" = {f.ratio:.2f}x" if f.ratio is not None else ""
                ratio += f" (goal {f.goal})" if f.goal else ""
                print(f"  {f.number}. {f.name}: {f.measured} vs {f.baseline}{ratio}", flush=True)
            print(f"     ({time.perf_counter() - started:.1f} s)", flush=True)
            figures += new
    print()
    print(table(figures))
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
