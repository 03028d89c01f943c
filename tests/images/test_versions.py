"""CreateImageVersion, DescribeImageVersion, UpdateImageVersion, DeleteImageVersion:
numbering, selection by Version / Alias / latest, idempotency, fields."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from support import ACCOUNT, BASE_IMAGE, REGION, error_of

IMAGE = "my-image"
IMAGE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/{IMAGE}"
METADATA = {
    "VendorGuidance": "STABLE",
    "JobType": "TRAINING",
    "MLFramework": "PyTorch 2.1.0",
    "ProgrammingLang": "Python 3.11",
    "Processor": "GPU",
    "Horovod": True,
    "ReleaseNotes": "first cut",
}


def version_arn(number: int, name: str = IMAGE) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image-version/{name}/{number}"


def described_version(sm: Any, number: int) -> dict[str, Any]:
    described = sm.describe_image_version(ImageName=IMAGE, Version=number)
    described.pop("ResponseMetadata")
    return described


@pytest.fixture
def image(make_image: Callable[..., str]) -> str:
    make_image(IMAGE)
    return IMAGE


@pytest.fixture
def new_version(sm: Any, image: str) -> Callable[..., int]:
    def create(**extra: Any) -> int:
        arn = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, **extra)
        return int(arn["ImageVersionArn"].rsplit("/", 1)[1])

    return create


# --- numbering -----------------------------------------------------------------------------

def test_create_image_version_returns_the_version_arn(sm: Any, image: str) -> None:
    response = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE)
    assert response["ImageVersionArn"] == version_arn(1)


def test_versions_number_from_one_upwards(new_version: Callable[..., int]) -> None:
    assert [new_version() for _ in range(3)] == [1, 2, 3]


def test_versions_are_numbered_per_image(sm: Any, make_image: Callable[..., str],
                                         new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    make_image("other")
    arn = sm.create_image_version(ImageName="other", BaseImage=BASE_IMAGE)["ImageVersionArn"]
    assert arn == version_arn(1, "other")


def test_deleted_version_numbers_are_never_reused(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=2)
    assert new_version() == 3
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    sm.delete_image_version(ImageName=IMAGE, Version=3)
    assert new_version() == 4


def test_version_arn_lower_cases_the_image_name(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("Mixed-Case")
    arn = sm.create_image_version(ImageName="Mixed-Case", BaseImage=BASE_IMAGE)["ImageVersionArn"]
    assert arn == version_arn(1, "mixed-case")
    described = sm.describe_image_version(ImageName="Mixed-Case")
    assert described["ImageArn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/mixed-case"


# --- ClientToken ---------------------------------------------------------------------------

def test_repeated_client_token_returns_the_first_arn(sm: Any, image: str) -> None:
    first = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-1")
    again = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-1")
    assert again["ImageVersionArn"] == first["ImageVersionArn"] == version_arn(1)


def test_repeated_client_token_creates_nothing(sm: Any, image: str) -> None:
    sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-1")
    sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-1",
                            Aliases=["extra"])
    versions = sm.list_image_versions(ImageName=image)["ImageVersions"]
    assert [version["Version"] for version in versions] == [1]
    assert sm.list_aliases(ImageName=image)["SageMakerImageVersionAliases"] == []


def test_distinct_client_tokens_create_distinct_versions(sm: Any, image: str) -> None:
    first = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-1")
    second = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, ClientToken="token-2")
    assert first["ImageVersionArn"] != second["ImageVersionArn"]


def test_boto3_fills_a_fresh_token_per_call(sm: Any, new_version: Callable[..., int]) -> None:
    assert new_version() != new_version()


# --- DescribeImageVersion ------------------------------------------------------------------

def test_describe_image_version_fields(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(**METADATA)
    described = sm.describe_image_version(ImageName=IMAGE, Version=1)
    assert described["BaseImage"] == BASE_IMAGE
    assert described["ImageArn"] == IMAGE_ARN
    assert described["ImageVersionArn"] == version_arn(1)
    assert described["ImageVersionStatus"] == "CREATED"
    assert described["Version"] == 1
    assert described["LastModifiedTime"] == described["CreationTime"]
    for name, value in METADATA.items():
        assert described[name] == value
    assert "FailureReason" not in described


def test_describe_image_version_has_no_aliases(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(Aliases=["stable"])
    described = sm.describe_image_version(ImageName=IMAGE, Alias="stable")
    assert not any("lias" in key for key in described)


def test_unset_metadata_is_omitted(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    described = sm.describe_image_version(ImageName=IMAGE, Version=1)
    for name in METADATA:
        assert name not in described


def test_horovod_false_is_returned(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(Horovod=False)
    assert sm.describe_image_version(ImageName=IMAGE)["Horovod"] is False


def test_container_image_is_digest_pinned(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    container = sm.describe_image_version(ImageName=IMAGE)["ContainerImage"]
    registry_repo = BASE_IMAGE.rsplit(":", 1)[0]
    assert re.fullmatch(re.escape(registry_repo) + r"@sha256:[0-9a-f]{64}", container)


def test_container_image_keeps_a_given_digest(sm: Any, image: str) -> None:
    pinned = f"{BASE_IMAGE.rsplit(':', 1)[0]}@sha256:{'ab' * 32}"
    sm.create_image_version(ImageName=image, BaseImage=pinned)
    described = sm.describe_image_version(ImageName=image)
    assert described["ContainerImage"] == described["BaseImage"] == pinned


# --- selection: Version / Alias / latest ---------------------------------------------------

def test_version_selects_that_version(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(ReleaseNotes="one")
    new_version(ReleaseNotes="two")
    assert sm.describe_image_version(ImageName=IMAGE, Version=1)["ReleaseNotes"] == "one"


def test_alias_selects_its_version(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(Aliases=["stable"])
    new_version()
    assert sm.describe_image_version(ImageName=IMAGE, Alias="stable")["Version"] == 1


def test_neither_selects_the_latest(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    assert sm.describe_image_version(ImageName=IMAGE)["Version"] == 2


def test_latest_after_deleting_the_highest(sm: Any, new_version: Callable[..., int]) -> None:
    for _ in range(3):
        new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=3)
    assert sm.describe_image_version(ImageName=IMAGE)["Version"] == 2


def test_latest_after_deleting_all_versions(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    code, message = error_of(sm.describe_image_version, ImageName=IMAGE)
    assert code == "ResourceNotFound"
    assert message.startswith(f"Latest ImageVersion with ImageName {IMAGE} does not exist")


@pytest.mark.parametrize("operation", [
    "describe_image_version", "update_image_version", "delete_image_version",
])
def test_no_versions_means_no_latest(sm: Any, image: str, operation: str) -> None:
    code, message = error_of(getattr(sm, operation), ImageName=image)
    assert code == "ResourceNotFound"
    assert message == (f"Latest ImageVersion with ImageName {image} does not exist. "
                       "Please provide a valid ImageName.")


def test_latest_message_keeps_the_name_case(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("Mixed")
    _, message = error_of(sm.describe_image_version, ImageName="Mixed")
    assert "ImageName Mixed does not exist" in message


@pytest.mark.parametrize("operation", [
    "describe_image_version", "update_image_version", "delete_image_version", "list_aliases",
])
def test_missing_version_is_resource_not_found(sm: Any, new_version: Callable[..., int],
                                               operation: str) -> None:
    new_version()
    code, message = error_of(getattr(sm, operation), ImageName=IMAGE, Version=7)
    assert code == "ResourceNotFound"
    assert "does not exist" in message


@pytest.mark.parametrize("operation", [
    "describe_image_version", "update_image_version", "delete_image_version", "list_aliases",
])
def test_unknown_alias_is_resource_not_found(sm: Any, new_version: Callable[..., int],
                                             operation: str) -> None:
    new_version(Aliases=["stable"])
    code, message = error_of(getattr(sm, operation), ImageName=IMAGE, Alias="nightly")
    assert code == "ResourceNotFound"
    assert "does not exist" in message


@pytest.mark.parametrize("operation", [
    "describe_image_version", "update_image_version", "delete_image_version", "list_aliases",
])
def test_version_and_alias_together_are_rejected(sm: Any, new_version: Callable[..., int],
                                                 operation: str) -> None:
    new_version(Aliases=["stable"])
    code, _ = error_of(getattr(sm, operation), ImageName=IMAGE, Version=1, Alias="stable")
    assert code == "ValidationException"
    assert sm.describe_image_version(ImageName=IMAGE, Version=1)["Version"] == 1


def test_version_zero_is_accepted_and_not_found(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    code, _ = error_of(sm.describe_image_version, ImageName=IMAGE, Version=0)
    assert code == "ResourceNotFound"


def test_image_name_lookup_ignores_case(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    assert sm.describe_image_version(ImageName=IMAGE.upper(), Version=1)["Version"] == 1


# --- UpdateImageVersion --------------------------------------------------------------------

def test_update_image_version_returns_its_arn(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    response = sm.update_image_version(ImageName=IMAGE, Version=1, ReleaseNotes="later")
    assert response["ImageVersionArn"] == version_arn(1)


def test_update_image_version_changes_only_given_fields(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version(**METADATA)
    sm.update_image_version(ImageName=IMAGE, Version=1, ReleaseNotes="second cut",
                            Processor="CPU", Horovod=False)
    described = sm.describe_image_version(ImageName=IMAGE, Version=1)
    expected = {**METADATA, "ReleaseNotes": "second cut", "Processor": "CPU", "Horovod": False}
    assert {name: described[name] for name in METADATA} == expected
    assert described["BaseImage"] == BASE_IMAGE


def test_update_image_version_sets_each_metadata_field(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    sm.update_image_version(ImageName=IMAGE, **METADATA)
    described = sm.describe_image_version(ImageName=IMAGE)
    assert {name: described[name] for name in METADATA} == METADATA


def test_update_image_version_bumps_last_modified_time(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    before = sm.describe_image_version(ImageName=IMAGE, Version=1)
    sm.update_image_version(ImageName=IMAGE, Version=1, JobType="INFERENCE")
    after = sm.describe_image_version(ImageName=IMAGE, Version=1)
    assert after["LastModifiedTime"] > before["LastModifiedTime"]
    assert after["CreationTime"] == before["CreationTime"]


def test_update_image_version_by_alias(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(Aliases=["stable"])
    new_version()
    response = sm.update_image_version(ImageName=IMAGE, Alias="stable", JobType="INFERENCE")
    assert response["ImageVersionArn"] == version_arn(1)
    assert sm.describe_image_version(ImageName=IMAGE, Version=1)["JobType"] == "INFERENCE"
    assert "JobType" not in sm.describe_image_version(ImageName=IMAGE, Version=2)


def test_update_image_version_defaults_to_latest(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    assert sm.update_image_version(ImageName=IMAGE)["ImageVersionArn"] == version_arn(2)


def test_update_leaves_other_versions_alone(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    before = described_version(sm, 1)
    sm.update_image_version(ImageName=IMAGE, Version=2, ReleaseNotes="only two")
    assert described_version(sm, 1) == before


# --- DeleteImageVersion --------------------------------------------------------------------

def test_delete_image_version_makes_it_not_found(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    code, message = error_of(sm.describe_image_version, ImageName=IMAGE, Version=1)
    assert code == "ResourceNotFound"
    assert "does not exist" in message
    assert sm.describe_image_version(ImageName=IMAGE, Version=2)["Version"] == 2


def test_delete_image_version_by_alias(sm: Any, new_version: Callable[..., int]) -> None:
    new_version(Aliases=["doomed"])
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Alias="doomed")
    versions = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"]
    assert [version["Version"] for version in versions] == [2]


def test_delete_image_version_defaults_to_latest(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    sm.delete_image_version(ImageName=IMAGE)
    versions = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"]
    assert [version["Version"] for version in versions] == [1]


def test_delete_image_version_twice_is_not_found(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    code, _ = error_of(sm.delete_image_version, ImageName=IMAGE, Version=1)
    assert code == "ResourceNotFound"


def test_deleting_a_version_keeps_the_image(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    assert sm.describe_image(ImageName=IMAGE)["ImageStatus"] == "CREATED"


def test_a_base_image_with_a_lone_surrogate_is_served(sm, make_image):
    make_image("odd")
    sm.create_image_version(ImageName="odd", BaseImage="repo\ud800:1")
    container = sm.describe_image_version(ImageName="odd")["ContainerImage"]
    assert re.fullmatch(r"repo\ud800@sha256:[0-9a-f]{64}", container)
