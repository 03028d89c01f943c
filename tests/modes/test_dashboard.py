"""moto's dashboard (`/moto-api/`, fed by `/moto-api/data.json`) lists our resources under
`sagemaker`, one model per resource type, beside moto's own; deletes and resets empty it."""
from __future__ import annotations

from typing import Any

import requests

from support import ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN, client_for, shared_session

PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
OURS = ("app", "app-image-config", "domain", "image", "image-version", "space", "user-profile")
KERNELS = {"KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3"}]}


def dashboard(url: str) -> dict[str, list[dict[str, Any]]]:
    answer = requests.get(f"{url}/moto-api/data.json", timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()["sagemaker"]


def arns(listed: dict[str, list[dict[str, Any]]], model: str) -> list[str]:
    return sorted(entry["arn"] for entry in listed[model])


def populate(sm: Any) -> str:
    """An image with a version, an app image config, a domain and a moto model; the domain id."""
    sm.create_image(ImageName="my-image", RoleArn=ROLE_ARN, Tags=[{"Key": "team", "Value": "ml"}])
    sm.create_image_version(ImageName="my-image", BaseImage=BASE_IMAGE, Aliases=["stable"])
    sm.create_app_image_config(AppImageConfigName="kernels", KernelGatewayImageConfig=KERNELS)
    domain_id = sm.create_domain(DomainName="studio", AuthMode="IAM",
                                 DefaultUserSettings={"ExecutionRole": ROLE_ARN},
                                 SubnetIds=["subnet-0123"], VpcId="vpc-0123")["DomainId"]
    sm.create_model(ModelName="my-model", ExecutionRoleArn=ROLE_ARN,
                    PrimaryContainer={"Image": BASE_IMAGE})
    return domain_id


def test_ours_are_listed_beside_motos(sagemaker_imgver_server: str) -> None:
    sm = client_for(sagemaker_imgver_server)
    domain_id = populate(sm)

    listed = dashboard(sagemaker_imgver_server)
    assert set(OURS) <= set(listed)
    assert [entry["model_name"] for entry in listed["Model"]] == ["my-model"]  # moto's own
    assert arns(listed, "image") == [f"{PREFIX}:image/my-image"]
    assert arns(listed, "image-version") == [f"{PREFIX}:image-version/my-image/1"]
    assert arns(listed, "app-image-config") == [f"{PREFIX}:app-image-config/kernels"]
    assert arns(listed, "domain") == [f"{PREFIX}:domain/{domain_id}"]
    assert listed["user-profile"] == listed["space"] == listed["app"] == []

    # The fields, as moto shows its own: public attributes, JSON-able, times as ISO text.
    image = listed["image"][0]
    described = sm.describe_image(ImageName="my-image")
    assert image["image_name"] == "my-image" and image["image_arn"] == described["ImageArn"]
    assert image["status"] == described["ImageStatus"] == "CREATED"
    assert image["tags"] == {"team": "ml"}
    assert (image["account_id"], image["region_name"]) == (ACCOUNT, REGION)
    assert image["creation_time"].startswith(str(described["CreationTime"].year))
    version = listed["image-version"][0]
    assert (version["version"], version["aliases"], version["base_image"]) == (
        1, {"stable": 0}, BASE_IMAGE)
    assert "image" not in version  # an object (its image): listed on its own
    assert listed["app-image-config"][0]["kernel_gateway_image_config"] == KERNELS
    domain = listed["domain"][0]
    assert (domain["domain_id"], domain["status"]) == (domain_id, "InService")
    assert domain["settings"]["domain_name"] == "studio"


def test_a_deleted_resource_is_gone_and_a_reset_empties_it(sagemaker_imgver_server: str) -> None:
    sm = client_for(sagemaker_imgver_server)
    domain_id = populate(sm)
    sm.delete_image_version(ImageName="my-image", Version=1)
    sm.delete_app_image_config(AppImageConfigName="kernels")

    listed = dashboard(sagemaker_imgver_server)
    assert listed["image-version"] == listed["app-image-config"] == []
    assert arns(listed, "image") == [f"{PREFIX}:image/my-image"]
    assert arns(listed, "domain") == [f"{PREFIX}:domain/{domain_id}"]
    assert len(listed["Model"]) == 1

    sm.delete_image(ImageName="my-image")
    assert dashboard(sagemaker_imgver_server)["image"] == []

    requests.post(f"{sagemaker_imgver_server}/moto-api/reset", timeout=30).raise_for_status()
    listed = dashboard(sagemaker_imgver_server)
    assert {model: listed[model] for model in OURS} == {model: [] for model in OURS}
    assert listed["Model"] == []  # moto's own are emptied as before
    sm.create_image(ImageName="again", RoleArn=ROLE_ARN)  # and the view still reads the stores
    assert arns(dashboard(sagemaker_imgver_server), "image") == [f"{PREFIX}:image/again"]


def test_every_account_and_region_is_listed(sagemaker_imgver_server: str) -> None:
    client_for(sagemaker_imgver_server).create_image(ImageName="here", RoleArn=ROLE_ARN)
    other = client_for(sagemaker_imgver_server)
    other.meta.events.register(  # moto's header for another account
        "before-send", lambda request, **_: request.headers.__setitem__(
            "x-moto-account-id", "111111111111"))
    other.create_image(ImageName="there", RoleArn=ROLE_ARN)
    shared_session().client("sagemaker", region_name="eu-west-1",
                            endpoint_url=sagemaker_imgver_server).create_image(
        ImageName="away", RoleArn=ROLE_ARN)
    listed = dashboard(sagemaker_imgver_server)["image"]
    assert sorted((entry["account_id"], entry["region_name"], entry["arn"])
                  for entry in listed) == [
        ("111111111111", REGION, f"arn:aws:sagemaker:{REGION}:111111111111:image/there"),
        (ACCOUNT, "eu-west-1", f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:image/away"),
        (ACCOUNT, REGION, f"{PREFIX}:image/here"),
    ]


def test_every_family_is_listed_as_its_store_knows_it(sagemaker_imgver_server: str) -> None:
    # Derived from the stores, so whatever a store reports (here: for the tagging API) is listed.
    from moto.sagemaker.models import sagemaker_backends

    sm = client_for(sagemaker_imgver_server)
    domain_id = populate(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="me",
                          Tags=[{"Key": "owner", "Value": "me"}])
    sm.create_space(DomainId=domain_id, SpaceName="shared")
    sm.create_app(DomainId=domain_id, UserProfileName="me", AppType="JupyterServer",
                  AppName="default")

    listed = dashboard(sagemaker_imgver_server)
    shown = {(model, entry["arn"]) for model in OURS for entry in listed[model]}
    stores = sagemaker_backends[ACCOUNT][REGION].image_stores
    reported = {(kind, arn) for store in stores for arn, kind, _ in store.tagged_resources()}
    assert reported <= shown
    assert {model for model, _ in shown} == set(OURS)
    assert shown - reported == {("image-version", f"{PREFIX}:image-version/my-image/1")}
    tags = {entry["arn"]: entry["tags"] for model in OURS for entry in listed[model]
            if "tags" in entry}
    assert tags == {arn: tagged for store in stores for arn, _, tagged in store.tagged_resources()}
    assert tags[f"{PREFIX}:user-profile/{domain_id}/me"] == {"owner": "me"}

    # A Deleted app is still describable, so it stays, with that status, until its owner goes.
    sm.delete_app(DomainId=domain_id, UserProfileName="me", AppType="JupyterServer",
                  AppName="default")
    assert [entry["status"] for entry in dashboard(sagemaker_imgver_server)["app"]] == ["Deleted"]
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="me")
    assert dashboard(sagemaker_imgver_server)["app"] == []
