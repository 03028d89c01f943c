"""The package as built and installed: one version, the license, and (in the tox environment
that sets MOTO_SAGEMAKER_IMGVER_TEST_INSTALLED, moto-newest) the tests import the installed wheel,
not the source tree."""
from __future__ import annotations

import os
from importlib.metadata import distribution
from pathlib import Path

import pytest

import moto_sagemaker_imgver

ROOT = Path(__file__).resolve().parents[2]
INSTALLED_ONLY = pytest.mark.skipif(not os.environ.get("MOTO_SAGEMAKER_IMGVER_TEST_INSTALLED"),
                                    reason="only against the installed wheel (tox -e moto-newest)")


@INSTALLED_ONLY
def test_the_tests_import_the_installed_package_not_the_source_tree():
    where = Path(moto_sagemaker_imgver.__file__).resolve()
    assert ROOT / "moto_sagemaker_imgver" not in where.parents
    assert "site-packages" in where.parts


@INSTALLED_ONLY
def test_the_installed_distribution_has_the_package_version_license_and_types():
    installed = distribution("moto-sagemaker-imgver")
    assert installed.version == moto_sagemaker_imgver.__version__
    files = {str(path) for path in installed.files or ()}
    assert "moto_sagemaker_imgver/py.typed" in files
    assert "moto_sagemaker_imgver/java_categories.txt" in files or \
        "moto_sagemaker_imgver/validation/java_categories.txt" in files
    assert any(path.endswith("LICENSE") for path in files)
    assert any(point.value == "moto_sagemaker_imgver.moto_seam.server:main"
               for point in installed.entry_points if point.name == "moto_server_imgver")


def test_the_version_is_defined_once():
    setup_cfg = (ROOT / "setup.cfg").read_text()
    assert "version = attr: moto_sagemaker_imgver._version.__version__" in setup_cfg
    package = (ROOT / "moto_sagemaker_imgver" / "__init__.py").read_text()
    assert "from ._version import __version__" in package
    assert moto_sagemaker_imgver.__version__ in (ROOT / "CHANGELOG.md").read_text()
