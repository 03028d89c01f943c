"""Image versions backed by moto's ECR: real digests, and strict mode's failed versions."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import boto3
import pytest
from botocore.exceptions import WaiterError
from moto import mock_aws

from support import ACCOUNT, REGION, ROLE_ARN, client_for, free_port, wait_until_up

REGISTRY = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
PINNED = re.compile(r"^(?P<reference>[^@]+)@sha256:[0-9a-f]{64}$")
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023,
               "digest": "sha256:" + "b" * 64},
    "layers": [],
})
NO_WAIT = {"Delay": 0, "MaxAttempts": 1}


@pytest.fixture
def strict(monkeypatch):
    from moto_sagemaker_imgver import ecr

    ecr.set_strict_ecr(True)
    yield
    ecr.set_strict_ecr(None)


def push(ecr_client, repository: str, tag: str) -> str:
    ecr_client.create_repository(repositoryName=repository)
    image = ecr_client.put_image(repositoryName=repository, imageManifest=MANIFEST, imageTag=tag)
    return image["image"]["imageId"]["imageDigest"]


def new_version(sm, base_image: str, image_name: str = "img") -> dict:
    sm.create_image(ImageName=image_name, RoleArn=ROLE_ARN)
    sm.create_image_version(ImageName=image_name, BaseImage=base_image)
    return sm.describe_image_version(ImageName=image_name)


def test_ecr_image_gives_its_real_digest(sm):
    digest = push(boto3.client("ecr", region_name=REGION), "kernels", "1.0")
    version = new_version(sm, f"{REGISTRY}/kernels:1.0")
    assert version["ContainerImage"] == f"{REGISTRY}/kernels@{digest}"
    assert version["BaseImage"] == f"{REGISTRY}/kernels:1.0"
    assert version["ImageVersionStatus"] == "CREATED"


def test_ecr_image_by_digest_is_found(sm):
    digest = push(boto3.client("ecr", region_name=REGION), "kernels", "1.0")
    version = new_version(sm, f"{REGISTRY}/kernels@{digest}")
    assert version["ContainerImage"] == f"{REGISTRY}/kernels@{digest}"


def test_untagged_reference_means_latest(sm):
    digest = push(boto3.client("ecr", region_name=REGION), "kernels", "latest")
    assert new_version(sm, f"{REGISTRY}/kernels")["ContainerImage"] == f"{REGISTRY}/kernels@{digest}"


def test_image_outside_ecr_gets_a_stable_derived_digest(sm):
    first = new_version(sm, "docker.io/library/python:3.12", "one")["ContainerImage"]
    second = new_version(sm, "docker.io/library/python:3.12", "two")["ContainerImage"]
    other = new_version(sm, "docker.io/library/python:3.11", "three")["ContainerImage"]
    assert PINNED.match(first)["reference"] == "docker.io/library/python"
    assert first == second != other


def test_missing_ecr_image_without_strict_mode_is_created(sm):
    version = new_version(sm, f"{REGISTRY}/nowhere:1")
    assert version["ImageVersionStatus"] == "CREATED"
    assert PINNED.match(version["ContainerImage"])["reference"] == f"{REGISTRY}/nowhere"


def test_strict_mode_fails_a_version_whose_tag_is_missing(sm, strict):
    push(boto3.client("ecr", region_name=REGION), "kernels", "1.0")
    version = new_version(sm, f"{REGISTRY}/kernels:2.0")
    assert version["ImageVersionStatus"] == "CREATE_FAILED"
    assert f"{REGISTRY}/kernels:2.0" in version["FailureReason"]
    with pytest.raises(WaiterError) as failed:
        sm.get_waiter("image_version_created").wait(ImageName="img", WaiterConfig=NO_WAIT)
    assert "terminal failure state" in str(failed.value) and "CREATE_FAILED" in str(failed.value)


def test_strict_mode_fails_a_version_whose_repository_is_missing(sm, strict):
    version = new_version(sm, f"{REGISTRY}/no-such-repo:1")
    assert version["ImageVersionStatus"] == "CREATE_FAILED"
    assert version["FailureReason"]


def test_strict_mode_passes_existing_images_and_other_registries(sm, strict):
    digest = push(boto3.client("ecr", region_name=REGION), "kernels", "1.0")
    assert new_version(sm, f"{REGISTRY}/kernels:1.0", "a")["ImageVersionStatus"] == "CREATED"
    other_account = f"999999999999.dkr.ecr.{REGION}.amazonaws.com/theirs:1"
    assert new_version(sm, other_account, "b")["ImageVersionStatus"] == "CREATED"
    assert new_version(sm, "public.ecr.aws/x/y:1", "c")["ImageVersionStatus"] == "CREATED"
    assert digest


def test_strict_mode_by_environment_variable(monkeypatch):
    monkeypatch.setenv("MOTO_SAGEMAKER_IMGVER_STRICT_ECR", "true")
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        assert new_version(sm, f"{REGISTRY}/absent:1")["ImageVersionStatus"] == "CREATE_FAILED"
    monkeypatch.setenv("MOTO_SAGEMAKER_IMGVER_STRICT_ECR", "false")
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        assert new_version(sm, f"{REGISTRY}/absent:1")["ImageVersionStatus"] == "CREATED"


@mock_aws
def test_ecr_digest_under_the_decorator():
    digest = push(boto3.client("ecr", region_name=REGION), "deco", "v1")
    sm = boto3.client("sagemaker", region_name=REGION)
    assert new_version(sm, f"{REGISTRY}/deco:v1")["ContainerImage"].endswith(digest)


@pytest.mark.slow
def test_ecr_digest_and_strict_mode_through_the_server_command():
    port = free_port()
    env = {**os.environ, "MOTO_SAGEMAKER_IMGVER_STRICT_ECR": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "moto_sagemaker_imgver", "-H", "127.0.0.1", "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        ecr_client = boto3.client("ecr", region_name=REGION, endpoint_url=url)
        digest = push(ecr_client, "served", "1.0")
        sm = client_for(url)
        good = new_version(sm, f"{REGISTRY}/served:1.0", "good")
        assert good["ContainerImage"] == f"{REGISTRY}/served@{digest}"
        bad = new_version(sm, f"{REGISTRY}/served:9.9", "bad")
        assert bad["ImageVersionStatus"] == "CREATE_FAILED" and bad["FailureReason"]
    finally:
        server.terminate()
        server.wait(timeout=10)


HEX = "c" * 64
# BaseImage -> the reference ContainerImage names, and the digest it keeps (None: derived).
PINNING_CASES = [
    ("python:3.12", "python", None),
    ("x@y", "x", None),
    ("repo@latest", "repo", None),
    ("repo:tag@latest", "repo", None),
    (f"repo@sha256:{HEX.upper()}", "repo", None),
    (f"repo@sha256:{HEX[:63]}", "repo", None),
    (f"repo@sha512:{HEX}{HEX}", "repo", None),
    (f"repo@sha256:{HEX}@again", "repo", None),
    (f"repo@sha256:{HEX}", "repo", f"sha256:{HEX}"),
    (f"repo:tag@sha256:{HEX}", "repo", f"sha256:{HEX}"),
    (f"registry:5000/team/repo:tag@sha256:{HEX}", "registry:5000/team/repo", f"sha256:{HEX}"),
    ("registry:5000/team/repo:tag", "registry:5000/team/repo", None),
    (f"{REGISTRY}/elsewhere:1.0@sha256:{HEX}", f"{REGISTRY}/elsewhere", f"sha256:{HEX}"),
    (f"{REGISTRY}/elsewhere@notadigest", f"{REGISTRY}/elsewhere", None),
]


def assert_pinned(container_image: str, base_image: str, reference: str, kept: str | None) -> None:
    pinned = PINNED.match(container_image)
    assert pinned is not None, container_image
    assert pinned["reference"] == reference
    if kept is not None:
        assert container_image == f"{reference}@{kept}"
    else:
        assert container_image != f"{reference}@sha256:{HEX}"


@pytest.mark.parametrize("base_image, reference, kept", PINNING_CASES,
                         ids=["tag", "x@y", "at-latest", "tag-at-latest", "upper-hex", "short-hex",
                              "sha512", "two-ats", "digest", "tag-and-digest", "port-and-digest",
                              "port-and-tag", "ecr-tag-and-digest", "ecr-not-a-digest"])
def test_container_image_is_always_digest_pinned(sm, base_image, reference, kept):
    version = new_version(sm, base_image)
    assert version["BaseImage"] == base_image
    assert_pinned(version["ContainerImage"], base_image, reference, kept)


@pytest.mark.slow
def test_container_image_is_digest_pinned_through_the_server_command(server_url):
    sm = client_for(server_url)
    for index, (base_image, reference, kept) in enumerate(PINNING_CASES):
        version = new_version(sm, base_image, f"img{index}")
        assert_pinned(version["ContainerImage"], base_image, reference, kept)


def test_a_derived_digest_is_stable_and_tells_base_images_apart(sm):
    first = new_version(sm, "repo@latest", "one")["ContainerImage"]
    again = new_version(sm, "repo@latest", "two")["ContainerImage"]
    other = new_version(sm, "repo@stable", "three")["ContainerImage"]
    assert first == again != other
