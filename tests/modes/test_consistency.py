"""No response shows a state that cannot be: readers racing creates and deletes only ever see
statuses from botocore's enums (never the internal end state of a deleted resource), in-process and
against the server command."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any, Callable, Iterator

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from support import (BASE_IMAGE, RACE_SHARE, REGION, ROLE_ARN, client_for, free_port,
                     shared_session, wait_until_up)

pytestmark = pytest.mark.slow  # thread races, one against the server command

WRITERS = 2
READERS = 3
CYCLES = int(40 * RACE_SHARE)  # create image, create version, delete version, delete image; per writer
CONFIG = Config(retries={"max_attempts": 0}, max_pool_connections=4)
EXPECTED_ERRORS = {"ResourceNotFound", "ResourceInUse", "ValidationException"}


def enum_of(shape_name: str) -> set[str]:
    model = shared_session().client("sagemaker", region_name=REGION).meta.service_model
    return set(model.shape_for(shape_name).enum)


@pytest.fixture
def fast_switching() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave inside every request
    yield
    sys.setswitchinterval(previous)


def race(make_client: Callable[[], Any]) -> list[str]:
    """Writers create and delete; readers describe and list. Returns what readers saw wrong."""
    image_statuses, version_statuses = enum_of("ImageStatus"), enum_of("ImageVersionStatus")
    names = [f"race-{index}" for index in range(WRITERS)]
    wrong: list[str] = []
    done = threading.Event()

    def check(kind: str, status: Any, allowed: set[str]) -> None:
        if status not in allowed:
            wrong.append(f"{kind}: {status!r}")

    def writer(name: str) -> None:
        sm = make_client()
        for _ in range(CYCLES):
            try:
                sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
                sm.create_image_version(ImageName=name, BaseImage=BASE_IMAGE)
                sm.create_image_version(ImageName=name, BaseImage=BASE_IMAGE)
                sm.delete_image_version(ImageName=name, Version=1)
                sm.delete_image(ImageName=name)
            except ClientError as error:
                if error.response["Error"]["Code"] not in EXPECTED_ERRORS:
                    wrong.append(f"writer: {error}")

    def reader() -> None:
        sm = make_client()
        while not done.is_set():
            for name in names:
                calls: list[Callable[[], None]] = [
                    lambda: check("DescribeImage",
                                  sm.describe_image(ImageName=name)["ImageStatus"],
                                  image_statuses),
                    lambda: check("DescribeImageVersion",
                                  sm.describe_image_version(ImageName=name)["ImageVersionStatus"],
                                  version_statuses),
                    lambda: [check("ListImages", image["ImageStatus"], image_statuses)
                             for image in sm.list_images()["Images"]],
                    lambda: [check("ListImageVersions", version["ImageVersionStatus"],
                                   version_statuses)
                             for version in sm.list_image_versions(ImageName=name)["ImageVersions"]],
                ]
                for call in calls:
                    try:
                        call()
                    except ClientError as error:
                        if error.response["Error"]["Code"] not in EXPECTED_ERRORS:
                            wrong.append(f"reader: {error}")

    writers = [threading.Thread(target=writer, args=(name,)) for name in names]
    readers = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()
    return wrong


def test_readers_in_process_never_see_an_impossible_status(fast_switching):
    with mock_aws():
        assert race(lambda: shared_session().client("sagemaker", region_name=REGION,
                                                    config=CONFIG)) == []


def test_readers_of_the_server_command_never_see_an_impossible_status():
    port = free_port()
    # The server runs with the same fast thread switching, so requests interleave inside it.
    launcher = ("import sys; sys.setswitchinterval(1e-6); "
                "from moto_sagemaker_imgver.moto_seam.server import main; main(sys.argv[1:])")
    server = subprocess.Popen(
        [sys.executable, "-c", launcher, "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        assert race(lambda: client_for(url, config=CONFIG)) == []
    finally:
        server.terminate()
        server.wait(timeout=10)
