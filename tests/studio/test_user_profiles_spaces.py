"""User profiles and spaces: ARNs, errors, CustomImages checks and limits, updates that merge."""
from __future__ import annotations

from typing import Any

import pytest

from support import ROLE_ARN, error_of
from studio_support import PREFIX, custom, make_custom_image, make_domain


def test_user_profile_lifecycle(sm: Any) -> None:
    domain_id = make_domain(sm)
    arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="Alice",
                                 UserSettings={"ExecutionRole": ROLE_ARN})["UserProfileArn"]
    assert arn == f"{PREFIX}:user-profile/{domain_id}/alice"
    described = sm.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")
    assert described["UserProfileArn"] == arn and described["UserProfileName"] == "Alice"
    assert described["Status"] == "InService" and described["DomainId"] == domain_id
    assert described["UserSettings"] == {"ExecutionRole": ROLE_ARN}
    code, _ = error_of(sm.create_user_profile, status=400,
                       DomainId=domain_id, UserProfileName="alice")
    assert code == "ResourceInUse"
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="Alice")
    code, message = error_of(sm.describe_user_profile, status=400, DomainId=domain_id,
                             UserProfileName="Alice")
    assert code == "ResourceNotFound" and arn in message


def test_user_profile_in_a_missing_domain(sm: Any) -> None:
    code, _ = error_of(sm.create_user_profile, status=400,
                       DomainId="d-000000000000", UserProfileName="a")
    assert code == "ResourceNotFound"
    code, _ = error_of(sm.describe_user_profile, status=400,
                       DomainId="d-000000000000", UserProfileName="a")
    assert code == "ResourceNotFound"


def test_space_lifecycle_and_record_not_found(sm: Any) -> None:
    domain_id = make_domain(sm)
    arn = sm.create_space(DomainId=domain_id, SpaceName="shared",
                          SpaceSharingSettings={"SharingType": "Shared"},
                          SpaceDisplayName="Shared one")["SpaceArn"]
    assert arn == f"{PREFIX}:space/{domain_id}/shared"
    described = sm.describe_space(DomainId=domain_id, SpaceName="shared")
    assert described["Status"] == "InService" and described["SpaceDisplayName"] == "Shared one"
    assert described["SpaceSharingSettings"] == {"SharingType": "Shared"}
    summary = sm.list_spaces()["Spaces"][0]
    assert summary["SpaceSharingSettingsSummary"] == {"SharingType": "Shared"}
    sm.delete_space(DomainId=domain_id, SpaceName="shared")
    code, message = error_of(sm.describe_space, status=400, DomainId=domain_id, SpaceName="shared")
    assert code == "ValidationException" and "RecordNotFound" in message
    for call in (sm.delete_space, sm.update_space):  # the code they model
        code, message = error_of(call, status=400, DomainId=domain_id, SpaceName="shared")
        assert (code, message) == ("ResourceNotFound", f"Space with ARN {arn} does not exist.")
    code, message = error_of(sm.describe_space, status=400,
                             DomainId="d-000000000000", SpaceName="x")
    assert code == "ValidationException" and "RecordNotFound" in message


def test_private_space_needs_its_owner(sm: Any) -> None:
    domain_id = make_domain(sm)
    code, _ = error_of(sm.create_space, status=400, DomainId=domain_id, SpaceName="mine",
                       OwnershipSettings={"OwnerUserProfileName": "nobody"})
    assert code == "ResourceNotFound"
    assert sm.list_spaces()["Spaces"] == []


def test_attached_images_are_kept_as_given(sm: Any) -> None:
    image = make_custom_image(sm)
    domain_id = make_domain(sm)
    settings = {"KernelGatewayAppSettings": {"CustomImages": [custom(image)]},
                "JupyterLabAppSettings": {"CustomImages": [custom(image, ImageVersionNumber=1)]}}
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings=settings)
    assert sm.describe_user_profile(DomainId=domain_id,
                                    UserProfileName="alice")["UserSettings"] == settings
    space_settings = {"KernelGatewayAppSettings": {"CustomImages": [custom(image)]}}
    sm.create_space(DomainId=domain_id, SpaceName="shared", SpaceSettings=space_settings)
    assert sm.describe_space(DomainId=domain_id,
                             SpaceName="shared")["SpaceSettings"] == space_settings


@pytest.mark.parametrize("missing", ["image", "version", "config"])
def test_attaching_something_missing_is_refused_and_changes_nothing(sm: Any,
                                                                     missing: str) -> None:
    image = make_custom_image(sm)
    entry = custom(image)
    if missing == "image":
        entry["ImageName"] = "ghost"
    elif missing == "version":
        entry["ImageVersionNumber"] = 7
    else:
        entry["AppImageConfigName"] = "ghost"
    settings = {"KernelGatewayAppSettings": {"CustomImages": [entry]}}
    domain_id = make_domain(sm)
    before = sm.describe_domain(DomainId=domain_id)
    code, message = error_of(sm.update_domain, status=400,
                             DomainId=domain_id, DefaultUserSettings=settings)
    assert code == "ResourceNotFound" and "does not exist" in message
    after = sm.describe_domain(DomainId=domain_id)
    assert after["DefaultUserSettings"] == before["DefaultUserSettings"]
    assert after["LastModifiedTime"] == before["LastModifiedTime"]
    code, _ = error_of(sm.create_user_profile, status=400,
                       DomainId=domain_id, UserProfileName="alice", UserSettings=settings)
    assert code == "ResourceNotFound"
    code, _ = error_of(sm.create_space, status=400, DomainId=domain_id, SpaceName="shared",
                       SpaceSettings=settings)
    assert code == "ResourceNotFound"
    assert sm.list_user_profiles()["UserProfiles"] == [] and sm.list_spaces()["Spaces"] == []


def test_an_image_without_versions_cannot_be_attached(sm: Any) -> None:
    sm.create_image(ImageName="empty", RoleArn=ROLE_ARN)
    image = make_custom_image(sm)
    domain_id = make_domain(sm)
    entry = {"ImageName": "empty", "AppImageConfigName": image["AppImageConfigName"]}
    code, message = error_of(sm.create_user_profile, status=400, DomainId=domain_id,
                             UserProfileName="alice",
                             UserSettings={"KernelGatewayAppSettings": {"CustomImages": [entry]}})
    assert code == "ResourceNotFound"
    assert message.startswith("Latest ImageVersion with ImageName empty does not exist")


def _five_images(sm: Any) -> list[dict[str, Any]]:
    config = make_custom_image(sm)["AppImageConfigName"]
    for number in range(5):
        sm.create_image(ImageName=f"extra{number}", RoleArn=ROLE_ARN)
        sm.create_image_version(ImageName=f"extra{number}",
                                BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1")
    return [{"ImageName": f"extra{number}", "AppImageConfigName": config}
            for number in range(5)]


def test_at_most_five_custom_images_per_user_profile(sm: Any) -> None:
    images = _five_images(sm)
    domain_id = make_domain(sm)
    five = {"KernelGatewayAppSettings": {"CustomImages": images}}
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings=five)
    one_more = {"JupyterLabAppSettings": {"CustomImages": [
        {"ImageName": "my-image", "AppImageConfigName": images[0]["AppImageConfigName"]}]}}
    code, message = error_of(sm.update_user_profile, status=400, DomainId=domain_id,
                             UserProfileName="alice", UserSettings=one_more)
    assert code == "ResourceLimitExceeded" and "at most 5" in message
    assert sm.describe_user_profile(DomainId=domain_id,
                                    UserProfileName="alice")["UserSettings"] == five
    code, _ = error_of(sm.create_user_profile, status=400,
                       DomainId=domain_id, UserProfileName="bob", UserSettings={**five, **one_more})
    assert code == "ResourceLimitExceeded"
    # the domain's defaults are limited by the model only (200 per list)
    sm.update_domain(DomainId=domain_id, DefaultUserSettings={**five, **one_more})


def test_at_most_five_custom_images_per_space(sm: Any) -> None:
    images = _five_images(sm)
    domain_id = make_domain(sm)
    sm.create_space(DomainId=domain_id, SpaceName="shared", SpaceSettings={
        "KernelGatewayAppSettings": {"CustomImages": images[:3]}})
    six = images + [{"ImageName": "my-image", "AppImageConfigName": images[0]["AppImageConfigName"]}]
    code, _ = error_of(sm.update_space, status=400, DomainId=domain_id, SpaceName="shared",
                       SpaceSettings={"KernelGatewayAppSettings": {"CustomImages": six}})
    assert code == "ResourceLimitExceeded"
    sm.update_space(DomainId=domain_id, SpaceName="shared",
                    SpaceSettings={"KernelGatewayAppSettings": {"CustomImages": images}})


def test_update_user_profile_merges(sm: Any) -> None:
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "ExecutionRole": ROLE_ARN, "SecurityGroups": ["sg-1"]})
    before = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    answer = sm.update_user_profile(DomainId=domain_id, UserProfileName="alice",
                                    UserSettings={"SecurityGroups": ["sg-2"]})
    assert answer["UserProfileArn"] == before["UserProfileArn"]
    after = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert after["UserSettings"] == {"ExecutionRole": ROLE_ARN, "SecurityGroups": ["sg-2"]}
    assert after["LastModifiedTime"] >= before["LastModifiedTime"]


def test_delete_user_profile_with_apps_is_refused(sm: Any) -> None:
    domain_id = make_domain(sm)
    arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")["UserProfileArn"]
    sm.create_app(DomainId=domain_id, UserProfileName="alice", AppType="JupyterServer",
                  AppName="default")
    code, message = error_of(sm.delete_user_profile, status=400, DomainId=domain_id,
                             UserProfileName="alice")
    assert (code, message) == ("ResourceInUse", f"Unable to delete UserProfile [{arn}] because "
                               "App(s) are associated with it.")
    sm.delete_app(DomainId=domain_id, UserProfileName="alice", AppType="JupyterServer",
                  AppName="default")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="alice")  # a Deleted app is none
    assert sm.list_apps()["Apps"] == []


def test_delete_space_with_apps_is_refused(sm: Any) -> None:
    domain_id = make_domain(sm)
    sm.create_space(DomainId=domain_id, SpaceName="shared")
    sm.create_app(DomainId=domain_id, SpaceName="shared", AppType="JupyterLab",
                  AppName="default")
    code, _ = error_of(sm.delete_space, status=400, DomainId=domain_id, SpaceName="shared")
    assert code == "ResourceInUse"


@pytest.mark.parametrize("kind", ["user-profile", "space"])
def test_tags(sm: Any, kind: str) -> None:
    domain_id = make_domain(sm)
    tags = [{"Key": "team", "Value": "ml"}]
    if kind == "user-profile":
        arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="alice",
                                     Tags=tags)["UserProfileArn"]
    else:
        arn = sm.create_space(DomainId=domain_id, SpaceName="alice", Tags=tags)["SpaceArn"]
    assert sm.list_tags(ResourceArn=arn)["Tags"] == tags
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    sm.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_an_update_without_settings_keeps_them(sm: Any) -> None:
    """UpdateUserProfile without UserSettings, UpdateSpace with only SpaceDisplayName: the
    settings they leave out stay (they were cleared)."""
    domain_id = make_domain(sm)
    user_settings = {"ExecutionRole": ROLE_ARN, "SecurityGroups": ["sg-1"]}
    space_settings = {"KernelGatewayAppSettings": {"LifecycleConfigArns": []}}
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings=user_settings)
    sm.create_space(DomainId=domain_id, SpaceName="shared", SpaceSettings=space_settings)
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice")
    sm.update_space(DomainId=domain_id, SpaceName="shared", SpaceDisplayName="Shared")
    assert sm.describe_user_profile(DomainId=domain_id,
                                    UserProfileName="alice")["UserSettings"] == user_settings
    described = sm.describe_space(DomainId=domain_id, SpaceName="shared")
    assert described["SpaceSettings"] == space_settings
    assert described["SpaceDisplayName"] == "Shared"
