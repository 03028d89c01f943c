"""Everything that leans on moto's internals, in one place (moto has no plugin API).

- `ImageBackend` extends moto's SageMaker backend with an `ImageStore`, so the store lives per
  account and region and is rebuilt by moto's reset.
- `ImageResponse` answers this package's operations and hands every other one to moto.
- `install()` makes moto use both, including for backends built before the import.
"""
from __future__ import annotations

import gzip
import importlib
import sys
import warnings
import zlib
from types import ModuleType
from typing import Any, Iterator

import moto
from moto.core.base_backend import backend_lock
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from . import responses, switch
from .exceptions import ImageApiError, InvalidSignatureException, SerializationException
from .exceptions import ResourceNotFound as ImageResourceNotFound
from .models import register_state_models
from .store import Store, build_stores, routed_operations

SUPPORTED_MOTO = ((5, 0, 13), (6, 0, 0))


class ImageBackend(SageMakerModelBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self._init_images()

    def _init_images(self) -> None:
        self.image_stores = build_stores(self.account_id, self.region_name, _partition(self.region_name))

    @property
    def _url_module(self) -> ModuleType:  # type: ignore[override]
        # moto derives this from the class's module name, which is not `moto.sagemaker.models`.
        return importlib.import_module("moto_sagemaker_imgver.urls")

    if hasattr(SageMakerModelBackend, "iter_tagged_resources"):
        # moto >= 5.2.2: the Resource Groups Tagging API asks each backend for its resources.

        def iter_tagged_resources(self) -> Iterator[Any]:
            from moto.core.resource_tagging import TaggedResource

            yield from super().iter_tagged_resources()
            for store in self.image_stores:
                for arn, resource_type, tags in store.tagged_resources():
                    yield TaggedResource(arn=arn, tags=tags,
                                         resource_type=f"sagemaker:{resource_type}")

        def tag_resource(self, arn: str, tags: dict[str, str]) -> None:
            store = self._tag_store(arn)
            if store is None:
                return super().tag_resource(arn, tags)
            _as_moto_error(store.add_tags, resource_arn=arn,
                           tags=[{"Key": key, "Value": value} for key, value in tags.items()])

        def untag_resource(self, arn: str, tag_keys: list[str]) -> None:
            store = self._tag_store(arn)
            if store is None:
                return super().untag_resource(arn, tag_keys)
            _as_moto_error(store.delete_tags, resource_arn=arn, tag_keys=tag_keys)

    def _tag_store(self, arn: str) -> Store | None:
        return next((store for store in self.image_stores if store.serves("AddTags", arn)), None)

    def moto_tags(self, arn: str) -> bool:
        """Whether moto's own SageMaker can answer a tag call on the ARN: it fails (a 500) on one
        that names none of its resources."""
        from moto.sagemaker.exceptions import ValidationError

        try:
            return self._get_resource_from_arn(arn) is not None
        except (ValueError, AttributeError):  # no `type/name` in the ARN, or a type moto lacks
            return False
        except ValidationError:
            return True  # moto answers with its own error


class ImageResponse(SageMakerResponse):
    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        operation = _operation(headers or {})
        if operation in routed_operations():
            answer = self._answer_ours(operation, request, full_url, headers)
            if answer is not None:
                return answer
        if operation is not None and switch.validates_all():
            rejected = switch.rejection(operation, _raw_body(request))
            if rejected is not None:
                return rejected
        return super()._dispatch(request, full_url, headers)

    def _answer_ours(self, operation: str, request: Any, full_url: str | None,
                     headers: Any) -> Any:
        """The answer to one of this package's operations, or None when moto's resource is meant
        (a tag call on one of moto's own ARNs)."""
        # moto >= 5.1.22 would parse the body against the model here; we do that ourselves.
        self.automated_parameter_parsing = False
        if isinstance(getattr(request, "stream", None), gzip.GzipFile):
            self.allow_request_decompression = False  # moto 5.1's server has decompressed it
        try:
            self.setup_class(request, full_url, headers, use_raw_body=True)  # decompresses gzip
        except BAD_GZIP:
            return responses.error_response(bad_gzip())
        try:
            backend: ImageBackend = sagemaker_backends[self.current_account][self.region]  # type: ignore[assignment]
        except KeyError:  # a region moto does not know (AWS has no endpoint there)
            return responses.error_response(InvalidSignatureException(
                f"Credential should be scoped to a valid region, not '{self.region}'. "))
        store = responses.route(operation, self.body, backend.image_stores, backend.moto_tags)
        return None if store is None else responses.handle(operation, self.body, store)


BAD_GZIP = (gzip.BadGzipFile, EOFError, zlib.error)


def bad_gzip() -> SerializationException:
    # [chosen] AWS's answer to a body that is not the gzip it claims is not published.
    return SerializationException("The request body is not valid gzip.")


def answer_bad_gzip_in_server() -> None:
    """moto 5.1's server decompresses a body before any handler runs, in a hook of its own, where a
    body that is not gzip is a 500. This makes the hook answer SageMaker requests as we do; the
    hook is read when the server builds the service's app, so this runs before its first request."""
    werkzeug_app = sys.modules.get("moto.moto_server.werkzeug_app")
    decompress = getattr(werkzeug_app, "decompress_request_body", None)
    if decompress is None or getattr(decompress, "answers_bad_gzip", False):
        return

    def decompress_or_answer() -> Any:
        from flask import current_app

        try:
            decompress()
        except BAD_GZIP:
            if getattr(current_app, "service", None) != "sagemaker":
                raise
            status, headers, body = responses.error_response(bad_gzip())
            return body, status, headers  # a hook's answer ends the request
        return None

    decompress_or_answer.answers_bad_gzip = True  # type: ignore[attr-defined]
    werkzeug_app.decompress_request_body = decompress_or_answer  # type: ignore[union-attr]


def _as_moto_error(operation: Any, **kwargs: Any) -> None:
    """Run a store operation for another moto service, raising its errors as moto's SageMaker does."""
    from moto.sagemaker import exceptions as moto_errors

    try:
        operation(**kwargs)
    except ImageResourceNotFound as error:
        raise moto_errors.ResourceNotFound(error.message) from None
    except ImageApiError as error:
        raise moto_errors.ValidationError(error.message) from None


def _raw_body(request: Any) -> Any:
    """The request's body as moto's setup_class reads it, without moto parsing it."""
    body: Any = getattr(request, "data", None)
    if body is None:
        body = getattr(request, "body", None)
    return body.read() if hasattr(body, "read") else body


def _operation(headers: Any) -> str | None:
    # As moto reads it: the last dotted part, whatever the prefix (`sagemaker.ListImages` too).
    target = headers.get("X-Amz-Target") or headers.get("x-amz-target")
    return target.split(".")[-1] if target else None


def _partition(region_name: str) -> str:
    from moto.utilities.utils import get_partition

    return get_partition(region_name)


def _moto_version() -> tuple[int, ...]:
    parts = []
    for piece in moto.__version__.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_moto_version() -> None:
    low, high = SUPPORTED_MOTO
    if not low <= _moto_version() < high:
        warnings.warn(
            f"moto-sagemaker-imgver supports moto >=5.0.13,<6 but moto {moto.__version__} is "
            "installed; the image operations may not work.",
            RuntimeWarning,
            stacklevel=3,
        )


def list_moto_modules_once() -> None:
    """moto's server lists its own package folder on every request, to route by host; the listing
    cannot change while it runs, so the server command reads it once (halves its CPU per request)."""
    from moto import backends

    if getattr(backends.list_of_moto_modules, "listed_once", False):
        return
    modules = frozenset(backends.list_of_moto_modules())

    def list_of_moto_modules() -> frozenset[str]:
        return modules

    list_of_moto_modules.listed_once = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = list_of_moto_modules


def install() -> None:
    """Make moto's SageMaker serve the image operations. Safe to call more than once."""
    with backend_lock:
        register_state_models()
        sagemaker_backends.backend = ImageBackend
        for account_backends in list(sagemaker_backends.values()):
            account_backends.backend = ImageBackend
            for region in list(account_backends.keys()):
                backend = account_backends[region]
                if not isinstance(backend, ImageBackend):
                    # Adds attributes only, so the user's existing moto data is kept.
                    backend.__class__ = ImageBackend
                    backend._init_images()  # type: ignore[attr-defined]
    answer_bad_gzip_in_server()
