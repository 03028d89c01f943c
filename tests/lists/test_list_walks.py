"""Lists under change: NextToken walks while resources are created, updated and deleted between
pages, and lists that agree with describes while statuses move on with time."""
from __future__ import annotations

import time
from typing import Any, Callable, Iterator

import pytest
import requests
from botocore.exceptions import ClientError
from moto.moto_api import state_manager

from support import BASE_IMAGE, ROLE_ARN, client_for

IMAGE = "my-image"
IMAGE_MODEL = "sagemaker::image"
VERSION_MODEL = "sagemaker::imageversion"
ORIGINALS = 9


def walk(list_page: Callable[..., dict], between: Callable[[list], None], **request: Any) -> list:
    """Every item of a NextToken walk with pages of 2; `between` runs after each page."""
    seen: list = []
    token = None
    for _ in range(100):  # a walk that never ends fails, rather than hangs
        answer = list_page(**request, **({"NextToken": token} if token else {}))
        seen += answer["items"]
        token = answer.get("NextToken")
        if not token:
            return seen
        between(seen)
    raise AssertionError(f"the walk did not end: {seen}")


class Collection:
    """One list operation with the calls that create, update and delete what it lists."""

    def __init__(self, sm: Any, kind: str) -> None:
        self.sm, self.kind = sm, kind
        if kind == "versions":
            sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
        self.counter = 0

    def create(self) -> Any:
        self.counter += 1
        if self.kind == "images":
            name = f"image-{self.counter:02}"
            self.sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
            return name
        if self.kind == "configs":
            name = f"config-{self.counter:02}"
            self.sm.create_app_image_config(AppImageConfigName=name)
            return name
        arn = self.sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)["ImageVersionArn"]
        return int(arn.rsplit("/", 1)[1])

    def update(self, item: Any) -> None:
        if self.kind == "images":
            self.sm.update_image(ImageName=item, Description=f"touched {time.time()}")
        elif self.kind == "configs":
            self.sm.update_app_image_config(AppImageConfigName=item)
        else:
            self.sm.update_image_version(ImageName=IMAGE, Version=item, ReleaseNotes="touched")

    def delete(self, item: Any) -> None:
        if self.kind == "images":
            self.sm.delete_image(ImageName=item)
        elif self.kind == "configs":
            self.sm.delete_app_image_config(AppImageConfigName=item)
        else:
            self.sm.delete_image_version(ImageName=IMAGE, Version=item)

    def list_page(self, **request: Any) -> dict:
        if self.kind == "images":
            answer = self.sm.list_images(**request)
            return {**answer, "items": [image["ImageName"] for image in answer["Images"]]}
        if self.kind == "configs":
            answer = self.sm.list_app_image_configs(**request)
            return {**answer, "items": [c["AppImageConfigName"] for c in answer["AppImageConfigs"]]}
        answer = self.sm.list_image_versions(ImageName=IMAGE, **request)
        return {**answer, "items": [version["Version"] for version in answer["ImageVersions"]]}


SORTS = {
    "images": [(by, order) for by in ("CREATION_TIME", "LAST_MODIFIED_TIME", "IMAGE_NAME")
               for order in ("ASCENDING", "DESCENDING")],
    "configs": [(by, order) for by in ("CreationTime", "LastModifiedTime", "Name")
                for order in ("Ascending", "Descending")],
    "versions": [(by, order) for by in ("CREATION_TIME", "LAST_MODIFIED_TIME")
                 for order in ("ASCENDING", "DESCENDING")],
}


@pytest.mark.parametrize("kind, sort_by, sort_order",
                         [(kind, by, order) for kind, sorts in SORTS.items() for by, order in sorts])
def test_walk_under_change_lists_each_lasting_item_once(sm: Any, kind: str, sort_by: str,
                                                        sort_order: str) -> None:
    collection = Collection(sm, kind)
    originals = [collection.create() for _ in range(ORIGINALS)]
    deleted: set = set()

    def change(seen: list) -> None:
        unseen = [item for item in originals if item not in seen and item not in deleted]
        # Move the modification time of an item still ahead and of one already listed (in a walk
        # by LastModifiedTime, the first jumps behind the walk, the second ahead of it) ...
        for item in unseen[:1] + unseen[-1:] + [item for item in seen if item not in deleted][:1]:
            collection.update(item)
        # ... delete one still ahead, and create a new one.
        if len(unseen) > 2:
            victim = unseen[len(unseen) // 2]
            collection.delete(victim)
            deleted.add(victim)
        collection.create()

    listed = walk(collection.list_page, change, MaxResults=2, SortBy=sort_by,
                  SortOrder=sort_order)
    assert len(listed) == len(set(listed)), f"listed twice: {listed}"
    lasting = [item for item in originals if item not in deleted]
    assert [item for item in lasting if item not in listed] == []
    assert not set(listed) & deleted
    assert len(deleted) >= 2


def test_walk_by_modification_time_keeps_a_moved_item_where_the_walk_found_it(
        sm: Any) -> None:
    for name in ("a", "b", "c"):
        sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
    first = sm.list_images(MaxResults=1, SortBy="LAST_MODIFIED_TIME", SortOrder="ASCENDING")
    assert [image["ImageName"] for image in first["Images"]] == ["a"]
    sm.update_image(ImageName="a", Description="moved past b and c")
    sm.update_image(ImageName="b", Description="moved past c and a")
    rest = sm.list_images(MaxResults=10, SortBy="LAST_MODIFIED_TIME", SortOrder="ASCENDING",
                          NextToken=first["NextToken"])
    assert [image["ImageName"] for image in rest["Images"]] == ["b", "c"]
    # A new walk sees the new order.
    fresh = sm.list_images(SortBy="LAST_MODIFIED_TIME", SortOrder="ASCENDING")
    assert [image["ImageName"] for image in fresh["Images"]] == ["c", "a", "b"]


def test_walk_by_modification_time_lists_an_item_created_during_it_once(sm: Any) -> None:
    sm.create_image(ImageName="a", RoleArn=ROLE_ARN)
    sm.create_image(ImageName="b", RoleArn=ROLE_ARN)
    request = {"SortBy": "LAST_MODIFIED_TIME", "SortOrder": "ASCENDING"}
    first = sm.list_images(MaxResults=1, **request)
    for name in ("c", "d"):
        sm.create_image(ImageName=name, RoleArn=ROLE_ARN)
    second = sm.list_images(MaxResults=2, NextToken=first["NextToken"], **request)
    assert [image["ImageName"] for image in second["Images"]] == ["b", "c"]
    sm.update_image(ImageName="c", Description="moved past d, ahead of the walk")
    rest = sm.list_images(MaxResults=10, NextToken=second["NextToken"], **request)
    assert [image["ImageName"] for image in rest["Images"]] == ["d"]


def test_alias_walk_under_change_lists_each_lasting_alias_once(sm: Any) -> None:
    sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    for number in range(1, 5):
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE,
                                Aliases=[f"v{number}-a", f"v{number}-b"])
    added = iter(range(100))

    def change(seen: list) -> None:
        sm.update_image_version(ImageName=IMAGE, Version=1, AliasesToAdd=[f"new-{next(added)}"])
        if len(seen) == 2:
            sm.delete_image_version(ImageName=IMAGE, Version=3)

    def list_page(**request: Any) -> dict:
        answer = sm.list_aliases(ImageName=IMAGE, **request)
        return {**answer, "items": answer["SageMakerImageVersionAliases"]}

    listed = walk(list_page, change, MaxResults=2)
    assert len(listed) == len(set(listed))
    assert [alias for alias in ("v1-a", "v1-b", "v2-a", "v2-b", "v4-a", "v4-b")
            if alias not in listed] == []
    assert "v3-a" not in listed and "v3-b" not in listed


# --- lists agree with describes while statuses move with time -------------------------------


@pytest.fixture(params=["in-process", "server"])
def timed_client(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Callable[..., None]]]:
    """A client, and a way to put a model on a time-based transition, in either mode."""
    changed: list[str] = []
    if request.param == "in-process":
        sm = request.getfixturevalue("sm")

        def set_time(model: str, seconds: float) -> None:
            state_manager.set_transition(model, {"progression": "time", "seconds": seconds})
            changed.append(model)

        yield sm, set_time
        for model in changed:
            state_manager.unset_transition(model)
        return
    url = request.getfixturevalue("server_url")

    def set_time_served(model: str, seconds: float) -> None:
        requests.post(f"{url}/moto-api/state-manager/set-transition", timeout=10,
                      json={"model_name": model,
                            "transition": {"progression": "time", "seconds": seconds}},
                      ).raise_for_status()
        changed.append(model)

    yield client_for(url), set_time_served
    for model in changed:
        requests.post(f"{url}/moto-api/state-manager/unset-transition", timeout=10,
                      json={"model_name": model}).raise_for_status()


STEP = 1.0  # seconds per state; a sleep of SLEEP moves one state on (long: a busy CI machine)


SLEEP = STEP + 0.3


@pytest.mark.slow  # sleeps through time-based transitions
def test_list_image_versions_agrees_with_describe_over_time(timed_client: Any) -> None:
    sm, set_time = timed_client
    sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    set_time(VERSION_MODEL, STEP)
    sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE)
    listed = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"][0]["ImageVersionStatus"]
    assert listed == sm.describe_image_version(ImageName=IMAGE)["ImageVersionStatus"] == "CREATING"
    time.sleep(SLEEP)
    listed = sm.list_image_versions(ImageName=IMAGE)["ImageVersions"][0]["ImageVersionStatus"]
    assert listed == sm.describe_image_version(ImageName=IMAGE)["ImageVersionStatus"] == "CREATED"


@pytest.mark.slow  # sleeps through time-based transitions
def test_list_images_agrees_with_describe_over_time(timed_client: Any) -> None:
    sm, set_time = timed_client
    set_time(IMAGE_MODEL, STEP)
    sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    time.sleep(SLEEP)
    listed = sm.list_images()["Images"][0]["ImageStatus"]
    assert listed == sm.describe_image(ImageName=IMAGE)["ImageStatus"] == "CREATED"
    sm.update_image(ImageName=IMAGE, Description="changed")
    time.sleep(SLEEP)
    listed = sm.list_images(SortBy="LAST_MODIFIED_TIME")["Images"][0]["ImageStatus"]
    assert listed == sm.describe_image(ImageName=IMAGE)["ImageStatus"] == "CREATED"


@pytest.mark.slow  # sleeps through time-based transitions
def test_items_that_finish_deleting_leave_lists_and_describes_together(timed_client: Any) -> None:
    sm, set_time = timed_client
    sm.create_image(ImageName=IMAGE, RoleArn=ROLE_ARN)
    sm.create_image(ImageName="other", RoleArn=ROLE_ARN)
    for _ in range(3):
        sm.create_image_version(ImageName=IMAGE, BaseImage=BASE_IMAGE, Aliases=[f"a{_}"])
    set_time(VERSION_MODEL, STEP)
    set_time(IMAGE_MODEL, STEP)
    sm.delete_image_version(ImageName=IMAGE, Version=3)
    sm.delete_image(ImageName="other")
    time.sleep(SLEEP)
    # A full page of one is the next version still there, with no token to an empty page.
    page = sm.list_image_versions(ImageName=IMAGE, MaxResults=2)
    assert [version["Version"] for version in page["ImageVersions"]] == [2, 1]
    assert "NextToken" not in page
    assert sm.list_aliases(ImageName=IMAGE)["SageMakerImageVersionAliases"] == ["a0", "a1"]
    assert [image["ImageName"] for image in sm.list_images()["Images"]] == [IMAGE]
    for call, kwargs in ((sm.describe_image_version, {"ImageName": IMAGE, "Version": 3}),
                         (sm.describe_image, {"ImageName": "other"})):
        with pytest.raises(ClientError) as info:
            call(**kwargs)
        assert info.value.response["Error"]["Code"] == "ResourceNotFound"
