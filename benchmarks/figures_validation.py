"""Figures 7, 8 and 11: what validating moto's own operations adds to moto's handling of a
call, and pattern checks in linear time (the worst check, and a server's other requests while a
large value is checked)."""
from __future__ import annotations

import gc
import os
import time
from typing import Any, Callable

import boto3
from moto import mock_aws

from common import (BASE_IMAGE, NO_RETRIES, REGION, ROLE_ARN, Figure, Settings, at_most,
                    client, median, paired_ratio, start_server, us)


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

