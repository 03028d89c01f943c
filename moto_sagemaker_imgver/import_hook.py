"""Run a function right after a module is first imported: a finder at the front of
`sys.meta_path` wraps that one module's loader. This lets importing the package cost nothing
until moto loads its SageMaker."""
from __future__ import annotations

import sys
import warnings
from types import ModuleType
from typing import Any, Callable, Sequence


class _RunAfterImport:
    def __init__(self, name: str, action: Callable[[], None]) -> None:
        self.name = name
        self.action = action

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> Any:
        if fullname != self.name:
            return None
        for finder in list(sys.meta_path):
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _LoaderThenAction(spec.loader, self)  # type: ignore[assignment]
        return spec

    def run(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        try:
            self.action()
        except Exception as error:  # never break the user's import of moto
            warnings.warn(f"moto-sagemaker-imgver could not install itself into moto: {error!r}",
                          RuntimeWarning, stacklevel=2)


class _LoaderThenAction:
    def __init__(self, loader: Any, hook: _RunAfterImport) -> None:
        self.loader = loader
        self.hook = hook

    def create_module(self, spec: Any) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.hook.run()

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... for tracebacks
        return getattr(self.loader, name)


def run_after_import(name: str, action: Callable[[], None]) -> None:
    """Run `action` now if module `name` is loaded, else right after its first import."""
    if name in sys.modules:
        action()
        return
    if not any(isinstance(finder, _RunAfterImport) and finder.name == name
               for finder in sys.meta_path):
        sys.meta_path.insert(0, _RunAfterImport(name, action))
