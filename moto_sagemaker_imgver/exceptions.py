"""Errors of the image API, as AWS names them. They carry no HTTP: the response layer renders them."""
from __future__ import annotations


class ImageApiError(Exception):
    """An AWS error: `code` is the `__type` AWS answers with."""

    code = "InternalFailure"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationException(ImageApiError):
    code = "ValidationException"


class SerializationException(ImageApiError):
    code = "SerializationException"


class ResourceNotFound(ImageApiError):
    code = "ResourceNotFound"


class ResourceInUse(ImageApiError):
    code = "ResourceInUse"


class InvalidSignatureException(ImageApiError):
    code = "InvalidSignatureException"
