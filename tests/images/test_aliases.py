"""Alias rules on CreateImageVersion / UpdateImageVersion / DeleteImageVersion, and ListAliases."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError

from support import BASE_IMAGE, error_of

IMAGE = "my-image"


def aliases(sm: Any, image: str = IMAGE, **selector: Any) -> list[str]:
    return sm.list_aliases(ImageName=image, **selector)["SageMakerImageVersionAliases"]


@pytest.fixture
def new_version(sm: Any, make_image: Callable[..., str]) -> Callable[..., int]:
    make_image(IMAGE)

    def create(*names: str, image: str = IMAGE) -> int:
        arn = sm.create_image_version(ImageName=image, BaseImage=BASE_IMAGE, Aliases=list(names))
        return int(arn["ImageVersionArn"].rsplit("/", 1)[1])

    return create


def last_modified(sm: Any, version: int) -> Any:
    return sm.describe_image_version(ImageName=IMAGE, Version=version)["LastModifiedTime"]


# --- attaching on create -------------------------------------------------------------------

def test_create_image_version_attaches_aliases(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("latest", "stable")
    assert aliases(sm, Version=1) == ["latest", "stable"]


def test_create_with_an_alias_another_version_holds_is_rejected(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version("stable")
    code, message = error_of(sm.create_image_version, ImageName=IMAGE, BaseImage=BASE_IMAGE,
                             Aliases=["fresh", "stable"])
    assert code == "ValidationException"
    assert "stable" in message and "version 1" in message


def test_rejected_create_creates_no_version(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("stable")
    with pytest.raises(ClientError):
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=["fresh", "stable"])
    versions = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"]
    assert [version["Version"] for version in versions] == [1]
    assert aliases(sm) == ["stable"]


def test_repeats_in_create_aliases_are_collapsed(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b", "a")
    assert aliases(sm, Version=1) == ["a", "b"]


# --- UpdateImageVersion --------------------------------------------------------------------

def test_add_and_delete_in_one_call_moves_the_name(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("first")
    sm.update_image_version(ImageName=IMAGE, Version=1,
                            AliasesToAdd=["second"], AliasesToDelete=["first"])
    assert aliases(sm, Version=1) == ["second"]


def test_added_alias_selects_the_version(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    new_version()
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["prod"])
    assert sm.describe_image_version(ImageName=IMAGE, Alias="prod")["Version"] == 1


def test_deleted_alias_no_longer_selects(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("prod")
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToDelete=["prod"])
    code, _ = error_of(sm.describe_image_version, ImageName=IMAGE, Alias="prod")
    assert code == "ResourceNotFound"


def test_alias_held_by_another_version_is_rejected(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("stable")
    new_version()
    code, message = error_of(sm.update_image_version, ImageName=IMAGE, Version=2,
                             AliasesToAdd=["stable"])
    assert code == "ValidationException"
    assert "stable" in message and "version 1" in message


def test_conflicting_add_moves_nothing(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("stable")
    new_version("old")
    before = last_modified(sm, 2)
    with pytest.raises(ClientError):
        sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["new", "stable"],
                                AliasesToDelete=["old"], ReleaseNotes="changed")
    assert aliases(sm, Version=1) == ["stable"]
    assert aliases(sm, Version=2) == ["old"]
    assert last_modified(sm, 2) == before
    assert "ReleaseNotes" not in sm.describe_image_version(ImageName=IMAGE, Version=2)


def test_alias_already_held_is_a_no_op(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b")
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["a", "c"])
    assert aliases(sm, Version=1) == ["a", "b", "c"]


def test_repeats_in_aliases_to_add_are_collapsed(sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["x", "y", "x"])
    assert aliases(sm, Version=1) == ["x", "y"]


def test_repeats_in_aliases_to_delete_are_collapsed(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("x", "y")
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToDelete=["x", "x"])
    assert aliases(sm, Version=1) == ["y"]


def test_same_alias_in_add_and_delete_is_rejected(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a")
    before = last_modified(sm, 1)
    code, message = error_of(sm.update_image_version, ImageName=IMAGE, Version=1,
                             AliasesToAdd=["b", "a"], AliasesToDelete=["a"])
    assert code == "ValidationException"
    assert "a" in message
    assert aliases(sm, Version=1) == ["a"]
    assert last_modified(sm, 1) == before


def test_deleting_an_alias_not_held_is_not_found(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("mine")
    new_version("theirs")
    before = last_modified(sm, 1)
    code, message = error_of(sm.update_image_version, ImageName=IMAGE, Version=1,
                             AliasesToAdd=["extra"], AliasesToDelete=["mine", "theirs"])
    assert code == "ResourceNotFound"
    assert "theirs" in message
    assert aliases(sm) == ["mine", "theirs"]
    assert last_modified(sm, 1) == before


def test_update_with_only_aliases_bumps_last_modified_time(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    before = last_modified(sm, 1)
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["new"])
    assert last_modified(sm, 1) > before


def test_alias_may_be_moved_after_it_is_freed(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("prod")
    new_version()
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToDelete=["prod"])
    sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["prod"])
    assert sm.describe_image_version(ImageName=IMAGE, Alias="prod")["Version"] == 2


def test_two_images_may_share_an_alias(sm: Any, make_image: Callable[..., str],
                                       new_version: Callable[..., int]) -> None:
    make_image("other")
    new_version("stable")
    new_version()
    new_version("stable", image="other")
    assert sm.describe_image_version(ImageName=IMAGE, Alias="stable")["Version"] == 1
    assert sm.describe_image_version(ImageName="other", Alias="stable")["Version"] == 1


def test_alias_is_case_sensitive(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("Stable")
    new_version("stable")
    assert sm.describe_image_version(ImageName=IMAGE, Alias="Stable")["Version"] == 1
    assert sm.describe_image_version(ImageName=IMAGE, Alias="stable")["Version"] == 2


# --- freeing on delete ---------------------------------------------------------------------

def test_delete_image_version_frees_its_aliases(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("prod", "stable")
    new_version()
    sm.delete_image_version(ImageName=IMAGE, Version=1)
    assert aliases(sm) == []
    sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["prod", "stable"])
    assert aliases(sm, Alias="prod") == ["prod", "stable"]


def test_a_new_version_may_take_freed_aliases(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("prod")
    sm.delete_image_version(ImageName=IMAGE, Alias="prod")
    assert new_version("prod") == 2
    assert sm.describe_image_version(ImageName=IMAGE, Alias="prod")["Version"] == 2


def test_delete_image_drops_its_aliases(sm: Any, make_image: Callable[..., str],
                                        new_version: Callable[..., int]) -> None:
    new_version("prod")
    sm.delete_image(ImageName=IMAGE)
    make_image(IMAGE)
    code, _ = error_of(sm.describe_image_version, ImageName=IMAGE, Alias="prod")
    assert code == "ResourceNotFound"
    assert new_version("prod") == 1


# --- ListAliases ---------------------------------------------------------------------------

def test_list_aliases_of_one_version(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b")
    new_version("c")
    assert aliases(sm, Version=1) == ["a", "b"]
    assert aliases(sm, Version=2) == ["c"]


def test_list_aliases_by_alias_lists_all_of_its_version(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b")
    new_version("c")
    assert aliases(sm, Alias="b") == ["a", "b"]


def test_list_aliases_without_selector_lists_every_version(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b")
    new_version()
    new_version("c")
    assert aliases(sm) == ["a", "b", "c"]


def test_list_aliases_orders_by_version_then_added_order(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version("zeta")
    new_version("beta", "alpha")
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["mid", "aaa"])
    sm.update_image_version(ImageName=IMAGE, Version=2, AliasesToAdd=["first"])
    assert aliases(sm) == ["zeta", "mid", "aaa", "beta", "alpha", "first"]


def test_re_added_alias_goes_to_the_end(sm: Any, new_version: Callable[..., int]) -> None:
    new_version("a", "b")
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToDelete=["a"])
    sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=["a"])
    assert aliases(sm, Version=1) == ["b", "a"]


def test_list_aliases_of_a_version_without_aliases_is_empty(
        sm: Any, new_version: Callable[..., int]) -> None:
    new_version()
    assert aliases(sm, Version=1) == []
    assert aliases(sm) == []
