"""What every store shares: its account and region, ARNs, one lock, and tags by ARN.

A store holds the resources of one account and region. Its public methods are the operations
it serves (marked `operation`, which OPERATIONS collects), named in snake_case and taking the request's members as
keyword arguments; `locked` makes each one atomic under moto's threaded server.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import operator
import threading
from typing import Any, Callable, Generic, Protocol, Sequence, TypeVar, cast

from moto.core.utils import unix_time

from .exceptions import ResourceNotFound, ValidationException
from .indexes import Catalog, MovingIndex, SortedIndex
from .lifecycle import GONE, Lifecycle
from .pagination import paginate

Result = TypeVar("Result")
Method = TypeVar("Method", bound=Callable[..., Any])
Tags = Sequence[dict[str, str]]  # the model's Tag list: Key and, optionally, Value
# A key in an order by time: (unix time, the name or number that breaks ties).
TimeKey = tuple[float, str | int]
MAX_TAGS = 50
DEFAULT_MAX_RESULTS = 10  # the model's documented default for these list operations


def locked(method: Method) -> Method:
    """The operation runs under the store's lock, after `settle()`."""

    @functools.wraps(method)
    def run(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.settle()
            return method(self, *args, **kwargs)

    return cast(Method, run)  # it takes and returns what the method does


# The mark `operation` leaves on a method, which the store's class reads.
OPERATION_MARK = "is_operation"


def operation(method: Method) -> Method:
    """An operation the store serves, named as the method in CamelCase: `locked`, and found by
    the store's class from the method itself, so a name and its method cannot part."""
    run = locked(method)
    setattr(run, OPERATION_MARK, True)
    return run


def operation_name(method_name: str) -> str:
    """`create_image_version` -> `CreateImageVersion` (moto's dispatch takes it back)."""
    return "".join(part.capitalize() for part in method_name.split("_"))


def tag_dict(tags: Tags | None) -> dict[str, str]:
    return {tag["Key"]: tag.get("Value", "") for tag in tags or ()}


def in_window(moment: dt.datetime, after: dt.datetime | None, before: dt.datetime | None) -> bool:
    # Both bounds are inclusive, as the API reference words them ("on or after").
    return (after is None or moment >= after) and (before is None or moment <= before)


def time_key(moment: dt.datetime, tie: str | int) -> TimeKey:
    """A key in an order by time: the unix time, then the name (or number) for ties. A resource
    keeps its `creation_key`, built once, so the orders by time share it rather than copy it."""
    return (unix_time(moment), tie)


class Timed(Protocol):
    """A resource in the orders by time."""

    creation_time: dt.datetime
    last_modified_time: dt.datetime
    creation_key: TimeKey


Named = TypeVar("Named", bound=Timed)
creation_key = operator.attrgetter("creation_key")


def modification_key(item: Timed, tie: str | int) -> TimeKey:
    if item.last_modified_time == item.creation_time:  # not modified yet: the shared key
        return item.creation_key
    return time_key(item.last_modified_time, tie)


def window_keys(after: dt.datetime | None,
                before: dt.datetime | None) -> tuple[tuple[float] | None, tuple[float] | None]:
    """Key bounds (low inclusive, high exclusive) of an inclusive time window on an order keyed
    by (unix time, ...)."""
    return ((unix_time(after),) if after is not None else None,
            (math.nextafter(unix_time(before), math.inf),) if before is not None else None)


class NamedResources(Generic[Named]):
    """Resources whose name is unique regardless of case, as their lower-cased ARN is (images,
    app image configs, lifecycle configs), in the orders their list operation reads: by
    creation, by last modification and by name (ties go by name)."""

    def __init__(self, name_of: Callable[[Named], str]) -> None:
        self.name_of = name_of
        self._by_name: dict[str, Named] = {}
        self.orders: Catalog[Named] = Catalog(
            created=SortedIndex(creation_key),
            modified=MovingIndex(lambda item: modification_key(item, name_of(item))),
            name=SortedIndex(name_of),
        )

    def get(self, name: str) -> Named | None:
        return self._by_name.get(name.lower())

    def add(self, item: Named) -> None:
        self._by_name[self.name_of(item).lower()] = item
        self.orders.add(item)

    def remove(self, item: Named) -> None:
        """Take the item out, unless a newer one holds its name."""
        key = self.name_of(item).lower()
        if self._by_name.get(key) is item:
            del self._by_name[key]
            self.orders.remove(item)

    def moving(self, item: Named) -> contextlib.AbstractContextManager[None]:
        """Around a change of the item's last modification time."""
        return self.orders.moving(item)

    def page(self, *, sort_by: str | None, sort_order: str | None, name_contains: str | None,
             created: tuple[dt.datetime | None, dt.datetime | None],
             modified: tuple[dt.datetime | None, dt.datetime | None],
             max_results: int | None, next_token: str | None, query: dict[str, Any],
             also: Callable[[Named], bool] | None = None) -> tuple[list[Named], str | None]:
        """One page, with the filters and sort orders the list operations share (`also`: a
        filter of one list's own). Both enum spellings are read (`LAST_MODIFIED_TIME` for
        images, `LastModifiedTime` for the others); the default is by creation, newest first."""
        order = {"imagename": "name", "name": "name", "lastmodifiedtime": "modified"}.get(
            (sort_by or "").replace("_", "").lower(), "created")
        low, high = window_keys(*created) if order == "created" else \
            window_keys(*modified) if order == "modified" else (None, None)
        needle = (name_contains or "").lower()  # [chosen] NameContains ignores case
        name_of = self.name_of

        def keep(item: Named) -> bool:
            return (needle in name_of(item).lower()
                    and in_window(item.creation_time, *created)
                    and in_window(item.last_modified_time, *modified)
                    and (also is None or also(item)))

        return paginate(self.orders[order],
                        descending=(sort_order or "Descending").lower() == "descending",
                        max_results=max_results or DEFAULT_MAX_RESULTS, next_token=next_token,
                        query=query, keep=keep, low=low, high=high)


def listing(method: Callable[..., Result]) -> Callable[..., Result]:
    """A list operation: `locked`, and given `query`, the request's members that its NextToken
    must keep (all but the token and the page size). Members are passed by keyword."""

    @functools.wraps(method)
    def run(self: "Store", **members: Any) -> Result:
        query = {key: value for key, value in members.items()
                 if key not in ("next_token", "max_results") and value is not None}
        query["operation"] = method.__name__  # a token continues only the list it came from
        return method(self, query=query, **members)

    return operation(run)


class Store:
    # The operations the class serves: its methods marked `operation` (or `listing`).
    OPERATIONS: frozenset[str] = frozenset()
    # A resource's operations declare the type its ARNs name (`ARN_TYPE`); the class collects
    # them: the tag calls, the tagging APIs and moto's dashboard serve exactly those.
    ARN_TYPE = ""
    ARN_TYPES: frozenset[str] = frozenset()
    TAG_OPERATIONS = frozenset({"AddTags", "ListTags", "DeleteTags"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.OPERATIONS = frozenset(operation_name(name) for name in dir(cls)
                                   if getattr(getattr(cls, name), OPERATION_MARK, False)
                                   ) - cls.TAG_OPERATIONS  # served for the store's own ARNs only
        cls.ARN_TYPES = frozenset(kind for base in cls.__mro__
                                  if (kind := base.__dict__.get("ARN_TYPE")))

    def __init__(self, account_id: str, region_name: str, partition: str = "aws") -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.partition = partition
        self.lock = threading.RLock()
        # Resources whose status may still move on (moto's state manager: by hand or by time).
        # Empty by default, when everything settles at once.
        self._passing: dict[Lifecycle, None] = {}
        # Every live resource by its ARN: the tag calls and the lists of resources read it.
        self.by_arn: dict[str, Any] = {}

    def arn(self, resource_type: str, name: str) -> str:
        # [chosen] Names are lower-cased in ARNs, as SageMaker does for its other resources.
        return (f"arn:{self.partition}:sagemaker:{self.region_name}:{self.account_id}:"
                f"{resource_type}/{name.lower()}")

    def settle(self) -> None:
        """Move on what moves by itself (statuses) before an operation reads anything."""
        for resource in list(self._passing):
            self._settle(resource)

    def _settle(self, resource: Lifecycle, look: bool = False) -> bool:
        """Move the resource's status on (`look`: a describe, which moto's manual progression
        counts); forget it once it has finished deleting. Whether it still exists."""
        if look:
            resource.advance()
        status = resource.progress()
        if resource.passing:
            self._passing[resource] = None
        else:
            self._passing.pop(resource, None)
        if status != GONE:
            return True
        self._forget(resource)
        return False

    def _moved(self, resource: Lifecycle, status: str) -> None:
        """Put the resource in a new state, and settle it there (at once by default)."""
        resource.status = status
        self._settle(resource)

    def _forget(self, resource: Lifecycle) -> None:
        """Drop a resource that has finished deleting from every map and order."""
        raise NotImplementedError

    def serves(self, operation: str, arn: Any = None) -> bool:
        """Whether this store answers the operation; tag operations only for its own ARNs."""
        if operation in self.TAG_OPERATIONS:
            return isinstance(arn, str) and _resource_type(arn) in self.ARN_TYPES
        return operation in self.OPERATIONS

    def _track(self, arn: str, resource: Any) -> None:
        """A new resource (or one created again under its ARN)."""
        self.by_arn[arn] = resource

    def _untrack(self, arn: str, resource: Any) -> None:
        """A resource gone; a newer one under its ARN stays."""
        if self.by_arn.get(arn) is resource:
            del self.by_arn[arn]

    def tags_of(self, resource_type: str, name: str) -> dict[str, str]:
        """The live tag dict of one resource; raises ResourceNotFound when it does not exist."""
        found = self.by_arn.get(self.arn(resource_type, name))
        if found is None:
            # [chosen] An ARN naming nothing: ResourceNotFound, as for a deleted image.
            raise ResourceNotFound(f"Resource {self.arn(resource_type, name)} does not exist.")
        tags: dict[str, str] = found.tags
        return tags

    def resources(self) -> list[tuple[str, str, object]]:
        """(ARN type, ARN, resource) of every live resource, for the tagging APIs and moto's
        dashboard; read under the lock."""
        return [(_resource_type(arn), arn, resource) for arn, resource in self.by_arn.items()]

    @locked
    def tagged_resources(self) -> list[tuple[str, str, dict[str, str]]]:
        """(ARN, resource type, tags) of every live resource, a snapshot for moto's tagging API."""
        return [(arn, kind, dict(resource.tags)) for kind, arn, resource in self.resources()
                if hasattr(resource, "tags")]  # an image version carries none

    def _tagged(self, arn: str) -> dict[str, str]:
        resource_type, slash, name = arn.split(":", 5)[-1].partition("/")
        if not slash:
            # [chosen] An ARN with no `<type>/<name>` names no SageMaker resource at all.
            raise ValidationException(f"{arn} is not the ARN of a SageMaker resource.")
        if resource_type not in self.ARN_TYPES or arn != self.arn(resource_type, name):
            # [chosen] An ARN naming nothing: ResourceNotFound, as for a deleted image.
            raise ResourceNotFound(f"Resource {arn} does not exist.")
        return self.tags_of(resource_type, name)

    @locked
    def add_tags(self, resource_arn: str, tags: Tags) -> dict[str, Any]:
        current = self._tagged(resource_arn)
        merged = {**current, **tag_dict(tags)}  # an existing key takes the new value, as on AWS
        if len(merged) > MAX_TAGS:
            # [chosen] AWS documents the limit of 50 tags, not the error's words.
            raise ValidationException(
                f"Resource {resource_arn} would have {len(merged)} tags; "
                f"at most {MAX_TAGS} are allowed."
            )
        current.update(merged)
        return {"Tags": list(tags)}

    @listing
    def list_tags(self, resource_arn: str, max_results: int | None = None,
                  next_token: str | None = None, *, query: dict[str, Any]) -> dict[str, Any]:
        # [chosen] Ordered by key. A resource holds at most 50 tags: indexing them per call is
        # bounded, whatever the number of resources.
        pairs = SortedIndex(lambda pair: pair[:1], items=self._tagged(resource_arn).items())
        page, token = paginate(pairs, descending=False,
                               max_results=max_results or MAX_TAGS, next_token=next_token,
                               query=query)
        return {"Tags": [{"Key": key, "Value": value} for key, value in page], "NextToken": token}

    @locked
    def delete_tags(self, resource_arn: str, tag_keys: Sequence[str]) -> dict[str, Any]:
        current = self._tagged(resource_arn)
        for key in tag_keys:
            current.pop(key, None)
        return {}


def _resource_type(arn: str) -> str:
    return arn.split(":", 5)[-1].split("/", 1)[0]

