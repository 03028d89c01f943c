"""Every operation a store lists is one it can answer (a name listed without its method would
reach a client as a raw AttributeError, and a name the model lacks could never be sent), and the
families meet through public faces: no module reads another's private names."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from moto.core.utils import camelcase_to_underscores

from moto_sagemaker_imgver import validation
from moto_sagemaker_imgver.families import STORE_CLASSES
from moto_sagemaker_imgver.store import Store


@pytest.mark.parametrize("store", STORE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_listed_operation_has_its_method(store: type[Store]) -> None:
    assert store.OPERATIONS, store
    missing = [operation for operation in sorted(store.OPERATIONS | Store.TAG_OPERATIONS)
               if not callable(getattr(store, camelcase_to_underscores(operation), None))]
    assert missing == []


@pytest.mark.parametrize("store", STORE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_listed_operation_is_in_the_model(store: type[Store]) -> None:
    assert sorted(store.OPERATIONS - set(validation.service_model().operation_names)) == []


# --- families meet through public faces ----------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2] / "moto_sagemaker_imgver"
# Private names of other libraries the package reads deliberately (moto's and botocore's are
# held to moto_seam/ by test_moto_seam).
THIRD_PARTY = {"ast", "re2"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reads(source: str) -> list[str]:
    """A private attribute read on anything but `self`, `cls` or `super()`, or a private name
    imported from another module of the package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            root = base
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(base, ast.Name) and base.id in {"self", "cls"} or \
                    isinstance(root, ast.Name) and root.id in THIRD_PARTY:
                continue
            if isinstance(base, ast.Call) and getattr(base.func, "id", None) == "super":
                continue
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and node.level and any(
                _private(alias.name) for alias in node.names):
            found.append(f"line {node.lineno}: from {'.' * node.level}{node.module} import ...")
    return found


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py")
                                        if "moto_seam" not in p.parts),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_reads_another_s_private_names(path: Path) -> None:
    assert private_reads(path.read_text(encoding="utf-8")) == []


def test_the_scan_finds_a_private_read() -> None:
    assert private_reads("def f(images):\n    return images._image('x')\n") == [
        "line 2: images._image"]
    assert private_reads("from ..images.store import _secret\n") == [
        "line 1: from ..images.store import ..."]
