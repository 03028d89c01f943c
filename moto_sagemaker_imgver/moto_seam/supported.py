"""The moto releases this package supports. Imports nothing heavy: it runs at import time.

Outside the range the package stands aside: it installs nothing into moto (whose own services
and tests then run as without it), warns once, and what needs it (`install()`, the server
command, the pytest fixture) refuses with the same message.
"""
from __future__ import annotations

import sys
import warnings

SUPPORTED_MOTO = ((5, 0, 13), (6, 0, 0))
SUPPORTED_RANGE = ">=5.0.13,<6"
_checked = False


class UnsupportedMoto(RuntimeError):
    """The installed moto is outside the supported range."""


def _moto_version() -> tuple[int, ...]:
    parts = []
    for piece in sys.modules["moto"].__version__.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def unsupported_reason() -> str | None:
    """Why this package cannot serve the installed moto, or None when it can."""
    import moto

    low, high = SUPPORTED_MOTO
    if low <= _moto_version() < high:
        return None
    return (f"moto-sagemaker-imgver supports moto {SUPPORTED_RANGE} but moto {moto.__version__} "
            "is installed; it leaves moto as it is and does not serve the image operations.")


def check_moto_version() -> bool:
    """Warn when the installed moto is not supported; whether it is."""
    reason = unsupported_reason()
    if reason is not None:
        warnings.warn(reason, RuntimeWarning, stacklevel=3)
    return reason is None


def check_moto_version_once() -> bool:
    """As `check_moto_version`, warning at most once per process."""
    global _checked
    if not _checked:
        _checked = True
        return check_moto_version()
    return unsupported_reason() is None


def require_supported_moto() -> None:
    """Raise `UnsupportedMoto` (after the one warning) unless the installed moto is supported."""
    check_moto_version_once()
    reason = unsupported_reason()
    if reason is not None:
        raise UnsupportedMoto(reason)
