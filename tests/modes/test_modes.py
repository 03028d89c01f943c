"""The operations under each of moto's modes: decorator, context manager, in-process server, and
the real server command (module and console script), plus concurrent requests to the server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from support import (ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN, client_for, free_port,
                     wait_until_up)

IMAGE = "mode-image"


def round_trip(client: Any) -> None:
    """The core operations end to end; fails loudly if any is not served."""
    arn = client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)["ImageArn"]
    assert arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:image/{IMAGE}"
    client.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["stable"])
    client.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["prod"])
    assert client.describe_image_version(ImageName=IMAGE, Alias="prod")["Version"] == 1
    assert client.list_aliases(ImageName=IMAGE)["SageMakerImageVersionAliases"] == \
        ["stable", "prod"]
    assert [image["ImageName"] for image in client.list_images()["Images"]] == [IMAGE]
    with pytest.raises(ClientError) as info:
        client.describe_image(ImageName="missing")
    assert info.value.response["Error"]["Code"] == "ResourceNotFound"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    client.delete_image(ImageName=IMAGE)
    assert client.list_images()["Images"] == []


def image_names(client: Any) -> list[str]:
    return [image["ImageName"] for image in client.list_images()["Images"]]


# --- in-process mocks ----------------------------------------------------------------------

@mock_aws
def test_decorator() -> None:
    round_trip(boto3.client("sagemaker", region_name=REGION))


def test_context_manager() -> None:
    with mock_aws():
        round_trip(boto3.client("sagemaker", region_name=REGION))


@mock_aws
def test_decorator_state_lasts_for_the_whole_function() -> None:
    boto3.client("sagemaker", region_name=REGION).create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    later = boto3.client("sagemaker", region_name=REGION)
    assert image_names(later) == [IMAGE]


# --- ThreadedMotoServer --------------------------------------------------------------------

@pytest.fixture
def threaded_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        requests.post(f"{url}/moto-api/reset", timeout=10).raise_for_status()
        yield url
    finally:
        server.stop()


def test_threaded_moto_server(threaded_server: str) -> None:
    round_trip(client_for(threaded_server))


def test_threaded_moto_server_reset_clears_images(threaded_server: str) -> None:
    client = client_for(threaded_server)
    client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    requests.post(f"{threaded_server}/moto-api/reset", timeout=10).raise_for_status()
    assert image_names(client) == []


# --- the server command --------------------------------------------------------------------

@pytest.mark.slow
def test_server_command(server_url: str) -> None:
    round_trip(client_for(server_url))


@pytest.mark.slow
def test_server_reset_clears_images(server_url: str) -> None:
    client = client_for(server_url)
    client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    requests.post(f"{server_url}/moto-api/reset", timeout=10).raise_for_status()
    assert image_names(client) == []
    client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)  # the name is free again


@pytest.mark.slow
def test_server_keeps_moto_sagemaker_operations(server_url: str) -> None:
    client = client_for(server_url)
    client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    client.create_model(ModelName="my-model", ExecutionRoleArn=ROLE_ARN,
                        PrimaryContainer={"Image": BASE_IMAGE})
    assert [model["ModelName"] for model in client.list_models()["Models"]] == ["my-model"]
    assert image_names(client) == [IMAGE]


@pytest.mark.slow
def test_server_isolates_regions(server_url: str) -> None:
    east = client_for(server_url)
    west = boto3.client("sagemaker", region_name="eu-west-1", endpoint_url=server_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing")
    east.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    assert image_names(west) == []
    arn = west.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)["ImageArn"]
    assert arn == f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:image/{IMAGE}"


@pytest.mark.slow
def test_server_isolates_accounts(server_url: str) -> None:
    default = client_for(server_url)
    other = client_for(server_url)
    other.meta.events.register(
        "before-send.sagemaker.*",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", "111122223333"))
    default.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    assert image_names(other) == []
    arn = other.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)["ImageArn"]
    assert ":111122223333:image/" in arn


@pytest.mark.slow
def test_server_state_manager_transitions(server_url: str) -> None:
    transition = {"model_name": "sagemaker::image",
                  "transition": {"progression": "manual", "times": 2}}
    requests.post(f"{server_url}/moto-api/state-manager/set-transition", json=transition,
                  timeout=10).raise_for_status()
    try:
        client = client_for(server_url)
        client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
        statuses = [client.describe_image(ImageName=IMAGE)["ImageStatus"] for _ in range(2)]
        assert statuses == ["CREATING", "CREATED"]
    finally:
        requests.post(f"{server_url}/moto-api/state-manager/unset-transition",
                      json={"model_name": "sagemaker::image"}, timeout=10).raise_for_status()


@pytest.mark.slow
def test_console_script_serves_the_operations(tmp_path: Any) -> None:
    script = shutil.which("moto_server_imgver", path=os.path.dirname(sys.executable))
    assert script is not None, "console script moto_server_imgver is not installed"
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([script, "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        round_trip(client_for(url))
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


# --- concurrency against the server command ------------------------------------------------

THREADS = 8
ROUNDS = 4


@pytest.mark.slow  # a thread race
def test_concurrent_versions_get_unique_numbers(server_url: str) -> None:
    client = client_for(server_url, config=Config(max_pool_connections=THREADS,
                                                  retries={"max_attempts": 0}))
    client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)

    def work(worker: int) -> tuple[list[int], list[str]]:
        numbers, won = [], []
        for round_ in range(ROUNDS):
            arn = client.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
            number = int(arn["ImageVersionArn"].rsplit("/", 1)[1])
            numbers.append(number)
            alias = f"shared-{round_}"  # every worker races for the same names
            try:
                client.update_image_version(ImageName=IMAGE, Version=number,
                                            AliasesToAdd=[alias, f"own-{worker}-{round_}"])
                won.append(alias)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ValidationException"
        return numbers, won

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))

    numbers = [number for worker_numbers, _ in results for number in worker_numbers]
    assert sorted(numbers) == list(range(1, THREADS * ROUNDS + 1))
    wins = Counter(alias for _, won in results for alias in won)
    assert wins == Counter({f"shared-{round_}": 1 for round_ in range(ROUNDS)})

    listed = client.get_paginator("list_aliases").paginate(ImageName=IMAGE).build_full_result()
    every_alias = listed["SageMakerImageVersionAliases"]
    assert len(every_alias) == len(set(every_alias))
    assert {alias for alias in every_alias if alias.startswith("shared-")} == set(wins)
    holders = Counter()
    for number in range(1, THREADS * ROUNDS + 1):
        for alias in client.list_aliases(ImageName=IMAGE,
                                         Version=number)["SageMakerImageVersionAliases"]:
            holders[alias] += 1
    assert set(holders.values()) == {1}


@pytest.mark.slow  # a thread race
def test_concurrent_create_image_has_one_winner(server_url: str) -> None:
    client = client_for(server_url, config=Config(max_pool_connections=THREADS,
                                                  retries={"max_attempts": 0}))

    def create(_: int) -> str:
        try:
            client.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
            return "created"
        except ClientError as error:
            return error.response["Error"]["Code"]

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = Counter(pool.map(create, range(THREADS)))
    assert outcomes == Counter({"created": 1, "ResourceInUse": THREADS - 1})
