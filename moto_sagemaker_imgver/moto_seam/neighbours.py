"""What the Studio store reaches through moto: the other stores of its account and region (kept
on moto's SageMaker backend), and moto's random generator (which moto's seed API makes
repeatable) for the ids AWS draws at random."""
from __future__ import annotations

from typing import Any


def stores_of(account_id: str, region_name: str) -> list[Any]:
    """Every store of the account and region, as the backend holds them."""
    from moto.sagemaker.models import sagemaker_backends

    backend: Any = sagemaker_backends[account_id][region_name]
    return list(backend.image_stores)


def random_id(characters: str, length: int) -> str:
    from moto.moto_api._internal import mock_random

    return "".join(mock_random.choice(characters) for _ in range(length))
