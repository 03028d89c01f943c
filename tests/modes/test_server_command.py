"""The server command says what it is: --help names the image APIs and keeps moto_server's
options, --version prints the three versions, and `python -m` names itself so."""
from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import moto_sagemaker_imgver

pytestmark = pytest.mark.slow  # each test runs the server command


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(params=["console script", "module"])
def command(request) -> list[str]:
    if request.param == "module":
        return [sys.executable, "-m", "moto_sagemaker_imgver"]
    script = (shutil.which("moto_server_imgver", path=str(Path(sys.executable).parent))
              or shutil.which("moto_server_imgver"))
    if script is None:
        pytest.skip("moto_server_imgver is not on PATH")
    return [script]


def test_help_says_what_the_server_serves_and_keeps_moto_servers_options(command):
    done = run(*command, "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "SageMaker's custom-image APIs" in text
    for option in ("-H HOST, --host HOST", "-p PORT, --port PORT", "-s, --ssl", "--version"):
        assert option in text


def test_python_m_names_itself_in_the_usage():
    done = run(sys.executable, "-m", "moto_sagemaker_imgver", "--help")
    assert done.stdout.startswith("usage: python -m moto_sagemaker_imgver [-h] [--version]")
    assert "__main__.py" not in done.stdout


def test_an_unknown_option_is_refused_in_the_commands_name():
    done = run(sys.executable, "-m", "moto_sagemaker_imgver", "--no-such-option")
    assert done.returncode == 2
    assert "python -m moto_sagemaker_imgver: error: unrecognized arguments: --no-such-option" \
        in done.stderr


def test_version_prints_this_package_moto_and_botocore(command):
    done = run(*command, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"moto-sagemaker-imgver {moto_sagemaker_imgver.__version__} "
                                   f"(moto {version('moto')}, botocore {version('botocore')})")
