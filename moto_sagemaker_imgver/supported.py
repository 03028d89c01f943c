"""The moto releases this package supports. Imports nothing heavy: it runs at import time."""
from __future__ import annotations

import sys
import warnings

SUPPORTED_MOTO = ((5, 0, 13), (6, 0, 0))
_checked = False


def _moto_version() -> tuple[int, ...]:
    parts = []
    for piece in sys.modules["moto"].__version__.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_moto_version() -> None:
    import moto

    low, high = SUPPORTED_MOTO
    if not low <= _moto_version() < high:
        warnings.warn(
            f"moto-sagemaker-imgver supports moto >=5.0.13,<6 but moto {moto.__version__} is "
            "installed; the image operations may not work.",
            RuntimeWarning,
            stacklevel=3,
        )


def check_moto_version_once() -> None:
    global _checked
    if not _checked:
        _checked = True
        check_moto_version()
