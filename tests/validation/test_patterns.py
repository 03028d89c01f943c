"""Patterns are matched in linear time with Java's meaning (the verdicts themselves are held to a
real JVM's in test_java_patterns.py): every pattern of the model reaches RE2, the look-arounds
and the large counts are rewritten exactly, and the values that froze a server get an answer."""
from __future__ import annotations

import random

import pytest

from moto_sagemaker_imgver import validation
from moto_sagemaker_imgver.validation import counts, java_syntax, patterns, to_re2

MODEL_PATTERNS = validation.model_patterns()


def test_every_pattern_of_the_model_is_matched_by_re2():
    assert [p for p in MODEL_PATTERNS if not patterns.is_linear(p)] == []


@pytest.mark.parametrize("pattern, text, verdict", [
    # the cases that took seconds to hours with the backtracking engines (issue 17)
    (".*(?:[ \\r\\n\\t].*)*", " " * 28 + "\u2028", False),
    (".*(?:[ \\r\\n\\t].*)*", '{\n "a": "b \u2028 c"\n}', False),
    (".*(?:[ \\r\\n\\t].*)*", '{\n  "a": "b c"\n}' * 2000, True),
    ("https://([.\\-_a-zA-Z0-9]+/?){3,1016}", "https://" + "a" * 5000 + "!", False),
    ("[0-9]*.[0-9]*.[0-9]*", "1" * 16_000 + "\n", False),
    ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", "a" * 40 + "!", False),
    # look-arounds
    ("(?!^[.-])^([a-zA-Z0-9-_.]+)", "1.0.0", True),
    ("(?!^[.-])^([a-zA-Z0-9-_.]+)", ".prod", False),
    ("(?!^[.-])^([a-zA-Z0-9-_.]+)", "-prod", False),
    ("(?!\\s*$).+", " \t ", False),
    ("(?!\\s*$).+", " x ", True),
    ("/(?!.*\\.\\.)[a-zA-Z0-9/_.\\-]+", "/a/b.c", True),
    ("/(?!.*\\.\\.)[a-zA-Z0-9/_.\\-]+", "/a/../b", False),
    ("(?=.{1,32}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*", "a" * 32, True),
    ("(?=.{1,32}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*", "a" * 33, False),
    ("([a-zA-Z0-9]([a-zA-Z0-9\\-]){0,62})(?<!-)", "my-image", True),
    ("([a-zA-Z0-9]([a-zA-Z0-9\\-]){0,62})(?<!-)", "my-image-", False),
    ("([a-zA-Z0-9]([a-zA-Z0-9\\-]){0,62})(?<!-)", "m", True),
    # Java's classes: \S takes every non-ASCII space, \p{Alnum} is ASCII, a lone surrogate is a char
    ("[\\S\\s]*", "hello\u00a0world\u2028\x1c\u3000", True),
    ("arn:[\\p{Alnum}\\-]+:lambda:.*", "arn:a\u00e9:lambda:f", False),
    (".", "\ud800", True),
    ("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*", "a\ud800", False),
    ("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*", "a\U0001F600", True),
    ("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)${1,128}", "k\u00e9y 1", True),
])
def test_verdicts(pattern, text, verdict):
    assert (patterns.compile_pattern(pattern).fullmatch(text) is not None) is verdict


LARGE_COUNTS = [p for p in MODEL_PATTERNS
                if counts.uncounted(patterns._take_lookarounds(
                    java_syntax.parse(p))[0])[1] != float("inf")]


def test_the_model_has_large_counts_to_test():
    assert "https://([.\\-_a-zA-Z0-9]+/?){3,1016}" in LARGE_COUNTS
    assert "https://([^/]+)/?.{3,1016}" in LARGE_COUNTS


@pytest.mark.slow  # 400 random values per pattern, each against RE2
@pytest.mark.parametrize("pattern", LARGE_COUNTS)
def test_large_counts_answer_as_the_counted_pattern(pattern):
    """Short values use the pattern without its large counts, long ones a rewritten form: both
    answer as RE2 running the counted pattern itself (slow to build, exact)."""
    tree, _ = patterns._take_lookarounds(java_syntax.parse(pattern))
    counted = to_re2.compile_re2(to_re2.write(tree))
    compiled = patterns.compile_pattern(pattern)
    rng = random.Random(pattern)
    start = pattern.split("(")[0].replace("\\", "")[:40]
    matched = 0
    for _ in range(400):
        size = rng.choice([0, 1, 3, 50, 1014, 1016, 1017, 1020, 2031, 2033, 2100, 3000])
        alphabet = rng.choice(["a", "a/", "aaa/", "a//", "a/.\u2028", "\u00e9a", "\ud800a/"])
        text = start + "".join(rng.choice(alphabet) for _ in range(size))
        data = text.encode("utf-8", "surrogatepass")
        expected = counted.Match(to_re2.BOTH, data, 0, len(data))[0][0] >= 0
        assert (compiled.fullmatch(text) is not None) is expected, (len(text), text[:40])
        matched += expected
    if pattern.startswith("https://"):  # the values are built for these: some must match
        assert matched > 0


def test_the_translation_can_be_read():
    source, conditions = patterns.translate("(?=.{1,32}$)[a-z]+")
    assert source == "[a-z]+"
    assert [(c.offset, c.negative) for c in conditions] == [(0, False)]


@pytest.mark.parametrize("pattern, deterministic", [
    ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", True),
    ("[\\S\\s]*", True),
    (".{0,4096}", True),
    ("arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", True),  # one `?`: twice the work
    # one loop whose exit the next character cannot decide, then a short rest: linear
    ("[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?", True),
    ("(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\\d|2[0-3])", True),  # a few undecided ways, once
    ("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)", True),  # Java's categories as ranges
    # where a backtracking engine blows up: these go to RE2
    ("[a-z]*[a-z]*x", False),  # two undecided loops: quadratic
    ("[a-z]*[a-z]{300}", False),  # a long rest after the undecided loop
    ("([a-z]*a)*", False),  # an undecided loop inside a loop
    (".*(?:[ \\r\\n\\t].*)*", False),
    ("[0-9]*.[0-9]*.[0-9]*", False),
    ("(https|s3)://([^/]+)/?(.*)", False),
    ("https://([.\\-_a-zA-Z0-9]+/?){3,1016}", False),
    ("(a|ab)*c", False),
    ("(a?){20}a{20}", False),
])
def test_only_deterministic_patterns_go_to_the_backtracking_engine(pattern, deterministic):
    from moto_sagemaker_imgver.validation.deterministic import is_deterministic

    tree, _ = patterns._take_lookarounds(java_syntax.parse(pattern))
    assert is_deterministic(tree) is deterministic
    assert isinstance(patterns.compile_pattern(pattern), patterns.JavaPattern) is not deterministic
