"""Server-side validation, with cases generated from botocore's model rather than listed by hand.

For every operation the package serves and every constrained member of its input (nested ones
too), a request that is valid except for one broken constraint must come back as HTTP 400
`ValidationException` naming that member's path and the rule, in AWS's words. Values of the wrong
JSON type must come back as `SerializationException`.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from typing import Any, Iterator

import pytest
from botocore.model import Shape

from support import ROLE_ARN
from moto_sagemaker_imgver import validation
from moto_sagemaker_imgver.exceptions import ImageApiError, SerializationException
from moto_sagemaker_imgver.validation import messages, walker

from generated_cases import (CASES, IMAGE_ARN, OPERATIONS, call, entries_of,
                             input_shape, send_document, valid_value)
from generated_cases import raw_client  # noqa: F401  (a fixture)



# --- the generated cases --------------------------------------------------------------------------

def test_every_served_operation_has_generated_cases():
    covered = {case.operation for case in CASES}
    assert covered == set(OPERATIONS)
    kinds = {case.kind for case in CASES}
    assert {"required", "max", "min", "pattern", "enum"} <= kinds
    assert any(case.path == "aliasesToAdd" and case.kind == "item-pattern" for case in CASES)
    assert not any(".member" in case.path and case.path.endswith(".member") for case in CASES)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_generated_base_request_is_valid(operation):
    validation.validate_request(operation, valid_value(input_shape(operation)))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_one_broken_constraint_is_named_in_aws_words(raw_client, case):
    error = call(raw_client, case.operation, case.params)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"]["Code"] == "ValidationException"
    entries = entries_of(error.response["Error"]["Message"])
    # The value may break a second rule of the same member (a too-long name also breaks its
    # pattern), but nothing else in the request is wrong.
    assert all(f" at '{case.path}' failed to satisfy constraint: " in entry for entry in entries)
    suffix = f" at '{case.path}' failed to satisfy constraint: {case.rule}"
    assert any(entry.startswith("Value") and entry.endswith(suffix) for entry in entries), entries


WRONG_TYPES: dict[str, tuple[Any, str]] = {
    "string": (7, "NUMBER_VALUE can not be converted to a String"),
    "integer": ("7", "STRING_VALUE can not be converted to an Integer"),
    "boolean": ("yes", "STRING_VALUE can not be converted to an Boolean"),
    "timestamp": ([1], "Start of list found where not expected"),
    "list": ("x", "Expected list or null"),
    "structure": ("x", "Expected null"),
    "map": ([], "Start of list found where not expected"),
}


def wrong_type_cases() -> Iterator[tuple[str, dict, str, str]]:
    for operation in OPERATIONS:
        shape = input_shape(operation)
        base = valid_value(shape)
        for name, member in shape.members.items():
            if member.type_name in WRONG_TYPES:
                wrong, message = WRONG_TYPES[member.type_name]
                yield operation, {**base, name: wrong}, message, f"{operation}-{name}"


WRONG = list(wrong_type_cases())


@pytest.mark.parametrize("operation, params, message", [w[:3] for w in WRONG],
                         ids=[w[3] for w in WRONG])
def test_wrong_json_type_is_a_serialization_exception(raw_client, operation, params, message):
    error = send_document(raw_client, operation, params)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"] == {"Code": "SerializationException", "Message": message}


# --- the validator itself --------------------------------------------------------------------------

@pytest.mark.slow  # a fresh interpreter
def test_importing_the_package_does_not_parse_the_model():
    script = (
        "import botocore.loaders as loaders\n"
        "seen = []\n"
        "original = loaders.Loader.load_service_model\n"
        "def spy(self, name, *a, **k):\n"
        "    seen.append(name)\n"
        "    return original(self, name, *a, **k)\n"
        "loaders.Loader.load_service_model = spy\n"
        "import moto_sagemaker_imgver, moto_sagemaker_imgver.validation as v\n"
        "import moto_sagemaker_imgver.validation.walker as w\n"
        "before = ('sagemaker' in seen, v.service_model.cache_info().currsize, len(w._checkers))\n"
        "v.validate_request('DescribeImage', {'ImageName': 'x'})\n"
        "print(before, ('sagemaker' in seen, v.service_model.cache_info().currsize))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["(False,", "0,", "0)", "(True,", "1)"], out.stdout + out.stderr


def test_each_shape_is_built_once(monkeypatch):
    built: list[str] = []
    real_build = walker._build

    def counting(shape: Shape) -> Any:
        built.append(shape.name)
        return real_build(shape)

    monkeypatch.setattr(walker, "_checkers", {})
    monkeypatch.setattr(walker, "_build", counting)
    body = {"ImageName": "img", "Tags": [{"Key": "a", "Value": "b"}], "RoleArn": ROLE_ARN}
    for _ in range(3):
        validation.validate_request("CreateImage", body)
    validation.validate_request("AddTags", {"ResourceArn": IMAGE_ARN, "Tags": body["Tags"]})
    assert len(built) == len(set(built))
    assert {"CreateImageRequest", "TagList", "Tag", "TagKey", "ImageName"} <= set(built)


@pytest.mark.slow  # a thread race
def test_first_builds_racing_in_threads_all_succeed(monkeypatch):
    monkeypatch.setattr(walker, "_checkers", {})
    failures: list[BaseException] = []
    body = {"ImageName": "img", "Version": 1, "AliasesToAdd": ["a", "b"], "JobType": "TRAINING"}

    def work() -> None:
        try:
            for _ in range(20):
                validation.validate_request("UpdateImageVersion", body)
        except BaseException as error:  # noqa: BLE001 - any failure is the finding
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_every_pattern_in_the_sagemaker_model_compiles():
    model = validation.service_model()
    patterns = {model.shape_for(name).metadata.get("pattern") for name in model.shape_names}
    unreadable = [p for p in patterns - {None} if validation.compile_pattern(p) is None]
    assert unreadable == []


@pytest.mark.parametrize("pattern, printed", [
    ("[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}", "^[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}$"),
    ("(?!^[.-])^([a-zA-Z0-9-_.]+)", "(?!^[.-])^([a-zA-Z0-9-_.]+)$"),
    ("[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?", "^[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?$"),
    (".*", ".*"),
    ("(^DisplayName$)|(^Description$)", "(^DisplayName$)|(^Description$)"),
    ("[^ ~^:?*\\[]+", "^[^ ~^:?*\\[]+$"),  # a `^` inside a class is no anchor
    ("[a-zA-Z0-9$_]+", "^[a-zA-Z0-9$_]+$"),  # nor is a `$`
])
def test_patterns_are_printed_with_the_anchors_aws_prints(pattern, printed):
    assert messages.aws_printed_pattern(pattern) == printed


@pytest.mark.parametrize("pattern, text, matches", [
    ("[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?", "Python 3.10", True),
    ("[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?", "Python \u0663.\u0661", False),  # Java's \d is ASCII
    (".*", "line\nbreak", False),  # Java's `.` stops at line terminators
    (".*", "carriage\rreturn", False),
    ("\\S(.*\\S)?", "non\u00a0breaking", True),  # Java's \S takes a no-break space
    ("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)", "\u6771\u4eac \u00e9t\u00e9 \u0664\u0662", True),
    ("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)", "*", False),
    ("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*", "\U0001F600", True),
])
def test_patterns_match_as_java_matches_them(pattern, text, matches):
    assert (validation.compile_pattern(pattern).fullmatch(text) is not None) is matches


def test_unicode_tags_are_accepted_and_a_star_is_not(sm, sm_raw, make_image):
    arn = make_image("tagged")
    tags = [{"Key": "\u30c1\u30fc\u30e0", "Value": "\u6771\u4eac"},
            {"Key": "caf\u00e9", "Value": "cr\u00e8me br\u00fbl\u00e9e"}]
    sm.add_tags(ResourceArn=arn, Tags=tags)
    assert sorted(sm.list_tags(ResourceArn=arn)["Tags"], key=lambda t: t["Key"]) == \
        sorted(tags, key=lambda t: t["Key"])
    error = call(sm_raw, "AddTags", {"ResourceArn": arn, "Tags": [{"Key": "*", "Value": "v"}]})
    assert error.response["Error"]["Message"] == (
        "1 validation error detected: Value '*' at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$")
    assert len(sm.list_tags(ResourceArn=arn)["Tags"]) == 2


def test_tag_requests_naming_no_usable_arn_are_answered_here(raw_client):
    """moto would fail on them; a tag request for one of moto's own resources goes to moto."""
    for document, code in [
        ("not an object", "SerializationException"),
        ({"TagKeys": ["k"]}, "ValidationException"),
        ({"ResourceArn": 5, "TagKeys": ["k"]}, "SerializationException"),
        ({"ResourceArn": "model/m", "TagKeys": []}, "ValidationException"),
        ({"ResourceArn": "arn:aws:sagemaker:" + "x" * 300, "TagKeys": ["k"]}, "ValidationException"),
    ]:
        error = send_document(raw_client, "DeleteTags", document)
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error.response["Error"]["Code"] == code
    error = call(raw_client, "DeleteTags", {"ResourceArn": "model/m", "TagKeys": []})
    assert error.response["Error"]["Message"] == (
        "2 validation errors detected: Value 'model/m' at 'resourceArn' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+$; Value '[]' at 'tagKeys' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1")


@pytest.mark.parametrize("body, error_type, message", [
    ([], SerializationException, "Start of list found where not expected"),
    ("ImageName", SerializationException, "The request body must be a JSON object."),
    (None, SerializationException, "The request body must be a JSON object."),
    ({"ImageName": "ok", "Version": 1.5}, SerializationException,
     "1.5 can not be converted to an Integer"),
    ({"ImageName": "ok", "Version": 2**31}, SerializationException,
     "Numeric value (2147483648) out of range of an Integer"),
    ({"ImageName": "ok", "Version": 10**40}, SerializationException,
     f"Numeric value ({10**40}) out of range of an Integer"),
    ({"ImageName": "ok", "Version": 2.0}, None, ""),  # a whole number written as a float
    ({"ImageName": "ok", "Horovod": 1}, SerializationException,
     "NUMBER_VALUE can not be converted to an Boolean"),
    ({"ImageName": "ok", "AliasesToAdd": {"a": 1}}, SerializationException,
     "Start of structure or map found where not expected."),
    ({"ImageName": "ok", "AliasesToAdd": [1]}, SerializationException,
     "NUMBER_VALUE can not be converted to a String"),
    ({"ImageName": "ok", "Unknown": {"deep": [1, 2]}}, None, ""),  # unknown members are ignored
    ({"ImageName": "ok", "Alias": None}, None, ""),  # null reads as absent
])
def test_json_types_as_coral_reads_them(body, error_type, message):
    if error_type is None:
        validation.validate_request("UpdateImageVersion", body)
        return
    with pytest.raises(ImageApiError) as caught:
        validation.validate_request("UpdateImageVersion", body)
    assert type(caught.value) is error_type
    assert caught.value.message == message


def test_timestamps_accept_epoch_seconds_and_iso_text():
    for moment in (1_700_000_000, 1_700_000_000.5, "2023-11-14T22:13:20Z"):
        parsed = validation.validate_request("ListImages", {"CreationTimeAfter": moment})
        assert parsed["CreationTimeAfter"].year == 2023
    with pytest.raises(SerializationException):
        validation.validate_request("ListImages", {"CreationTimeAfter": "yesterday"})
    with pytest.raises(SerializationException):
        validation.validate_request("ListImages", {"CreationTimeAfter": 10**30})
    for other_form in ("2024-W01-1", "2024-01-01", "20240101T000000Z", "2023-11-14T22:13:20",
                       "2023-11-14 22:13:20Z", "1700000000"):
        with pytest.raises(SerializationException):  # forms AWS's JSON protocol does not take
            validation.validate_request("ListImages", {"CreationTimeAfter": other_form})
    parsed = validation.validate_request("ListImages", {"CreationTimeAfter": "2023-11-14t22:13:20.5+01:00"})
    assert parsed["CreationTimeAfter"] == dt.datetime(2023, 11, 14, 21, 13, 20, 500000)
    for edge in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        with pytest.raises(SerializationException):  # out of range once moved to UTC
            validation.validate_request("ListImages", {"CreationTimeAfter": edge})


def test_only_values_holding_a_sensitive_member_are_not_printed():
    """No served operation has one, so the walker is run on another SageMaker shape."""
    oidc = validation.service_model().shape_for("OidcConfig")
    value = {name: "https://example.com" for name in oidc.required_members}
    errors: list[str] = []
    validation.checker_for(oidc)({**value, "ClientSecret": "\u00e9"}, "oidcConfig", errors)
    assert errors == [
        "Value at 'oidcConfig.clientSecret' failed to satisfy constraint: Member must satisfy "
        "regular expression pattern: ^[ -~]+$"]
    # [chosen] The structure holding it is not printed either; its other members are.
    assert messages.violation(value, "oidcConfig", "Member must x", oidc) == (
        "Value at 'oidcConfig' failed to satisfy constraint: Member must x")
    client_id = oidc.members["ClientId"]
    assert messages.violation("id", "oidcConfig.clientId", "Member must x", client_id) == (
        "Value 'id' at 'oidcConfig.clientId' failed to satisfy constraint: Member must x")


@pytest.mark.parametrize("value, shape_name, printed", [
    ([], "KernelSpecs", "[]"),
    ([{"Name": "python3", "DisplayName": "Python 3"}], "KernelSpecs",
     "[{Name: python3, DisplayName: Python 3}]"),
    # Members as given, in the order given; unknown members and nulls are not the API's.
    ([{"DisplayName": "D", "Name": "n", "Extra": [1, 2], "Other": None}], "KernelSpecs",
     "[{DisplayName: D, Name: n}]"),
    ({"B": "2", "A": ""}, "CustomImageContainerEnvironmentVariables", "{B=2, A=}"),
    ([None, True, 1.5, [["x"]], {"k": {}}], None, "[null, true, 1.5, [[x]], {k={}}]"),
])
def test_values_print_as_aws_prints_them(value, shape_name, printed):
    shape = validation.service_model().shape_for(shape_name) if shape_name else None
    assert messages.java_str(value, shape) == printed


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_printing_any_depth_needs_no_recursion(depth):
    deep: Any = "x"
    for _ in range(depth):
        deep = [deep]
    assert messages.java_str({"k": deep}) == "{k=" + "[" * depth + "x" + "]" * depth + "}"


def test_rejected_requests_answer_json_with_no_traceback(raw_client):
    error = call(raw_client, "UpdateImageVersion", {"ImageName": "x" * 100_000})
    body = json.dumps(error.response["Error"])
    assert "Traceback" not in body and error.response["Error"]["Code"] == "ValidationException"
