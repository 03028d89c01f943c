"""Our resources on moto's dashboard (`/moto-api/`, fed by `/moto-api/data.json`).

moto builds data.json from `model_data` (service -> model name -> class): for each model it
reads the class's instance list (`instances_tracked`; `instances` before moto 5.1), which
`BaseModel.__new__` fills, and shows each instance's public JSON-able attributes; its resets
empty the lists. Ours live in the stores instead, so each resource type gets an entry whose
instances are read from the stores when data.json asks: a deleted resource is gone, and moto's
reset (which rebuilds the backends, hence the stores) empties them, with no bookkeeping.

Nothing per resource: each store lists its live resources (`Store.resources()`, which the
tagging APIs read too), and every type is an entry.
"""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any, Iterator

from moto.core.model_instances import model_data
from moto.sagemaker.models import sagemaker_backends

from ..families import STORE_CLASSES
from ..store import Store

SERVICE = "sagemaker"
_SKIP = object()


class StoreModel:
    """One resource type's entry in moto's model table."""

    def __init__(self, resource_type: str) -> None:
        self.resource_type = resource_type

    def _live(self) -> list[SimpleNamespace]:
        return [entry for kind, entry in live_entries() if kind == self.resource_type]

    def _ignore(self, value: Any) -> None:
        pass  # moto's reset assigns []: the backends' reset already emptied the stores

    instances_tracked = property(_live, _ignore)
    instances = property(_live, _ignore)  # moto < 5.1


def resource_types() -> list[str]:
    """Every type the stores know in an ARN (images' versions too)."""
    return sorted(set().union(*(cls.ARN_TYPES for cls in STORE_CLASSES)))


def register_dashboard_models() -> None:
    # Lower-case kebab names (the ARN's), so none can replace a moto class (moto has `Domain`).
    for resource_type in resource_types():
        model_data[SERVICE][resource_type] = StoreModel(resource_type)


def live_entries() -> list[tuple[str, SimpleNamespace]]:
    """(type, fields) of every resource in every account's and region's stores."""
    found = []
    for account in list(sagemaker_backends.values()):  # plain reads: they create no backend
        for backend in list(account.values()):
            for store in getattr(backend, "image_stores", ()):
                with store.lock:  # the threaded server may be changing it
                    store.settle()  # what has finished deleting is dropped first
                    found += [(kind, _entry(store, arn, resource))
                              for kind, arn, resource in store.resources()]
    return found


def _fields(item: object) -> Iterator[tuple[str, Any]]:
    """The item's public data attributes, from its __dict__ and its __slots__."""
    names = list(getattr(item, "__dict__", {}))
    for cls in type(item).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    for name in dict.fromkeys(names):
        if not name.startswith("_") and hasattr(item, name):
            yield name, getattr(item, name)


def _entry(store: Store, arn: str, resource: object) -> SimpleNamespace:
    fields: dict[str, Any] = {"arn": arn, "account_id": store.account_id,
                              "region_name": store.region_name}
    status = getattr(resource, "status", None)  # a property (of Lifecycle): not in __dict__
    if isinstance(status, str):
        fields["status"] = status
    for name, value in _fields(resource):
        plain = _plain(value)
        if plain is not _SKIP:
            fields[name] = plain
    return SimpleNamespace(**fields)


def _plain(value: Any) -> Any:
    """A JSON copy (times as ISO text, as moto's own models keep theirs), or _SKIP when the
    value holds objects (an image's versions: listed on their own)."""
    try:
        return json.loads(json.dumps(value, default=_iso))
    except (TypeError, ValueError):
        return _SKIP


def _iso(value: Any) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)
