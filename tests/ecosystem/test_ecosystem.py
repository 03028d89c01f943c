"""The package among moto releases and moto's own features: version check, late install,
boto3 paginators, and the moto-suite runner's file selection."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import moto
import pytest

from support import BASE_IMAGE, client_for

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> Any:
    """Run code in a fresh interpreter (no pytest plugin there) and return its JSON output."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- moto version range ------------------------------------------------------------------------

@pytest.mark.slow  # a fresh interpreter
def test_importing_with_an_unsupported_moto_warns():
    messages = run_python("""
        import json, warnings
        import moto
        moto.__version__ = "4.2.14"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import moto_sagemaker_imgver
        print(json.dumps([str(w.message) for w in caught if w.category is RuntimeWarning]))
    """)
    assert messages == [
        "moto-sagemaker-imgver supports moto >=5.0.13,<6 but moto 4.2.14 is installed; "
        "it leaves moto as it is and does not serve the image operations."
    ]


@pytest.mark.parametrize("version, warns", [
    ("5.0.12", True), ("5.0.13", False), ("5.1.22", False), ("5.2.5", False),
    ("5.3.0.dev0", False), ("6.0.0", True), ("6.0.0rc1", True),
])
def test_version_range(monkeypatch, version, warns):
    from moto_sagemaker_imgver.moto_seam.supported import check_moto_version

    monkeypatch.setattr(moto, "__version__", version)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_moto_version()
    assert [version in str(w.message) for w in caught] == ([True] if warns else [])


def test_the_installed_moto_is_supported():
    from moto_sagemaker_imgver.moto_seam.supported import check_moto_version

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_moto_version()


# --- installing into a running mock --------------------------------------------------------------

@pytest.mark.slow  # a fresh interpreter
def test_a_late_install_keeps_moto_data_and_is_idempotent():
    result = run_python("""
        import json
        import boto3
        from moto import mock_aws

        with mock_aws():
            sm = boto3.client("sagemaker", region_name="us-east-1")
            sm.create_experiment(ExperimentName="before")
            try:
                sm.list_images()
                before = "served"
            except NotImplementedError:
                before = "not implemented"
            import moto_sagemaker_imgver
            moto_sagemaker_imgver.install()
            moto_sagemaker_imgver.install()
            sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
            print(json.dumps({
                "before": before,
                "images": [i["ImageName"] for i in sm.list_images()["Images"]],
                "experiment": sm.describe_experiment(ExperimentName="before")["ExperimentName"],
            }))
    """)
    assert result == {"before": "not implemented", "images": ["img"], "experiment": "before"}


# --- boto3 paginators ----------------------------------------------------------------------------

def walk(sm: Any, operation: str, key: str, page_size: int, **kwargs: Any) -> list:
    pages = sm.get_paginator(operation).paginate(PaginationConfig={"PageSize": page_size},
                                                 **kwargs)
    return [item for page in pages for item in page[key]]


@pytest.mark.parametrize("page_size", [1, 2, 7, 100])
def test_paginators_return_every_item_once(sm, make_image, page_size):
    for index in range(7):
        make_image(f"image-{index}")
    for _ in range(7):
        sm.create_image_version(ImageName="image-0", BaseImage=BASE_IMAGE)
    for version in range(1, 4):
        sm.update_image_version(ImageName="image-0", Version=version,
                                AliasesToAdd=[f"a{version}", f"b{version}"])

    names = [image["ImageName"] for image in walk(sm, "list_images", "Images", page_size)]
    assert sorted(names) == [f"image-{index}" for index in range(7)]
    versions = walk(sm, "list_image_versions", "ImageVersions", page_size, ImageName="image-0")
    assert sorted(version["Version"] for version in versions) == list(range(1, 8))
    aliases = walk(sm, "list_aliases", "SageMakerImageVersionAliases", page_size,
                   ImageName="image-0")
    assert aliases == ["a1", "b1", "a2", "b2", "a3", "b3"]


@pytest.mark.slow
def test_paginators_over_the_server_command(server_url):
    sm = client_for(server_url)
    for index in range(5):
        sm.create_image(ImageName=f"image-{index}", RoleArn="arn:aws:iam::123456789012:role/r")
    names = [image["ImageName"] for image in walk(sm, "list_images", "Images", 2)]
    assert sorted(names) == [f"image-{index}" for index in range(5)]


# --- moto's own suite: which files the runner takes from the sdist -------------------------------

def test_moto_suite_runner_takes_the_sagemaker_tests_and_their_helpers():
    spec = importlib.util.spec_from_file_location("run_moto_suite",
                                                  ROOT / "tools" / "run_moto_suite.py")
    assert spec is not None and spec.loader is not None
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    members = {
        "moto-5.2.5/tests/__init__.py": "tests/__init__.py",
        "moto-5.2.5/tests/conftest.py": "tests/conftest.py",
        "moto-5.2.5/tests/markers.py": "tests/markers.py",
        "moto-5.2.5/tests/test_sagemaker/__init__.py": "tests/test_sagemaker/__init__.py",
        "moto-5.2.5/tests/test_sagemaker/test_sagemaker_models.py":
            "tests/test_sagemaker/test_sagemaker_models.py",
        "moto-5.2.5/tests/test_s3/test_s3.py": None,
        "moto-5.2.5/moto/sagemaker/models.py": None,
        "moto-5.2.5/tests/../../etc/passwd": None,
        "moto-5.2.5/setup.cfg": None,
    }
    assert {member: runner.wanted(member) for member in members} == members
