"""Statuses through moto's state manager: immediate by default, observable when slowed down."""
from __future__ import annotations

import time
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError
from moto.moto_api import state_manager

from support import BASE_IMAGE, error_of

IMAGE = "my-image"
IMAGE_MODEL = "sagemaker::image"
VERSION_MODEL = "sagemaker::imageversion"


def image_status(sm: Any) -> str:
    return sm.describe_image(ImageName=IMAGE)["ImageStatus"]


def version_status(sm: Any, version: int = 1) -> str:
    return sm.describe_image_version(ImageName=IMAGE, Version=version)["ImageVersionStatus"]


# --- defaults ------------------------------------------------------------------------------

def test_state_models_are_registered_immediate() -> None:
    import moto.sagemaker.models  # noqa: F401  (installs the package, also when run alone)

    for model in (IMAGE_MODEL, VERSION_MODEL):
        assert model in state_manager.get_registered_models()
        assert state_manager.get_transition(model) == {"progression": "immediate"}


def test_image_is_created_at_once_by_default(sm: Any, make_image: Callable[..., str]) -> None:
    make_image(IMAGE)
    assert image_status(sm) == "CREATED"
    assert sm.list_images()["Images"][0]["ImageStatus"] == "CREATED"


def test_version_is_created_at_once_by_default(sm: Any, make_image: Callable[..., str]) -> None:
    make_image(IMAGE)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    assert version_status(sm) == "CREATED"
    listed = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"]
    assert listed[0]["ImageVersionStatus"] == "CREATED"


def test_waiters_succeed_on_the_first_poll(sm: Any, make_image: Callable[..., str]) -> None:
    once = {"Delay": 1, "MaxAttempts": 1}
    make_image(IMAGE)
    sm.get_waiter("image_created").wait(ImageName=IMAGE, WaiterConfig=once)
    sm.update_image(ImageName=IMAGE, Description="new")
    sm.get_waiter("image_updated").wait(ImageName=IMAGE, WaiterConfig=once)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    sm.get_waiter("image_version_created").wait(ImageName=IMAGE, Version=1, WaiterConfig=once)


# --- images, slowed down -------------------------------------------------------------------

def test_creating_image_is_visible(sm: Any, make_image: Callable[..., str],
                                   manual: Callable[[str], None]) -> None:
    manual(IMAGE_MODEL)
    make_image(IMAGE)
    assert image_status(sm) == "CREATING"
    assert image_status(sm) == "CREATED"
    assert image_status(sm) == "CREATED"


def test_version_on_a_creating_image_is_rejected(sm: Any, make_image: Callable[..., str],
                                                 manual: Callable[[str], None]) -> None:
    manual(IMAGE_MODEL)
    make_image(IMAGE)
    code, message = error_of(sm.create_image_version, ImageName=IMAGE, BaseImage=BASE_IMAGE)
    assert code == "ValidationException"
    assert message == f"Image {IMAGE} is in an invalid state."


def test_version_on_an_updating_image_is_rejected(sm: Any, make_image: Callable[..., str],
                                                  manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.update_image(ImageName=IMAGE, Description="new")
    code, message = error_of(sm.create_image_version, ImageName=IMAGE, BaseImage=BASE_IMAGE)
    assert (code, message) == ("ValidationException", f"Image {IMAGE} is in an invalid state.")
    assert sm.list_image_versions(ImageName=IMAGE)["ImageVersions"] == []


def test_update_image_goes_updating_then_created(sm: Any, make_image: Callable[..., str],
                                                 manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.update_image(ImageName=IMAGE, Description="new")
    assert image_status(sm) == "UPDATING"
    assert image_status(sm) == "CREATED"


def test_update_image_while_creating_is_resource_in_use(
        sm: Any, make_image: Callable[..., str], manual: Callable[[str], None]) -> None:
    manual(IMAGE_MODEL)
    make_image(IMAGE, Description="old")
    code, _ = error_of(sm.update_image, ImageName=IMAGE, Description="new")
    assert code == "ResourceInUse"
    assert sm.describe_image(ImageName=IMAGE)["Description"] == "old"


def test_delete_image_goes_deleting_then_not_found(sm: Any, make_image: Callable[..., str],
                                                   manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.delete_image(ImageName=IMAGE)
    assert image_status(sm) == "DELETING"
    code, _ = error_of(sm.describe_image, ImageName=IMAGE)
    assert code == "ResourceNotFound"
    assert sm.list_images()["Images"] == []


def test_deleting_image_is_listed_as_deleting(sm: Any, make_image: Callable[..., str],
                                              manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.delete_image(ImageName=IMAGE)
    assert [image["ImageStatus"] for image in sm.list_images()["Images"]] == ["DELETING"]


def test_status_never_shows_an_internal_state(sm: Any, make_image: Callable[..., str],
                                              manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.delete_image(ImageName=IMAGE)
    seen = []
    for _ in range(4):
        try:
            seen.append(image_status(sm))
        except ClientError as error:
            seen.append(error.response["Error"]["Code"])
    assert seen == ["DELETING", "ResourceNotFound", "ResourceNotFound", "ResourceNotFound"]


def test_delete_image_while_deleting_is_resource_in_use(
        sm: Any, make_image: Callable[..., str], manual: Callable[[str], None]) -> None:
    make_image(IMAGE)
    manual(IMAGE_MODEL)
    sm.delete_image(ImageName=IMAGE)
    code, _ = error_of(sm.delete_image, ImageName=IMAGE)
    assert code == "ResourceInUse"


# --- versions, slowed down -----------------------------------------------------------------

@pytest.fixture
def image(make_image: Callable[..., str]) -> str:
    return make_image(IMAGE)


def test_creating_version_is_visible(sm: Any, image: str, manual: Callable[[str], None]) -> None:
    manual(VERSION_MODEL)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    assert version_status(sm) == "CREATING"
    assert version_status(sm) == "CREATED"


def test_update_of_a_creating_version_is_resource_in_use(
        sm: Any, image: str, manual: Callable[[str], None]) -> None:
    manual(VERSION_MODEL)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    code, _ = error_of(sm.update_image_version, ImageName=IMAGE, Version=1,
                       AliasesToAdd=["early"], ReleaseNotes="early")
    assert code == "ResourceInUse"
    assert sm.list_aliases(ImageName=IMAGE)["SageMakerImageVersionAliases"] == []


def test_delete_version_goes_deleting_then_not_found(
        sm: Any, image: str, manual: Callable[[str], None]) -> None:
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    manual(VERSION_MODEL)
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    assert version_status(sm) == "DELETING"
    code, _ = error_of(sm.describe_image_version, ImageName=IMAGE, Version=1)
    assert code == "ResourceNotFound"
    assert sm.list_image_versions(ImageName=IMAGE)["ImageVersions"] == []


def test_delete_of_a_deleting_version_is_resource_in_use(
        sm: Any, image: str, manual: Callable[[str], None]) -> None:
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    manual(VERSION_MODEL)
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    code, message = error_of(sm.delete_image_version, ImageName=IMAGE, Version=1)
    assert code == "ResourceInUse"
    assert "is being deleted" in message


def test_deleting_version_keeps_its_aliases_until_gone(
        sm: Any, image: str, manual: Callable[[str], None]) -> None:
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["prod"])
    manual(VERSION_MODEL)
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    assert sm.list_aliases(ImageName=IMAGE)["SageMakerImageVersionAliases"] == ["prod"]
    assert version_status(sm) == "DELETING"
    code, _ = error_of(sm.describe_image_version, ImageName=IMAGE, Alias="prod")
    assert code == "ResourceNotFound"
    assert sm.list_aliases(ImageName=IMAGE)["SageMakerImageVersionAliases"] == []


def test_latest_skips_a_version_that_finished_deleting(
        sm: Any, image: str, manual: Callable[[str], None]) -> None:
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    manual(VERSION_MODEL)
    sm.delete_image_version(ImageName=IMAGE, Version=2)
    latest = sm.describe_image_version(ImageName=IMAGE)
    assert (latest["Version"], latest["ImageVersionStatus"]) == (2, "DELETING")
    assert sm.describe_image_version(ImageName=IMAGE)["Version"] == 1


def test_time_progression_restarts_with_each_new_state(sm: Any, image: str) -> None:
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    time.sleep(0.6)
    state_manager.set_transition(VERSION_MODEL, {"progression": "time", "seconds": 1})
    try:
        sm.delete_image_version(ImageName=IMAGE, Version=1)
        time.sleep(0.6)
        # over a second since creation, but not since the deletion began
        assert version_status(sm) == "DELETING"
    finally:
        state_manager.unset_transition(VERSION_MODEL)


def test_a_failed_request_does_not_count_as_a_look(sm, make_image, manual):
    manual(IMAGE_MODEL)
    make_image(IMAGE)
    code, _ = error_of(sm.update_image, ImageName=IMAGE, Description="x",
                       DeleteProperties=["Description"])
    assert code == "ValidationException"
    # Only describes move a manual transition: the image is still CREATING.
    code, message = error_of(sm.create_image_version, ImageName=IMAGE, BaseImage=BASE_IMAGE)
    assert (code, message) == ("ValidationException", f"Image {IMAGE} is in an invalid state.")
    assert image_status(sm) == "CREATING"
    assert image_status(sm) == "CREATED"


def test_an_alias_of_a_version_that_finished_deleting_is_free(sm, make_image):
    state_manager.set_transition(VERSION_MODEL, {"progression": "time", "seconds": 0.2})
    try:
        make_image(IMAGE)
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["stable"])
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
        time.sleep(0.3)
        sm.delete_image_version(ImageName=IMAGE, Version=1)
        time.sleep(0.3)
        sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["stable"])
        assert sm.describe_image_version(ImageName=IMAGE, Alias="stable")["Version"] == 2
    finally:
        state_manager.unset_transition(VERSION_MODEL)
