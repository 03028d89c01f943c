"""With every SageMaker operation validated, a valid request is never rejected, and an invalid
one is a 400, never a 5xx.

Valid requests are built from the model's input shapes for every operation moto implements
(moto's `SageMakerResponse` methods): required members always, optional ones at random; lengths,
ranges, enums and patterns kept. Patterns are generated from the validator's own reading of them
(Java's semantics: `compile_pattern`), so what is tested is everything else the walker does.
"""
from __future__ import annotations

import base64
import json
import re
import string
from typing import Any, Iterator

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.model import Shape
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from moto import mock_aws
from moto.sagemaker.responses import SageMakerResponse

import moto_sagemaker_imgver
from support import REGION, UNVALIDATED, shared_session
from moto_sagemaker_imgver import responses, switch, validation
from moto_sagemaker_imgver.validation import patterns
from moto_sagemaker_imgver.exceptions import ImageApiError
from generated_cases import valid_value

MODEL = validation.service_model()
MOTO_OPERATIONS = sorted(name for name in MODEL.operation_names
                         if hasattr(SageMakerResponse, xform_name(name)))
# Java strings count UTF-16 units; staying in the BMP keeps that equal to Python's len().
TEXT = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))
PLAIN = string.ascii_letters + string.digits
DEEPEST = 3  # below this, structures carry their required members only (recursive shapes)
JAVA_INT = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def _sizes(shape: Shape, cap: int) -> tuple[int, int]:
    low = int(shape.metadata.get("min", 0))
    high = int(shape.metadata.get("max", low + cap))
    return low, min(high, low + cap)


def _string(shape: Shape) -> st.SearchStrategy:
    if shape.enum:
        return st.sampled_from(shape.enum)
    low, high = int(shape.metadata.get("min", 0)), int(shape.metadata.get("max", 2**31))
    fits = lambda text: low <= len(text) <= high  # noqa: E731
    pattern = shape.metadata.get("pattern")
    compiled = validation.compile_pattern(pattern) if pattern is not None else None
    if compiled is None:
        return st.text(TEXT, min_size=low, max_size=min(high, low + 40))
    keeps = lambda text: fits(text) and compiled.fullmatch(text) is not None  # noqa: E731
    short = min(high, low + 40)
    if keeps("a" * max(low, 1)) and keeps("A b" + "c" * max(low - 3, 0)):
        # Loose patterns (`.*`, `[\S\s]*`, ...): text of the right size, mostly kept.
        return st.text(TEXT, min_size=low, max_size=short).filter(keeps)
    python_form = _python_form(pattern)
    if python_form is not None:
        return st.from_regex(python_form, fullmatch=True, alphabet=TEXT).filter(keeps)
    # Unicode categories (\p{...}), which `re` lacks: plain letters and digits, mostly kept.
    return st.text(PLAIN, min_size=low, max_size=short).filter(keeps)


def _python_form(pattern: str) -> re.Pattern | None:
    """The validator's translation of the pattern, in `re`'s syntax (look-aheads left out: the
    filter keeps them), to generate from."""
    try:
        source, _ = patterns.translate(pattern)
    except patterns.Unsupported:
        return None
    source = re.sub(r"\\x\{([0-9A-F]+)\}", lambda hexa: "\\U%08X" % int(hexa.group(1), 16), source)
    try:
        return re.compile(source)
    except re.error:
        return None


def _number(shape: Shape) -> st.SearchStrategy:
    kind = shape.type_name
    if kind in JAVA_INT:
        low, high = JAVA_INT[kind]
        return st.integers(max(low, int(shape.metadata.get("min", low))),
                           min(high, int(shape.metadata.get("max", high))))
    return st.floats(shape.metadata.get("min"), shape.metadata.get("max"),
                     allow_nan=False, allow_infinity=False, width=32 if kind == "float" else 64)


def valid(shape: Shape, depth: int = 0) -> st.SearchStrategy:
    kind = shape.type_name
    if kind == "structure":
        members = shape.members
        if getattr(shape, "is_tagged_union", False):
            return st.one_of([st.fixed_dictionaries({name: valid(member, depth + 1)})
                              for name, member in members.items()])
        required = {name: valid(members[name], depth + 1) for name in shape.required_members}
        optional = {} if depth >= DEEPEST else {
            name: valid(member, depth + 1) for name, member in members.items()
            if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        low, high = _sizes(shape, 2)
        return st.lists(valid(shape.member, depth + 1), min_size=low, max_size=high)
    if kind == "map":
        low, high = _sizes(shape, 2)
        return st.dictionaries(valid(shape.key, depth + 1), valid(shape.value, depth + 1),
                               min_size=low, max_size=high)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long", "float", "double"):
        return _number(shape)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.integers(0, 4_102_444_800) | st.floats(0, 4_102_444_800, allow_nan=False)
    if kind == "blob":
        low, high = _sizes(shape, 48)
        return st.binary(min_size=low, max_size=high).map(lambda data: base64.b64encode(data).decode())
    return st.just({})  # documents: any JSON


REQUESTS = {name: valid(MODEL.operation_model(name).input_shape)
            for name in MOTO_OPERATIONS if MODEL.operation_model(name).input_shape is not None}


def test_moto_operations_are_found_in_the_model():
    assert len(MOTO_OPERATIONS) >= 100
    assert {"CreateModel", "ListModels", "CreateTrainingJob", "CreateEndpointConfig"} \
        <= set(MOTO_OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("operation", sorted(REQUESTS))
@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # large requests, by design
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_a_valid_request_is_never_rejected(operation, data):
    request = data.draw(REQUESTS[operation], label="request")
    validation.validate_request(operation, json.loads(json.dumps(request)))


@pytest.fixture
def validating_mock() -> Iterator[Any]:
    before = switch.current_validation()
    moto_sagemaker_imgver.set_validation("all")
    try:
        with mock_aws():
            yield shared_session().client("sagemaker", region_name=REGION, config=UNVALIDATED,
                                          aws_access_key_id="testing",
                                          aws_secret_access_key="testing")
    finally:
        moto_sagemaker_imgver.set_validation(before)


THROUGH_BOTO3 = ["CreateModel", "ListModels", "CreateEndpointConfig", "CreateExperiment",
                 "ListTrainingJobs", "CreateModelPackageGroup", "DescribeModel", "AddTags"]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(data=st.data())
def test_valid_requests_through_boto3_reach_moto(validating_mock, monkeypatch, data):
    operation = data.draw(st.sampled_from(THROUGH_BOTO3), label="operation")
    request = data.draw(REQUESTS[operation], label="request")
    rejected: list[str] = []
    checked: list[str] = []
    check, reject = validation.validate_request, switch.rejection

    def spy_stores(*args: Any, **kwargs: Any) -> Any:
        checked.append(args[0])
        try:
            return check(*args, **kwargs)
        except ImageApiError as error:
            rejected.append(error.message)
            raise

    def spy_switch(operation: str, body: Any) -> Any:
        checked.append(operation)
        answer = reject(operation, body)
        if answer is not None:
            rejected.append(answer[2])
        return answer

    monkeypatch.setattr(switch, "rejection", spy_switch)
    # A tag call on an ARN nobody holds is answered by the image stores, through their check.
    monkeypatch.setattr(responses, "validate_request", spy_stores)
    try:
        getattr(validating_mock, xform_name(operation))(**request)
    except ClientError:
        pass  # moto's own answer (a missing resource, its own checks)
    except Exception:  # noqa: BLE001
        pass  # moto's own gaps (odd but valid ARNs, ...): it got the request, which is the point
    assert checked == [operation] and rejected == []


def _breakers(shape: Shape) -> list:
    meta = shape.metadata
    if shape.type_name in ("integer", "long", "float", "double"):
        return [bound for bound in (meta.get("max", 2**64) + 1, meta.get("min", -(2**64)) - 1)]
    if shape.type_name != "string":
        return []
    return ["a" * (int(meta.get("max", 2**16)) + 1), "", "*!\n_ ", "not-in-the-enum"]


def _invalid_variants(operation: str) -> Iterator[dict]:
    """The operation's minimal valid request with one top-level member broken, each way."""
    shape = MODEL.operation_model(operation).input_shape
    base = valid_value(shape)
    for name, member in shape.members.items():
        for wrong in _breakers(member) + [[1], {"x": 1}, 7, "s", None]:
            yield {**base, name: wrong}
        if name in base:
            yield {key: value for key, value in base.items() if key != name}


INVALID = [(operation, variant) for operation in MOTO_OPERATIONS
           if MODEL.operation_model(operation).input_shape is not None
           for variant in _invalid_variants(operation)]


def _rejected(operation: str, document: Any) -> bool:
    try:
        validation.validate_request(operation, document)
    except ImageApiError:
        return True
    return False


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(INVALID))
def test_an_invalid_request_is_a_400_never_a_5xx(validating_mock, case):
    operation, document = case
    assume(_rejected(operation, document))  # some "wrong" values are valid for the member
    event = f"before-sign.sagemaker.{operation}"

    def replace(request: Any, **_: Any) -> None:
        request.data = json.dumps(document).encode()

    validating_mock.meta.events.register(event, replace, unique_id="invalid-body")
    try:
        with pytest.raises(ClientError) as caught:
            getattr(validating_mock, xform_name(operation))()
    finally:
        validating_mock.meta.events.unregister(event, unique_id="invalid-body")
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] in ("ValidationException", "SerializationException")
