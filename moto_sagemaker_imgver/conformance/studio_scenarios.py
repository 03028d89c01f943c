"""The Studio scenarios: where custom images are used (domains, user profiles, apps)."""
from __future__ import annotations

import re
from typing import Any

from .runner import Failure, Run
from .scenarios import image_arn, scenario

# --- Studio: where custom images are used ---------------------------------------------------
# On AWS a domain needs a VPC and subnets (the target's). The runner waits for each Studio
# resource to settle after a call, and deletes what the run created when the scenario ends.

STUDIO_IDS = re.compile(r"\b(d|fs|sg)-[0-9a-z]{8,17}\b")
PLACEHOLDERS = {"d": "<domain-id>", "fs": "<efs-id>", "sg": "<security-group-id>"}


def _mask_studio_ids(value: Any) -> Any:
    """Domain, file system and security group ids are random: recorded as placeholders, so two
    runs compare."""
    if isinstance(value, str):
        return STUDIO_IDS.sub(lambda found: PLACEHOLDERS[found.group(1)], value)
    if isinstance(value, dict):
        return {key: _mask_studio_ids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_studio_ids(item) for item in value]
    return value


def _custom_image(run: Run, aliases: tuple[str, ...] = ()) -> tuple[str, str]:
    """An image with one version, and an app image config: their names."""
    image = run.image()
    run.version(image, **({"Aliases": list(aliases)} if aliases else {}))
    config = run.name("config")
    run.call("CreateAppImageConfig", AppImageConfigName=config,
             KernelGatewayImageConfig={"KernelSpecs": [{"Name": "python3"}]})
    return image, config


def studio_domain(run: Run, **settings: Any) -> str:
    if run.target.vpc_id is None or not run.target.subnet_ids:
        raise Failure("a Studio domain needs a VPC and subnets, and this target has none")
    answer = run.call("CreateDomain", DomainName=run.name("domain"), AuthMode="IAM",
                      DefaultUserSettings={"ExecutionRole": run.role_arn, **settings},
                      SubnetIds=list(run.target.subnet_ids), VpcId=run.target.vpc_id)
    if answer is None:
        raise Failure("CreateDomain was refused")
    return str(answer["DomainId"])


def finish_studio(run: Run) -> None:
    """Mask the random ids (the runner deletes what the scenario made when it ends)."""
    run.calls[:] = _mask_studio_ids(run.calls)


@scenario("studio-attach-missing", "[chosen] attaching a missing image, image version or app "
          "image config is refused when it is attached (ResourceNotFound), and changes nothing",
          needs_studio=True)
def studio_attach_missing(run: Run) -> None:
    image, config = _custom_image(run)
    domain = studio_domain(run)
    for entry in ({"ImageName": run.name("ghost"), "AppImageConfigName": config},
                  {"ImageName": image, "ImageVersionNumber": 9, "AppImageConfigName": config},
                  {"ImageName": image, "AppImageConfigName": run.name("ghost")}):
        run.call("UpdateDomain", DomainId=domain, DefaultUserSettings={
            "KernelGatewayAppSettings": {"CustomImages": [entry]}})
        run.call("CreateUserProfile", DomainId=domain, UserProfileName=run.name("user"),
                 UserSettings={"KernelGatewayAppSettings": {"CustomImages": [entry]}})
    run.call("DescribeDomain", DomainId=domain)
    run.call("UpdateDomain", DomainId=domain, DefaultUserSettings={
        "KernelGatewayAppSettings": {"CustomImages": [
            {"ImageName": image, "AppImageConfigName": config}]}})
    run.call("DescribeDomain", DomainId=domain)
    finish_studio(run)


@scenario("studio-delete-attached", "[chosen] an attached image or app image config can be "
          "deleted; the attachment stays, and an app on the image is then refused",
          needs_studio=True)
def studio_delete_attached(run: Run) -> None:
    image, config = _custom_image(run)
    domain = studio_domain(run, KernelGatewayAppSettings={"CustomImages": [
        {"ImageName": image, "AppImageConfigName": config}]})
    user = run.name("user")
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=user)
    arn = image_arn(run, image)
    run.call("DeleteAppImageConfig", AppImageConfigName=config)
    run.call("DeleteImage", ImageName=image)
    run.settle_image(image)
    run.call("CreateApp", DomainId=domain, UserProfileName=user, AppType="KernelGateway",
             AppName="default", ResourceSpec={"SageMakerImageArn": arn})
    run.call("DescribeDomain", DomainId=domain)
    finish_studio(run)


@scenario("studio-app-arn", "[chosen] the app ARN's form app/<DomainId>/<owner>/<app type "
          "lower-cased>/<AppName>; an alias resolves to its version when the app is created, "
          "and without the image's ARN is refused",
          needs_studio=True)
def studio_app_arn(run: Run) -> None:
    image, config = _custom_image(run, aliases=("1.0.0",))
    domain = studio_domain(run, KernelGatewayAppSettings={"CustomImages": [
        {"ImageName": image, "AppImageConfigName": config}]})
    user = run.name("User")
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=user)
    app: dict[str, Any] = {"UserProfileName": user, "AppType": "KernelGateway",
                           "AppName": "Default"}
    run.call("CreateApp", DomainId=domain, **app, ResourceSpec={
        "SageMakerImageArn": image_arn(run, image), "SageMakerImageVersionAlias": "1.0.0"})
    run.call("CreateApp", DomainId=domain, **{**app, "AppName": "AliasAlone"},
             ResourceSpec={"SageMakerImageVersionAlias": "1.0.0"})
    run.version(image)
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToDelete=["1.0.0"])
    run.call("UpdateImageVersion", ImageName=image, Version=2, AliasesToAdd=["1.0.0"])
    run.call("DescribeApp", DomainId=domain, **app)
    run.call("ListApps", DomainIdEquals=domain)
    run.call("DeleteApp", DomainId=domain, **app)
    run.call("DescribeApp", DomainId=domain, **app)
    run.call("DeleteApp", DomainId=domain, **app)
    finish_studio(run)
