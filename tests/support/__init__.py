"""What the tests share besides fixtures: the account and region they run in, clients, the server
command's helpers, a plain-moto baseline and reading a client error. `tests/` is on `sys.path`
(pytest puts the root conftest's folder there), so a test module writes `from support import
REGION, error_of`; the state-machine helpers are this package's other modules
(`support.reference_model`, `support.state_machine`, `support.image_machine`).

The fixtures are in `tests/conftest.py`; nothing here imports the package under test."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any, Callable

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
BASE_IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-repo:1.0"
UNVALIDATED = Config(parameter_validation=False, retries={"max_attempts": 0})
# The races run full length once (moto-newest); the older moto lines run a quarter of each (RACES=short).
RACE_SHARE = 0.25 if os.environ.get("RACES") == "short" else 1.0

_session: boto3.Session | None = None


def shared_session() -> boto3.Session:
    """One session for the run: botocore then parses SageMaker's large model once, not per test
    (`mock_aws` replaces boto3's default session each time it starts)."""
    global _session
    if _session is None:
        _session = boto3.Session()
    return _session


def client_for(url: str, **kwargs: Any) -> Any:
    return shared_session().client("sagemaker", region_name=REGION, endpoint_url=url,
                        aws_access_key_id="testing", aws_secret_access_key="testing", **kwargs)


def error_of(call: Callable[..., Any], /, *, status: int | None = None,
             **kwargs: Any) -> tuple[str, str]:
    """The code and message of the ClientError that `call(**kwargs)` raises (it must raise one);
    given `status`, the error must also come with that HTTP status."""
    answered, code, message = status_error_of(call, **kwargs)
    if status is not None:
        assert answered == status
    return code, message


def status_error_of(call: Callable[..., Any], /, **kwargs: Any) -> tuple[int, str, str]:
    """The HTTP status, code and message of the ClientError that `call(**kwargs)` raises."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"],
            response["Error"]["Message"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(f"{url}/moto-api/data.json", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up")


def plain_moto(script: str) -> Any:
    """What the installed moto answers without the extension, as a baseline that no moto release
    can turn stale: `script` runs in a fresh interpreter that never loads the package and prints
    one JSON value on its last line."""
    guard = ("\nimport sys\nassert 'moto_sagemaker_imgver' not in sys.modules, "
             "'the baseline must be plain moto'\n")
    done = subprocess.run([sys.executable, "-c", script + guard], capture_output=True, text=True,
                          timeout=180, env={**os.environ, "AWS_ACCESS_KEY_ID": "testing",
                                            "AWS_SECRET_ACCESS_KEY": "testing"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
