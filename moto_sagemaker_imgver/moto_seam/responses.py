"""How a request reaches the stores (moto has no plugin API): `ImageResponse`, which the URL
table (`urls.py`) points at, answers this package's operations and hands every other one to
moto's SageMaker (checked first when validation of every operation is on). `backend.py` holds the
backend with the stores and `install()`.
"""
from __future__ import annotations

import gzip
from typing import Any, Protocol

from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from .. import responses, switch
from ..exceptions import InvalidSignatureException, SerializationException
from ..families import routed_operations
from ..store import Store



class StoreHolder(Protocol):
    """What a request needs of moto's SageMaker backend once `backend.install()` has extended it."""

    image_stores: list[Store]

    def moto_tags(self, arn: str) -> bool: ...


class ImageResponse(SageMakerResponse):
    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        # `is None`, not `or`: the truth of moto's EnvironHeaders counts them (microseconds)
        known = headers if headers is not None else {}
        operation = _operation(known)
        if isinstance(getattr(request, "stream", None), gzip.GzipFile):
            # moto 5.1's server has decompressed the body already, and moto's own operations
            # would decompress it again (a 500): for ours and moto's alike, once is enough
            self.allow_request_decompression = False
        if operation in routed_operations():
            answer = self._answer_ours(operation, request, full_url, headers)
            if answer is not None:
                return answer
        if operation is not None and switch.validates_all():
            try:
                body = self._body_as_moto_reads_it(request, known)
            except responses.BAD_GZIP:
                return responses.error_response(SerializationException.bad_gzip())
            rejected = switch.rejection(operation, body)
            if rejected is not None:
                return rejected
        return super()._dispatch(request, full_url, headers)

    def _answer_ours(self, operation: str, request: Any, full_url: str | None,
                     headers: Any) -> Any:
        """The answer to one of this package's operations, or None when moto's resource is meant
        (a tag call on one of moto's own ARNs)."""
        # moto >= 5.1.22 would parse the body against the model here; we do that ourselves.
        self.automated_parameter_parsing = False
        try:
            self.setup_class(request, full_url, headers, use_raw_body=True)  # decompresses gzip
        except responses.BAD_GZIP:
            return responses.error_response(SerializationException.bad_gzip())
        try:
            backend: StoreHolder = sagemaker_backends[self.current_account][self.region]  # type: ignore[assignment]
        except KeyError:  # a region moto does not know (AWS has no endpoint there)
            return responses.error_response(InvalidSignatureException(
                f"Credential should be scoped to a valid region, not '{self.region}'. "))
        return responses.answer(operation, self.body, backend.image_stores, backend.moto_tags)

    def _body_as_moto_reads_it(self, request: Any, headers: Any) -> Any:
        """The body moto's operation will read, decompressed as moto decompresses it; a body that
        is not the gzip it claims raises one of BAD_GZIP."""
        encoding = headers.get("Content-Encoding") or headers.get("content-encoding")
        if encoding != "gzip" or not self.allow_request_decompression:
            return _raw_body(request)  # nothing to decompress, or moto 5.1's server has
        decompress = getattr(self, "decompress_request_body", None)
        if decompress is not None:
            # moto 5.2 decompresses the request in place, once: read before, the body cached
            # would be the compressed one
            decompress(request)
            self.allow_request_decompression = False
            return _raw_body(request)
        body = _raw_body(request)  # older moto decompresses its own copy in setup_class
        return gzip.decompress(body) if isinstance(body, bytes) else body


def _raw_body(request: Any) -> Any:
    """The request's body as moto's setup_class reads it, without moto parsing it."""
    body: Any = getattr(request, "data", None)
    if body is None:
        body = getattr(request, "body", None)
    return body.read() if hasattr(body, "read") else body


def _operation(headers: Any) -> str | None:
    # The last dotted part, whatever the prefix (`sagemaker.ListImages` too), as moto read it up
    # to 5.2.5; moto 5.2.6 serves its own operations under `SageMaker.` only.
    target = headers.get("X-Amz-Target") or headers.get("x-amz-target")
    return target.split(".")[-1] if target else None

