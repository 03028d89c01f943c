"""SageMaker's custom-image APIs for moto. Importing the package installs them into moto: at once
if moto's SageMaker is loaded, else the moment moto loads it, so the import itself costs next to
nothing (the pytest plugin imports it in every run)."""
from __future__ import annotations

import importlib
import sys
from types import ModuleType

from .import_hook import run_after_import
from .supported import check_moto_version_once, require_supported_moto
from .switch import set_validation

__all__ = ["install", "set_validation", "__version__"]
__version__ = "0.2.0"


def install() -> None:
    """Make moto's SageMaker serve the image operations now. Safe to call more than once.
    Raises `supported.UnsupportedMoto` (a RuntimeError) with a moto outside the supported range."""
    import moto.sagemaker.models  # noqa: F401  (first, so that no module of ours is half-imported)

    require_supported_moto()  # before our backend, which needs what only a supported moto has
    from .backend import install as install_now

    install_now()


def _install_if_supported() -> None:
    if check_moto_version_once():  # else it has warned, and moto stays as it is
        install()


def __getattr__(name: str) -> ModuleType:
    # `moto_sagemaker_imgver.ecr.set_strict_ecr(...)` without an import line, loaded when used.
    if name == "ecr":
        return importlib.import_module(f"{__name__}.ecr")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _answer_bad_gzip_in_servers() -> None:
    if not check_moto_version_once():
        return
    from .server import answer_bad_gzip_in_server

    answer_bad_gzip_in_server()


if "moto" in sys.modules:
    check_moto_version_once()  # the warning points at the import line
# After each import or reload of moto's SageMaker, once no module of ours is half-imported.
run_after_import("moto.sagemaker.models", _install_if_supported, __name__)
run_after_import("moto.moto_server.werkzeug_app", _answer_bad_gzip_in_servers, __name__)
