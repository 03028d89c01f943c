"""Benchmarks of the image operations against moto's own SageMaker calls, side by side in one run.

    python benchmarks/run.py              # the reference figures (a few minutes on 2 cores)
    python benchmarks/run.py --quick      # a fast smoke run: smaller counts, fewer repeats
    python benchmarks/run.py --only 3,4   # some of the figures
    python benchmarks/run.py --build store  # build the 10,000 versions in the store, not via boto3

Every figure is a ratio to a baseline measured in the same run, interleaved with it, as the
median of several repeats, so the machine's speed and its noise largely cancel out. The final
table is what the README quotes. Exit status 1 when a goal is missed.

The figures live in modules beside this one, one per group: common.py (settings, figure,
helpers), figures_calls.py (1-3, 12), figures_server.py (4), figures_startup.py (5, 6, 9),
figures_validation.py (7, 8, 11), figures_lists.py (10). This script holds the table and main().
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from typing import Callable, Sequence

# common first: it puts fake credentials in the environment before boto3 reads its configuration.
from common import FULL, QUICK, Figure  # isort: skip

import boto3
from figures_calls import bench_apps, bench_call_cost, bench_scale_and_pages
from figures_lists import bench_lists
from figures_server import bench_server
from figures_startup import bench_import, bench_memory, bench_plugin_startup, memory_worker
from figures_validation import bench_patterns, bench_validate_all


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
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10,11,12", help="comma-separated figure numbers")
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
        ({12}, lambda: bench_apps(settings)),
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
