"""Whichever module of the package a program imports first, `mock_aws` serves the images; and
reloading moto's SageMaker models or the package's backend keeps the extension working."""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import moto_sagemaker_imgver

# Importing a `__main__` runs its program; every other module is importable on its own.
SUBMODULES = sorted(
    info.name for info in pkgutil.walk_packages(moto_sagemaker_imgver.__path__,
                                                f"{moto_sagemaker_imgver.__name__}.")
    if not info.name.endswith(".__main__"))

SERVES_IMAGES = """
import boto3
from moto import mock_aws

def serves_images():
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_image(ImageName="img", RoleArn="arn:aws:iam::123456789012:role/r")
        return sm.describe_image(ImageName="img")["ImageStatus"]
"""


def run_python(code: str) -> Any:
    """Run code in a fresh interpreter, any warning an error; the JSON of its last line."""
    done = subprocess.run([sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_module_is_listed():
    assert {"moto_sagemaker_imgver.moto_seam.backend", "moto_sagemaker_imgver.moto_seam.responses",
            "moto_sagemaker_imgver.moto_seam.urls", "moto_sagemaker_imgver.images.store"} <= set(SUBMODULES)


# Where moto is extended: a boto3 call proves it. Elsewhere (the domain, validation, the kit,
# which load nothing of moto's SageMaker) the class of a new backend proves the same, in a
# third of the time.
SEAM = [module for module in SUBMODULES if ".moto_seam" in module] + ["moto_sagemaker_imgver"]
BACKEND_CLASS = """
import json, moto.sagemaker.models as models
backend = models.sagemaker_backends["123456789012"]["us-east-1"]
print(json.dumps([type(backend).__module__, type(backend).__name__, hasattr(backend, "image_stores")]))
"""


@pytest.mark.slow  # a fresh interpreter
@pytest.mark.parametrize("module", SEAM)
def test_any_module_imported_first_leaves_the_extension_installed(module):
    code = f"import {module}\n{SERVES_IMAGES}\nimport json\nprint(json.dumps(serves_images()))"
    assert run_python(code) == "CREATED"


@pytest.mark.slow  # a fresh interpreter
@pytest.mark.parametrize("module", [module for module in SUBMODULES if module not in SEAM])
def test_any_other_module_imported_first_leaves_the_backend_installed(module):
    assert run_python(f"import {module}\n{BACKEND_CLASS}") == [
        "moto_sagemaker_imgver.moto_seam.backend", "ImageBackend", True]


@pytest.mark.slow  # a fresh interpreter
def test_a_name_imported_from_the_backend_first_leaves_the_extension_installed():
    code = ("from moto_sagemaker_imgver.moto_seam.backend import ImageBackend\n"
            f"{SERVES_IMAGES}\nimport json\nprint(json.dumps(serves_images()))")
    assert run_python(code) == "CREATED"


KEEPS_IMAGES_OVER_A_RELOAD = """
import importlib, json, warnings
import boto3
from moto import mock_aws
import moto_sagemaker_imgver
import moto.sagemaker.models

RELOADED = {module!r}
ROLE = "arn:aws:iam::123456789012:role/r"
with mock_aws():
    sm = boto3.client("sagemaker", region_name="us-east-1")
    sm.create_image(ImageName="before", RoleArn=ROLE)
    sm.create_experiment(ExperimentName="moto-own")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importlib.reload(importlib.import_module(RELOADED))
        importlib.reload(importlib.import_module(RELOADED))
        moto_sagemaker_imgver.install()
    sm.create_image(ImageName="after", RoleArn=ROLE)
    images = sorted(i["ImageName"] for i in sm.list_images()["Images"])
    sm.create_image_version(ImageName="after", BaseImage="python:3.12", Aliases=["a"])
    version = sm.describe_image_version(ImageName="after", Alias="a")["Version"]
    experiments = [e["ExperimentName"] for e in sm.list_experiments()["ExperimentSummaries"]]
    backend = moto.sagemaker.models.sagemaker_backends["123456789012"]["us-east-1"]
    current = type(backend) is importlib.import_module("moto_sagemaker_imgver.moto_seam.backend").ImageBackend
with mock_aws():  # a fresh mock resets the backends: new ones are built from the current class
    sm = boto3.client("sagemaker", region_name="us-east-1")
    sm.create_image(ImageName="fresh", RoleArn=ROLE)
    fresh = [i["ImageName"] for i in sm.list_images()["Images"]]
print(json.dumps({{"images": images, "version": version, "experiments": experiments,
                   "current": current, "fresh": fresh,
                   "warnings": [str(w.message) for w in caught]}}))
"""


@pytest.mark.slow  # a fresh interpreter
@pytest.mark.parametrize("module", ["moto.sagemaker.models", "moto_sagemaker_imgver.moto_seam.backend"])
def test_a_reload_keeps_the_extension_and_what_it_stores(module):
    assert run_python(KEEPS_IMAGES_OVER_A_RELOAD.format(module=module)) == {
        "images": ["after", "before"], "version": 1, "experiments": ["moto-own"],
        "current": True, "fresh": ["fresh"], "warnings": []}


@pytest.mark.slow  # a fresh interpreter
def test_a_reload_of_moto_models_before_any_request_reinstalls():
    code = ("import importlib, json\nimport moto_sagemaker_imgver\nimport moto.sagemaker.models\n"
            f"importlib.reload(moto.sagemaker.models)\n{SERVES_IMAGES}\n"
            "print(json.dumps(serves_images()))")
    assert run_python(code) == "CREATED"
