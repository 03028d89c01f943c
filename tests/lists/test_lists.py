"""ListImages, ListImageVersions, ListAliases: sorting, filters, MaxResults and NextToken."""
from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any, Callable

import pytest

from support import BASE_IMAGE, error_of

IMAGE = "my-image"


def names(response: dict[str, Any]) -> list[str]:
    return [image["ImageName"] for image in response["Images"]]


def numbers(response: dict[str, Any]) -> list[int]:
    return [version["Version"] for version in response["ImageVersions"]]


@pytest.fixture
def three_images(sm: Any, make_image: Callable[..., str]) -> list[str]:
    """Created b, c, a in that order; then b is updated last, so each sort differs."""
    for name in ("b-image", "c-image", "a-image"):
        make_image(name)
    sm.update_image(ImageName="b-image", Description="touched")
    return ["b-image", "c-image", "a-image"]


@pytest.fixture
def versions(sm: Any, make_image: Callable[..., str]) -> Callable[[int], None]:
    make_image(IMAGE)

    def create(count: int) -> None:
        for _ in range(count):
            sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)

    return create


# --- ListImages ----------------------------------------------------------------------------

def test_list_images_defaults_to_newest_first(sm: Any, three_images: list[str]) -> None:
    assert names(sm.list_images()) == ["a-image", "c-image", "b-image"]


@pytest.mark.parametrize("sort_by, sort_order, expected", [
    ("CREATION_TIME", "ASCENDING", ["b-image", "c-image", "a-image"]),
    ("CREATION_TIME", "DESCENDING", ["a-image", "c-image", "b-image"]),
    ("LAST_MODIFIED_TIME", "ASCENDING", ["c-image", "a-image", "b-image"]),
    ("LAST_MODIFIED_TIME", "DESCENDING", ["b-image", "a-image", "c-image"]),
    ("IMAGE_NAME", "ASCENDING", ["a-image", "b-image", "c-image"]),
    ("IMAGE_NAME", "DESCENDING", ["c-image", "b-image", "a-image"]),
])
def test_list_images_sorts(sm: Any, three_images: list[str], sort_by: str, sort_order: str,
                           expected: list[str]) -> None:
    assert names(sm.list_images(SortBy=sort_by, SortOrder=sort_order)) == expected


def test_list_images_sort_order_alone_sorts_by_creation_time(
        sm: Any, three_images: list[str]) -> None:
    assert names(sm.list_images(SortOrder="ASCENDING")) == three_images


def test_list_images_sort_by_alone_is_descending(sm: Any, three_images: list[str]) -> None:
    assert names(sm.list_images(SortBy="IMAGE_NAME")) == ["c-image", "b-image", "a-image"]


def test_list_images_items_carry_summary_fields(sm: Any, make_image: Callable[..., str]) -> None:
    arn = make_image("summary", Description="d", DisplayName="D")
    [item] = sm.list_images()["Images"]
    assert item["ImageArn"] == arn
    assert item["ImageName"] == "summary"
    assert item["ImageStatus"] == "CREATED"
    assert item["Description"] == "d"
    assert item["DisplayName"] == "D"
    assert {"CreationTime", "LastModifiedTime"} <= set(item)


def test_name_contains_ignores_case(sm: Any, make_image: Callable[..., str]) -> None:
    for name in ("Team-Alpha", "team-beta", "other"):
        make_image(name)
    found = names(sm.list_images(NameContains="TEAM", SortBy="IMAGE_NAME",
                                 SortOrder="ASCENDING"))
    assert found == ["Team-Alpha", "team-beta"]


def test_name_contains_matches_anywhere(sm: Any, make_image: Callable[..., str]) -> None:
    for name in ("pre-x-post", "x-first", "last-x", "none"):
        make_image(name)
    assert sorted(names(sm.list_images(NameContains="x"))) == ["last-x", "pre-x-post", "x-first"]


def test_creation_time_filters_are_inclusive(sm: Any, three_images: list[str]) -> None:
    middle = sm.describe_image(ImageName="c-image")["CreationTime"]
    assert names(sm.list_images(CreationTimeAfter=middle, SortOrder="ASCENDING")) == \
        ["c-image", "a-image"]
    assert names(sm.list_images(CreationTimeBefore=middle, SortOrder="ASCENDING")) == \
        ["b-image", "c-image"]
    assert names(sm.list_images(CreationTimeAfter=middle, CreationTimeBefore=middle)) == \
        ["c-image"]


def test_last_modified_time_filters_are_inclusive(sm: Any, three_images: list[str]) -> None:
    touched = sm.describe_image(ImageName="b-image")["LastModifiedTime"]
    assert names(sm.list_images(LastModifiedTimeAfter=touched)) == ["b-image"]
    before = names(sm.list_images(LastModifiedTimeBefore=touched, SortOrder="ASCENDING"))
    assert before == three_images


def test_time_filters_outside_every_image_give_nothing(sm: Any, three_images: list[str]) -> None:
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert sm.list_images(CreationTimeAfter=future)["Images"] == []
    assert sm.list_images(LastModifiedTimeBefore=future - dt.timedelta(days=365))["Images"] == []


def test_list_images_max_results_defaults_to_ten(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(12):
        make_image(f"image-{index:02}")
    first = sm.list_images()
    assert len(first["Images"]) == 10
    assert "NextToken" in first
    rest = sm.list_images(NextToken=first["NextToken"])
    assert names(rest) == ["image-01", "image-00"]
    assert "NextToken" not in rest


def test_list_images_pages_with_next_token(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(5):
        make_image(f"image-{index}")
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 2, "SortBy": "IMAGE_NAME", "SortOrder": "ASCENDING"}
    pages = 0
    while True:
        response = sm.list_images(**kwargs)
        seen += names(response)
        pages += 1
        if "NextToken" not in response:
            break
        kwargs["NextToken"] = response["NextToken"]
    assert seen == [f"image-{index}" for index in range(5)]
    assert pages == 3


def test_exact_page_leaves_no_token(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(2):
        make_image(f"image-{index}")
    assert "NextToken" not in sm.list_images(MaxResults=2)


def test_paging_with_a_filter_counts_only_matches(sm: Any, make_image: Callable[..., str]) -> None:
    for name in ("keep-1", "skip-1", "keep-2", "skip-2", "keep-3"):
        make_image(name)
    first = sm.list_images(NameContains="keep", MaxResults=2, SortOrder="ASCENDING")
    assert names(first) == ["keep-1", "keep-2"]
    rest = sm.list_images(NameContains="keep", MaxResults=2, SortOrder="ASCENDING",
                          NextToken=first["NextToken"])
    assert names(rest) == ["keep-3"]
    assert "NextToken" not in rest


def test_paging_survives_deleting_the_next_item(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(4):
        make_image(f"image-{index}")
    first = sm.list_images(MaxResults=2, SortBy="IMAGE_NAME", SortOrder="ASCENDING")
    sm.delete_image(ImageName="image-2")
    rest = sm.list_images(MaxResults=2, SortBy="IMAGE_NAME", SortOrder="ASCENDING",
                          NextToken=first["NextToken"])
    assert names(rest) == ["image-3"]


def test_list_images_paginator_walks_every_image_once(
        sm: Any, make_image: Callable[..., str]) -> None:
    expected = {f"image-{index:02}" for index in range(23)}
    for name in expected:
        make_image(name)
    pages = list(sm.get_paginator("list_images").paginate(PaginationConfig={"PageSize": 5}))
    seen = [image["ImageName"] for page in pages for image in page["Images"]]
    assert len(pages) == 5
    assert len(seen) == len(expected) and set(seen) == expected


def test_list_images_paginator_with_max_items(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(7):
        make_image(f"image-{index}")
    result = sm.get_paginator("list_images").paginate(
        SortBy="IMAGE_NAME", SortOrder="ASCENDING",
        PaginationConfig={"PageSize": 3, "MaxItems": 4}).build_full_result()
    assert [image["ImageName"] for image in result["Images"]] == [f"image-{i}" for i in range(4)]


def test_empty_list_images(sm: Any) -> None:
    response = sm.list_images()
    assert response["Images"] == []
    assert "NextToken" not in response


# --- ListImageVersions ---------------------------------------------------------------------

def test_list_image_versions_defaults_to_newest_first(
        sm: Any, versions: Callable[[int], None]) -> None:
    versions(3)
    assert numbers(sm.list_image_versions(ImageName=IMAGE)) == [3, 2, 1]


@pytest.mark.parametrize("sort_by, sort_order, expected", [
    ("CREATION_TIME", "ASCENDING", [1, 2, 3]),
    ("CREATION_TIME", "DESCENDING", [3, 2, 1]),
    ("VERSION", "ASCENDING", [1, 2, 3]),
    ("VERSION", "DESCENDING", [3, 2, 1]),
    ("LAST_MODIFIED_TIME", "ASCENDING", [2, 3, 1]),
    ("LAST_MODIFIED_TIME", "DESCENDING", [1, 3, 2]),
])
def test_list_image_versions_sorts(sm: Any, versions: Callable[[int], None], sort_by: str,
                                   sort_order: str, expected: list[int]) -> None:
    versions(3)
    sm.update_image_version(ImageName=IMAGE, Version=1, ReleaseNotes="touched last")
    response = sm.list_image_versions(ImageName=IMAGE, SortBy=sort_by, SortOrder=sort_order)
    assert numbers(response) == expected


def test_list_image_versions_items(sm: Any, versions: Callable[[int], None]) -> None:
    versions(1)
    [item] = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"]
    described = sm.describe_image_version(ImageName=IMAGE, Version=1)
    for field in ("ImageArn", "ImageVersionArn", "ImageVersionStatus", "Version",
                  "CreationTime", "LastModifiedTime"):
        assert item[field] == described[field]


def test_list_image_versions_time_filters_are_inclusive(
        sm: Any, versions: Callable[[int], None]) -> None:
    versions(3)
    second = sm.describe_image_version(ImageName=IMAGE, Version=2)["CreationTime"]
    after = sm.list_image_versions(ImageName=IMAGE, CreationTimeAfter=second)
    before = sm.list_image_versions(ImageName=IMAGE, CreationTimeBefore=second)
    assert numbers(after) == [3, 2]
    assert numbers(before) == [2, 1]
    sm.update_image_version(ImageName=IMAGE, Version=1, ReleaseNotes="touched")
    touched = sm.describe_image_version(ImageName=IMAGE, Version=1)["LastModifiedTime"]
    assert numbers(sm.list_image_versions(ImageName=IMAGE, LastModifiedTimeAfter=touched)) == [1]
    assert numbers(sm.list_image_versions(ImageName=IMAGE, LastModifiedTimeBefore=touched)) == \
        [3, 2, 1]


def test_list_image_versions_max_results_defaults_to_ten(
        sm: Any, versions: Callable[[int], None]) -> None:
    versions(11)
    first = sm.list_image_versions(ImageName=IMAGE)
    assert numbers(first) == list(range(11, 1, -1))
    rest = sm.list_image_versions(ImageName=IMAGE, NextToken=first["NextToken"])
    assert numbers(rest) == [1]


def test_list_image_versions_paginator(sm: Any, versions: Callable[[int], None]) -> None:
    versions(7)
    paginator = sm.get_paginator("list_image_versions")
    pages = list(paginator.paginate(ImageName=IMAGE, SortOrder="ASCENDING",
                                    PaginationConfig={"PageSize": 3}))
    assert [numbers(page) for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]


def test_list_image_versions_skips_deleted(sm: Any, versions: Callable[[int], None]) -> None:
    versions(3)
    sm.delete_image_version(ImageName=IMAGE, Version=2)
    assert numbers(sm.list_image_versions(ImageName=IMAGE)) == [3, 1]


def test_list_image_versions_of_an_image_without_versions(
        sm: Any, versions: Callable[[int], None]) -> None:
    assert sm.list_image_versions(ImageName=IMAGE)["ImageVersions"] == []


# --- ListAliases paging --------------------------------------------------------------------

def test_list_aliases_max_results_defaults_to_ten(sm: Any, versions: Callable[[int], None]) -> None:
    versions(1)
    wanted = [f"alias-{index:02}" for index in range(12)]
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=wanted)
    first = sm.list_aliases(ImageName=IMAGE)
    assert first["SageMakerImageVersionAliases"] == wanted[:10]
    rest = sm.list_aliases(ImageName=IMAGE, NextToken=first["NextToken"])
    assert rest["SageMakerImageVersionAliases"] == wanted[10:]
    assert "NextToken" not in rest


def test_list_aliases_paginator_walks_every_alias_once(
        sm: Any, versions: Callable[[int], None]) -> None:
    versions(3)
    expected: list[str] = []
    for number in (1, 2, 3):
        batch = [f"v{number}-{index}" for index in range(4)]
        sm.update_image_version(ImageName=IMAGE, Version=number, AliasesToAdd=batch)
        expected += batch
    pages = list(sm.get_paginator("list_aliases").paginate(
        ImageName=IMAGE, PaginationConfig={"PageSize": 5}))
    seen = [alias for page in pages for alias in page["SageMakerImageVersionAliases"]]
    assert seen == expected
    assert len(pages) == 3


def test_list_aliases_paginator_for_one_version(sm: Any, versions: Callable[[int], None]) -> None:
    versions(2)
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["a", "b", "c"])
    sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["d"])
    result = sm.get_paginator("list_aliases").paginate(
        ImageName=IMAGE, Version=1, PaginationConfig={"PageSize": 2}).build_full_result()
    assert result["SageMakerImageVersionAliases"] == ["a", "b", "c"]


# --- foreign tokens ------------------------------------------------------------------------

def forged(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize("token", [
    "not-a-token",
    "%%%%",
    forged({"cursor": ["x"], "query": "0000000000000000"}),
    forged(["cursor"]),
    base64.urlsafe_b64encode(b"[" * 5000).decode(),
])
def test_foreign_next_token_is_rejected(sm: Any, make_image: Callable[..., str],
                                        token: str) -> None:
    make_image("one")
    code, _ = error_of(sm.list_images, NextToken=token)
    assert code == "ValidationException"


def test_token_from_another_query_is_rejected(sm: Any, make_image: Callable[..., str]) -> None:
    for index in range(3):
        make_image(f"image-{index}")
    token = sm.list_images(MaxResults=1)["NextToken"]
    code, _ = error_of(sm.list_images, MaxResults=1, NextToken=token, SortBy="IMAGE_NAME")
    assert code == "ValidationException"


def test_token_from_another_operation_is_rejected(sm: Any, versions: Callable[[int], None],
                                                  make_image: Callable[..., str]) -> None:
    versions(3)
    make_image("second-image")
    version_token = sm.list_image_versions(ImageName=IMAGE, MaxResults=1)["NextToken"]
    image_token = sm.list_images(MaxResults=1)["NextToken"]
    for call, kwargs in (
        (sm.list_images, {"NextToken": version_token}),
        (sm.list_image_versions, {"ImageName": IMAGE, "NextToken": image_token}),
        (sm.list_aliases, {"ImageName": IMAGE, "NextToken": version_token}),
    ):
        code, _ = error_of(call, **kwargs)
        assert code == "ValidationException"


def test_token_from_another_image_is_rejected(sm: Any, versions: Callable[[int], None],
                                              make_image: Callable[..., str]) -> None:
    versions(3)
    make_image("twin")
    for _ in range(3):
        sm.create_image_version(ImageName="twin", BaseImage=BASE_IMAGE)
    token = sm.list_image_versions(ImageName=IMAGE, MaxResults=1)["NextToken"]
    code, _ = error_of(sm.list_image_versions, ImageName="twin", NextToken=token)
    assert code == "ValidationException"


def test_page_size_may_change_between_pages(sm: Any, versions: Callable[[int], None]) -> None:
    versions(5)
    token = sm.list_image_versions(ImageName=IMAGE, MaxResults=1)["NextToken"]
    rest = sm.list_image_versions(ImageName=IMAGE, MaxResults=10, NextToken=token)
    assert numbers(rest) == [4, 3, 2, 1]
