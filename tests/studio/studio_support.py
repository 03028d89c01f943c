"""What the Studio tests share: a domain and an attachable image (reading an error:
`support.error_of(..., status=400)`)."""
from __future__ import annotations

from typing import Any

from support import ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN

PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"


def make_domain(sm: Any, name: str = "studio", **extra: Any) -> str:
    settings = extra.pop("DefaultUserSettings", {"ExecutionRole": ROLE_ARN})
    answer = sm.create_domain(DomainName=name, AuthMode=extra.pop("AuthMode", "IAM"),
                              DefaultUserSettings=settings,
                              SubnetIds=["subnet-0123"], VpcId="vpc-0123", **extra)
    return answer["DomainId"]


def make_custom_image(sm: Any, name: str = "my-image", config: str = "my-config",
                      aliases: tuple[str, ...] = ("1.0.0",)) -> dict[str, str]:
    """An image with one version (holding `aliases`) and an app image config."""
    image_arn = sm.create_image(ImageName=name, RoleArn=ROLE_ARN)["ImageArn"]
    version_arn = sm.create_image_version(ImageName=name, BaseImage=BASE_IMAGE,
                                          Aliases=list(aliases))["ImageVersionArn"]
    sm.create_app_image_config(AppImageConfigName=config, KernelGatewayImageConfig={
        "KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3"}]})
    return {"ImageArn": image_arn, "ImageVersionArn": version_arn, "ImageName": name,
            "AppImageConfigName": config}


def custom(image: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A CustomImages entry for the image."""
    return {"ImageName": image["ImageName"], "AppImageConfigName": image["AppImageConfigName"],
            **extra}
