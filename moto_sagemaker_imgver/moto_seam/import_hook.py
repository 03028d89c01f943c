"""Run a function right after a module is imported: a finder at the front of `sys.meta_path`
wraps that one module's loader. This lets importing the package cost nothing until moto loads
its SageMaker.

The finder stays in place, so a reload of the module runs the function again. And the function
waits while a module of this package is half-imported in the same thread (a program whose first
import is `moto_sagemaker_imgver.moto_seam.backend` loads moto's SageMaker from inside it), then runs as
soon as the outermost such import has finished.
"""
from __future__ import annotations

import sys
import threading
import warnings
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Callable, Sequence

Action = Callable[[], None]


def _spec_from_the_others(me: object, fullname: str, path: Sequence[str] | None,
                          target: ModuleType | None) -> ModuleSpec | None:
    for finder in list(sys.meta_path):
        if finder is me or not hasattr(finder, "find_spec"):
            continue
        spec = finder.find_spec(fullname, path, target)
        if spec is not None:
            return spec
    return None


class _WrappingFinder:
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if not self.wraps(fullname):
            return None
        spec = _spec_from_the_others(self, fullname, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            # typeshed asks for an importlib.abc.Loader; the wrapper passes for the one it wraps
            spec.loader = _WrappedLoader(spec.loader, self)  # type: ignore[assignment]
        return spec

    def wraps(self, fullname: str) -> bool:
        raise NotImplementedError

    def around(self, execute: Action) -> None:
        raise NotImplementedError


class _WrappedLoader:
    def __init__(self, loader: Any, finder: _WrappingFinder) -> None:
        self.loader = loader
        self.finder = finder

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        self.finder.around(lambda: self.loader.exec_module(module))

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... for tracebacks
        return getattr(self.loader, name)


class _PackageImports(_WrappingFinder):
    """Counts, per thread, the package's modules being imported; runs what waits on them."""

    def __init__(self, package: str) -> None:
        self.prefix = f"{package}."
        self.local = threading.local()

    def wraps(self, fullname: str) -> bool:
        return fullname.startswith(self.prefix)

    def around(self, execute: Action) -> None:
        self.local.depth = getattr(self.local, "depth", 0) + 1
        try:
            execute()
        finally:
            self.local.depth -= 1
        if self.local.depth == 0:
            waiting, self.local.waiting = getattr(self.local, "waiting", []), []
            for action in waiting:
                _run_safely(action)

    def when_settled(self, action: Action) -> None:
        if getattr(self.local, "depth", 0):
            if action not in getattr(self.local, "waiting", []):
                self.local.waiting = [*getattr(self.local, "waiting", []), action]
        else:
            _run_safely(action)


class _RunAfterImport(_WrappingFinder):
    def __init__(self, name: str, action: Action, package: _PackageImports) -> None:
        self.name = name
        self.action = action
        self.package = package

    def wraps(self, fullname: str) -> bool:
        return fullname == self.name

    def around(self, execute: Action) -> None:
        execute()
        self.package.when_settled(self.action)


def _run_safely(action: Action) -> None:
    try:
        action()
    except Exception as error:  # never break the user's import of moto
        warnings.warn(f"moto-sagemaker-imgver could not install itself into moto: {error!r}",
                      RuntimeWarning, stacklevel=2)


def _package_imports(package: str) -> _PackageImports:
    for finder in sys.meta_path:
        if isinstance(finder, _PackageImports) and finder.prefix == f"{package}.":
            return finder
    finder = _PackageImports(package)
    sys.meta_path.insert(0, finder)
    return finder


def run_after_import(name: str, action: Action, package: str) -> None:
    """Run `action` now if module `name` is loaded, and after each import or reload of it; while
    a module of `package` is half-imported in the thread, only once that import has finished."""
    imports = _package_imports(package)
    if not any(isinstance(finder, _RunAfterImport) and finder.name == name
               for finder in sys.meta_path):
        sys.meta_path.insert(0, _RunAfterImport(name, action, imports))
    if name in sys.modules:
        action()
