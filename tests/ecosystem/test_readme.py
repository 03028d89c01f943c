"""Every Python snippet in README.md runs as written, each in a fresh interpreter without AWS
credentials in the environment (a snippet with a test function runs under pytest)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
SNIPPETS = re.findall(r"^```python\n(.*?)^```", README, flags=re.S | re.M)


def without_credentials() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("AWS_", "PYTEST_", "MOTO_"))}
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return environment


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 8


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{n + 1}" for n in range(len(SNIPPETS))])
def test_a_readme_snippet_runs_as_written(snippet, tmp_path):
    if "def test_" in snippet:
        (tmp_path / "test_snippet.py").write_text(snippet)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                   "test_snippet.py"]
    else:
        command = [sys.executable, "-c", snippet]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          env=without_credentials())
    assert done.returncode == 0, snippet + done.stdout + done.stderr
