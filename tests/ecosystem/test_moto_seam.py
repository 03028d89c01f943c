"""moto's and botocore's internals are touched from one folder only, `moto_seam/`: a new moto
release means reading that folder. Elsewhere the package imports only their public modules and
names, and reads no private attribute of anything it imported from them."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "moto_sagemaker_imgver"
SEAM = PACKAGE / "moto_seam"
# What moto and botocore document for users (moto: the decorator, the server, the state
# manager, its time helpers; botocore: the model, the loader, config and exceptions).
PUBLIC = {
    "moto", "moto.server", "moto.moto_api", "moto.core.utils",
    "botocore.model", "botocore.loaders", "botocore.config", "botocore.exceptions",
    "botocore.session",
}
OUTSIDE_THE_SEAM = sorted(path for path in PACKAGE.rglob("*.py") if SEAM not in path.parents)


def _theirs(module: str) -> bool:
    return module.split(".")[0] in ("moto", "botocore")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def violations(source: str) -> list[str]:
    found, bound = [], set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _theirs(alias.name):
                    if alias.name not in PUBLIC:
                        found.append(f"line {node.lineno}: import {alias.name}")
                    bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level \
                and _theirs(node.module):
            if node.module not in PUBLIC:
                found.append(f"line {node.lineno}: from {node.module} import ...")
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                bound.add(alias.asname or alias.name)
    for node in ast.walk(tree):  # and the parameters typed with one of their classes
        if isinstance(node, ast.arg) and node.annotation is not None and any(
                isinstance(part, ast.Name) and part.id in bound
                for part in ast.walk(node.annotation)):
            bound.add(node.arg)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.append(f"line {node.lineno}: {base.id}...{node.attr}")
    return found


@pytest.mark.parametrize("path", OUTSIDE_THE_SEAM, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_only_the_seam_touches_moto_internals(path: Path) -> None:
    assert violations(path.read_text()) == []


def test_the_scan_finds_what_it_looks_for() -> None:
    source = """
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.sagemaker.models import sagemaker_backends
from botocore.model import _private_helper
import botocore.model
import moto.ecr.models
botocore.model.ShapeResolver._shape_resolver
def key(shape: Shape): return shape._shape_resolver
"""
    assert len(violations(source + "from botocore.model import Shape\n")) == 6
    assert violations("from moto.core.utils import utcnow\nfrom . import _mine\n") == []


def test_the_seam_is_where_moto_is_extended() -> None:
    seam = {path.name for path in SEAM.glob("*.py")}
    assert {"responses.py", "urls.py", "backend.py", "server.py", "import_hook.py",
            "supported.py", "states.py", "ecr_images.py"} <= seam
