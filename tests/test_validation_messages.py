"""UpdateImageVersion's validation messages, word for word, as AWS writes them."""
from __future__ import annotations

from typing import Any

import pytest

from conftest import BASE_IMAGE
from test_validation import call, raw_client, send_document  # noqa: F401  (raw_client: a fixture)

AT = "failed to satisfy constraint: Member must"
NAME_PATTERN = "^[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}$"
ALIAS_PATTERN = "(?!^[.-])^([a-zA-Z0-9-_.]+)$"
VERSION_PATTERN = "^[a-zA-Z]+ ?\\d+\\.\\d+(\\.\\d+)?$"
LONG_NAME = "my_image_" * 8  # 72 characters, and `_` is not allowed


def one(entry: str) -> str:
    return f"1 validation error detected: {entry}"


@pytest.mark.parametrize("params, message", [
    ({"ImageName": LONG_NAME},
     f"2 validation errors detected: Value '{LONG_NAME}' at 'imageName' {AT} have length less "
     f"than or equal to 63; Value '{LONG_NAME}' at 'imageName' {AT} satisfy regular expression "
     f"pattern: {NAME_PATTERN}"),
    ({"ImageName": ""},
     f"2 validation errors detected: Value '' at 'imageName' {AT} have length greater than or "
     f"equal to 1; Value '' at 'imageName' {AT} satisfy regular expression pattern: {NAME_PATTERN}"),
    ({"ImageName": "a" * 64},
     f"2 validation errors detected: Value '{'a' * 64}' at 'imageName' {AT} have length less "
     f"than or equal to 63; Value '{'a' * 64}' at 'imageName' {AT} satisfy regular expression "
     f"pattern: {NAME_PATTERN}"),
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
    ({"ImageName": "img", "AliasesToAdd": ["ok", "not ok"]},
     one(f"Value 'not ok' at 'aliasesToAdd.2.member' {AT} satisfy regular expression pattern: "
         f"{ALIAS_PATTERN}")),
    ({"ImageName": "img", "AliasesToDelete": [""]},
     f"2 validation errors detected: Value '' at 'aliasesToDelete.1.member' {AT} have length "
     f"greater than or equal to 1; Value '' at 'aliasesToDelete.1.member' {AT} satisfy regular "
     f"expression pattern: {ALIAS_PATTERN}"),
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
     f"Value '.hidden' at 'aliasesToAdd.1.member' {AT} satisfy regular expression pattern: "
     f"{ALIAS_PATTERN}; "
     f"Value 'X' at 'jobType' {AT} satisfy enum value set: [TRAINING, INFERENCE, NOTEBOOK_KERNEL]"),
], ids=["name-length-and-pattern", "name-empty", "name-64", "name-pattern", "name-missing",
        "alias-pattern", "alias-length", "version-min", "aliases-to-add", "aliases-to-delete",
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
