"""Figures 5, 6 and 9, each measured in fresh processes: the cost of importing the package, the
memory that 10,000 versions hold, and what the pytest plugin adds to a pytest start.

The memory reading runs in a child started as `run.py --memory-worker N`, which calls
memory_worker here; the plugin's start-up is timed by a child running PLUGIN_LOAD, which
wraps pytest's loading of entry points in its own `timed_load`.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from typing import Callable

from moto import mock_aws

from common import (Figure, Settings, at_most, build_image, client, interleaved, median,
                    paired_ratio, store_of)

RUN_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run.py")


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
        [sys.executable, RUN_SCRIPT, "--memory-worker", str(settings.versions),
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

