"""Every operation a store lists is one it can answer: a name listed without its method would
reach a client as a raw AttributeError, and a name the model lacks could never be sent."""
from __future__ import annotations

import pytest
from moto.core.utils import camelcase_to_underscores

from moto_sagemaker_imgver import validation
from moto_sagemaker_imgver.families import STORE_CLASSES
from moto_sagemaker_imgver.store import Store


@pytest.mark.parametrize("store", STORE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_listed_operation_has_its_method(store: type[Store]) -> None:
    assert store.OPERATIONS, store
    missing = [operation for operation in sorted(store.OPERATIONS | Store.TAG_OPERATIONS)
               if not callable(getattr(store, camelcase_to_underscores(operation), None))]
    assert missing == []


@pytest.mark.parametrize("store", STORE_CLASSES, ids=lambda cls: cls.__name__)
def test_every_listed_operation_is_in_the_model(store: type[Store]) -> None:
    assert sorted(store.OPERATIONS - set(validation.service_model().operation_names)) == []
