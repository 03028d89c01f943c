"""The extension is in time whenever it is imported: before moto, before or after a server
starts, after the server's first SageMaker request, and through the pytest plugin without an
import line; and importing it (or loading the plugin) loads neither moto nor botocore."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # each test runs a fresh interpreter

ROOT = Path(__file__).resolve().parents[2]

SERVER_IN_ORDER = """
import json
import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

ORDER = {order!r}
if ORDER == "before the server":
    import moto_sagemaker_imgver
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
sm = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=f"http://{{host}}:{{port}}",
                  aws_access_key_id="a", aws_secret_access_key="b",
                  config=Config(retries={{"max_attempts": 0}}))
if ORDER == "after the server started":
    import moto_sagemaker_imgver
sm.create_experiment(ExperimentName="kept")  # a SageMaker request moto answers itself
if ORDER == "after its first SageMaker request":
    import moto_sagemaker_imgver
sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
sm.create_image_version(ImageName="img", BaseImage="python:3.12", Aliases=["a"])
print(json.dumps({{
    "version": sm.describe_image_version(ImageName="img", Alias="a")["Version"],
    "experiment": sm.describe_experiment(ExperimentName="kept")["ExperimentName"],
}}))
server.stop()
"""


def run_python(code: str) -> Any:
    """Run code in a fresh interpreter and return the JSON of its last line."""
    done = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c",
                           textwrap.dedent(code)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("order", ["before the server", "after the server started",
                                   "after its first SageMaker request"])
def test_a_threaded_server_serves_the_images_whenever_the_package_is_imported(order):
    assert run_python(SERVER_IN_ORDER.format(order=order)) == {"version": 1, "experiment": "kept"}


def test_importing_before_moto_loads_nothing_and_installs_when_moto_loads_sagemaker():
    result = run_python("""
        import json, sys
        import moto_sagemaker_imgver
        loaded = sorted(name for name in ("moto", "botocore", "boto3") if name in sys.modules)
        import boto3
        from moto import mock_aws
        with mock_aws():
            sm = boto3.client("sagemaker", region_name="us-east-1")
            sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
            print(json.dumps({"loaded": loaded,
                              "images": [i["ImageName"] for i in sm.list_images()["Images"]]}))
    """)
    assert result == {"loaded": [], "images": ["img"]}


def test_importing_after_moto_sagemaker_installs_at_once():
    result = run_python("""
        import json
        import moto.sagemaker.models
        import moto_sagemaker_imgver
        from moto_sagemaker_imgver.moto_seam.backend import ImageBackend
        print(json.dumps(moto.sagemaker.models.sagemaker_backends.backend is ImageBackend))
    """)
    assert result is True


def test_a_module_of_the_package_imported_first_still_installs():
    result = run_python("""
        import json
        import boto3
        from moto import mock_aws
        from moto_sagemaker_imgver.moto_seam.responses import ImageResponse
        with mock_aws():
            sm = boto3.client("sagemaker", region_name="us-east-1")
            print(json.dumps(sm.list_images()["Images"]))
    """)
    assert result == []


# --- the pytest plugin ---------------------------------------------------------------------------

PLUGIN_SUITE = '''
import os
import sys

LOADED_AT_COLLECTION = sorted(name for name in ("moto", "botocore") if name in sys.modules)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")


def test_the_plugin_loaded_neither_moto_nor_botocore():
    assert LOADED_AT_COLLECTION == []


@mock_aws
def test_mock_aws_serves_images_without_an_import_line():
    sm = boto3.client("sagemaker", region_name="us-east-1")
    sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
    assert [i["ImageName"] for i in sm.list_images()["Images"]] == ["img"]


def test_the_server_fixture_needs_no_credentials(sagemaker_imgver_server):
    sm = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=sagemaker_imgver_server)
    sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
    assert [i["ImageName"] for i in sm.list_images()["Images"]] == ["img"]


def test_zz_the_fake_credentials_are_gone_after_the_test():
    assert [name for name in CREDENTIALS if name in os.environ] == []
'''


def test_the_plugin_is_light_installs_for_mock_aws_and_gives_the_fixture_credentials(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_inner.py").write_text(PLUGIN_SUITE)
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("PYTEST_", "AWS_"))}
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:randomly"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=environment)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout


def test_the_plugin_can_be_turned_off(tmp_path):
    (tmp_path / "test_off.py").write_text(textwrap.dedent("""
        def test_off(request):
            assert not request.config.pluginmanager.has_plugin("moto_sagemaker_imgver")
    """))
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PYTEST_")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-p", "no:moto_sagemaker_imgver"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=environment)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_server_whose_apps_cannot_be_reached_gets_a_warning_naming_the_fix():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import json, warnings
        import moto.sagemaker.models
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication

        unknown_layout = object.__new__(DomainDispatcherApplication)  # no app cache we know
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import moto_sagemaker_imgver
        print(json.dumps([str(w.message) for w in caught if w.category is RuntimeWarning]))
    """)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "moto-sagemaker-imgver cannot reach a running moto server's apps: import "
        "moto_sagemaker_imgver before the server's first SageMaker request, or restart the "
        "server after importing it."
    ]
