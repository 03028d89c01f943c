"""Apps: launching on a custom image (attached for the app type, resolved at creation), what
DescribeApp shows, the Deleted state, and the errors."""
from __future__ import annotations

from typing import Any

import pytest

from support import BASE_IMAGE, error_of
from studio_support import PREFIX, custom, make_custom_image, make_domain

SAGEMAKER_IMAGE = "arn:aws:sagemaker:us-east-1:081325390199:image/sagemaker-distribution-cpu"


@pytest.fixture
def studio(sm: Any) -> dict[str, Any]:
    """A domain whose defaults attach the image for KernelGateway, and a user profile."""
    image = make_custom_image(sm)
    domain_id = make_domain(sm)
    sm.update_domain(DomainId=domain_id, DefaultUserSettings={
        "KernelGatewayAppSettings": {"CustomImages": [custom(image)]}})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    return {"domain": domain_id, **image}


def launch(sm: Any, studio: dict[str, Any], spec: dict[str, str], name: str = "app1",
           app_type: str = "KernelGateway", **owner: str) -> str:
    owner = owner or {"UserProfileName": "alice"}
    return sm.create_app(DomainId=studio["domain"], AppType=app_type, AppName=name,
                         ResourceSpec=spec, **owner)["AppArn"]


def describe(sm: Any, studio: dict[str, Any], name: str = "app1",
             app_type: str = "KernelGateway", **owner: str) -> dict[str, Any]:
    owner = owner or {"UserProfileName": "alice"}
    return sm.describe_app(DomainId=studio["domain"], AppType=app_type, AppName=name, **owner)


def test_app_arn_and_description(sm: Any, studio: dict[str, Any]) -> None:
    arn = launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"],
                              "InstanceType": "ml.t3.medium"}, name="Main")
    assert arn == f"{PREFIX}:app/{studio['domain']}/alice/kernelgateway/main"
    described = describe(sm, studio, name="Main")
    assert described["AppArn"] == arn and described["AppName"] == "Main"
    assert described["Status"] == "InService" and described["UserProfileName"] == "alice"
    assert described["ResourceSpec"] == {"SageMakerImageArn": studio["ImageArn"],
                                         "SageMakerImageVersionArn": studio["ImageVersionArn"],
                                         "InstanceType": "ml.t3.medium"}


@pytest.mark.parametrize("by", ["image", "version", "alias"])
def test_launch_by_image_version_or_alias(sm: Any, studio: dict[str, Any], by: str) -> None:
    spec = {"image": {"SageMakerImageArn": studio["ImageArn"]},
            "version": {"SageMakerImageVersionArn": studio["ImageVersionArn"]},
            "alias": {"SageMakerImageArn": studio["ImageArn"],
                      "SageMakerImageVersionAlias": "1.0.0"}}[by]
    launch(sm, studio, spec)
    shown = describe(sm, studio)["ResourceSpec"]
    assert shown["SageMakerImageVersionArn"] == studio["ImageVersionArn"]
    assert shown["SageMakerImageArn"] == studio["ImageArn"]


def test_an_alias_resolves_when_the_app_is_created(sm: Any, studio: dict[str, Any]) -> None:
    spec = {"SageMakerImageArn": studio["ImageArn"], "SageMakerImageVersionAlias": "1.0.0"}
    launch(sm, studio, spec, name="first")
    second = sm.create_image_version(ImageName=studio["ImageName"], BaseImage=BASE_IMAGE)
    sm.update_image_version(ImageName=studio["ImageName"], Version=1, AliasesToDelete=["1.0.0"])
    sm.update_image_version(ImageName=studio["ImageName"], Version=2, AliasesToAdd=["1.0.0"])
    launch(sm, studio, spec, name="second")
    assert describe(sm, studio, name="first")["ResourceSpec"]["SageMakerImageVersionArn"] == \
        studio["ImageVersionArn"]
    assert describe(sm, studio, name="second")["ResourceSpec"]["SageMakerImageVersionArn"] == \
        second["ImageVersionArn"]


def test_the_latest_version_unless_the_attachment_names_one(sm: Any,
                                                            studio: dict[str, Any]) -> None:
    latest = sm.create_image_version(ImageName=studio["ImageName"],
                                     BaseImage=BASE_IMAGE)["ImageVersionArn"]
    launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]}, name="latest")
    assert describe(sm, studio, name="latest")["ResourceSpec"]["SageMakerImageVersionArn"] == \
        latest
    sm.update_user_profile(DomainId=studio["domain"], UserProfileName="alice", UserSettings={
        "KernelGatewayAppSettings": {"CustomImages": [custom(studio, ImageVersionNumber=1)]}})
    launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]}, name="pinned")
    assert describe(sm, studio, name="pinned")["ResourceSpec"]["SageMakerImageVersionArn"] == \
        studio["ImageVersionArn"]


def test_the_version_arn_wins_over_the_image_arn(sm: Any, studio: dict[str, Any]) -> None:
    sm.create_image_version(ImageName=studio["ImageName"], BaseImage=BASE_IMAGE)
    launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"],
                        "SageMakerImageVersionArn": studio["ImageVersionArn"]})
    assert describe(sm, studio)["ResourceSpec"]["SageMakerImageVersionArn"] == \
        studio["ImageVersionArn"]


def test_an_image_not_attached_for_the_app_type_is_refused(sm: Any,
                                                           studio: dict[str, Any]) -> None:
    arn = f"{PREFIX}:app/{studio['domain']}/alice/jupyterlab/app1"
    code, message = error_of(sm.create_app, status=400,
                             DomainId=studio["domain"], UserProfileName="alice",
                             AppType="JupyterLab", AppName="app1",
                             ResourceSpec={"SageMakerImageArn": studio["ImageArn"]})
    assert code == "ResourceNotFound"
    assert message == (
        f"Unable to launch App [{arn}] with Image [my-image] because it is not present in list "
        "of custom images in AppSettings. Please update AppSettings to add Image [my-image] in "
        "list of custom images.")
    assert sm.list_apps()["Apps"] == []


def test_an_image_attached_to_the_user_profile_only(sm: Any, studio: dict[str, Any]) -> None:
    sm.update_user_profile(DomainId=studio["domain"], UserProfileName="alice", UserSettings={
        "JupyterLabAppSettings": {"CustomImages": [custom(studio)]}})
    launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]}, app_type="JupyterLab")
    sm.create_user_profile(DomainId=studio["domain"], UserProfileName="bob")
    code, _ = error_of(sm.create_app, status=400, DomainId=studio["domain"], UserProfileName="bob",
                       AppType="JupyterLab", AppName="app1",
                       ResourceSpec={"SageMakerImageArn": studio["ImageArn"]})
    assert code == "ResourceNotFound"


def test_space_apps_use_the_space_and_the_default_space_settings(
        sm: Any, studio: dict[str, Any]) -> None:
    sm.create_space(DomainId=studio["domain"], SpaceName="shared")
    spec = {"SageMakerImageArn": studio["ImageArn"]}
    code, _ = error_of(sm.create_app, status=400, DomainId=studio["domain"], SpaceName="shared",
                       AppType="JupyterLab", AppName="default", ResourceSpec=spec)
    assert code == "ResourceNotFound"
    sm.update_domain(DomainId=studio["domain"], DefaultSpaceSettings={
        "JupyterLabAppSettings": {"CustomImages": [custom(studio)]}})
    arn = launch(sm, studio, spec, name="default", app_type="JupyterLab", SpaceName="shared")
    assert arn == f"{PREFIX}:app/{studio['domain']}/shared/jupyterlab/default"
    described = describe(sm, studio, name="default", app_type="JupyterLab", SpaceName="shared")
    assert described["SpaceName"] == "shared" and "UserProfileName" not in described


def test_sagemaker_images_are_not_checked(sm: Any, studio: dict[str, Any]) -> None:
    spec = {"SageMakerImageArn": SAGEMAKER_IMAGE, "SageMakerImageVersionAlias": "2.1"}
    launch(sm, studio, spec, app_type="JupyterLab")
    assert describe(sm, studio, app_type="JupyterLab")["ResourceSpec"] == spec


def test_an_alias_without_its_image_is_refused_and_launches_nothing(
        sm: Any, studio: dict[str, Any]) -> None:
    code, message = error_of(sm.create_app, status=400,
                             DomainId=studio["domain"], UserProfileName="alice",
                             AppType="KernelGateway", AppName="a",
                             ResourceSpec={"SageMakerImageVersionAlias": "1.0.0"})
    assert (code, message) == ("ValidationException", "SageMakerImageVersionAlias needs the "
                               "SageMakerImageArn of the image whose version it names.")
    assert sm.list_apps(DomainIdEquals=studio["domain"])["Apps"] == []


def test_a_non_semver_alias_is_a_validation_error(sm_raw: Any, studio: dict[str, Any]) -> None:
    code, message = error_of(sm_raw.create_app, status=400, DomainId=studio["domain"],
                             UserProfileName="alice", AppType="KernelGateway", AppName="a",
                             ResourceSpec={"SageMakerImageArn": studio["ImageArn"],
                                           "SageMakerImageVersionAlias": "prod"})
    assert code == "ValidationException"
    assert "at 'resourceSpec.sageMakerImageVersionAlias'" in message


def test_missing_image_version_or_alias_at_launch(sm: Any, studio: dict[str, Any]) -> None:
    code, _ = error_of(sm.create_app, status=400,
                       DomainId=studio["domain"], UserProfileName="alice",
                       AppType="KernelGateway", AppName="a",
                       ResourceSpec={"SageMakerImageVersionArn": studio["ImageVersionArn"][:-1]
                                     + "9"})
    assert code == "ResourceNotFound"
    code, _ = error_of(sm.create_app, status=400,
                       DomainId=studio["domain"], UserProfileName="alice",
                       AppType="KernelGateway", AppName="a",
                       ResourceSpec={"SageMakerImageArn": studio["ImageArn"],
                                     "SageMakerImageVersionAlias": "9.9.9"})
    assert code == "ResourceNotFound"


def test_an_attached_image_deleted_later(sm: Any, studio: dict[str, Any]) -> None:
    sm.delete_image(ImageName=studio["ImageName"])  # [chosen] allowed while attached
    code, message = error_of(sm.create_app, status=400,
                             DomainId=studio["domain"], UserProfileName="alice",
                             AppType="KernelGateway", AppName="a",
                             ResourceSpec={"SageMakerImageArn": studio["ImageArn"]})
    assert code == "ResourceNotFound" and "does not exist" in message
    # the stale attachment stays until detached, and blocks nothing else
    sm.update_domain(DomainId=studio["domain"], DefaultUserSettings={"SecurityGroups": ["sg"]})


def test_deleted_app_stays_describable(sm: Any, studio: dict[str, Any]) -> None:
    arn = launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]})
    sm.delete_app(DomainId=studio["domain"], UserProfileName="alice", AppType="KernelGateway",
                  AppName="app1")
    assert describe(sm, studio)["Status"] == "Deleted"
    assert [app["Status"] for app in sm.list_apps()["Apps"]] == ["Deleted"]
    code, message = error_of(sm.delete_app, status=400,
                             DomainId=studio["domain"], UserProfileName="alice",
                             AppType="KernelGateway", AppName="app1")
    assert code == "ValidationException" and "has already been deleted" in message
    # its name can be used again
    assert launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]}) == arn
    assert describe(sm, studio)["Status"] == "InService"
    assert len(sm.list_apps()["Apps"]) == 1


def test_app_errors(sm: Any, studio: dict[str, Any]) -> None:
    nothing = {"DomainId": studio["domain"], "UserProfileName": "alice",
               "AppType": "KernelGateway", "AppName": "nothing"}
    code, message = error_of(sm.describe_app, status=400, **nothing)
    assert code == "ValidationException" and "RecordNotFound" in message
    code, message = error_of(sm.delete_app, status=400, **nothing)  # the code DeleteApp models
    assert code == "ResourceNotFound" and message.endswith("kernelgateway/nothing does not exist.")
    launch(sm, studio, {"SageMakerImageArn": studio["ImageArn"]})
    code, _ = error_of(sm.create_app, status=400,
                       DomainId=studio["domain"], UserProfileName="alice",
                       AppType="KernelGateway", AppName="app1")
    assert code == "ResourceInUse"
    code, _ = error_of(sm.create_app, status=400,
                       DomainId=studio["domain"], UserProfileName="nobody",
                       AppType="KernelGateway", AppName="app1")
    assert code == "ResourceNotFound"
    for owners in ({}, {"UserProfileName": "alice", "SpaceName": "shared"}):
        code, _ = error_of(sm.create_app, status=400,
                           DomainId=studio["domain"], AppType="KernelGateway",
                           AppName="x", **owners)
        assert code == "ValidationException"


def test_app_tags(sm: Any, studio: dict[str, Any]) -> None:
    arn = sm.create_app(DomainId=studio["domain"], UserProfileName="alice",
                        AppType="JupyterServer", AppName="default",
                        Tags=[{"Key": "k", "Value": "v"}])["AppArn"]
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    sm.delete_tags(ResourceArn=arn, TagKeys=["k"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []


def test_described_settings_pass_back_with_a_deleted_image_still_attached(
        sm: Any, studio: dict[str, Any]) -> None:
    """Only what a request attaches anew is checked: an attachment left by a deleted image
    does not block the describe-append-update round trip."""
    other = make_custom_image(sm, name="other", config="other-config")
    sm.delete_image(ImageName=studio["ImageName"])
    settings = sm.describe_domain(DomainId=studio["domain"])["DefaultUserSettings"]
    settings["KernelGatewayAppSettings"]["CustomImages"].append(custom(other))
    sm.update_domain(DomainId=studio["domain"], DefaultUserSettings=settings)
    assert sm.describe_domain(DomainId=studio["domain"])["DefaultUserSettings"] == settings
    settings["KernelGatewayAppSettings"]["CustomImages"].append(
        {"ImageName": "ghost", "AppImageConfigName": "other-config"})
    assert error_of(sm.update_domain, status=400, DomainId=studio["domain"],
                    DefaultUserSettings=settings)[0] == "ResourceNotFound"
