"""The generated checks (`validation/generated.py`) answer exactly as the walker
(`validation/walker.py`) does: a request is valid for one if and only if the other accepts it.
Requests are valid ones built from the model for every operation, and the same with values
broken anywhere inside them."""
from __future__ import annotations

import itertools
import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moto_sagemaker_imgver.validation import generated
from test_validate_all_property import MODEL, _rejected, valid

ALL_OPERATIONS = sorted(name for name in MODEL.operation_names
                        if MODEL.operation_model(name).input_shape is not None)
BUSY = ["CreateImage", "CreateImageVersion", "UpdateImageVersion", "ListImageVersions",
        "ListAliases", "CreateAppImageConfig", "AddTags", "ListTags", "CreateModel",
        "CreateTrainingJob", "CreateEndpointConfig", "ListModels", "CreateDomain", "CreateApp"]
# Values that break a member in some way: wrong JSON type, null, bounds, patterns, enums.
BREAKERS = [None, "", "a" * 3000, "*!\n_ ", "not-in-the-enum", "\u00e9t\u00e9", "-", 0, -1, 7,
            2**31, 2**63, 1.5, 3.0, float("1e300"), True, False, [], [None], [1], ["a"], {},
            {"x": None}, {"x": 1}, {"": "a"}, {"Key": "k", "Value": "v"}]


def examples(count: int) -> settings:
    return settings(max_examples=count, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def _same_answer(operation: str, document: Any) -> None:
    document = json.loads(json.dumps(document))  # as the wire carries it
    assert generated.request_is_valid(operation, document) is not _rejected(operation, document)


def _places(value: Any, shape: Any, path: tuple = ()) -> list[tuple[tuple, Any, Any]]:
    """Every place in a request, with its value and shape: members, items and map values."""
    places = [(path, value, shape)]
    if shape is None:
        return places
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for key, inner in value.items():
            places += _places(inner, shape.members.get(key), path + (key,))
    elif kind == "list" and isinstance(value, list):
        for index, inner in enumerate(value):
            places += _places(inner, shape.member, path + (index,))
    elif kind == "map" and isinstance(value, dict):
        for key, inner in value.items():
            places += _places(inner, shape.value, path + (key,))
    return places


def _just_outside(value: Any, shape: Any) -> list:
    """Values one step past each bound of the shape, made from the valid value where it can be
    (a prefix of a valid string mostly keeps its pattern, so the length rule alone breaks)."""
    if shape is None:
        return []
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if shape.type_name in ("integer", "long", "float", "double"):
        return [bound for bound in ((low - 1) if low is not None else None,
                                    (high + 1) if high is not None else None) if bound is not None]
    if not isinstance(value, (str, list, dict)):
        return []
    outside = []
    if low:
        outside.append(value[:low - 1] if not isinstance(value, dict)
                       else dict(list(value.items())[:low - 1]))
    if high is not None and high < 5000 and value:
        if isinstance(value, str):
            outside.append((value * (high // len(value) + 2))[:high + 1])
        elif isinstance(value, list):
            outside.append((value * (high // len(value) + 2))[:high + 1])
    return outside


def _replaced(value: Any, path: tuple, new: Any, drop: bool) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if drop and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(value[head], rest, new, drop)
    return copy


@st.composite
def broken(draw: Any, operation: str) -> dict:
    """A valid request of the operation with one to three values replaced or dropped."""
    shape = MODEL.operation_model(operation).input_shape
    request = draw(valid(shape), label="valid")
    for _ in range(draw(st.integers(1, 3))):
        places = [place for place in _places(request, shape) if place[0]]
        if not places:
            break
        path, value, place_shape = draw(st.sampled_from(places), label="place")
        nearby = _just_outside(value, place_shape)
        new = draw((st.sampled_from(nearby) if nearby else st.nothing())
                   | st.sampled_from(BREAKERS) | st.text(string.printable, max_size=4), label="new")
        request = _replaced(request, path, new, drop=draw(st.booleans(), label="drop"))
    return request


@pytest.mark.slow
@examples(300)
@given(data=st.data())
def test_the_generated_checks_agree_with_the_walker(data):
    """One agreement test: both are made from the rule table (`validation/rules.py`), so what
    can part is how each walks a request; valid and broken requests of every operation, ours and
    moto's busiest drawn more often."""
    operation = data.draw(st.sampled_from(ALL_OPERATIONS) | st.sampled_from(BUSY), label="operation")
    request = data.draw(st.one_of(valid(MODEL.operation_model(operation).input_shape),
                                  broken(operation), broken(operation)))
    _same_answer(operation, request)


@pytest.mark.parametrize("document", [[], "s", 1, None, {"ModelName": None}, {"Unknown": 1}])
def test_whole_bodies_agree(document):
    _same_answer("CreateModel", document)
    _same_answer("ListModels", document)


def test_the_generated_checks_can_be_read():
    source = generated.generated_source("CreateImage")
    assert "def check_CreateImageRequest(v):" in source and "len(x) <= 63" in source
    assert "# c0: Member must satisfy regular expression pattern: " in source
    compile(source, "<read>", "exec")  # the notes on constants are comments
