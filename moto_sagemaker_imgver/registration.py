"""How a request reaches the stores (moto has no plugin API): `ImageResponse`, which the URL
table (`urls.py`) points at, answers this package's operations and hands every other one to
moto's SageMaker. `backend.py` holds the backend with the stores and `install()`.
"""
from __future__ import annotations

from typing import Any, Protocol

from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from . import responses
from .exceptions import ImageApiError
from .exceptions import ResourceNotFound as ImageResourceNotFound
from .store import Store
from .stores import routed_operations


class ImageBackend(Protocol):
    """What requests need of the backend (`backend.ImageBackend`, which imports this module)."""

    image_stores: list[Store]


class ImageResponse(SageMakerResponse):
    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        operation = _operation(headers or {})
        if operation not in routed_operations():
            return super()._dispatch(request, full_url, headers)
        # moto >= 5.1.22 would parse the body against the model here; we do that ourselves.
        self.automated_parameter_parsing = False
        self.setup_class(request, full_url, headers, use_raw_body=True)
        backend: ImageBackend = sagemaker_backends[self.current_account][self.region]  # type: ignore[assignment]
        store = responses.route(operation, self.body, backend.image_stores)
        if store is None:
            return super()._dispatch(request, full_url, headers)
        return responses.handle(operation, self.body, store)


def _as_moto_error(operation: Any, **kwargs: Any) -> None:
    """Run a store operation for another moto service, raising its errors as moto's SageMaker does."""
    from moto.sagemaker import exceptions as moto_errors

    try:
        operation(**kwargs)
    except ImageResourceNotFound as error:
        raise moto_errors.ResourceNotFound(error.message) from None
    except ImageApiError as error:
        raise moto_errors.ValidationError(error.message) from None


def _operation(headers: Any) -> str | None:
    target = headers.get("X-Amz-Target") or headers.get("x-amz-target") or ""
    prefix, _, operation = target.partition(".")
    return operation if prefix == "SageMaker" else None

