"""CreateImage, DescribeImage, UpdateImage, DeleteImage; ARNs, isolation, reset, moto's own ops."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from support import ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN, error_of

OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/OtherRole"


def image_arn(name: str, region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:image/{name}"


# --- CreateImage / DescribeImage -------------------------------------------------------------

def test_create_image_returns_its_arn(sm: Any) -> None:
    response = sm.create_image(ImageName="my-image", RoleArn=ROLE_ARN)
    assert response["ImageArn"] == image_arn("my-image")


def test_describe_image_returns_what_was_created(sm: Any) -> None:
    sm.create_image(ImageName="my-image", RoleArn=ROLE_ARN, Description="about it",
                    DisplayName="My Image")
    described = sm.describe_image(ImageName="my-image")
    assert described["ImageName"] == "my-image"
    assert described["ImageArn"] == image_arn("my-image")
    assert described["RoleArn"] == ROLE_ARN
    assert described["Description"] == "about it"
    assert described["DisplayName"] == "My Image"
    assert described["ImageStatus"] == "CREATED"
    assert isinstance(described["CreationTime"], dt.datetime)
    assert described["LastModifiedTime"] == described["CreationTime"]


def test_describe_image_omits_unset_optional_fields(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("plain")
    described = sm.describe_image(ImageName="plain")
    for absent in ("Description", "DisplayName", "FailureReason"):
        assert absent not in described


def test_creation_time_is_now(sm: Any, make_image: Callable[..., str]) -> None:
    before = dt.datetime.now(dt.timezone.utc)
    make_image("timed")
    after = dt.datetime.now(dt.timezone.utc)
    created = sm.describe_image(ImageName="timed")["CreationTime"]
    assert before - dt.timedelta(seconds=1) <= created <= after + dt.timedelta(seconds=1)


def test_arn_lower_cases_the_name_but_image_name_keeps_case(sm: Any) -> None:
    arn = sm.create_image(ImageName="My-Image", RoleArn=ROLE_ARN)["ImageArn"]
    assert arn == image_arn("my-image")
    described = sm.describe_image(ImageName="My-Image")
    assert described["ImageName"] == "My-Image"
    assert described["ImageArn"] == arn


def test_names_differing_only_in_case_are_one_image(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("My-Image")
    assert sm.describe_image(ImageName="my-image")["ImageName"] == "My-Image"
    code, _ = error_of(sm.create_image, ImageName="MY-IMAGE", RoleArn=ROLE_ARN)
    assert code == "ResourceInUse"


def test_duplicate_create_image_is_resource_in_use(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("dup")
    code, message = error_of(sm.create_image, ImageName="dup", RoleArn=ROLE_ARN)
    assert code == "ResourceInUse"
    assert message == ("The Image with ImageName dup already exists. "
                       "Please use a different ImageName.")


def test_duplicate_create_image_leaves_the_first_unchanged(sm: Any) -> None:
    sm.create_image(ImageName="dup", RoleArn=ROLE_ARN, Description="first")
    with pytest.raises(ClientError):
        sm.create_image(ImageName="dup", RoleArn=OTHER_ROLE, Description="second")
    described = sm.describe_image(ImageName="dup")
    assert (described["Description"], described["RoleArn"]) == ("first", ROLE_ARN)


def test_describe_missing_image_names_its_arn(sm: Any) -> None:
    code, message = error_of(sm.describe_image, ImageName="Nope")
    assert code == "ResourceNotFound"
    assert message == f"Image with ARN {image_arn('nope')} does not exist"


@pytest.mark.parametrize("operation, extra", [
    ("update_image", {"Description": "x"}),
    ("delete_image", {}),
    ("create_image_version", {"BaseImage": BASE_IMAGE}),
    ("describe_image_version", {}),
    ("list_image_versions", {}),
    ("update_image_version", {"Version": 1}),
    ("delete_image_version", {"Version": 1}),
    ("list_aliases", {}),
])
def test_every_operation_on_a_missing_image_is_resource_not_found(
        sm: Any, operation: str, extra: dict[str, Any]) -> None:
    code, message = error_of(getattr(sm, operation), ImageName="ghost", **extra)
    assert code == "ResourceNotFound"
    assert message == f"Image with ARN {image_arn('ghost')} does not exist"


def test_create_image_accepts_tags(sm: Any) -> None:
    arn = sm.create_image(ImageName="tagged", RoleArn=ROLE_ARN,
                          Tags=[{"Key": "team", "Value": "ml"}])["ImageArn"]
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]


# --- UpdateImage ---------------------------------------------------------------------------

def test_update_image_returns_its_arn(sm: Any, make_image: Callable[..., str]) -> None:
    arn = make_image("upd")
    assert sm.update_image(ImageName="upd", Description="new")["ImageArn"] == arn


def test_update_image_sets_the_given_properties(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd", Description="old", DisplayName="Old")
    sm.update_image(ImageName="upd", Description="new", RoleArn=OTHER_ROLE)
    described = sm.describe_image(ImageName="upd")
    assert described["Description"] == "new"
    assert described["RoleArn"] == OTHER_ROLE
    assert described["DisplayName"] == "Old"


def test_update_image_clears_delete_properties(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd", Description="old", DisplayName="Old")
    sm.update_image(ImageName="upd", DeleteProperties=["Description", "DisplayName"])
    described = sm.describe_image(ImageName="upd")
    assert "Description" not in described
    assert "DisplayName" not in described
    assert described["RoleArn"] == ROLE_ARN


def test_update_image_can_clear_one_and_set_another(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd", Description="old", DisplayName="Old")
    sm.update_image(ImageName="upd", DeleteProperties=["DisplayName"], Description="new")
    described = sm.describe_image(ImageName="upd")
    assert described["Description"] == "new"
    assert "DisplayName" not in described


def test_update_image_setting_and_deleting_one_property_is_rejected(
        sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd", Description="old")
    code, _ = error_of(sm.update_image, ImageName="upd", Description="new",
                       DeleteProperties=["Description"])
    assert code == "ValidationException"
    assert sm.describe_image(ImageName="upd")["Description"] == "old"


def test_update_image_bumps_last_modified_time(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd")
    created = sm.describe_image(ImageName="upd")
    sm.update_image(ImageName="upd", Description="new")
    updated = sm.describe_image(ImageName="upd")
    assert updated["LastModifiedTime"] > created["LastModifiedTime"]
    assert updated["CreationTime"] == created["CreationTime"]


def test_update_image_settles_back_to_created(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("upd")
    sm.update_image(ImageName="upd", Description="new")
    assert sm.describe_image(ImageName="upd")["ImageStatus"] == "CREATED"


# --- DeleteImage ---------------------------------------------------------------------------

def test_delete_image_makes_it_not_found(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("gone")
    assert sm.delete_image(ImageName="gone")["ResponseMetadata"]["HTTPStatusCode"] == 200
    code, _ = error_of(sm.describe_image, ImageName="gone")
    assert code == "ResourceNotFound"


def test_delete_image_twice_is_resource_not_found(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("gone")
    sm.delete_image(ImageName="gone")
    code, _ = error_of(sm.delete_image, ImageName="gone")
    assert code == "ResourceNotFound"


def test_delete_image_removes_its_versions(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("gone")
    sm.create_image_version(ImageName="gone", BaseImage=BASE_IMAGE)
    sm.delete_image(ImageName="gone")
    make_image("gone")
    code, _ = error_of(sm.describe_image_version, ImageName="gone", Version=1)
    assert code == "ResourceNotFound"
    assert sm.list_image_versions(ImageName="gone")["ImageVersions"] == []


def test_image_recreated_after_delete_starts_clean(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("again", Description="old")
    sm.create_image_version(ImageName="again", BaseImage=BASE_IMAGE, Aliases=["stable"])
    sm.create_image_version(ImageName="again", BaseImage=BASE_IMAGE)
    sm.delete_image(ImageName="again")
    make_image("again")
    assert "Description" not in sm.describe_image(ImageName="again")
    assert sm.list_aliases(ImageName="again")["SageMakerImageVersionAliases"] == []
    arn = sm.create_image_version(ImageName="again", BaseImage=BASE_IMAGE,
                                  Aliases=["stable"])["ImageVersionArn"]
    assert arn.endswith(":image-version/again/1")


def test_deleted_image_leaves_the_list(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("keep")
    make_image("drop")
    sm.delete_image(ImageName="drop")
    assert [image["ImageName"] for image in sm.list_images()["Images"]] == ["keep"]


# --- isolation and reset -------------------------------------------------------------------

def test_images_are_per_region(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("regional")
    west = boto3.client("sagemaker", region_name="us-west-2")
    code, message = error_of(west.describe_image, ImageName="regional")
    assert code == "ResourceNotFound"
    assert image_arn("regional", region="us-west-2") in message
    arn = west.create_image(ImageName="regional", RoleArn=ROLE_ARN)["ImageArn"]
    assert arn == image_arn("regional", region="us-west-2")
    assert sm.describe_image(ImageName="regional")["ImageArn"] == image_arn("regional")


def test_images_are_per_account(sm: Any, make_image: Callable[..., str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    make_image("shared-name", Description="default account")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    code, _ = error_of(sm.describe_image, ImageName="shared-name")
    assert code == "ResourceNotFound"
    arn = sm.create_image(ImageName="shared-name", RoleArn=ROLE_ARN)["ImageArn"]
    assert arn == image_arn("shared-name", account="111122223333")
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    assert sm.describe_image(ImageName="shared-name")["Description"] == "default account"


def test_state_survives_across_clients(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("lasting")
    other = boto3.client("sagemaker", region_name=REGION)
    assert other.describe_image(ImageName="lasting")["ImageName"] == "lasting"


def test_a_new_mock_starts_empty() -> None:
    with mock_aws():
        client = boto3.client("sagemaker", region_name=REGION)
        client.create_image(ImageName="temporary", RoleArn=ROLE_ARN)
    with mock_aws():
        client = boto3.client("sagemaker", region_name=REGION)
        assert client.list_images()["Images"] == []


def test_moto_sagemaker_operations_still_work(sm: Any, make_image: Callable[..., str]) -> None:
    make_image("alongside")
    sm.create_model(ModelName="my-model", ExecutionRoleArn=ROLE_ARN,
                    PrimaryContainer={"Image": BASE_IMAGE})
    models = sm.list_models()["Models"]
    assert [model["ModelName"] for model in models] == ["my-model"]
    assert sm.describe_image(ImageName="alongside")["ImageStatus"] == "CREATED"
