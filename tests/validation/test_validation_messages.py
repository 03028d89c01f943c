"""UpdateImageVersion's validation messages, word for word, as AWS writes them."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from support import BASE_IMAGE
from generated_cases import call, raw_client, send_document  # noqa: F401  (raw_client: a fixture)

AT = "failed to satisfy constraint: Member must"
NAME_PATTERN = "^[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}$"
ALIAS_PATTERN = "(?!^[.-])^([a-zA-Z0-9-_.]+)$"
VERSION_PATTERN = "^[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?$"
LONG_NAME = "my_image_" * 8  # 72 characters, and `_` is not allowed
ALIAS_RULES = ("Member must have length less than or equal to 128, Member must have length "
               f"greater than or equal to 1, Member must satisfy regular expression pattern: "
               f"{ALIAS_PATTERN}")


def one(entry: str) -> str:
    return f"1 validation error detected: {entry}"


@pytest.mark.parametrize("params, message", [
    # A value breaking its pattern and a length rule: the pattern entry first.
    ({"ImageName": LONG_NAME},
     f"2 validation errors detected: Value '{LONG_NAME}' at 'imageName' {AT} satisfy regular "
     f"expression pattern: {NAME_PATTERN}; Value '{LONG_NAME}' at 'imageName' {AT} have length "
     "less than or equal to 63"),
    ({"ImageName": ""},
     f"2 validation errors detected: Value '' at 'imageName' {AT} satisfy regular expression "
     f"pattern: {NAME_PATTERN}; Value '' at 'imageName' {AT} have length greater than or equal to 1"),
    ({"ImageName": "a" * 64},
     f"2 validation errors detected: Value '{'a' * 64}' at 'imageName' {AT} satisfy regular "
     f"expression pattern: {NAME_PATTERN}; Value '{'a' * 64}' at 'imageName' {AT} have length "
     "less than or equal to 63"),
    ({"ImageName": "my--image"},
     one(f"Value 'my--image' at 'imageName' {AT} satisfy regular expression pattern: {NAME_PATTERN}")),
    ({},
     one(f"Value null at 'imageName' failed to satisfy constraint: Member must not be null")),
    ({"ImageName": "img", "Alias": "-latest"},
     one(f"Value '-latest' at 'alias' {AT} satisfy regular expression pattern: {ALIAS_PATTERN}")),
    ({"ImageName": "img", "Alias": "a" * 129},
     one(f"Value '{'a' * 129}' at 'alias' {AT} have length less than or equal to 128")),
    ({"ImageName": "img", "Version": -1},
     one(f"Value '-1' at 'version' {AT} have value greater than or equal to 0")),
    # A list of strings: one entry at the list, whole list printed, item rules in brackets.
    ({"ImageName": "img", "AliasesToAdd": ["ok", "-bad"]},
     one(f"Value '[ok, -bad]' at 'aliasesToAdd' {AT} satisfy constraint: [{ALIAS_RULES}]")),
    ({"ImageName": "img", "AliasesToAdd": ["ok", "not ok", "", "a" * 129, "fine"]},
     one(f"Value '[ok, not ok, , {'a' * 129}, fine]' at 'aliasesToAdd' {AT} satisfy constraint: "
         f"[{ALIAS_RULES}]")),
    ({"ImageName": "img", "AliasesToDelete": [""]},
     one(f"Value '[]' at 'aliasesToDelete' {AT} satisfy constraint: [{ALIAS_RULES}]")),
    # [chosen] A null item breaks the item's rules; the brackets list them alone.
    ({"ImageName": "img", "AliasesToAdd": ["ok", None]},
     one(f"Value '[ok, null]' at 'aliasesToAdd' {AT} satisfy constraint: [{ALIAS_RULES}]")),
    ({"ImageName": "img", "AliasesToAdd": ["-a"], "AliasesToDelete": [".b"]},
     f"2 validation errors detected: Value '[-a]' at 'aliasesToAdd' {AT} satisfy constraint: "
     f"[{ALIAS_RULES}]; Value '[.b]' at 'aliasesToDelete' {AT} satisfy constraint: [{ALIAS_RULES}]"),
    ({"ImageName": "img", "VendorGuidance": "UNSTABLE"},
     one(f"Value 'UNSTABLE' at 'vendorGuidance' {AT} satisfy enum value set: "
         "[NOT_PROVIDED, STABLE, TO_BE_ARCHIVED, ARCHIVED]")),
    ({"ImageName": "img", "JobType": "TRAIN"},
     one(f"Value 'TRAIN' at 'jobType' {AT} satisfy enum value set: "
         "[TRAINING, INFERENCE, NOTEBOOK_KERNEL]")),
    ({"ImageName": "img", "Processor": "TPU"},
     one(f"Value 'TPU' at 'processor' {AT} satisfy enum value set: [CPU, GPU]")),
    ({"ImageName": "img", "MLFramework": "TensorFlow"},
     one(f"Value 'TensorFlow' at 'mLFramework' {AT} satisfy regular expression pattern: "
         f"{VERSION_PATTERN}")),
    ({"ImageName": "img", "ProgrammingLang": "Python \u0663.\u0661\u0662"},
     one(f"Value 'Python \u0663.\u0661\u0662' at 'programmingLang' {AT} satisfy regular "
         f"expression pattern: {VERSION_PATTERN}")),
    ({"ImageName": "img", "ReleaseNotes": ""},
     one(f"Value '' at 'releaseNotes' {AT} have length greater than or equal to 1")),
    ({"ImageName": "img", "ReleaseNotes": "n" * 256},
     one(f"Value '{'n' * 256}' at 'releaseNotes' {AT} have length less than or equal to 255")),
    ({"ImageName": "img", "ReleaseNotes": "two\nlines"},
     one(f"Value 'two\nlines' at 'releaseNotes' {AT} satisfy regular expression pattern: .*")),
    # Several members: in the model's member order, each with its own rules.
    ({"Version": -2, "JobType": "X", "MLFramework": "PyTorch 2.1", "AliasesToAdd": [".hidden"]},
     "4 validation errors detected: "
     f"Value null at 'imageName' failed to satisfy constraint: Member must not be null; "
     f"Value '-2' at 'version' {AT} have value greater than or equal to 0; "
     f"Value '[.hidden]' at 'aliasesToAdd' {AT} satisfy constraint: [{ALIAS_RULES}]; "
     f"Value 'X' at 'jobType' {AT} satisfy enum value set: [TRAINING, INFERENCE, NOTEBOOK_KERNEL]"),
], ids=["name-length-and-pattern", "name-empty", "name-64", "name-pattern", "name-missing",
        "alias-pattern", "alias-length", "version-min", "aliases-to-add", "aliases-many-bad",
        "aliases-to-delete", "aliases-null-item", "two-lists",
        "vendor-guidance", "job-type", "processor", "ml-framework", "programming-lang-digits",
        "release-notes-empty", "release-notes-long", "release-notes-newline", "several"])
def test_update_image_version_messages(raw_client, params, message):
    error = call(raw_client, "UpdateImageVersion", params)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"] == {"Code": "ValidationException", "Message": message}


@pytest.mark.parametrize("document, message", [
    ({"ImageName": 42}, "NUMBER_VALUE can not be converted to a String"),
    ({"ImageName": ["img"]}, "Start of list found where not expected"),
    ({"ImageName": {"Name": "img"}}, "Start of structure or map found where not expected."),
    ({"ImageName": "img", "Version": "1"}, "STRING_VALUE can not be converted to an Integer"),
    ({"ImageName": "img", "Version": True}, "TRUE_VALUE can not be converted to an Integer"),
    ({"ImageName": "img", "Horovod": "yes"}, "STRING_VALUE can not be converted to an Boolean"),
    ({"ImageName": "img", "AliasesToAdd": "latest"}, "Expected list or null"),
    ({"ImageName": "img", "AliasesToDelete": [False]}, "FALSE_VALUE can not be converted to a String"),
    # A wrong type stops the request before any constraint is looked at.
    ({"ImageName": "", "Version": -1, "Horovod": 1}, "NUMBER_VALUE can not be converted to an Boolean"),
], ids=["name-number", "name-list", "name-object", "version-string", "version-true",
        "horovod-string", "aliases-string", "alias-false", "before-constraints"])
def test_update_image_version_wrong_types(raw_client, document, message):
    error = send_document(raw_client, "UpdateImageVersion", document)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"] == {"Code": "SerializationException", "Message": message}


def test_validation_comes_before_the_lookup(raw_client):
    error = call(raw_client, "UpdateImageVersion", {"ImageName": "no-such-image", "JobType": "X"})
    assert error.response["Error"]["Code"] == "ValidationException"
    error = call(raw_client, "UpdateImageVersion", {"ImageName": "no-such-image", "JobType": "TRAINING"})
    assert error.response["Error"]["Code"] == "ResourceNotFound"


def test_a_rejected_update_changes_nothing(sm, sm_raw, make_image):
    make_image("steady")
    sm.create_image_version(ImageName="steady", BaseImage=BASE_IMAGE, Aliases=["stable"],
                            ReleaseNotes="first")

    def state() -> Any:
        described = sm.describe_image_version(ImageName="steady", Version=1)
        described.pop("ResponseMetadata")
        aliases = sm.list_aliases(ImageName="steady")["SageMakerImageVersionAliases"]
        return described, aliases

    before = state()
    error = call(sm_raw, "UpdateImageVersion", {
        "ImageName": "steady", "Version": 1, "ReleaseNotes": "second", "AliasesToAdd": ["next"],
        "AliasesToDelete": ["stable"], "Processor": "TPU"})
    assert error.response["Error"]["Message"] == one(
        f"Value 'TPU' at 'processor' {AT} satisfy enum value set: [CPU, GPU]")
    assert state() == before


TAG_KEY_RULES = ("Member must have length less than or equal to 128, Member must have length "
                 "greater than or equal to 1, Member must satisfy regular expression pattern: "
                 "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$")
ARGUMENT_RULES = ("Member must have length less than or equal to 64, Member must have length "
                  "greater than or equal to 0, Member must satisfy regular expression pattern: "
                  "^(?!\\s*$).+")
PROPERTY_RULES = ("Member must have length less than or equal to 11, Member must have length "
                  "greater than or equal to 1, Member must satisfy regular expression pattern: "
                  "(^DisplayName$)|(^Description$)")
IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/img"
KERNEL_SPEC = {"Name": "python3", "DisplayName": "Python 3"}


@pytest.mark.parametrize("operation, params, message", [
    ("CreateImageVersion", {"ImageName": "img", "BaseImage": BASE_IMAGE, "ClientToken": "t" * 36,
                            "Aliases": ["ok", "-bad", "good"]},
     one(f"Value '[ok, -bad, good]' at 'aliases' {AT} satisfy constraint: [{ALIAS_RULES}]")),
    ("UpdateImage", {"ImageName": "img", "DeleteProperties": ["DisplayName", "Tags"]},
     one(f"Value '[DisplayName, Tags]' at 'deleteProperties' {AT} satisfy constraint: "
         f"[{PROPERTY_RULES}]")),
    # The list's own length rule is an ordinary entry, before the one for its items.
    ("UpdateImage", {"ImageName": "img", "DeleteProperties": ["DisplayName", "Tags", "Description"]},
     "2 validation errors detected: Value '[DisplayName, Tags, Description]' at "
     f"'deleteProperties' {AT} have length less than or equal to 2; Value '[DisplayName, Tags, "
     f"Description]' at 'deleteProperties' {AT} satisfy constraint: [{PROPERTY_RULES}]"),
    ("DeleteTags", {"ResourceArn": IMAGE_ARN, "TagKeys": ["team", "*", "#"]},
     one(f"Value '[team, *, #]' at 'tagKeys' {AT} satisfy constraint: [{TAG_KEY_RULES}]")),
    ("CreateAppImageConfig", {"AppImageConfigName": "cfg", "CodeEditorAppImageConfig": {
        "ContainerConfig": {"ContainerArguments": ["--port", " "], "ContainerEntrypoint": ["a", ""]}}},
     "3 validation errors detected: Value '[--port,  ]' at "
     f"'codeEditorAppImageConfig.containerConfig.containerArguments' {AT} satisfy constraint: "
     f"[{ARGUMENT_RULES}]; Value '[a, ]' at 'codeEditorAppImageConfig.containerConfig."
     f"containerEntrypoint' {AT} have length less than or equal to 1; Value '[a, ]' at "
     f"'codeEditorAppImageConfig.containerConfig.containerEntrypoint' {AT} satisfy constraint: "
     f"[{ARGUMENT_RULES.replace('64', '256')}]"),
    # Values holding structures are printed too: members as given, in the API's names.
    ("CreateAppImageConfig", {"AppImageConfigName": "cfg",
                              "KernelGatewayImageConfig": {"KernelSpecs": []}},
     one(f"Value '[]' at 'kernelGatewayImageConfig.kernelSpecs' {AT} have length greater than "
         "or equal to 1")),
    ("UpdateAppImageConfig", {"AppImageConfigName": "cfg",
                              "KernelGatewayImageConfig": {"KernelSpecs": [KERNEL_SPEC] * 6}},
     one("Value '[" + ", ".join(["{Name: python3, DisplayName: Python 3}"] * 6) + "]' at "
         f"'kernelGatewayImageConfig.kernelSpecs' {AT} have length less than or equal to 5")),
    ("CreateImage", {"ImageName": "img", "RoleArn": "arn:aws:iam::123456789012:role/r",
                     "Tags": [{"Key": "k", "Value": "v"}] * 51},
     one("Value '[" + ", ".join(["{Key: k, Value: v}"] * 51) + f"]' at 'tags' {AT} have length "
         "less than or equal to 50")),
    ("CreateAppImageConfig", {"AppImageConfigName": "cfg", "JupyterLabAppImageConfig": {
        "ContainerConfig": {"ContainerEnvironmentVariables": {f"K{i}": "v" for i in range(26)}}}},
     one("Value '{" + ", ".join(f"K{i}=v" for i in range(26)) + "}' at 'jupyterLabAppImageConfig."
         f"containerConfig.containerEnvironmentVariables' {AT} have length less than or equal "
         "to 25")),
], ids=["create-version-aliases", "delete-properties-item", "delete-properties-length-and-item",
        "tag-keys", "container-arguments-and-entrypoint", "kernel-specs-empty",
        "kernel-specs-too-many", "tags-too-many", "environment-too-many"])
def test_lists_maps_and_structures_are_printed_as_aws_prints_them(raw_client, operation, params,
                                                                   message):
    error = call(raw_client, operation, params)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"] == {"Code": "ValidationException", "Message": message}


def nested_body(document: dict, depth: int) -> bytes:
    """The document with its "DEEP" replaced by a string in `depth` lists (json.dumps recurses)."""
    return json.dumps(document).replace('"DEEP"', "[" * depth + '"x"' + "]" * depth).encode()


# A list or map breaking its length rule while holding JSON nested up to the depth limit and
# past it: its value is printed, then the walker meets the deep item.
DEEP_REQUESTS: list[tuple[str, Callable[[Any], dict]]] = [
    ("UpdateImage", lambda deep: {"ImageName": "img",
                                  "DeleteProperties": ["DisplayName", "Description", deep]}),
    ("CreateImage", lambda deep: {"ImageName": "img", "RoleArn": "arn:aws:iam::123456789012:role/r",
                                  "Tags": [{"Key": "k", "Value": "v", "Unknown": deep}] * 51}),
    ("CreateAppImageConfig", lambda deep: {"AppImageConfigName": "cfg", "JupyterLabAppImageConfig": {
        "ContainerConfig": {"ContainerEnvironmentVariables": {
            **{f"K{i}": "v" for i in range(25)}, "deep": deep}}}}),
]


@pytest.mark.parametrize("operation, make", DEEP_REQUESTS, ids=[o for o, _ in DEEP_REQUESTS])
def test_values_nested_as_deep_as_json_allows_are_a_400(raw_client, operation, make):
    for depth in (100, 240, 260, 500, 990):
        error = send_document(raw_client, operation, nested_body(make("DEEP"), depth))
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error.response["Error"]["Code"] in {"ValidationException", "SerializationException"}
        # Within the depth limit the walker reads the value; past it the body is refused unread.
        unread = error.response["Error"]["Message"] == "The request body is not valid UTF-8 JSON."
        assert unread is (depth > 240)
