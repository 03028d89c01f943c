"""The threaded server: apps launched on an alias while the alias moves and the domain's
attachments change. A Studio request reads the image store under its own lock (never the
reverse), so nothing waits forever, and every app runs a version the alias named."""
from __future__ import annotations

import threading
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError

from support import BASE_IMAGE, client_for
from studio_support import custom, make_custom_image, make_domain

pytestmark = pytest.mark.slow  # a thread race against the server command

ROUNDS = 25


def test_launching_while_the_alias_moves(server_url: str) -> None:
    client = client_for(server_url)
    image = make_custom_image(client)
    second = client.create_image_version(ImageName=image["ImageName"],
                                         BaseImage=BASE_IMAGE)["ImageVersionArn"]
    domain_id = make_domain(client, DefaultUserSettings={
        "KernelGatewayAppSettings": {"CustomImages": [custom(image)]}})
    client.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    errors: list[BaseException] = []

    def launch() -> None:
        mine = client_for(server_url)
        for number in range(ROUNDS):
            try:
                mine.create_app(DomainId=domain_id, UserProfileName="alice",
                                AppType="KernelGateway", AppName=f"app{number}", ResourceSpec={
                                    "SageMakerImageArn": image["ImageArn"],
                                    "SageMakerImageVersionAlias": "1.0.0"})
            except ClientError as error:  # the alias was between versions: refused, not stuck
                if error.response["Error"]["Code"] != "ResourceNotFound":
                    raise

    def move() -> None:
        mine = client_for(server_url)
        for number in range(ROUNDS):
            source, target = (1, 2) if number % 2 == 0 else (2, 1)
            mine.update_image_version(ImageName=image["ImageName"], Version=source,
                                      AliasesToDelete=["1.0.0"])
            mine.update_image_version(ImageName=image["ImageName"], Version=target,
                                      AliasesToAdd=["1.0.0"])

    def reattach() -> None:
        mine = client_for(server_url)
        for _ in range(ROUNDS):
            mine.update_domain(DomainId=domain_id, DefaultUserSettings={
                "KernelGatewayAppSettings": {"CustomImages": [custom(image)]}})

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
        return run

    threads = [threading.Thread(target=guarded(work)) for work in (launch, move, reattach)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    apps: list[dict[str, Any]] = client.list_apps(DomainIdEquals=domain_id,
                                                  MaxResults=100)["Apps"]
    assert apps
    for app in apps:
        assert app["ResourceSpec"]["SageMakerImageVersionArn"] in (image["ImageVersionArn"],
                                                                   second)
