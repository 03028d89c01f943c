"""Raw HTTP against the real server command: bodies boto3 would never send.

Whatever arrives, the answer is an HTTP 400 JSON error document (`SerializationException` or
`ValidationException`), never a 500 and never a traceback, and nothing is stored.
"""
from __future__ import annotations

import json

import pytest
import requests

from support import ACCOUNT, REGION, ROLE_ARN

pytestmark = pytest.mark.slow  # every test talks to the server command

AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/aws4_request, "
                 "SignedHeaders=host, Signature=x")
IMAGE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/my-image"
MB = 1024 * 1024


def post(url: str, operation: str, body: bytes | str) -> requests.Response:
    headers = {
        "Authorization": AUTHORIZATION,
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"SageMaker.{operation}",
    }
    data = body.encode() if isinstance(body, str) else body
    return requests.post(f"{url}/", data=data, headers=headers, timeout=60)


def error_document(response: requests.Response) -> dict:
    assert response.status_code == 400, response.text[:500]
    assert "Traceback" not in response.text
    assert response.headers["Content-Type"].startswith("application/x-amz-json-1.1")
    document = response.json()
    assert response.headers["x-amzn-ErrorType"] == document["__type"]
    return document


def nothing_stored(url: str) -> bool:
    listed = post(url, "ListImages", "{}")
    assert listed.status_code == 200
    return listed.json()["Images"] == []


def test_a_well_formed_raw_request_is_served(server_url):
    created = post(server_url, "CreateImage", json.dumps({"ImageName": "raw", "RoleArn": ROLE_ARN}))
    assert created.status_code == 200, created.text
    assert created.json() == {"ImageArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/raw"}


@pytest.mark.parametrize("operation, body", [
    ("DescribeImage", b"not json"),
    ("DescribeImage", b""),
    ("DescribeImage", b"{"),
    ("DescribeImage", b'{"ImageName": "x",}'),
    ("DescribeImage", b"null"),
    ("DescribeImage", b"42"),
    ("DescribeImage", b'"ImageName"'),
    ("DescribeImage", b'{"ImageName": NaN}'),
    ("UpdateImageVersion", b'{"ImageName": "x", "Version": Infinity}'),
    ("CreateImage", b"\xff\xfe\x00{"),
    ("CreateImage", b'{"ImageName": "caf\xe9", "RoleArn": "' + ROLE_ARN.encode() + b'"}'),
    ("ListImages", b'{"NameContains": "\xed\xa0\x80"}'),  # an encoded surrogate is not UTF-8
    ("AddTags", b"not json"),
    ("ListTags", b"\xc3\x28"),
    ("DeleteTags", b""),
], ids=["text", "empty", "truncated", "trailing-comma", "null", "number", "string", "nan",
        "infinity", "utf16", "latin1", "surrogate", "tags-text", "tags-bad-utf8", "tags-empty"])
def test_bodies_that_are_not_json_are_serialization_exceptions(server_url, operation, body):
    document = error_document(post(server_url, operation, body))
    assert document["__type"] == "SerializationException"
    if body.startswith((b"null", b"42", b'"')):
        assert document["Message"] == "The request body must be a JSON object."
    else:
        assert document["Message"] == "The request body is not valid UTF-8 JSON."
    assert nothing_stored(server_url)


def test_a_list_where_the_object_should_be(server_url):
    document = error_document(post(server_url, "CreateImage", b"[]"))
    assert document == {"__type": "SerializationException",
                        "Message": "Start of list found where not expected"}


@pytest.mark.parametrize("operation, members, message", [
    ("DescribeImage", {"ImageName": 5}, "NUMBER_VALUE can not be converted to a String"),
    ("DescribeImage", {"ImageName": True}, "TRUE_VALUE can not be converted to a String"),
    ("UpdateImageVersion", {"ImageName": "x", "Version": "1"},
     "STRING_VALUE can not be converted to an Integer"),
    ("UpdateImageVersion", {"ImageName": "x", "Horovod": "yes"},
     "STRING_VALUE can not be converted to an Boolean"),
    ("UpdateImageVersion", {"ImageName": "x", "AliasesToAdd": "latest"}, "Expected list or null"),
    ("CreateImage", {"ImageName": "x", "RoleArn": ROLE_ARN, "Tags": {"Key": "k"}},
     "Start of structure or map found where not expected."),
    ("CreateImage", {"ImageName": "x", "RoleArn": ROLE_ARN, "Tags": ["k"]}, "Expected null"),
    ("ListImages", {"MaxResults": [10]}, "Start of list found where not expected"),
    ("ListImages", {"CreationTimeAfter": {"at": 1}},
     "Start of structure or map found where not expected."),
    ("AddTags", {"ResourceArn": IMAGE_ARN, "Tags": "k=v"}, "Expected list or null"),
    ("ListTags", {"ResourceArn": IMAGE_ARN, "MaxResults": "x"},
     "STRING_VALUE can not be converted to an Integer"),
], ids=["name-number", "name-boolean", "version-string", "horovod-string", "aliases-string",
        "tags-object", "tag-string", "max-results-list", "time-object", "add-tags-string",
        "list-tags-max-results"])
def test_members_of_the_wrong_json_type(server_url, operation, members, message):
    document = error_document(post(server_url, operation, json.dumps(members)))
    assert document == {"__type": "SerializationException", "Message": message}
    assert nothing_stored(server_url)


@pytest.mark.parametrize("body", [
    b'{"ImageName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"Unknown": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b', "ImageName": "x"}',
], ids=["lists", "objects"])
def test_deeply_nested_json(server_url, body):
    document = error_document(post(server_url, "DescribeImage", body))
    assert document["__type"] == "SerializationException"


@pytest.mark.parametrize("number", [b"1" + b"0" * 400, b"9" * 5000, b"1e400", b"2147483648"],
                         ids=["401-digits", "5000-digits", "1e400", "2^31"])
def test_numbers_beyond_java_int(server_url, number):
    body = b'{"ImageName": "x", "Version": ' + number + b"}"
    document = error_document(post(server_url, "DescribeImageVersion", body))
    assert document["__type"] == "SerializationException"
    # Python's JSON reader refuses integers beyond 4300 digits before validation sees them.
    assert document["Message"].startswith(("Numeric value (", "inf ", "The request body is not"))


def test_a_five_megabyte_name(server_url):
    name = "a" * (5 * MB)
    document = error_document(post(server_url, "CreateImage", json.dumps(
        {"ImageName": name, "RoleArn": ROLE_ARN})))
    assert document["__type"] == "ValidationException"
    prefix = f"2 validation errors detected: Value '{name}' at 'imageName' failed to satisfy constraint: "
    assert document["Message"].startswith(prefix + "Member must satisfy regular expression "
                                          "pattern: ^[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}$; ")
    assert document["Message"].endswith("Member must have length less than or equal to 63")
    assert nothing_stored(server_url)


def test_five_megabytes_of_release_notes_and_of_aliases(server_url):
    notes = post(server_url, "UpdateImageVersion", json.dumps(
        {"ImageName": "x", "ReleaseNotes": "n" * (5 * MB)}))
    assert error_document(notes)["Message"].endswith(
        "at 'releaseNotes' failed to satisfy constraint: Member must have length less than or "
        "equal to 255")
    aliases = ["alias-%06d" % i for i in range(400_000)]  # 5 MB of valid aliases: no such image
    missing = error_document(post(server_url, "UpdateImageVersion", json.dumps(
        {"ImageName": "x", "AliasesToAdd": aliases})))
    assert missing["__type"] == "ResourceNotFound"


def test_malformed_tag_requests_are_answered_not_crashed(server_url):
    document = error_document(post(server_url, "AddTags", "{}"))
    assert document == {"__type": "ValidationException", "Message": (
        "2 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: "
        "Member must not be null; Value null at 'tags' failed to satisfy constraint: Member must "
        "not be null")}
    document = error_document(post(server_url, "ListTags", json.dumps({"ResourceArn": 7})))
    assert document == {"__type": "SerializationException",
                        "Message": "NUMBER_VALUE can not be converted to a String"}


DEEP_BODIES = {
    # A list or a map breaking its length rule while holding a value nested hundreds deep.
    "UpdateImage": '{"ImageName": "x", "DeleteProperties": ["DisplayName", "Description", DEEP]}',
    "CreateAppImageConfig": '{"AppImageConfigName": "c", "JupyterLabAppImageConfig": '
                            '{"ContainerConfig": {"ContainerEnvironmentVariables": {%s, "d": DEEP}}}}'
                            % ", ".join(f'"K{i}": "v"' for i in range(25)),
    "CreateImage": '{"ImageName": "x", "RoleArn": "%s", "Tags": [%s]}'
                   % (ROLE_ARN, ", ".join(['{"Key": "k", "Value": "v", "U": DEEP}'] * 51)),
}


@pytest.mark.parametrize("operation", sorted(DEEP_BODIES))
@pytest.mark.parametrize("depth", [240, 350, 600, 900, 2_000])
def test_values_nested_hundreds_deep_in_a_bad_list_are_a_400(server_url, operation, depth):
    deep = "[" * depth + '"x"' + "]" * depth
    body = DEEP_BODIES[operation].replace("DEEP", deep)
    document = error_document(post(server_url, operation, body))
    assert document["__type"] in {"ValidationException", "SerializationException"}
    # Within the depth limit (256) the value is printed, then walked; past it, refused unread.
    unread = document["Message"] == "The request body is not valid UTF-8 JSON."
    assert unread is (depth > 240)
    assert nothing_stored(server_url)
