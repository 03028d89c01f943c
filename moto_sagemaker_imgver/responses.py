"""The thin response layer, the same for every operation: body -> validated members -> store
method -> output shape -> JSON. Errors become AWS's JSON error documents with HTTP 400."""
from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import uuid
import zlib
from typing import Any, Callable, Sequence

from botocore.model import ListShape, MapShape, Shape, StructureShape
from moto.core.utils import camelcase_to_underscores, unix_time

from .exceptions import ImageApiError, InvalidSignatureException, SerializationException
from .pagination import tokens_scoped_to
from .store import Store
from .validation import member_is_valid, operation_model, validate_request

Response = tuple[int, dict[str, str], str]
JSON_CONTENT = "application/x-amz-json-1.1"
BAD_REQUEST, FORBIDDEN = 400, 403  # a signature AWS refuses is a 403


def answer(operation: str, body: bytes | str, stores: Sequence[Store],
           moto_tags: Callable[[str], bool]) -> Response | None:
    """AWS's answer to one of this package's operations, or None to leave the request to moto's
    SageMaker (a tag call on one of moto's own resources). The body is decoded once, here."""
    try:
        document = decode_body(body)
    except SerializationException as error:
        return error_response(error)
    store = route(operation, document, stores, moto_tags)
    if store is None:
        return None
    with tokens_scoped_to(store.account_id, store.region_name):
        return handle(operation, document, store)


def route(operation: str, document: Any, stores: Sequence[Store],
          moto_tags: Callable[[str], bool]) -> Store | None:
    """The store that answers the request, or None to leave it to moto's SageMaker, which answers
    tag calls only on ARNs `moto_tags` accepts."""
    if operation not in Store.TAG_OPERATIONS:
        return next((store for store in stores if store.serves(operation)), None)
    arn = document.get("ResourceArn") if isinstance(document, dict) else None
    if arn is None or not member_is_valid(operation, "ResourceArn", arn):
        # AWS's error comes from us (moto would fail on it), since validation refuses the
        # request first. A request for one of moto's own resources reaches moto unchanged.
        return _for_nobody(stores)
    store = next((store for store in stores if store.serves(operation, arn)), None)
    if store is None and not moto_tags(arn):
        return _for_nobody(stores)
    return store


def _for_nobody(stores: Sequence[Store]) -> Store:
    """The store that answers a tag call on nobody's resource: any store would, since validation
    or the tag lookup refuses it (`Store._tagged`: ResourceNotFound) before anything is stored."""
    return stores[0]


def handle(operation: str, document: Any, store: Store) -> Response:
    try:
        members = validate_request(operation, document)
        method = getattr(store, camelcase_to_underscores(operation))
        output = operation_model(operation).output_shape
        # The document is built under the store's lock: results are live objects, and another
        # request could otherwise change them (even delete them) before they are read.
        with store.lock:
            result = method(**{camelcase_to_underscores(name): value
                               for name, value in members.items()})
            document = _serialize(output, result) if output is not None else {}
        return 200, _headers(), json.dumps(document)
    except ImageApiError as error:
        return error_response(error)


# What reading a body that claims to be gzip and is not raises.
BAD_GZIP = (gzip.BadGzipFile, EOFError, zlib.error)


def error_response(error: ImageApiError) -> Response:
    headers = {**_headers(), "x-amzn-ErrorType": error.code}
    status = FORBIDDEN if isinstance(error, InvalidSignatureException) else BAD_REQUEST
    return status, headers, json.dumps({"__type": error.code, "Message": error.message})


def _headers() -> dict[str, str]:
    return {"Content-Type": JSON_CONTENT, "x-amzn-RequestId": str(uuid.uuid4())}


# [chosen] How deep a body may nest (objects and arrays, the body itself counting 1). One limit
# for both validators and for moto's parser behind them (which fails from about 300); AWS's own
# is not published.
MAX_DEPTH = 256


def decode_body(body: bytes | str) -> Any:
    """The JSON document of the body. Anything else, or a body nested deeper than MAX_DEPTH, is
    a SerializationException."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        document = _DECODER.decode(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SerializationException.unreadable_body() from None
    # Fewer brackets than the limit cannot nest past it: most bodies skip the walk.
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(document) > MAX_DEPTH:
        raise SerializationException.unreadable_body()
    return document


def _depth(document: Any) -> int:
    """How deep objects and arrays nest in the document; iterative, for any depth."""
    deepest = 0
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        pending.extend((item, depth + 1) for item in value
                       if isinstance(item, (dict, list)))
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are Python's, not JSON's


# Built once: json.loads with an option builds a decoder per call (a third of a small body's cost).
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


@functools.lru_cache(maxsize=None)
def _members(shape: StructureShape) -> tuple[tuple[str, str, Shape], ...]:
    return tuple((name, camelcase_to_underscores(name), member)
                 for name, member in shape.members.items())


_ABSENT = object()


def _serialize(shape: Shape, value: Any) -> Any:
    # botocore builds each container kind as its own class: the type name and the class agree.
    if isinstance(shape, StructureShape):
        return _serialize_structure(shape, value)
    if isinstance(shape, ListShape):
        return [_serialize(shape.member, item) for item in value]
    if isinstance(shape, MapShape):
        return {key: _serialize(shape.value, item) for key, item in value.items()}
    if shape.type_name == "timestamp" and isinstance(value, dt.datetime):
        return unix_time(value)
    return value


def _serialize_structure(shape: StructureShape, value: Any) -> dict[str, Any]:
    """A dict answers by the model's member names; an object by its snake_case attributes, else,
    when it keeps the settings its request gave (Studio's resources), from those."""
    document: dict[str, Any] = {}
    if isinstance(value, dict):
        for name, _, member in _members(shape):
            field = value.get(name)
            if field is not None:
                document[name] = _serialize(member, field)
        return document
    settings: dict[str, Any] | None = getattr(value, "settings", None)
    for name, attribute, member in _members(shape):
        field = getattr(value, attribute, _ABSENT)
        if field is _ABSENT:
            field = settings.get(attribute) if settings is not None else None
        if field is not None:
            document[name] = _serialize(member, field)
    return document
