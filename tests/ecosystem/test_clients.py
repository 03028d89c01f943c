"""Real clients against the server command: the AWS CLI and aiobotocore."""
from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support import BASE_IMAGE, REGION, ROLE_ARN

pytestmark = pytest.mark.slow  # the AWS CLI and aiobotocore against the server command


def needs(module: str) -> pytest.MarkDecorator:
    """Skips (before the server starts) where the client is not installed: it comes with the
    `clients` extra, in `tox -e clients`, as it pins a botocore older than the newest."""
    return pytest.mark.skipif(importlib.util.find_spec(module) is None,
                              reason=f"{module} is not installed (the `clients` extra)")


def run_cli(url: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(home / "config"),  # no user profile leaks in
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_PAGER": "",
    }
    env.pop("AWS_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-m", "awscli", "sagemaker", *args, "--endpoint-url", url,
         "--output", "json"],
        capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.fixture
def aws(server_url: str, tmp_path: Path) -> Any:
    """Runs `aws sagemaker ...` against the server command and returns its parsed JSON output."""

    def run(*args: str) -> Any:
        done = run_cli(server_url, tmp_path, *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    return run


@needs("awscli")
def test_aws_cli_drives_images_versions_and_aliases(aws, server_url, tmp_path):
    started = time.time()
    image_arn = aws("create-image", "--image-name", "cli-image", "--role-arn", ROLE_ARN)["ImageArn"]
    assert image_arn == "arn:aws:sagemaker:us-east-1:123456789012:image/cli-image"

    created = aws("create-image-version", "--image-name", "cli-image", "--base-image", BASE_IMAGE,
                  "--aliases", "first", "latest")
    assert created["ImageVersionArn"] == (
        "arn:aws:sagemaker:us-east-1:123456789012:image-version/cli-image/1")
    aws("create-image-version", "--image-name", "cli-image", "--base-image", BASE_IMAGE)

    updated = aws("update-image-version", "--image-name", "cli-image", "--version-number", "1",
                  "--aliases-to-add", "second", "--aliases-to-delete", "first")
    assert updated["ImageVersionArn"] == created["ImageVersionArn"]

    assert aws("list-aliases", "--image-name", "cli-image", "--version-number", "1") == {
        "SageMakerImageVersionAliases": ["latest", "second"]}

    described = aws("describe-image-version", "--image-name", "cli-image", "--alias", "second")
    assert described["Version"] == 1
    assert described["ImageVersionStatus"] == "CREATED"
    assert described["BaseImage"] == BASE_IMAGE
    assert "@sha256:" in described["ContainerImage"]
    assert described["ImageVersionArn"] == created["ImageVersionArn"]
    # AWS CLI v1 prints the wire's epoch seconds as they are
    assert started - 5 <= described["CreationTime"] <= time.time() + 5

    failed = run_cli(server_url, tmp_path, "describe-image-version", "--image-name", "cli-image",
                     "--alias", "first")  # moved away by the update
    assert failed.returncode != 0
    assert "(ResourceNotFound)" in failed.stderr


@needs("aiobotocore")
def test_aiobotocore_against_the_server_command(server_url):
    from aiobotocore.session import get_session

    async def scenario() -> dict[str, Any]:
        session = get_session()
        async with session.create_client(
            "sagemaker", region_name=REGION, endpoint_url=server_url,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        ) as sm:
            await sm.create_image(ImageName="async-image", RoleArn=ROLE_ARN)
            await asyncio.gather(*(
                sm.create_image_version(ImageName="async-image", BaseImage=BASE_IMAGE,
                                        Aliases=[f"v{index}"])
                for index in range(3)
            ))
            await sm.update_image_version(ImageName="async-image", Alias="v0",
                                          AliasesToAdd=["stable"])
            paginator = sm.get_paginator("list_image_versions")
            versions = [version["Version"]
                        async for page in paginator.paginate(ImageName="async-image",
                                                             PaginationConfig={"PageSize": 1})
                        for version in page["ImageVersions"]]
            stable = await sm.describe_image_version(ImageName="async-image", Alias="stable")
            try:
                await sm.describe_image(ImageName="missing")
                error = None
            except sm.exceptions.ClientError as caught:
                error = caught.response["Error"]["Code"]
            return {"versions": sorted(versions), "stable_aliases": await sm.list_aliases(
                ImageName="async-image", Version=stable["Version"]),
                "error": error}

    result = asyncio.run(scenario())
    assert result["versions"] == [1, 2, 3]
    aliases = result["stable_aliases"]["SageMakerImageVersionAliases"]
    assert len(aliases) == 2 and aliases[1] == "stable" and aliases[0].startswith("v")
    assert result["error"] == "ResourceNotFound"
