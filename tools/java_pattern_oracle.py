"""Java's verdict on every SageMaker pattern over a corpus of hard strings.

AWS's front end is Java, so `java.util.regex` decides what a `pattern` in the service model
accepts. This tool asks a real JVM, once, and writes the answers to
`tests/data/java_pattern_verdicts.json.gz`, which `tests/validation/test_java_patterns.py` holds the
package to. The package never needs Java; re-running this tool does (a JDK 17 or later, e.g.
Debian's `default-jdk-headless`):

    python tools/java_pattern_oracle.py            # rewrite the table
    python tools/java_pattern_oracle.py --check    # only print what would change

The tests need Java only for patterns of a newer botocore that the table lacks: where a JDK is
on PATH they ask it on the spot, through `build(Jvm(...), only=[...])`; without one they skip
those patterns alone.

The patterns come from the installed botocore's SageMaker model. The strings (see
`java_pattern_oracle/oracle_corpus.py`) are a shared corpus (every ASCII character, Unicode spaces,
controls, line terminators, other scripts, non-BMP characters, lone surrogates) and, per pattern,
generated examples, the edges of each character class, and mutations of the examples that
Java accepts (one hard character inserted or replaced at the start, middle and end). The run is
deterministic: the same botocore and JDK give the same file, byte for byte.

The table: {"java", "botocore", "seed", "corpus": [shared strings], "patterns": {pattern:
{"verdicts": one of "0"/"1" per corpus string, "extra": [strings], "extra_verdicts": "01.."}}}.
A pattern Java cannot compile has {"error": Java's message} instead. A verdict "x" means Java
gave up (step limit or stack overflow); none is expected on these short strings.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = HERE / "java_pattern_oracle" / "PatternOracle.java"
TABLE = ROOT / "tests" / "data" / "java_pattern_verdicts.json.gz"
sys.path.insert(0, str(SOURCE.parent))

import oracle_corpus as corpus  # noqa: E402

BASES = 4  # accepted examples mutated per pattern
MUTATED_BY_ALL = 2  # of those, how many get every hard character; the rest get a sample
SAMPLE = 24
BASE_SLACK = 12


def sagemaker_patterns() -> tuple[str, list[str]]:
    import botocore

    from moto_sagemaker_imgver.validation import model_patterns

    return botocore.__version__, model_patterns()


def escape(text: str) -> str:
    units = text.encode("utf-16-le", "surrogatepass")
    out = []
    for index in range(0, len(units), 2):
        unit = units[index] | units[index + 1] << 8
        if unit == 0x5C:
            out.append("\\\\")
        elif 0x20 <= unit < 0x7F:
            out.append(chr(unit))
        else:
            out.append("\\u%04x" % unit)
    return "".join(out)


class Jvm:
    """The compiled oracle; each `ask` is one run of the JVM over a batch of lines."""

    def __init__(self, workdir: Path) -> None:
        javac, java = shutil.which("javac"), shutil.which("java")
        if not javac or not java:
            sys.exit("needs a JDK (javac, java on PATH), e.g. apt-get install default-jdk-headless")
        subprocess.run([javac, "-d", str(workdir), str(SOURCE)], check=True)
        self.command = [java, "-Xss64m", "-cp", str(workdir), "PatternOracle"]
        self.version = ""

    def ask(self, shared: list[str], jobs: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
        """For each (pattern, strings): (verdicts over `shared` or "error: ...", verdicts over
        the strings)."""
        lines = [f"C {escape(s)}" for s in shared]
        for pattern, strings in jobs:
            lines.append(f"P {escape(pattern)}")
            lines += [f"S {escape(s)}" for s in strings]
        done = subprocess.run(self.command, input="\n".join(lines) + "\n", capture_output=True,
                              text=True, encoding="ascii", check=True)
        answers = iter(done.stdout.splitlines())
        self.version = next(answers)[2:]
        return [self._read(answers, len(strings)) for _, strings in jobs]

    @staticmethod
    def _read(answers: Iterator[str], count: int) -> tuple[str, str]:
        head = next(answers)
        verdicts = "".join(next(answers)[2:] for _ in range(count))
        if head.startswith("P error "):
            return "error: " + head[len("P error "):], verdicts
        return head[len("P ok "):], verdicts


def extra_strings(pattern: str, generated: list[str], accepted: list[str]) -> list[str]:
    """The pattern's own strings: generated examples, class edges, and mutations of a few
    short examples Java accepts."""
    # Short bases: a few patterns (nested repeats) backtrack exponentially in the length.
    shortest = min(map(len, accepted), default=0)
    bases = [s for s in corpus.unique(accepted) if len(s) <= shortest + BASE_SLACK][:BASES]
    edges = corpus.class_edges(pattern)
    extra = generated[:12] + accepted[:60] + edges
    rng = corpus.seeded(pattern)
    sample = corpus.HARD[::len(corpus.HARD) // SAMPLE]
    for index, base in enumerate(bases):
        extra += corpus.mutations(base, corpus.HARD if index < MUTATED_BY_ALL else sample, rng)
        extra += corpus.mutations(base, edges if index == 0 else [], rng)
    return extra


def build(jvm: Jvm, only: list[str] | None = None) -> dict[str, Any]:
    """The table for the installed model's patterns, or for `only` these (the tests ask for the
    patterns a newer botocore added, on the spot)."""
    botocore_version, patterns = sagemaker_patterns()
    if only is not None:
        patterns = list(only)
    shared = corpus.shared_corpus()
    generated = {p: corpus.examples(p, 60) for p in patterns}
    first = jvm.ask(shared, [(p, generated[p]) for p in patterns])
    jobs = []
    for pattern, (on_shared, on_generated) in zip(patterns, first):
        if on_shared.startswith("error: "):
            jobs.append((pattern, []))
            continue
        accepted = [s for s, v in zip(generated[pattern], on_generated) if v == "1"]
        # A pattern the generator cannot read still gets bases: shared strings Java accepts.
        accepted += sorted((s for s, v in zip(shared, on_shared) if v == "1" and s),
                           key=lambda s: (-len(s), s))
        extra = extra_strings(pattern, generated[pattern], accepted)
        jobs.append((pattern, [s for s in corpus.unique(extra) if s not in set(shared)]))
    second = jvm.ask(shared, jobs)
    table: dict[str, Any] = {"java": jvm.version, "botocore": botocore_version, "seed": corpus.SEED,
                             "corpus": shared, "patterns": {}}
    for (pattern, strings), (on_shared, on_extra) in zip(jobs, second):
        if on_shared.startswith("error: "):
            table["patterns"][pattern] = {"error": on_shared[len("error: "):]}
        else:
            table["patterns"][pattern] = {"verdicts": on_shared, "extra": strings,
                                          "extra_verdicts": on_extra}
    return table


def encoded(table: dict[str, Any]) -> bytes:
    # ensure_ascii keeps lone surrogates as \udXXX escapes, which json.loads gives back intact.
    text = json.dumps(table, ensure_ascii=True, indent=0, sort_keys=True)
    return gzip.compress(text.encode("ascii"), compresslevel=9, mtime=0)


def summary(table: dict[str, Any]) -> str:
    pairs = gave_up = errors = 0
    for entry in table["patterns"].values():
        if "error" in entry:
            errors += 1
            continue
        verdicts = entry["verdicts"] + entry["extra_verdicts"]
        pairs += len(verdicts)
        gave_up += verdicts.count("x")
    return (f"{len(table['patterns'])} patterns ({errors} Java cannot compile), "
            f"{len(table['corpus'])} shared strings, {pairs} pairs, {gave_up} gave up; "
            f"java {table['java']}, botocore {table['botocore']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Needs a JDK (javac, java); see the module docstring.")
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed table instead of writing it")
    parser.add_argument("--out", type=Path, default=TABLE, help=f"where to write (default {TABLE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        table = build(Jvm(Path(workdir)))
    data = encoded(table)
    print(summary(table))
    print(f"{len(data)} bytes gzipped, {time.monotonic() - started:.1f} s")
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print("the committed table is up to date" if same else f"{args.out} would change")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
