"""Figure 4: the server command's throughput, 4 client threads of UpdateImageVersion against 4
of list_models."""
from __future__ import annotations

import gc
import threading
import time
from typing import Any, Callable, Sequence

import boto3

from common import (BASE_IMAGE, NO_RETRIES, REGION, ROLE_ARN, Figure, Settings, interleaved,
                    median, paired_ratio, start_server)


# --- 4. server throughput --------------------------------------------------------------------



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

