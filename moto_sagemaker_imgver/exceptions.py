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

    @classmethod
    def unreadable_body(cls) -> SerializationException:
        """[chosen] AWS answers a malformed body without a message; ours says what is wrong. A
        body nested deeper than the service can follow gets the same answer."""
        return cls("The request body is not valid UTF-8 JSON.")

    @classmethod
    def bad_gzip(cls) -> SerializationException:
        """[chosen] AWS's answer to a body that is not the gzip it claims is not published."""
        return cls("The request body is not valid gzip.")


class ResourceNotFound(ImageApiError):
    code = "ResourceNotFound"


class ResourceInUse(ImageApiError):
    code = "ResourceInUse"


class ResourceLimitExceeded(ImageApiError):
    code = "ResourceLimitExceeded"


class InvalidSignatureException(ImageApiError):
    code = "InvalidSignatureException"
