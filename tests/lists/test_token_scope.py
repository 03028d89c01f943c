"""A NextToken continues a walk only in the account and region that made it: elsewhere it is a
token that is not ours there, and answered as any foreign token is."""
from __future__ import annotations

from typing import Any, Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from support import BASE_IMAGE, ROLE_ARN

OTHER_ACCOUNT = "111122223333"
OTHER_REGION = "eu-west-1"
NAMES = ("img-a", "img-b", "img-c")


def fill(sm: Any) -> None:
    """The same resources, by name, in whichever account and region `sm` reaches."""
    for name in NAMES:
        sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
        sm.create_app_image_config(AppImageConfigName=name)
    for _ in range(3):
        sm.create_image_version(ImageName="img-a", BaseImage=BASE_IMAGE)
    sm.update_image_version(ImageName="img-a", Version=1, AliasesToAdd=["x", "y", "z"])


# Each list operation of the package that pages: its call, given the client of the place. ListTags
# never gives a token: a resource holds at most 50 tags and a page is at least 50.
LISTS: dict[str, Callable[[Any], tuple[Callable[..., Any], dict[str, Any]]]] = {
    "list_images": lambda sm: (sm.list_images, {}),
    "list_image_versions": lambda sm: (sm.list_image_versions, {"ImageName": "img-a"}),
    "list_aliases": lambda sm: (sm.list_aliases, {"ImageName": "img-a"}),
    "list_app_image_configs": lambda sm: (sm.list_app_image_configs, {}),
}


def first_token(sm: Any, operation: str) -> str:
    call, kwargs = LISTS[operation](sm)
    return call(MaxResults=1, **kwargs)["NextToken"]


def refusal(sm: Any, operation: str, token: str) -> dict[str, str]:
    call, kwargs = LISTS[operation](sm)
    with pytest.raises(ClientError) as caught:
        call(MaxResults=1, NextToken=token, **kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response["Error"]


FOREIGN = {"Code": "ValidationException",
           "Message": "The NextToken is not valid for this request."}


@pytest.mark.parametrize("operation", sorted(LISTS))
def test_a_token_from_another_region_is_refused(sm, operation):
    west = boto3.client("sagemaker", region_name=OTHER_REGION)
    fill(sm)
    fill(west)
    token = first_token(sm, operation)
    assert refusal(west, operation, token) == FOREIGN
    call, kwargs = LISTS[operation](sm)
    assert call(MaxResults=1, NextToken=token, **kwargs)  # still good where it was made


@pytest.mark.parametrize("operation", sorted(LISTS))
def test_a_token_from_another_account_is_refused(sm, operation, monkeypatch):
    fill(sm)
    token = first_token(sm, operation)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
    fill(sm)
    assert sm.describe_image(ImageName="img-a")["ImageArn"].split(":")[4] == OTHER_ACCOUNT
    assert refusal(sm, operation, token) == FOREIGN
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    call, kwargs = LISTS[operation](sm)
    assert call(MaxResults=1, NextToken=token, **kwargs)


def test_a_token_refused_elsewhere_changes_nothing(sm):
    west = boto3.client("sagemaker", region_name=OTHER_REGION)
    fill(sm)
    fill(west)
    before = west.list_images()["Images"]
    refusal(west, "list_images", first_token(sm, "list_images"))
    assert west.list_images()["Images"] == before
