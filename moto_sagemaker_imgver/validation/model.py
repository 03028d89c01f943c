"""botocore's model of a service: loaded on first use, so importing the package stays cheap."""
from __future__ import annotations

import contextlib
import contextvars
import functools
from typing import Iterable, Iterator

from botocore.loaders import create_loader
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape


# The service whose request is being checked: shape names are unique within one service only, so
# the checkers are kept by (service, shape name). Set by the entry points (`validate_request`...).
SERVICE: contextvars.ContextVar[str] = contextvars.ContextVar("service", default="sagemaker")
ShapeKey = tuple[str, str]


def shape_key(shape: Shape) -> ShapeKey:
    return SERVICE.get(), shape.name


@contextlib.contextmanager
def of_service(service: str) -> Iterator[None]:
    """Shapes met inside belong to `service`'s model."""
    token = SERVICE.set(service)
    try:
        yield
    finally:
        SERVICE.reset(token)


@functools.lru_cache(maxsize=None)
def service_model(service: str = "sagemaker") -> ServiceModel:
    """botocore's model of a service, parsed on first use."""
    return ServiceModel(create_loader().load_service_model(service, "service-2"), service)


@functools.lru_cache(maxsize=None)
def operation_model(operation: str, service: str = "sagemaker") -> OperationModel:
    return service_model(service).operation_model(operation)


def model_patterns(service: str = "sagemaker") -> list[str]:
    """Every distinct pattern of the service's model."""
    model = service_model(service)
    return sorted({model.shape_for(name).metadata["pattern"] for name in model.shape_names
                   if "pattern" in model.shape_for(name).metadata})


def shapes_within(shape: Shape) -> Iterable[Shape]:
    """The shape and every shape it reaches, each once (recursive shapes included)."""
    seen: set[str] = set()
    pending = [shape]
    while pending:
        current = pending.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        yield current
        if isinstance(current, StructureShape):
            pending.extend(current.members.values())
        elif isinstance(current, ListShape):
            pending.append(current.member)
        elif isinstance(current, MapShape):
            pending.extend((current.key, current.value))
