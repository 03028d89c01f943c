"""The package's shape: its imports (those made only for type checking too) have no circle, and
no module is over 400 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "moto_sagemaker_imgver"
MOST_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str], source: str | None = None) -> set[str]:
    """The package's modules that `path` (or `source` as if it stood there) imports, wherever
    the import stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text() if source is None else source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            source = ".".join(part for part in (base if node.level else "", node.module or "")
                              if part)
            # `from package import module` depends on the module, not on the package's names
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    return {module for module in found if module in modules and module != name}


def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path, modules) for path in paths}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_circle() -> None:
    edges = graph()
    assert len(edges) > 40 and sum(map(len, edges.values())) > 100  # it read the package
    assert circles(edges) == []


def test_the_check_finds_a_circle_made_only_for_type_checking() -> None:
    edges = graph()
    # studio/base.py naming the apps for its types only, as it once did
    edges["moto_sagemaker_imgver.studio.base"].add("moto_sagemaker_imgver.studio.apps")
    assert ["moto_sagemaker_imgver.studio.apps", "moto_sagemaker_imgver.studio.base"] in [
        [member for member in circle if member.endswith((".apps", ".base"))]
        for circle in circles(edges)]


def test_an_import_made_only_for_type_checking_counts() -> None:
    source = ("from typing import TYPE_CHECKING\nfrom ..store import Store\n"
              "if TYPE_CHECKING:\n    from .apps import App\n")
    modules = set(graph())
    assert imports_of(PACKAGE / "studio" / "base.py", modules, source) == {
        "moto_sagemaker_imgver.store", "moto_sagemaker_imgver.studio.apps"}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MOST_LINES
