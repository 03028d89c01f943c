"""boto3's waiters for images and image versions, by default and under moto's state manager."""
from __future__ import annotations

import copy
from typing import Any, Iterator

import botocore
import pytest
from botocore.exceptions import WaiterError
from botocore.loaders import create_loader
from botocore.waiter import WaiterModel, create_waiter_with_client
from moto.moto_api import state_manager
from packaging.version import Version

from support import BASE_IMAGE

ONE_POLL = {"Delay": 0, "MaxAttempts": 1}
TWO_POLLS = {"Delay": 0, "MaxAttempts": 2}
# botocore 1.44.0 fixed ImageDeleted / ImageVersionDeleted to expect AWS's `ResourceNotFound`
# (botocore issue 3782); before it they expect `ResourceNotFoundException` and fail.
DELETE_WAITERS_FIXED = Version(botocore.__version__) >= Version("1.44.0")


@pytest.fixture
def manual(request: pytest.FixtureRequest) -> Iterator[None]:
    """Statuses move on only at every second describe: a waiter sees the in-between state once."""
    models = ("sagemaker::image", "sagemaker::imageversion")
    for model in models:
        state_manager.set_transition(model, {"progression": "manual", "times": 2})
    yield
    for model in models:
        state_manager.unset_transition(model)


@pytest.fixture
def version_of(sm: Any, make_image: Any) -> str:
    make_image("my-image")
    sm.create_image_version(ImageName="my-image", BaseImage=BASE_IMAGE)
    return "my-image"


def resource_not_found_waiter(sm: Any, name: str) -> Any:
    """The workaround for botocore < 1.44.0: the same waiter, expecting AWS's error code."""
    config = copy.deepcopy(create_loader().load_service_model("sagemaker", "waiters-2"))
    for acceptor in config["waiters"][name]["acceptors"]:
        if acceptor.get("expected") == "ResourceNotFoundException":
            acceptor["expected"] = "ResourceNotFound"
    return create_waiter_with_client(name, WaiterModel(config), sm)


# --- default: everything settles at once -------------------------------------------------------

def test_image_created_on_first_poll(sm, make_image):
    make_image("my-image")
    sm.get_waiter("image_created").wait(ImageName="my-image", WaiterConfig=ONE_POLL)
    assert sm.describe_image(ImageName="my-image")["ImageStatus"] == "CREATED"


def test_image_updated_on_first_poll(sm, make_image):
    make_image("my-image")
    sm.update_image(ImageName="my-image", Description="new")
    sm.get_waiter("image_updated").wait(ImageName="my-image", WaiterConfig=ONE_POLL)
    assert sm.describe_image(ImageName="my-image")["Description"] == "new"


def test_image_version_created_on_first_poll(sm, version_of):
    sm.get_waiter("image_version_created").wait(ImageName=version_of, Version=1,
                                                WaiterConfig=ONE_POLL)
    sm.get_waiter("image_version_created").wait(ImageName=version_of, WaiterConfig=ONE_POLL)


@pytest.mark.parametrize("waiter", ["image_created", "image_updated"])
def test_image_waiters_fail_fast_on_a_missing_image(sm, waiter):
    # ResourceNotFound matches no acceptor of these waiters: botocore stops at the first poll.
    with pytest.raises(WaiterError, match="ResourceNotFound"):
        sm.get_waiter(waiter).wait(ImageName="missing", WaiterConfig=TWO_POLLS)


def test_image_deleted_waiter(sm, make_image):
    make_image("my-image")
    sm.delete_image(ImageName="my-image")
    waiter = sm.get_waiter("image_deleted")
    if DELETE_WAITERS_FIXED:
        waiter.wait(ImageName="my-image", WaiterConfig=ONE_POLL)
    else:
        # The service answers as AWS does (ResourceNotFound); this botocore expects another code.
        with pytest.raises(WaiterError, match=r"\(ResourceNotFound\)"):
            waiter.wait(ImageName="my-image", WaiterConfig=ONE_POLL)
    resource_not_found_waiter(sm, "ImageDeleted").wait(ImageName="my-image",
                                                        WaiterConfig=ONE_POLL)


def test_image_version_deleted_waiter(sm, version_of):
    sm.delete_image_version(ImageName=version_of, Version=1)
    waiter = sm.get_waiter("image_version_deleted")
    if DELETE_WAITERS_FIXED:
        waiter.wait(ImageName=version_of, Version=1, WaiterConfig=ONE_POLL)
    else:
        with pytest.raises(WaiterError, match=r"\(ResourceNotFound\)"):
            waiter.wait(ImageName=version_of, Version=1, WaiterConfig=ONE_POLL)
    resource_not_found_waiter(sm, "ImageVersionDeleted").wait(
        ImageName=version_of, Version=1, WaiterConfig=ONE_POLL)


def test_the_delete_error_code_is_aws_whatever_botocore_expects(sm, make_image):
    make_image("my-image")
    sm.delete_image(ImageName="my-image")
    with pytest.raises(sm.exceptions.ClientError) as caught:
        sm.describe_image(ImageName="my-image")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFound"


# --- manual transitions through moto's state manager -------------------------------------------

def test_image_created_waits_for_a_manual_transition(sm, manual):
    sm.create_image(ImageName="first", RoleArn="arn:aws:iam::123456789012:role/r")
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        sm.get_waiter("image_created").wait(ImageName="first", WaiterConfig=ONE_POLL)
    sm.create_image(ImageName="second", RoleArn="arn:aws:iam::123456789012:role/r")
    assert sm.describe_image(ImageName="second")["ImageStatus"] == "CREATING"
    sm.get_waiter("image_created").wait(ImageName="second", WaiterConfig=ONE_POLL)


def test_image_updated_waits_for_a_manual_transition(sm, manual):
    sm.create_image(ImageName="my-image", RoleArn="arn:aws:iam::123456789012:role/r")
    sm.get_waiter("image_created").wait(ImageName="my-image", WaiterConfig=TWO_POLLS)
    sm.update_image(ImageName="my-image", Description="new")
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        sm.get_waiter("image_updated").wait(ImageName="my-image", WaiterConfig=ONE_POLL)
    assert sm.describe_image(ImageName="my-image")["ImageStatus"] == "CREATED"


def test_image_version_created_waits_for_a_manual_transition(sm, manual):
    sm.create_image(ImageName="my-image", RoleArn="arn:aws:iam::123456789012:role/r")
    sm.get_waiter("image_created").wait(ImageName="my-image", WaiterConfig=TWO_POLLS)
    sm.create_image_version(ImageName="my-image", BaseImage=BASE_IMAGE)
    statuses = []
    waiter = sm.get_waiter("image_version_created")
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        waiter.wait(ImageName="my-image", Version=1, WaiterConfig=ONE_POLL)
    statuses.append(sm.describe_image_version(ImageName="my-image",
                                              Version=1)["ImageVersionStatus"])
    waiter.wait(ImageName="my-image", Version=1, WaiterConfig=ONE_POLL)
    assert statuses == ["CREATED"]


def test_image_deleted_waits_for_a_manual_transition(sm, manual):
    sm.create_image(ImageName="my-image", RoleArn="arn:aws:iam::123456789012:role/r")
    sm.get_waiter("image_created").wait(ImageName="my-image", WaiterConfig=TWO_POLLS)
    sm.delete_image(ImageName="my-image")
    waiter = resource_not_found_waiter(sm, "ImageDeleted")
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        waiter.wait(ImageName="my-image", WaiterConfig=ONE_POLL)  # sees DELETING
    waiter.wait(ImageName="my-image", WaiterConfig=ONE_POLL)
