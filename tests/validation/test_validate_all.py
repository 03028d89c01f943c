"""The switch that validates moto's own SageMaker operations too: off by default, turned on by
`set_validation`, the environment variable, the pytest option, ini key or marker."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest
from botocore.exceptions import ClientError

import moto_sagemaker_imgver
from support import ACCOUNT, REGION, ROLE_ARN, client_for, free_port, wait_until_up
from moto_sagemaker_imgver import responses, switch, validation
from moto_sagemaker_imgver.exceptions import SerializationException

NAME_PATTERN = "^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$"
BAD_NAME = (f"1 validation error detected: Value 'my_model' at 'modelName' failed to satisfy "
            f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}")
TOO_MANY = ("1 validation error detected: Value '1000' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100")


def create_model(sm: Any, name: str) -> dict:
    return sm.create_model(ModelName=name, ExecutionRoleArn=ROLE_ARN,
                           PrimaryContainer={"Image": "123.dkr.ecr.us-east-1.amazonaws.com/m:1"})


def rejection(call: Any) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return {"status": response["ResponseMetadata"]["HTTPStatusCode"], **response["Error"]}


@pytest.fixture(autouse=True)
def switch_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(switch.ENV_VAR, raising=False)
    before = switch.current_validation()
    switch.set_validation(None)
    yield
    switch.set_validation(before)


@pytest.fixture
def validate_all() -> None:
    moto_sagemaker_imgver.set_validation("all")


def test_off_by_default_moto_takes_what_aws_rejects(sm):
    assert create_model(sm, "my_model")["ModelArn"].endswith(":model/my_model")
    assert sm.list_models(MaxResults=1000)["Models"][0]["ModelName"] == "my_model"


def test_on_a_name_aws_forbids_is_a_400_and_nothing_is_created(sm, validate_all):
    assert rejection(lambda: create_model(sm, "my_model")) == {
        "status": 400, "Code": "ValidationException", "Message": BAD_NAME}
    assert sm.list_models()["Models"] == []


def test_on_a_valid_request_gets_moto_answer_untouched(sm, validate_all):
    arn = create_model(sm, "my-model")["ModelArn"]
    assert sm.describe_model(ModelName="my-model")["ModelArn"] == arn
    assert [model["ModelName"] for model in sm.list_models(MaxResults=100)["Models"]] == ["my-model"]
    # moto's own error for a valid request is moto's, as it gives it.
    missing = rejection(lambda: sm.describe_model(ModelName="no-such-model"))
    moto_sagemaker_imgver.set_validation("images")
    assert rejection(lambda: sm.describe_model(ModelName="no-such-model")) == missing


def test_several_broken_rules_are_counted_as_for_the_image_operations(sm, validate_all):
    assert rejection(lambda: sm.list_models(MaxResults=1000, NameContains="a" * 64)) == {
        "status": 400, "Code": "ValidationException",
        "Message": "2 validation errors detected: " + TOO_MANY.split(": ", 1)[1] + "; Value '"
                   + "a" * 64 + "' at 'nameContains' failed to satisfy constraint: Member must "
                   "have length less than or equal to 63"}


def test_a_wrong_json_type_is_a_serialization_exception(sm_raw, validate_all):
    assert rejection(lambda: sm_raw.describe_model(ModelName=5)) == {
        "status": 400, "Code": "SerializationException",
        "Message": "NUMBER_VALUE can not be converted to a String"}


def test_a_missing_required_member_is_named(sm_raw, validate_all):
    error = rejection(lambda: sm_raw.create_model(ExecutionRoleArn=ROLE_ARN))
    assert error["status"] == 400 and error["Code"] == "ValidationException"
    assert "Value null at 'modelName' failed to satisfy constraint: Member must not be null" \
        in error["Message"]


def test_set_validation_images_goes_back_and_none_follows_the_environment(sm, monkeypatch):
    moto_sagemaker_imgver.set_validation("all")
    assert rejection(lambda: sm.list_models(MaxResults=1000))["Message"] == TOO_MANY
    moto_sagemaker_imgver.set_validation("images")
    sm.list_models(MaxResults=1000)
    monkeypatch.setenv(switch.ENV_VAR, "all")
    sm.list_models(MaxResults=1000)  # an explicit choice outranks the environment
    moto_sagemaker_imgver.set_validation(None)
    assert rejection(lambda: sm.list_models(MaxResults=1000))["Message"] == TOO_MANY
    with pytest.raises(ValueError):
        moto_sagemaker_imgver.set_validation("everything")


def test_the_environment_variable_is_read_per_request(sm, monkeypatch):
    sm.list_models(MaxResults=1000)
    monkeypatch.setenv(switch.ENV_VAR, "all")
    assert rejection(lambda: sm.list_models(MaxResults=1000))["Message"] == TOO_MANY
    monkeypatch.setenv(switch.ENV_VAR, "images")
    sm.list_models(MaxResults=1000)


def test_a_variable_that_is_no_mode_warns_once_and_validates_the_images_only(sm, monkeypatch):
    monkeypatch.setenv(switch.ENV_VAR, "everything-please")
    with pytest.warns(UserWarning, match="'everything-please' is not a validation mode") as seen:
        sm.list_models(MaxResults=1000)
        sm.list_models(MaxResults=1000)
    assert len([w for w in seen if "is not a validation mode" in str(w.message)]) == 1


def test_the_threaded_server_follows_the_environment_variable(sagemaker_imgver_server, monkeypatch):
    sm = client_for(sagemaker_imgver_server)
    create_model(sm, "my_model")
    monkeypatch.setenv(switch.ENV_VAR, "all")
    assert rejection(lambda: create_model(sm, "my_other_model"))["Message"] == \
        BAD_NAME.replace("my_model", "my_other_model")


@pytest.mark.slow
def test_the_server_command_started_with_the_variable_validates(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_sagemaker_imgver", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, switch.ENV_VAR: "all"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        sm = client_for(url)
        assert rejection(lambda: create_model(sm, "my_model")) == {
            "status": 400, "Code": "ValidationException", "Message": BAD_NAME}
        assert create_model(sm, "my-model")["ModelArn"].endswith(":model/my-model")
    finally:
        process.terminate()
        process.wait(timeout=10)


def _an_operation_moto_lacks() -> tuple[str, str]:
    """An operation the installed moto does not answer and the package does not serve, whose one
    member is a name with a pattern that refuses '_' (which operations moto lacks changes with
    its releases)."""
    from botocore import xform_name
    from moto.sagemaker.responses import SageMakerResponse

    from moto_sagemaker_imgver.families import routed_operations

    model = validation.service_model()
    for operation in model.operation_names:
        shape = model.operation_model(operation).input_shape
        if (operation in routed_operations() or hasattr(SageMakerResponse, xform_name(operation))
                or shape is None or list(shape.members) != shape.required_members
                or len(shape.members) != 1):
            continue
        member = shape.required_members[0]
        pattern = shape.members[member].metadata.get("pattern", "")
        if pattern.startswith("[a-zA-Z0-9](-*[a-zA-Z0-9])"):
            return xform_name(operation), member
    pytest.fail("moto now answers every SageMaker operation with a one-name input")


def test_an_operation_moto_lacks_is_checked_then_left_to_moto(sm, sm_raw):
    call, member = _an_operation_moto_lacks()
    moto_sagemaker_imgver.set_validation("all")
    with pytest.raises(NotImplementedError):  # how mock_aws answers what moto lacks
        getattr(sm, call)(**{member: "my-thing"})
    error = rejection(lambda: getattr(sm_raw, call)(**{member: "my_thing"}))
    assert error["status"] == 400 and error["Code"] == "ValidationException"
    assert f"Value 'my_thing' at '{member[0].lower() + member[1:]}'" in error["Message"]


def test_tags_of_moto_resources_are_checked_too(sm, sm_raw):
    arn = create_model(sm, "tagged")["ModelArn"]
    moto_sagemaker_imgver.set_validation("all")
    error = rejection(lambda: sm_raw.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "*"}]))
    assert error["status"] == 400 and "at 'tags.1.member.value'" in error["Message"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def _clashing_shape() -> tuple[str, str]:
    """A string shape named alike in SageMaker and another service, with different lengths."""
    other = validation.service_model("lambda")
    for name in validation.service_model().shape_names:
        if name not in other.shape_names:
            continue
        ours, theirs = validation.service_model().shape_for(name), other.shape_for(name)
        if ours.type_name == theirs.type_name == "string" \
                and "max" in ours.metadata and "max" in theirs.metadata \
                and ours.metadata["max"] != theirs.metadata["max"]:
            return name, "lambda"
    raise AssertionError("no clashing shape found")


def test_checkers_of_two_services_do_not_clash():
    name, other = _clashing_shape()
    errors_of = {}
    for service in ("sagemaker", other):
        shape = validation.service_model(service).shape_for(name)
        errors: list = []
        with validation.model.of_service(service):
            validation.checker_for(shape)("a" * int(shape.metadata["max"]), "x", errors)
        errors_of[service] = errors
    # Each at its own maximum is valid, whichever service built its checker first.
    assert errors_of == {"sagemaker": [], other: []}


INNER = '''
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws


def names_taken():
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        try:
            sm.create_model(ModelName="my_model", ExecutionRoleArn="arn:aws:iam::1:role/r",
                            PrimaryContainer={"Image": "i"})
        except ClientError as error:
            return error.response["Error"]["Code"]
        return "created"


def test_plain():
    print("plain:", names_taken())


@pytest.mark.sagemaker_validate
def test_marked():
    print("marked:", names_taken())


@pytest.mark.sagemaker_validate("images")
def test_marked_off():
    print("marked off:", names_taken())
'''


def run_inner(tmp_path: Path, ini: str, *args: str) -> str:
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + ini)
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER))
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("PYTEST_", "COV_")) and key != switch.ENV_VAR}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-s", "-n", "0", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**environment, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow  # an inner pytest run
@pytest.mark.parametrize("ini, args, plain", [
    ("", (), "created"),
    ("", ("--sagemaker-validate=all",), "ValidationException"),
    ("sagemaker_validate = all\n", (), "ValidationException"),
    ("sagemaker_validate = all\n", ("--sagemaker-validate=images",), "created"),
])
def test_pytest_option_ini_key_and_marker(tmp_path, ini, args, plain):
    output = run_inner(tmp_path, ini, *args)
    assert f"plain: {plain}" in output
    assert "marked: ValidationException" in output
    assert "marked off: created" in output


def deep_search_body(depth: int, operator: str) -> bytes:
    """A Search whose SearchExpression (a recursive shape) nests `depth` levels down."""
    innermost = f'{{"Filters":[{{"Name":"a","Operator":"{operator}","Value":"b"}}]}}'
    expression = '{"Operator":"And","SubExpressions":[' * depth + innermost + "]}" * depth
    return f'{{"Resource":"TrainingJob","SearchExpression":{expression}}}'.encode()


@pytest.fixture(params=["in-process", "threaded server"])
def validating_client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(switch.ENV_VAR, "all")
    if request.param == "in-process":
        return request.getfixturevalue("sm")
    return client_for(request.getfixturevalue("sagemaker_imgver_server"))


# The body of a Search nested d levels down nests 4 + 2d deep: 126 is the deepest allowed.
DEEPEST_SEARCH = (responses.MAX_DEPTH - 4) // 2
DEPTHS = [3, DEEPEST_SEARCH, DEEPEST_SEARCH + 1, 200, 300, 450, 990, 3000]
TOO_DEEP = ('{"__type": "SerializationException", "Message": '
            '"The request body is not valid UTF-8 JSON."}')


@pytest.mark.parametrize("depth", DEPTHS)
def test_an_invalid_search_nested_past_the_stack_is_a_400_never_a_5xx(validating_client, depth):
    """However deep, an invalid request is answered by the check and never reaches moto: nested
    deeper than MAX_DEPTH, it is a SerializationException, whichever validator would read it."""
    sm = validating_client
    body = deep_search_body(depth, "Nope")
    sm.meta.events.register("before-sign.sagemaker.Search",
                            lambda request, **_: setattr(request, "data", body))
    answer = rejection(lambda: sm.search(Resource="TrainingJob"))
    assert answer["status"] == 400
    expected = "ValidationException" if depth <= DEEPEST_SEARCH else "SerializationException"
    assert answer["Code"] == expected


@pytest.mark.parametrize("depth", range(1, 700, 9))
def test_one_depth_limit_for_valid_and_invalid_requests(depth):
    """A valid request is handed to moto exactly up to the limit, an invalid one refused with
    its validation message up to it, and past it both get the same SerializationException
    (before, the generated check and the walker each had their own stack's limit)."""
    valid = switch.rejection("Search", deep_search_body(depth, "Equals"))
    invalid = switch.rejection("Search", deep_search_body(depth, "Nope"))
    if depth <= DEEPEST_SEARCH:
        assert valid is None
        assert '"ValidationException"' in invalid[2]
    else:
        assert valid[2] == invalid[2] == TOO_DEEP


def test_the_depth_limit_counts_arrays_and_objects():
    assert responses._depth({"a": [[{"b": 1}]], "c": 2}) == 4
    assert responses._depth([]) == 1 and responses._depth("x") == 0
    nested = "[" * responses.MAX_DEPTH + "]" * responses.MAX_DEPTH
    assert responses.decode_body(nested)
    with pytest.raises(SerializationException):
        responses.decode_body("[" + nested + "]")


@pytest.mark.parametrize("depth", [3, DEEPEST_SEARCH])
def test_a_search_as_deep_as_allowed_reaches_moto(validating_client, depth):
    sm = validating_client
    body = deep_search_body(depth, "Equals")
    sm.meta.events.register("before-sign.sagemaker.Search",
                            lambda request, **_: setattr(request, "data", body))
    assert sm.search(Resource="TrainingJob")["Results"] == []


def gzipped(sm: Any, encode: Any = None, operation: str = "") -> Any:
    """The client sends bodies gzip-encoded, as botocore does past its size threshold."""
    import gzip

    def change(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        request.data = (encode or gzip.compress)(body)
        request.headers["Content-Encoding"] = "gzip"

    sm.meta.events.register(f"before-sign.sagemaker{operation and '.'}{operation}", change)
    return sm


def test_a_gzip_body_to_moto_operations_is_read_as_moto_reads_it(validating_client):
    sm = gzipped(validating_client)
    assert sm.list_models(MaxResults=10)["Models"] == []
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    create_model(sm, "zipped")
    assert [model["ModelName"] for model in sm.list_models()["Models"]] == ["zipped"]
    # still checked: the decompressed body is what the validator reads
    assert rejection(lambda: create_model(sm, "my_model")) == {
        "status": 400, "Code": "ValidationException", "Message": BAD_NAME}


def test_a_body_that_is_not_the_gzip_it_claims_is_a_400_to_moto_operations(validating_client):
    sm = gzipped(validating_client, encode=lambda body: body[:5], operation="CreateModel")
    assert rejection(lambda: create_model(sm, "zipped")) == {
        "status": 400, "Code": "SerializationException",
        "Message": "The request body is not valid gzip."}
    assert sm.list_models()["Models"] == []


def test_a_gzip_body_to_moto_operations_in_the_default_mode(sagemaker_imgver_server):
    """moto 5.1's server decompressed a body, then moto's operation tried again (a 500); the
    package's response class decompresses once, validated or not."""
    sm = gzipped(client_for(sagemaker_imgver_server))
    create_model(sm, "zipped")
    assert [model["ModelName"] for model in sm.list_models()["Models"]] == ["zipped"]
