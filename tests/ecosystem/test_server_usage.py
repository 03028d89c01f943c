"""After a bad option the server command prints a usage line that has --version, as --help does
(moto's parser, which reads the options, does not know it)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the server command


def commands() -> list[list[str]]:
    found = [[sys.executable, "-m", "moto_sagemaker_imgver"]]
    script = (shutil.which("moto_server_imgver", path=str(Path(sys.executable).parent))
              or shutil.which("moto_server_imgver"))
    if script is not None:
        found.append([script])
    return found


@pytest.mark.parametrize("command", commands(), ids=lambda command: Path(command[-1]).name)
@pytest.mark.parametrize("bad", [["--bogus"], ["-p", "not-a-port"]], ids=["unknown", "bad-value"])
def test_a_bad_option_shows_the_usage_with_version(command, bad):
    done = subprocess.run([*command, *bad], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    usage = done.stderr.split("\n\n")[0]
    assert usage.startswith("usage: ")
    assert "[-h] [--version]" in usage
    assert "error: " in done.stderr
