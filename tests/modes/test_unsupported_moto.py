"""With a moto outside the supported range the package stands aside: one warning naming the
range, moto's own services untouched, and what needs the extension refuses with that message.

A fresh interpreter sees moto report 5.0.12 (set before anything reads it); a real run on moto
5.0.12 is the tox environment `unsupported-moto`, which runs this file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import moto
import pytest

pytestmark = pytest.mark.slow  # each test runs a fresh interpreter

# In the real run (tox `unsupported-moto`) moto is old already; elsewhere it is made to say so.
PRETEND = "" if moto.__version__ == "5.0.12" else 'import moto\nmoto.__version__ = "5.0.12"\n'
EXPECTED = ("moto-sagemaker-imgver supports moto >=5.0.13,<6 but moto 5.0.12 is installed; "
            "it leaves moto as it is and does not serve the image operations.")


def clean_environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("PYTEST_", "AWS_"))}
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return environment


def run_python(code: str) -> Any:
    done = subprocess.run([sys.executable, "-c", PRETEND + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=180, env=clean_environment())
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_package_stands_aside_with_one_warning():
    result = run_python("""
        import json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import moto_sagemaker_imgver
            import boto3
            from moto import mock_aws
            from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
            from moto.moto_server import werkzeug_app
            with mock_aws():
                sm = boto3.client("sagemaker", region_name="us-east-1")
                sm.create_experiment(ExperimentName="moto-own")
                experiments = sm.list_experiments()["ExperimentSummaries"]
            try:
                moto_sagemaker_imgver.install()
                refused = None
            except RuntimeError as error:
                refused = str(error)
        print(json.dumps({
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
            "experiments": [e["ExperimentName"] for e in experiments],
            "moto's backend": sagemaker_backends.backend is SageMakerModelBackend,
            "moto's server hook": not hasattr(
                getattr(werkzeug_app, "decompress_request_body", None), "answers_bad_gzip"),
            "refused": refused,
        }))
    """)
    assert result == {"warnings": [f"RuntimeWarning: {EXPECTED}"], "experiments": ["moto-own"],
                      "moto's backend": True, "moto's server hook": True, "refused": EXPECTED}


INNER_SUITE = '''
import boto3
from moto import mock_aws


@mock_aws
def test_moto_own_sagemaker():
    sm = boto3.client("sagemaker", region_name="us-east-1")
    sm.create_experiment(ExperimentName="moto-own")
    assert len(sm.list_experiments()["ExperimentSummaries"]) == 1


def test_the_image_server(sagemaker_imgver_server):
    raise AssertionError("not reached: the fixture refuses")
'''


def test_moto_tests_pass_and_the_fixture_fails_with_the_message(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text(PRETEND)
    (tmp_path / "test_inner.py").write_text(INNER_SUITE)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-p", "no:xdist", "-p", "no:randomly", "-rE"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**clean_environment(), "COLUMNS": "400"})
    output = done.stdout + done.stderr
    assert "1 passed" in output and "1 error" in output, output
    assert f"ERROR test_inner.py::test_the_image_server - Failed: {EXPECTED}" in output, output
    assert output.count(f"RuntimeWarning: {EXPECTED}") == 1, output
    assert "Traceback" not in output and "AttributeError" not in output, output


def test_the_server_command_refuses_with_the_message():
    done = subprocess.run([sys.executable, "-c", PRETEND + textwrap.dedent("""
        import warnings
        warnings.simplefilter("ignore")
        from moto_sagemaker_imgver.moto_seam.server import main
        main(["-H", "127.0.0.1", "-p", "0"], prog="moto_server_imgver")
    """)], capture_output=True, text=True, timeout=180, env=clean_environment())
    assert (done.returncode, done.stderr) == (1, f"moto_server_imgver: {EXPECTED}\n")
