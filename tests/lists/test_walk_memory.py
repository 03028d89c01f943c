"""What a walk remembers: bounded whatever came before, exact while the walk is open, and an
alias moved by the two-call move listed once by every walk that began while it existed."""
from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.sagemaker.models import sagemaker_backends

from support import ACCOUNT, BASE_IMAGE, REGION, ROLE_ARN
from moto_sagemaker_imgver import indexes

BY_MODIFIED = {"SortBy": "LAST_MODIFIED_TIME", "SortOrder": "DESCENDING"}


def image_store() -> Any:
    backend = sagemaker_backends[ACCOUNT][REGION]
    return next(store for store in backend.image_stores if hasattr(store, "create_image"))


def names(answer: dict) -> list[str]:
    return [image["ImageName"] for image in answer["Images"]]


def make_images(sm: Any, count: int) -> list[str]:
    made = [f"image-{number:02}" for number in range(count)]
    for name in made:
        sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
    return made


def test_update_list_pairs_keep_the_index_bounded(sm: Any) -> None:
    made = make_images(sm, 6)
    tokens = []
    for pair in range(3 * indexes.MAX_OPEN_WALKS):
        sm.update_image(ImageName=made[pair % 6], Description=f"pair {pair}")
        tokens.append(sm.list_images(MaxResults=2, **BY_MODIFIED)["NextToken"])
    sizes = image_store().images.orders["modified"].sizes()
    assert sizes["walks"] <= indexes.MAX_OPEN_WALKS
    assert sizes["ghosts"] <= sizes["kept"] <= indexes.MAX_OPEN_WALKS
    assert sizes["items"] == 6
    # The latest walk goes on as it began; a fresh walk sees the order as it is.
    rest = sm.list_images(MaxResults=10, NextToken=tokens[-1], **BY_MODIFIED)
    fresh = names(sm.list_images(MaxResults=10, **BY_MODIFIED))
    assert names(rest) == fresh[2:]


def test_alias_moves_between_walks_keep_the_alias_order_bounded(sm: Any) -> None:
    sm.create_image(ImageName="moves", RoleArn=ROLE_ARN)
    for number in range(1, 4):
        sm.create_image_version(ImageName="moves", BaseImage=BASE_IMAGE, Aliases=[f"v{number}"])
    holder = 1
    sm.update_image_version(ImageName="moves", Version=1, AliasesToAdd=["mv"])
    for _ in range(2 * indexes.MAX_OPEN_WALKS):
        target = holder % 3 + 1
        sm.update_image_version(ImageName="moves", Version=holder, AliasesToDelete=["mv"])
        sm.update_image_version(ImageName="moves", Version=target, AliasesToAdd=["mv"])
        holder = target
        assert "NextToken" in sm.list_aliases(ImageName="moves", MaxResults=1)
    image = image_store().images.get("moves")
    assert image is not None
    assert image.alias_entries.sizes()["kept"] <= indexes.MAX_OPEN_WALKS
    assert image.alias_entries.sizes()["walks"] <= indexes.MAX_OPEN_WALKS


def test_the_oldest_open_walk_is_exact_and_a_forgotten_one_is_refused(sm: Any) -> None:
    make_images(sm, 4)
    first = sm.list_images(MaxResults=1, **BY_MODIFIED)
    assert names(first) == ["image-03"]
    began = names(sm.list_images(MaxResults=10, **BY_MODIFIED))
    # Newer walks, each after a move, up to the limit: the first walk is still among them.
    for walk in range(indexes.MAX_OPEN_WALKS - 1):
        sm.update_image(ImageName="image-00", Description=f"walk {walk}")
        assert "NextToken" in sm.list_images(MaxResults=1, **BY_MODIFIED)
    rest = sm.list_images(MaxResults=10, NextToken=first["NextToken"], **BY_MODIFIED)
    assert names(rest) == began[1:]  # image-00 where it stood when the walk began
    second = sm.list_images(MaxResults=1, **BY_MODIFIED)
    for walk in range(indexes.MAX_OPEN_WALKS):
        sm.update_image(ImageName="image-01", Description=f"walk {walk}")
        sm.list_images(MaxResults=1, **BY_MODIFIED)
    with pytest.raises(ClientError) as info:
        sm.list_images(MaxResults=10, NextToken=second["NextToken"], **BY_MODIFIED)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "expired" in info.value.response["Error"]["Message"]


def test_an_idle_walk_is_forgotten_but_goes_on_if_nothing_moved(
        sm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    make_images(sm, 3)
    monkeypatch.setattr(indexes, "WALK_MEMORY_SECONDS", 0.0)  # every walk is idle at once
    first = sm.list_images(MaxResults=1, **BY_MODIFIED)
    second = sm.list_images(MaxResults=1, NextToken=first["NextToken"], **BY_MODIFIED)
    assert names(first) + names(second) == ["image-02", "image-01"]
    sm.update_image(ImageName="image-00", Description="moved")
    with pytest.raises(ClientError) as info:
        sm.list_images(MaxResults=1, NextToken=second["NextToken"], **BY_MODIFIED)
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_concurrent_walks_under_random_changes_list_what_they_began_with(sm: Any) -> None:
    rng = random.Random(17)
    made = make_images(sm, 8)
    alive, counter = list(made), iter(range(100, 10**6))
    walks: list[dict[str, Any]] = []
    for step in range(220):
        roll = rng.random()
        if roll < 0.35 and alive:
            sm.update_image(ImageName=rng.choice(alive), Description=f"step {step}")
        elif roll < 0.42:
            name = f"image-{next(counter)}"
            sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
            alive.append(name)
        elif roll < 0.47 and len(alive) > 3:
            victim = alive.pop(rng.randrange(len(alive)))
            sm.delete_image(ImageName=victim)
            for walk in walks:
                walk["deleted"].add(victim)
        elif roll < 0.6 or not walks:
            order = rng.choice(["ASCENDING", "DESCENDING"])
            request = {"SortBy": "LAST_MODIFIED_TIME", "SortOrder": order, "MaxResults": 2}
            began = names(sm.list_images(**{**request, "MaxResults": 100}))
            walk = {"request": request, "began": began, "listed": [], "token": None,
                    "deleted": set()}
            walks.append(walk)
            next_page(sm, walk, walks)
        else:
            next_page(sm, rng.choice(walks), walks)
    assert len(walks) < 8  # most walks ran to their end above


def next_page(sm: Any, walk: dict[str, Any], walks: list) -> None:
    token = {"NextToken": walk["token"]} if walk["token"] else {}
    answer = sm.list_images(**walk["request"], **token)
    walk["listed"] += names(answer)
    walk["token"] = answer.get("NextToken")
    if not walk["token"]:
        walks.remove(walk)
        check_walk(walk)


def check_walk(walk: dict[str, Any]) -> None:
    listed, began, deleted = walk["listed"], walk["began"], walk["deleted"]
    assert len(listed) == len(set(listed)), f"listed twice: {listed}"
    lasting = [name for name in began if name not in deleted]
    assert [name for name in listed if name in lasting] == lasting  # once each, in the old order


def test_the_two_call_move_during_an_alias_walk_lists_the_alias_once(sm: Any) -> None:
    rng = random.Random(4)
    sm.create_image(ImageName="walked", RoleArn=ROLE_ARN)
    for number in range(1, 6):
        sm.create_image_version(ImageName="walked", BaseImage=BASE_IMAGE,
                                Aliases=[f"a{number}", f"b{number}"] + (["mv"] * (number == 3)))
    holder: int | None = 3
    for _ in range(120):
        by_version = rng.random() < 0.3
        request = {"ImageName": "walked", "MaxResults": 2}
        if by_version:
            request["Version"] = rng.randint(1, 5)
        began = sm.list_aliases(**{**request, "MaxResults": 100})["SageMakerImageVersionAliases"]
        listed: list[str] = []
        token = None
        while True:
            answer = sm.list_aliases(**request, **({"NextToken": token} if token else {}))
            listed += answer["SageMakerImageVersionAliases"]
            token = answer.get("NextToken")
            if not token:
                break
            # Between any two pages: half a move, a whole one, or nothing.
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                if holder is not None:
                    sm.update_image_version(ImageName="walked", Version=holder,
                                            AliasesToDelete=["mv"])
                    holder = None
                else:
                    holder = rng.randint(1, 5)
                    sm.update_image_version(ImageName="walked", Version=holder,
                                            AliasesToAdd=["mv"])
        # What the list held when the walk began, once each and in that order, the moving alias
        # where it stood; an alias held by no version then is listed at most once.
        assert [alias for alias in listed if alias in began] == began
        assert listed.count("mv") <= 1
        assert set(listed) - set(began) <= {"mv"}
