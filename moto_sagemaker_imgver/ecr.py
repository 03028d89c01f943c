"""What a BaseImage points at: the digest-pinned ContainerImage, read from moto's ECR mock when
the image is there, and (in strict mode) a failure when it should be there and is not."""
from __future__ import annotations

import hashlib
import os
import re
from typing import Callable, NamedTuple

STRICT_ECR_ENV = "MOTO_SAGEMAKER_IMGVER_STRICT_ECR"
_strict_switch: bool | None = None

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
ECR_REFERENCE = re.compile(
    r"(?P<registry>(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?)"
    rf"/(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>{DIGEST.pattern}))?"
)


# Reads an image's digest from the registry a reference names (moto's ECR mock, wired in by
# `moto_seam.backend.install()`), or None; until then there is no registry to read.
DigestLookup = Callable[["re.Match[str]"], "str | None"]
_registry: DigestLookup = lambda reference: None  # noqa: E731


def read_digests_with(lookup: DigestLookup) -> None:
    global _registry
    _registry = lookup


class ResolvedImage(NamedTuple):
    container_image: str
    failure_reason: str | None = None


def set_strict_ecr(enabled: bool | None) -> None:
    """Turn strict mode on or off in this process; None falls back to the environment variable.
    Under the pytest plugin a call made during a test is undone when the test ends."""
    global _strict_switch
    if enabled is not None and not isinstance(enabled, bool):
        # A string such as "false" would otherwise be truthy, and turn strict mode on.
        raise TypeError(f"set_strict_ecr takes True, False or None, not {enabled!r}")
    _strict_switch = enabled


def strict_ecr_setting() -> bool | None:
    """What `set_strict_ecr` last set (None: the environment variable decides)."""
    return _strict_switch


def strict_ecr() -> bool:
    if _strict_switch is not None:
        return _strict_switch
    return os.environ.get(STRICT_ECR_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def digest_pinned(base_image: str) -> str:
    """`<registry>/<repository>@sha256:<64 hex>`, as AWS returns ContainerImage. A valid digest
    in BaseImage is kept and its tag dropped; without one, the digest is derived.

    [chosen] Outside moto's ECR the digest is derived from the BaseImage string: stable, not real.
    """
    name, _, digest = base_image.partition("@")
    head, _, last = name.rpartition("/")
    repository = last.split(":", 1)[0]  # the tag is dropped: the digest names the image
    reference = f"{head}/{repository}" if head else repository
    if not DIGEST.fullmatch(digest):
        digest = "sha256:" + hashlib.sha256(base_image.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{reference}@{digest}"


def resolve_base_image(base_image: str, account_id: str, region_name: str) -> ResolvedImage:
    reference = ECR_REFERENCE.fullmatch(base_image)
    if reference is None:
        return ResolvedImage(digest_pinned(base_image))
    digest = _registry(reference)
    if digest is not None:
        return ResolvedImage(f"{reference['registry']}/{reference['repository']}@{digest}")
    ours = reference["account"] == account_id and reference["region"] == region_name
    if ours and strict_ecr():
        # [chosen] AWS's wording for a missing image is not published.
        return ResolvedImage(
            digest_pinned(base_image),
            f"Unable to pull image {base_image}: the repository or the image tag or digest "
            "does not exist in Amazon ECR.",
        )
    return ResolvedImage(digest_pinned(base_image))
