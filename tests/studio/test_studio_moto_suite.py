"""moto's own domain tests that rely on moto's non-AWS answers are known differences, each with
the AWS behaviour it departs from; they are reported on the run's last line, not counted."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("run_moto_suite_studio",
                                              ROOT / "tools" / "run_moto_suite.py")
assert spec is not None and spec.loader is not None
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)


def test_moto_domain_tests_are_known_differences_with_the_aws_behaviour() -> None:
    known = runner.KNOWN_DIFFERENCES
    assert {test.rsplit("::", 1)[1] for test in known} == {
        "test_create_domain", "test_describe_domain", "test_describe_domain_defaults",
        "test_list_domains", "test_delete_domain"}
    assert all("AWS" in why for why in known.values())


def test_the_last_line_names_known_differences_apart() -> None:
    test = next(iter(runner.KNOWN_DIFFERENCES))
    line = runner.verdict("5.2.5", [], [], [test])
    assert line.endswith(f"; 1 known difference(s), where moto answers as AWS does not: {test}")
    assert line.startswith("moto 5.2.5: 0 test(s) fail only with the extension;")
