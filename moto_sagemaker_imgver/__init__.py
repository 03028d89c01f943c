"""SageMaker's custom-image APIs for moto. Importing the package installs them into moto: at once
if moto's SageMaker is loaded, else the moment moto loads it, so the import itself costs next to
nothing (the pytest plugin imports it in every run)."""
from __future__ import annotations

import importlib
from types import ModuleType

from ._version import __version__
from .moto_seam.hooks import arm, install
from .switch import set_validation

__all__ = ["install", "set_validation", "__version__"]


def __getattr__(name: str) -> ModuleType:
    # `moto_sagemaker_imgver.ecr.set_strict_ecr(...)` without an import line, loaded when used.
    if name == "ecr":
        return importlib.import_module(f"{__name__}.ecr")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


arm(__name__)
