"""An image's digest in moto's ECR mock, read from its backend's internals."""
from __future__ import annotations

import re
from typing import Any


def image_digest(reference: re.Match[str]) -> str | None:
    """The digest of the referenced image in moto's ECR mock, without creating any backend."""
    from moto.ecr.models import ecr_backends

    account, region = reference["account"], reference["region"]
    if account not in ecr_backends or region not in ecr_backends[account]:
        return None
    repository = ecr_backends[account][region].repositories.get(reference["repository"])
    if repository is None:
        return None
    wanted_digest, wanted_tag = reference["digest"], reference["tag"]
    if wanted_digest is None and wanted_tag is None:
        wanted_tag = "latest"
    for image in repository.images:
        digest: str = image.get_image_digest()
        if wanted_digest is not None and digest == wanted_digest:
            return digest
        if wanted_digest is None and wanted_tag in _tags(image):
            return digest
    return None


def _tags(image: Any) -> list[str]:
    return list(getattr(image, "image_tags", None) or [getattr(image, "image_tag", None)])
