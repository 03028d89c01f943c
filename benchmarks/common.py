"""What every figure of benchmarks/run.py shares: the run's settings, a figure, the fake
credentials, the timing and ratio helpers, large fixtures built fast, and the server command
started on a free port.

Imported before boto3 by every other module of the run: it puts fake credentials in the
environment before boto3 reads its configuration, and installs the image operations into moto.
"""
from __future__ import annotations

import gc
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

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
import moto  # noqa: E402,F401  (moto is loaded first, then the package that installs into it)

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



# --- the server command, on a free port ----------------------------------------------------


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

