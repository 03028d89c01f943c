"""Tags on images: CreateImage Tags, AddTags / ListTags / DeleteTags, and the Resource Groups
Tagging API on moto releases that let a backend list its resources there."""
from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.sagemaker.models import SageMakerModelBackend

from support import REGION, ROLE_ARN, error_of

HAS_TAGGING_HOOK = hasattr(SageMakerModelBackend, "iter_tagged_resources")  # moto >= 5.2.2
needs_hook = pytest.mark.skipif(not HAS_TAGGING_HOOK, reason="moto < 5.2.2 has no tagging hook")


def tags(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs]


def listed(sm: Any, arn: str) -> dict[str, str]:
    pages = sm.get_paginator("list_tags").paginate(ResourceArn=arn)
    found = [(tag["Key"], tag["Value"]) for page in pages for tag in page["Tags"]]
    assert len(found) == len(set(found)), "a tag was listed twice"
    return dict(found)


def test_create_image_tags_are_listed(sm, make_image):
    arn = make_image("my-image", Tags=tags(("team", "ml"), ("env", "dev")))
    assert listed(sm, arn) == {"team": "ml", "env": "dev"}


def test_add_tags_replaces_the_value_of_an_existing_key(sm, make_image):
    arn = make_image("my-image", Tags=tags(("env", "dev")))
    sm.add_tags(ResourceArn=arn, Tags=tags(("env", "prod"), ("owner", "me")))
    assert listed(sm, arn) == {"env": "prod", "owner": "me"}


def test_delete_tags_removes_only_the_given_keys(sm, make_image):
    arn = make_image("my-image", Tags=tags(("a", "1"), ("b", "2"), ("c", "3")))
    sm.delete_tags(ResourceArn=arn, TagKeys=["a", "c", "not-there"])
    assert listed(sm, arn) == {"b": "2"}


def test_fifty_tags_at_most(sm, make_image):
    fifty = tags(*((f"k{i:02}", str(i)) for i in range(50)))
    arn = make_image("my-image", Tags=fifty)
    sm.add_tags(ResourceArn=arn, Tags=tags(("k00", "replaced")))  # still 50
    code, _ = error_of(sm.add_tags, ResourceArn=arn, Tags=tags(("one-more", "x")))
    assert code == "ValidationException"
    expected = {tag["Key"]: tag["Value"] for tag in fifty} | {"k00": "replaced"}
    assert listed(sm, arn) == expected  # the failed call added nothing


def test_create_image_with_51_tags_is_refused(sm):
    code, message = error_of(sm.create_image, ImageName="my-image", RoleArn=ROLE_ARN,
                             Tags=tags(*((f"k{i}", "v") for i in range(51))))
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 50" in message
    assert sm.list_images()["Images"] == []


def test_list_tags_pages_are_walked_by_the_paginator(sm, make_image):
    # ListTags' MaxResults is at least 50 and an image has at most 50 tags: one full page.
    arn = make_image("my-image", Tags=tags(*((f"k{i:02}", "v") for i in range(50))))
    pages = list(sm.get_paginator("list_tags").paginate(ResourceArn=arn,
                                                        PaginationConfig={"PageSize": 50}))
    assert [len(page["Tags"]) for page in pages] == [50]
    assert "NextToken" not in pages[0]


def test_list_tags_refuses_a_foreign_token(sm, make_image):
    arn = make_image("my-image", Tags=tags(("a", "1")))
    code, _ = error_of(sm.list_tags, ResourceArn=arn, NextToken="not-a-token")
    assert code == "ValidationException"


def test_tags_go_when_the_image_goes(sm, make_image):
    arn = make_image("my-image", Tags=tags(("a", "1")))
    sm.delete_image(ImageName="my-image")
    code, _ = error_of(sm.list_tags, ResourceArn=arn)
    assert code == "ResourceNotFound"
    assert make_image("my-image") == arn
    assert listed(sm, arn) == {}


@pytest.mark.parametrize("operation", ["add_tags", "list_tags", "delete_tags"])
def test_tag_operations_on_a_missing_image(sm, operation):
    arn = f"arn:aws:sagemaker:{REGION}:123456789012:image/missing"
    arguments = {"add_tags": {"Tags": tags(("a", "1"))}, "delete_tags": {"TagKeys": ["a"]},
                 "list_tags": {}}[operation]
    code, _ = error_of(getattr(sm, operation), ResourceArn=arn, **arguments)
    assert code == "ResourceNotFound"


def moto_experiment(sm: Any, **tag_pairs: str) -> str:
    """A resource of moto's own SageMaker, tagged through moto's AddTags."""
    arn = sm.create_experiment(ExperimentName="exp")["ExperimentArn"]
    sm.add_tags(ResourceArn=arn, Tags=tags(*tag_pairs.items()))
    return arn


def test_moto_still_tags_its_own_sagemaker_resources(sm, make_image):
    make_image("my-image", Tags=tags(("a", "1")))
    arn = moto_experiment(sm, owner="moto")
    sm.delete_tags(ResourceArn=arn, TagKeys=["owner"])
    sm.add_tags(ResourceArn=arn, Tags=tags(("more", "x")))
    assert sm.list_tags(ResourceArn=arn)["Tags"] == tags(("more", "x"))


def test_tag_requests_for_moto_resources_reach_moto_unchanged(sm):
    arn = sm.create_experiment(ExperimentName="exp")["ExperimentArn"]
    eighty = tags(*((f"k{i:02}", "v") for i in range(80)))
    sm.add_tags(ResourceArn=arn, Tags=eighty)  # moto's behaviour, not ours to change
    assert len(listed(sm, arn)) == 80


@pytest.mark.parametrize("call", ["add_tags", "list_tags", "delete_tags"])
def test_tag_calls_on_an_image_version_arn_are_validation_errors(sm, make_image, call):
    image_arn = make_image("my-image")
    arn = sm.create_image_version(ImageName="my-image",
                                  BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1"
                                  )["ImageVersionArn"]
    arguments = {"add_tags": {"Tags": tags(("a", "1"))}, "list_tags": {},
                 "delete_tags": {"TagKeys": ["a"]}}[call]
    with pytest.raises(ClientError) as caught:
        getattr(sm, call)(ResourceArn=arn, **arguments)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert listed(sm, image_arn) == {}


# --- Resource Groups Tagging API --------------------------------------------------------------

@pytest.fixture
def rgta(sm: Any) -> Any:
    return boto3.client("resourcegroupstaggingapi", region_name=REGION)


def mapped(rgta: Any, **filters: Any) -> dict[str, dict[str, str]]:
    pages = rgta.get_paginator("get_resources").paginate(**filters)
    return {item["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in item["Tags"]}
            for page in pages for item in page["ResourceTagMappingList"]}


@needs_hook
def test_get_resources_lists_tagged_images(sm, make_image, rgta):
    tagged = make_image("tagged", Tags=tags(("team", "ml")))
    other = make_image("other", Tags=tags(("team", "web")))
    make_image("untagged")
    assert mapped(rgta, ResourceTypeFilters=["sagemaker:image"]) == {
        tagged: {"team": "ml"}, other: {"team": "web"}}
    assert mapped(rgta, TagFilters=[{"Key": "team", "Values": ["ml"]}]) == {tagged: {"team": "ml"}}
    sm.add_tags(ResourceArn=other, Tags=tags(("team", "ml")))
    sm.delete_image(ImageName="tagged")
    assert mapped(rgta, TagFilters=[{"Key": "team", "Values": ["ml"]}]) == {other: {"team": "ml"}}


@needs_hook
def test_get_resources_lists_tagged_app_image_configs(sm, rgta):
    arn = sm.create_app_image_config(AppImageConfigName="kernels", Tags=tags(("team", "ml")),
                                     KernelGatewayImageConfig={"KernelSpecs": [{"Name": "py"}]}
                                     )["AppImageConfigArn"]
    assert mapped(rgta, ResourceTypeFilters=["sagemaker:app-image-config"]) == {arn: {"team": "ml"}}
    sm.delete_app_image_config(AppImageConfigName="kernels")
    assert mapped(rgta, ResourceTypeFilters=["sagemaker:app-image-config"]) == {}


@needs_hook
def test_get_resources_keeps_moto_sagemaker_resources(sm, make_image, rgta):
    image = make_image("my-image", Tags=tags(("a", "1")))
    experiment = moto_experiment(sm, b="2")
    assert mapped(rgta, ResourceTypeFilters=["sagemaker"]) == {image: {"a": "1"},
                                                               experiment: {"b": "2"}}


@needs_hook
def test_tag_resources_through_the_tagging_api(sm, make_image, rgta):
    arn = make_image("my-image", Tags=tags(("a", "1")))
    failed = rgta.tag_resources(ResourceARNList=[arn], Tags={"a": "2", "b": "3"})
    assert failed["FailedResourcesMap"] == {}
    rgta.untag_resources(ResourceARNList=[arn], TagKeys=["b"])
    assert listed(sm, arn) == {"a": "2"}


def test_get_resources_still_works_with_the_extension(sm, make_image, rgta):
    # Without a resource-type filter moto walks every service, its SageMaker backend included.
    image = make_image("my-image", Tags=tags(("a", "1")))
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="imgver-bucket")
    s3.put_bucket_tagging(Bucket="imgver-bucket", Tagging={"TagSet": tags(("b", "2"))})
    found = mapped(rgta)
    assert found["arn:aws:s3:::imgver-bucket"] == {"b": "2"}
    # Older moto releases list a fixed set of SageMaker types, which has no images.
    assert (image in found) == HAS_TAGGING_HOOK
