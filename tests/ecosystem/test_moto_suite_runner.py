"""The moto-suite runner's last line names moto's own failures, so a green run never ends on a
bare "1 failed"."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("run_moto_suite", ROOT / "tools" / "run_moto_suite.py")
assert spec is not None and spec.loader is not None
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)


def test_the_last_line_names_the_tests_that_fail_with_and_without_the_extension():
    line = runner.verdict("5.0.28", [], ["tests/test_sagemaker/test_b.py::test_y",
                                         "tests/test_sagemaker/test_a.py::test_x"])
    assert line == ("moto 5.0.28: 0 test(s) fail only with the extension; 2 fail with and "
                    "without it alike (moto's own): tests/test_sagemaker/test_a.py::test_x, "
                    "tests/test_sagemaker/test_b.py::test_y")


def test_the_last_line_names_the_extensions_failures_too():
    line = runner.verdict("5.2.5", ["tests/test_sagemaker/test_a.py::test_x"], [])
    assert line == ("moto 5.2.5: 1 test(s) fail only with the extension: "
                    "tests/test_sagemaker/test_a.py::test_x; 0 fail with and without it alike "
                    "(moto's own): none")
