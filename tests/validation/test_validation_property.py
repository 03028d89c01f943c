"""Random values in random members of random served operations, against real resources.

Whatever the value, the answer is never a 5xx; and when a request is rejected, for whatever
reason (validation, a missing resource, a conflict), no state has changed: every describe and
list output is what it was. Requests go through boto3; the outputs are read through the
package's response layer in process (the same JSON, without boto3's ~8 ms a call), so that
150 examples take a few seconds.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.model import Shape
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from support import ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN, UNVALIDATED, shared_session
from moto_sagemaker_imgver import responses
from generated_cases import (OPERATIONS, SCALARS, _accepts, bracket, input_shape, scalar_breakers,
                             valid_value)

pytestmark = pytest.mark.slow  # property tests (hypothesis)

IMAGE = "prop-image"
CONFIG = "prop-config"


@dataclass(frozen=True)
class Slot:
    path: str
    put: Callable[[Any], dict]
    shape: Shape

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return self.path


def request_base(operation: str) -> dict:
    """A valid request whose names point at the resources the world holds."""
    base = valid_value(input_shape(operation))
    for name, value in (("ImageName", IMAGE), ("AppImageConfigName", CONFIG)):
        if name in base:
            base[name] = value
    return base


def slots(shape: Shape, base: dict, put: Callable[[Any], dict], path: str) -> Iterator[Slot]:
    for name, member in shape.members.items():
        member_path = f"{path}.{name}" if path else name

        def put_member(value: Any, name: str = name) -> dict:
            return put({**base, name: value})

        yield Slot(member_path, put_member, member)
        yield from inner_slots(member, put_member, member_path)


def inner_slots(shape: Shape, put: Callable[[Any], dict], path: str) -> Iterator[Slot]:
    if shape.type_name == "structure":
        yield from slots(shape, valid_value(shape), put, path)
    elif shape.type_name == "list":
        yield Slot(f"{path}[]", lambda v: put([v]), shape.member)
        yield from inner_slots(shape.member, lambda v: put([v]), f"{path}[]")
    elif shape.type_name == "map":
        yield Slot(f"{path}{{}}", lambda v: put({"k": v}), shape.value)
        yield from inner_slots(shape.value, lambda v: put({"k": v}), f"{path}{{}}")


def top_slots(operation: str) -> list[Slot]:
    return list(slots(input_shape(operation), request_base(operation), lambda v: v, ""))


SLOTS = {operation: top_slots(operation) for operation in OPERATIONS}

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
EDGES = st.sampled_from([
    0, -1, 2**31, -(2**31) - 1, 2**63, 1.5, 10**30, "", " ", "\n", "*", "\ud800", "\u00e9t\u00e9",
    "\u6771\u4eac", "a" * 300, "x" * 9000, [], {}, [None], {"Key": None},
])


def typed(shape: Shape) -> st.SearchStrategy:
    """Values made for the member: a valid one, and one breaking each of its rules."""
    values = [valid_value(shape)]
    if shape.type_name in SCALARS:
        values += [wrong for _, _, wrong in scalar_breakers(shape)]
    return st.sampled_from(values)


# Names the world holds, so that requests also reach the resources and their conflicts.
KNOWN = [IMAGE, CONFIG, "first", "stable", "latest", ["first"], ["latest"], ["stable", "first"],
         1, 2, 3, True, "TRAINING", "Python 3.10"]
JSON_TYPES = {"string": str, "integer": int, "boolean": bool, "list": list}


def sensible(shape: Shape) -> st.SearchStrategy:
    """A valid value, or one of the world's names of the member's JSON type."""
    kind = JSON_TYPES.get(shape.type_name)
    known = [value for value in KNOWN if type(value) is kind]
    return st.sampled_from([valid_value(shape)] + known)


def values_for(shape: Shape) -> st.SearchStrategy:
    return st.one_of(sensible(shape), sensible(shape), typed(shape), JSON, EDGES)


class World:
    """An image with two versions, aliases and tags, and an app image config, under mock_aws."""

    def __init__(self) -> None:
        self.client = shared_session().client(
            "sagemaker", region_name=REGION, config=UNVALIDATED,
            aws_access_key_id="testing", aws_secret_access_key="testing")
        self.body: bytes | None = None  # the next request's body, sent as is
        self.client.meta.events.register("before-sign.sagemaker", self._replace_body)
        self.image_arn = ""
        self.build()

    def _replace_body(self, request: Any, **_: Any) -> None:
        if self.body is not None:
            request.data, self.body = self.body, None

    @property
    def backend(self) -> Any:
        from moto.sagemaker.models import sagemaker_backends

        return sagemaker_backends[ACCOUNT][REGION]

    def ours(self, operation: str, document: dict) -> bool:
        """Whether the package answers it (tag requests for other resources go to moto)."""
        return responses.route(operation, document, self.backend.image_stores,
                               self.backend.moto_tags) is not None

    def send(self, operation: str, document: dict) -> ClientError | None:
        """Send the document untouched: boto3's serializer would reshape wrong types."""
        self.body = json.dumps(document).encode()
        try:
            getattr(self.client, xform_name(operation))()
        except ClientError as error:
            return error
        return None

    def build(self) -> None:
        sm = self.client
        for image in sm.list_images(MaxResults=100)["Images"]:
            sm.delete_image(ImageName=image["ImageName"])
        for config in sm.list_app_image_configs(MaxResults=100)["AppImageConfigs"]:
            sm.delete_app_image_config(AppImageConfigName=config["AppImageConfigName"])
        self.image_arn = sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN, Description="d",
                                         Tags=[{"Key": "team", "Value": "ml"}])["ImageArn"]
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["first", "stable"],
                                JobType="TRAINING", ReleaseNotes="one")
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["latest"])
        sm.create_app_image_config(AppImageConfigName=CONFIG, KernelGatewayImageConfig={
            "KernelSpecs": [{"Name": "python3"}]})
        self.state = self.snapshot()

    def snapshot(self) -> list[tuple[int, str]]:
        reads: list[tuple[str, dict]] = [
            ("ListImages", {"MaxResults": 100}),
            ("DescribeImage", {"ImageName": IMAGE}),
            ("ListImageVersions", {"ImageName": IMAGE, "MaxResults": 100}),
            ("DescribeImageVersion", {"ImageName": IMAGE, "Version": 1}),
            ("DescribeImageVersion", {"ImageName": IMAGE, "Version": 2}),
            ("ListAliases", {"ImageName": IMAGE, "MaxResults": 100}),
            ("ListTags", {"ResourceArn": self.image_arn}),
            ("ListAppImageConfigs", {"MaxResults": 100}),
            ("DescribeAppImageConfig", {"AppImageConfigName": CONFIG}),
        ]
        seen = []
        for operation, params in reads:
            body = json.dumps(params)
            answered = responses.answer(operation, body, self.backend.image_stores,
                                        self.backend.moto_tags)
            assert answered is not None
            status, _, answer = answered
            seen.append((status, answer))
        return seen


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with mock_aws():
        yield World()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_values_never_fail_the_server_and_rejections_change_nothing(world, data):
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    slot = data.draw(st.sampled_from(SLOTS[operation]), label="member")
    document = slot.put(data.draw(values_for(slot.shape), label="value"))
    # A few more top-level members, mostly sensible, so that requests get past validation too.
    members = input_shape(operation).members
    for name in data.draw(st.lists(st.sampled_from(sorted(members)), max_size=3, unique=True),
                          label="also"):
        if name != slot.path.split(".")[0].split("[")[0].split("{")[0]:
            document[name] = data.draw(sensible(members[name]), label=name)
    assume(world.ours(operation, document))
    error = world.send(operation, document)
    event(f"{operation}: {'accepted' if error is None else error.response['Error']['Code']}")
    answered_without_change(world, error)


def answered_without_change(world: World, error: ClientError | None) -> None:
    """A 4xx of ours, and the world as it was; or an accepted request (the world is rebuilt)."""
    if error is None:
        if world.snapshot() != world.state:  # an accepted change: start again from the world
            world.build()
        return
    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500, error.response
    assert error.response["Error"]["Code"] in {
        "ValidationException", "SerializationException", "ResourceNotFound", "ResourceInUse",
        "ResourceLimitExceeded"}, error.response
    after, before = world.snapshot(), world.state
    if after != before:
        world.build()  # so that hypothesis replays the failing example against the same world
    assert after == before


# --- lists of scalars -----------------------------------------------------------------------------

def is_scalar_list(shape: Shape) -> bool:
    return shape.type_name == "list" and shape.member.type_name in SCALARS


SCALAR_LISTS = {operation: [slot for slot in SLOTS[operation]
                            if is_scalar_list(slot.shape) and not set("[{") & set(slot.path)]
                for operation in OPERATIONS}
SCALAR_LISTS = {operation: found for operation, found in SCALAR_LISTS.items() if found}
# Strings for items beyond the model's own breakers; none holds "; " or "'", so entries count.
ODD_ITEMS = ["", " ", "\n", "*", "a" * 300, "\u00e9t\u00e9", "\u6771\u4eac", "x/y", "-", "."]


def aws_path(path: str) -> str:
    return ".".join(part[:1].lower() + part[1:] for part in path.split("."))


def item_is_bad(shape: Shape, item: Any) -> bool:
    if item is None:
        return True
    enum = shape.metadata.get("enum")
    return not _accepts(shape, item) or bool(enum) and item not in enum


def scalar_lists(shape: Shape) -> st.SearchStrategy:
    items = st.one_of(typed(shape.member), sensible(shape.member), st.sampled_from(ODD_ITEMS),
                      st.none())
    return st.lists(items, max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_list_of_scalars_is_reported_once_at_the_list(world, data):
    operation = data.draw(st.sampled_from(sorted(SCALAR_LISTS)), label="operation")
    slot = data.draw(st.sampled_from(SCALAR_LISTS[operation]), label="list")
    sent = {slot.path: data.draw(scalar_lists(slot.shape), label=slot.path)}
    document = slot.put(sent[slot.path])
    # Other top-level lists of the operation too (AliasesToAdd with AliasesToDelete).
    for other in SCALAR_LISTS[operation]:
        if "." not in other.path and other.path != slot.path and data.draw(st.booleans()):
            sent[other.path] = document[other.path] = data.draw(scalar_lists(other.shape),
                                                                 label=other.path)
    assume(world.ours(operation, document))
    error = world.send(operation, document)
    message = "" if error is None else error.response["Error"]["Message"]
    for path, items in sent.items():
        member = input_member(operation, path).member
        at = aws_path(path)
        listed = "[" + ", ".join("null" if item is None else str(item) for item in items) + "]"
        entry = f"Value '{listed}' at '{at}' failed to satisfy constraint: " + \
            bracket("Member", member)
        bad = any(item_is_bad(member, item) for item in items)
        event(f"{operation} {path}: {'bad' if bad else 'good'} items")
        assert f"at '{at}.' " not in message and f"at '{at}.1" not in message, message
        assert message.count(f" at '{at}' failed to satisfy constraint: Member must satisfy "
                             "constraint: [") == int(bad), message
        if bad:
            assert error is not None and error.response["Error"]["Code"] == "ValidationException"
            assert entry in message
    answered_without_change(world, error)


def input_member(operation: str, path: str) -> Shape:
    shape = input_shape(operation)
    for name in path.split("."):
        shape = shape.members[name]
    return shape
