"""Every SageMaker pattern means what it means to Java.

AWS's front end judges a `pattern` with java.util.regex. tests/data/java_pattern_verdicts.json.gz
holds Java's verdict (`Pattern.compile(p).matcher(s).matches()`) for each pattern of the
SageMaker model and a few hundred to a few thousand hard strings per pattern (Unicode spaces,
line terminators, other scripts, lone surrogates, class edges, near-matches). It was written by
tools/java_pattern_oracle.py with a real JVM. A pattern of a newer botocore that the table lacks
is judged by Java on the spot where a JDK is on PATH (the same tool, as a library), and skipped,
counted, where none is.
"""
from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import shutil
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from moto_sagemaker_imgver.validation import compile_pattern, model_patterns

TABLE_PATH = Path(__file__).parents[1] / "data" / "java_pattern_verdicts.json.gz"
ORACLE_PATH = Path(__file__).parents[2] / "tools" / "java_pattern_oracle.py"
REFRESH = "python tools/java_pattern_oracle.py"
TABLE: dict[str, Any] = json.loads(gzip.decompress(TABLE_PATH.read_bytes()))
SHOWN = 8  # examples per failing pattern


MODEL_PATTERNS = set(model_patterns())
# A pattern the installed model no longer has is not the package's business.
PATTERNS = sorted(set(TABLE["patterns"]) & MODEL_PATTERNS)
# Patterns a newer botocore added since the table was written.
MISSING = sorted(MODEL_PATTERNS - set(TABLE["patterns"]))


@functools.cache
def java_on_the_spot() -> dict[str, Any]:
    """Java's verdicts for MISSING, asked once per process (a few seconds), or a skip."""
    if not (shutil.which("javac") and shutil.which("java")):
        pytest.skip(f"{len(MISSING)} of the installed model's {len(MODEL_PATTERNS)} patterns "
                    f"have no Java verdicts (table from botocore {TABLE['botocore']}) and no JDK "
                    f"is on PATH; `{REFRESH}` (with a JDK) refreshes the table")
    spec = importlib.util.spec_from_file_location("java_pattern_oracle", ORACLE_PATH)
    assert spec and spec.loader, ORACLE_PATH
    oracle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oracle)
    with tempfile.TemporaryDirectory() as workdir:
        return oracle.build(oracle.Jvm(Path(workdir)), only=MISSING)


def entry_of(pattern: str) -> dict[str, Any]:
    """Java's verdicts on one pattern: from the table, or asked on the spot."""
    if pattern in TABLE["patterns"]:
        return {**TABLE["patterns"][pattern], "corpus": TABLE["corpus"]}
    live = java_on_the_spot()
    return {**live["patterns"][pattern], "corpus": live["corpus"]}


def _id(pattern: str) -> str:
    # Short and stable as the table changes; the failure message shows the whole pattern.
    return f"{pattern[:32]}~{zlib.crc32(pattern.encode('utf-8')):08x}"


def _pairs(entry: dict[str, Any]) -> list[tuple[str, str]]:
    return (list(zip(entry["corpus"], entry["verdicts"]))
            + list(zip(entry["extra"], entry["extra_verdicts"])))


@pytest.mark.parametrize("pattern", PATTERNS, ids=_id)
def test_pattern_judged_as_java_judges_it(pattern: str) -> None:
    judged_as_java_judges(pattern)


@pytest.mark.parametrize("pattern", MISSING, ids=_id)
def test_pattern_the_table_lacks_judged_as_java_judges_it(pattern: str) -> None:
    judged_as_java_judges(pattern)


def judged_as_java_judges(pattern: str) -> None:
    entry = entry_of(pattern)
    matcher = compile_pattern(pattern)
    if "error" in entry:
        # [chosen] a pattern Java cannot read cannot be what AWS enforces
        assert matcher is None, f"Java cannot compile {pattern!r} ({entry['error']})"
        return
    assert matcher is not None, f"Java compiles {pattern!r}; the package cannot read it"
    pairs = _pairs(entry)
    wrong = [(text, java) for text, java in pairs
             if java in "01" and bool(matcher.fullmatch(text)) != (java == "1")]
    if wrong:
        shown = "\n".join(f"  {text!r}: Java {'accepts' if java == '1' else 'rejects'}"
                          for text, java in wrong[::max(1, len(wrong) // SHOWN)][:SHOWN])
        pytest.fail(f"{pattern!r}: {len(wrong)} of {len(pairs)} strings judged otherwise than "
                    f"Java judges them, e.g.\n{shown}", pytrace=False)


SPLIT = [pattern for pattern in PATTERNS + MISSING
         if type(compile_pattern(pattern)).__name__ == "_ShortOrLong"]


@pytest.mark.parametrize("pattern", SPLIT, ids=_id)
def test_long_values_judged_as_short_ones(pattern: str) -> None:
    """A pattern with a large class (`\\p{L}`) goes to `re` for short values and to RE2 for long
    ones: both engines give Java's verdict."""
    matcher = compile_pattern(pattern)
    for text, java in _pairs(entry_of(pattern)):
        assert bool(matcher._long.fullmatch(text)) == (java == "1"), (pattern, text)
        assert bool(matcher._short(text)) == (java == "1"), (pattern, text)
    # and on values around the length where one engine hands over to the other
    for char in ("a", "é", "\U0001F600", " "):
        for length in (matcher.LONGEST_SHORT, matcher.LONGEST_SHORT + 1, 3000):
            text = char * length
            assert bool(matcher._short(text)) == bool(matcher._long.fullmatch(text)), pattern


def test_large_classes_are_split() -> None:
    # the tag key and value pattern: `re`, with Java's `\p{L}`, for short values
    assert len(SPLIT) >= 5


def test_table_is_whole() -> None:
    corpus = TABLE["corpus"]
    assert len(set(corpus)) == len(corpus)
    for pattern, entry in TABLE["patterns"].items():
        if "error" in entry:
            continue
        assert len(entry["verdicts"]) == len(corpus), pattern
        assert len(entry["extra_verdicts"]) == len(entry["extra"]), pattern
        # Each pattern is tried on strings it accepts (`[\S\s]*` rejects none); no "x" (Java
        # gave up) is expected on strings this short.
        verdicts = set(entry["verdicts"] + entry["extra_verdicts"])
        assert "1" in verdicts and verdicts <= {"0", "1"}, pattern
    # Lone surrogates survive the file's JSON round trip.
    assert "\ud800" in corpus and "a\udfff" in corpus and "\udc00\ud800" in corpus
