"""Whether moto's own SageMaker operations are validated too, and the check that does it.

The image operations are always validated. "all" adds every other SageMaker operation: its
request is checked against its input shape and, if valid, handed to moto untouched.
Set by `set_validation(...)`, else by the environment variable, read per request so that a
server started earlier (the server command, ThreadedMotoServer) follows it too.
"""
from __future__ import annotations

import functools
import os
import warnings
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional

if TYPE_CHECKING:
    from .responses import Response

ENV_VAR = "MOTO_SAGEMAKER_IMGVER_VALIDATE"
Mode = Literal["images", "all"]
MODES: tuple[Mode, ...] = ("images", "all")
SERVICE = "sagemaker"

_chosen: Optional[Mode] = None
_settings_made = 0


def validation_mode(value: object) -> Mode:
    """A mode given as text. Case and surrounding blanks are ignored, as for the environment
    variable, wherever a mode is given (call, option, ini key, marker)."""
    mode = value.strip().lower() if isinstance(value, str) else value
    for known in MODES:
        if mode == known:
            return known
    raise ValueError(f"validation mode must be one of 'images', 'all' (any case), not {value!r}")


def set_validation(mode: Optional[Mode]) -> None:
    """"all": validate every SageMaker request; "images": only this package's operations (moto's
    default behaviour for its own); None: follow the environment variable again.

    It holds for the whole process (every thread, and a server running in it); under the pytest
    plugin a call made in a test is undone when the test ends, and one made by a fixture when
    the fixture is torn down, whatever its scope."""
    global _chosen, _settings_made
    _chosen = None if mode is None else validation_mode(mode)
    _settings_made += 1


def settings_made() -> int:
    """How many times `set_validation` has been called: the pytest plugin tells by it which
    fixture made a setting, even one equal to the setting before."""
    return _settings_made


def current_validation() -> Optional[Mode]:
    """The mode set by `set_validation`, or None when the environment variable decides."""
    return _chosen


def validates_all() -> bool:
    # [chosen] Any value of the variable but "all" (any case) leaves moto's operations alone;
    # one that is no mode says so, once per value (it is read per request).
    value = _chosen if _chosen is not None else os.environ.get(ENV_VAR, "images")
    mode = value.strip().lower()
    if mode not in MODES:
        _warn_once(value)
    return mode == "all"


@functools.lru_cache(maxsize=16)
def _warn_once(value: str) -> None:
    warnings.warn(f"{ENV_VAR}={value!r} is not a validation mode ('images', 'all', any case): "
                  "only the image operations are validated", UserWarning, stacklevel=2)


def rejection(operation: str, body: Any) -> Optional[Response]:
    """AWS's 400 for an invalid request to one of moto's operations, or None to hand it to moto."""
    return _rejection_check()(operation, body)


@functools.lru_cache(maxsize=None)
def _rejection_check() -> Callable[[str, Any], Optional[Response]]:
    # Imported on first use, not with the package: the pytest plugin imports it in every run.
    from botocore.model import OperationNotFoundError

    from .exceptions import ImageApiError
    from .responses import decode_body, error_response
    from .validation import validate_passthrough

    def rejection(operation: str, body: Any) -> Optional[Response]:
        try:
            validate_passthrough(operation, decode_body(body or b""), SERVICE)
        except OperationNotFoundError:
            return None  # not in the model: nothing to check it against
        except ImageApiError as error:
            return error_response(error)
        return None

    return rejection
