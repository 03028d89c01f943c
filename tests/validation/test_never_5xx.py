"""Requests that once got a 500 from the server (an exception in-process) now get AWS's JSON error
form with a 4xx, under `mock_aws` and from the server command. Requests moto itself answers
without a 5xx still reach moto unchanged.

boto3 sends what these tests need once a handler rewrites its request before signing: a
`Content-Encoding` it does not honour, or another `X-Amz-Target` prefix."""
from __future__ import annotations

import functools
import gzip
import json
import subprocess
import sys
from typing import Any, Callable, Iterator

import pytest
import requests
from botocore.exceptions import ClientError
from moto import mock_aws

from support import REGION, ROLE_ARN, UNVALIDATED, plain_moto, shared_session, status_error_of

ACCOUNT = "123456789012"
UNKNOWN_REGION = "xx-nowhere-9"


@pytest.fixture(params=["in-process", pytest.param("server", marks=pytest.mark.slow)])
def connect(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Makes clients for one mode: `connect(region=...)`; every client talks to the same state."""
    if request.param == "in-process":
        with mock_aws():
            yield lambda region=REGION: shared_session().client(
                "sagemaker", region_name=region, config=UNVALIDATED)
    else:
        url = request.getfixturevalue("server_url")
        yield lambda region=REGION: shared_session().client(
            "sagemaker", region_name=region, endpoint_url=url, config=UNVALIDATED,
            aws_access_key_id="testing", aws_secret_access_key="testing")


def rewrite(client: Any, operation: str, change: Callable[[Any], None]) -> Any:
    client.meta.events.register(f"before-sign.sagemaker.{operation}",
                                lambda request, **_: change(request))
    return client


def nothing_stored(connect: Callable[..., Any]) -> bool:
    return connect().list_images()["Images"] == []


# --- Content-Encoding: gzip -----------------------------------------------------------------

NOT_GZIP: dict[str, Callable[[bytes], bytes]] = {
    "plain-json": lambda body: body,
    "truncated": lambda body: gzip.compress(body)[:-6],
    "corrupt-data": lambda body: gzip.compress(body)[:10] + b"\xff" * 8 + gzip.compress(body)[18:],
    "bad-checksum": lambda body: gzip.compress(body)[:-8] + b"\0\0\0\0" + gzip.compress(body)[-4:],
}


def gzip_encoded(encode: Callable[[bytes], bytes]) -> Callable[[Any], None]:
    def change(request: Any) -> None:
        request.data = encode(request.body if isinstance(request.body, bytes)
                              else request.body.encode())
        request.headers["Content-Encoding"] = "gzip"

    return change


@pytest.mark.parametrize("encode", NOT_GZIP.values(), ids=NOT_GZIP.keys())
def test_a_body_that_is_not_the_gzip_it_claims_is_a_serialization_exception(connect, encode):
    sm = rewrite(connect(), "CreateImage", gzip_encoded(encode))
    assert status_error_of(sm.create_image, ImageName="img", RoleArn=ROLE_ARN) == (
        400, "SerializationException", "The request body is not valid gzip.")
    assert nothing_stored(connect)


def test_a_gzip_body_is_still_read(connect):
    sm = rewrite(connect(), "CreateImage", gzip_encoded(gzip.compress))
    sm.create_image(ImageName="img", RoleArn=ROLE_ARN)
    assert connect().describe_image(ImageName="img")["ImageStatus"] == "CREATED"


@pytest.mark.slow
def test_a_bad_gzip_body_from_raw_http(server_url):
    response = requests.post(f"{server_url}/", data=b'{"ImageName": "img"}', timeout=30, headers={
        "Authorization": ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/"
                          "aws4_request, SignedHeaders=host, Signature=x"),
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Encoding": "gzip",
        "X-Amz-Target": "SageMaker.DescribeImage",
    })
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "SerializationException"
    assert response.json() == {"__type": "SerializationException",
                               "Message": "The request body is not valid gzip."}


BAD_GZIP_HEADERS = {
    "Authorization": ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/"
                      "aws4_request, SignedHeaders=host, Signature=x"),
    "Content-Type": "application/x-amz-json-1.1",
    "Content-Encoding": "gzip",
    "X-Amz-Target": "SageMaker.DescribeImage",
}


@pytest.mark.slow  # a fresh interpreter
@pytest.mark.parametrize("first", ["package", "server module"])
def test_a_bad_gzip_body_to_a_threaded_server_started_after_the_import(first):
    """moto 5.1's server decompresses in a hook of its own, read when it builds an app: the
    package answers there too, whether moto's server module is loaded before or after it."""
    imports = ["import moto_sagemaker_imgver", "from moto.server import ThreadedMotoServer"]
    if first != "package":
        imports.reverse()
    code = "\n".join(imports + [
        "import json, requests",
        "server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)",
        "server.start()",
        "host, port = server.get_host_and_port()",
        f"answer = requests.post(f'http://{{host}}:{{port}}/', data=b'{{}}', timeout=30, "
        f"headers={BAD_GZIP_HEADERS!r})",
        "print(json.dumps([answer.status_code, answer.json()]))",
        "server.stop()",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [400, {
        "__type": "SerializationException", "Message": "The request body is not valid gzip."}]


# --- A region moto does not know ------------------------------------------------------------

@pytest.mark.parametrize("call, arguments", [
    ("list_images", {}),
    ("create_image", {"ImageName": "img", "RoleArn": ROLE_ARN}),
    ("list_tags", {"ResourceArn": f"arn:aws:sagemaker:{UNKNOWN_REGION}:{ACCOUNT}:image/img"}),
])
def test_a_region_moto_does_not_know_is_refused_as_aws_refuses_its_signature(connect, call,
                                                                            arguments):
    sm = connect(region=UNKNOWN_REGION)
    assert status_error_of(getattr(sm, call), **arguments) == (
        403, "InvalidSignatureException",
        f"Credential should be scoped to a valid region, not '{UNKNOWN_REGION}'. ")
    assert nothing_stored(connect)


def test_an_unknown_region_is_served_when_moto_is_told_to_allow_it(monkeypatch):
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    with mock_aws():
        sm = shared_session().client("sagemaker", region_name=UNKNOWN_REGION)
        arn = sm.create_image(ImageName="img", RoleArn=ROLE_ARN)["ImageArn"]
        assert arn == f"arn:aws:sagemaker:{UNKNOWN_REGION}:{ACCOUNT}:image/img"


# --- Tag calls on ARNs that name nothing ----------------------------------------------------

TAG_CALLS = {
    "add_tags": {"Tags": [{"Key": "k", "Value": "v"}]},
    "list_tags": {},
    "delete_tags": {"TagKeys": ["k"]},
}
NOBODYS = {
    "missing-model": (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/nonexistent", "ResourceNotFound"),
    "unknown-type": (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:gadget/g", "ResourceNotFound"),
    "two-slashes": (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/a/b", "ResourceNotFound"),
    "no-type": (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:foo", "ValidationException"),
}


@pytest.mark.parametrize("call", TAG_CALLS)
@pytest.mark.parametrize("arn, code", NOBODYS.values(), ids=NOBODYS.keys())
def test_tag_calls_on_an_arn_naming_nothing(connect, call, arn, code):
    sm = connect()
    status, got, message = status_error_of(getattr(sm, call), ResourceArn=arn, **TAG_CALLS[call])
    assert (status, got) == (400, code)
    assert arn in message


def test_tag_calls_on_moto_resources_still_reach_moto(connect):
    sm = connect()
    sm.create_model(ModelName="mine", ExecutionRoleArn=ROLE_ARN,
                    PrimaryContainer={"Image": "python:3.12"})
    arn = sm.describe_model(ModelName="mine")["ModelArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    sm.delete_tags(ResourceArn=arn, TagKeys=["k"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []


# --- X-Amz-Target prefixes ------------------------------------------------------------------

def target_prefix(prefix: str) -> Callable[[Any], None]:
    def change(request: Any) -> None:
        operation = request.headers["X-Amz-Target"].split(".")[-1]
        request.headers.replace_header("X-Amz-Target", f"{prefix}.{operation}")

    return change


PREFIXES = ["SageMaker", "sagemaker", "SAGEMAKER"]
# Plain moto's answer to its own ListModels under each prefix, in each mode: what moto accepts is
# moto's business (5.2.6 refuses what 5.2.5 served), so it is read from the installed moto.
PLAIN_MOTO_PREFIXES = f"""
import json, boto3
from moto import mock_aws
from moto.server import ThreadedMotoServer

def status(client, prefix):
    def change(request, **_):
        operation = request.headers["X-Amz-Target"].split(".")[-1]
        request.headers.replace_header("X-Amz-Target", f"{{prefix}}.{{operation}}")
    client.meta.events.register("before-sign.sagemaker.ListModels", change)
    try:
        return [200, client.list_models()["Models"]]
    except Exception as error:
        return [error.response["ResponseMetadata"]["HTTPStatusCode"], None]

config = boto3.session.Config(retries={{"max_attempts": 0}})
answers = {{}}
with mock_aws():
    answers["in-process"] = {{p: status(boto3.client("sagemaker", region_name="{REGION}",
                                                    config=config), p) for p in {PREFIXES!r}}}
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
answers["server"] = {{p: status(boto3.client("sagemaker", region_name="{REGION}", config=config,
                                            endpoint_url=f"http://{{host}}:{{port}}"), p)
                     for p in {PREFIXES!r}}}
server.stop()
print(json.dumps(answers))
"""


@functools.cache
def plain_moto_prefixes() -> dict[str, dict[str, list[Any]]]:
    return plain_moto(PLAIN_MOTO_PREFIXES)


@pytest.mark.slow  # plain moto in a fresh interpreter
@pytest.mark.parametrize("prefix", PREFIXES)
def test_our_operations_are_served_under_any_prefix_case(connect, prefix, request):
    mode = request.node.callspec.params["connect"]
    sm = connect()
    for operation in ("CreateImage", "DescribeImage", "ListImages", "ListModels"):
        rewrite(sm, operation, target_prefix(prefix))
    sm.create_image(ImageName="img", RoleArn=ROLE_ARN)
    assert sm.describe_image(ImageName="img")["ImageName"] == "img"
    assert [image["ImageName"] for image in sm.list_images()["Images"]] == ["img"]
    assert status_error_of(sm.describe_image, ImageName="absent")[:2] == (400, "ResourceNotFound")
    # moto's own operation answers as the installed moto answers without the package
    try:
        ours = [200, sm.list_models()["Models"]]
    except ClientError as error:
        ours = [error.response["ResponseMetadata"]["HTTPStatusCode"], None]
    assert ours == plain_moto_prefixes()[mode][prefix]


@pytest.mark.slow
def test_a_lower_case_prefix_from_raw_http(server_url):
    headers = {
        "Authorization": ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/"
                          "aws4_request, SignedHeaders=host, Signature=x"),
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "sagemaker.ListImages",
    }
    response = requests.post(f"{server_url}/", data=b"{}", headers=headers, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert json.loads(response.text) == {"Images": []}
