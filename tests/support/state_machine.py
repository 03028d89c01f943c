"""Strategies and the API-side view for the state-machine test (tests/modes/test_state_machine.py)."""
from __future__ import annotations

import collections
import contextlib
import os
import re
import sys
from typing import Any, Callable, Iterator, Sequence

from botocore.exceptions import ClientError
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from moto import mock_aws

from support import REGION, shared_session
from support.reference_model import ARN, Model, Refused, Walk

IMAGE_NAMES = ["img-a", "IMG-A", "img-b", "Img.c", "other1"]  # the first two are one image
CONFIG_NAMES = ["cfg-a", "CFG-A", "cfg-b", "kernels"]
ALIASES = ["prod", "beta", "v1.0", "latest_", "x"]
BAD_IMAGE_NAMES = ["-bad", "bad-", "a..b", "a_b", "x" * 64]
BAD_ALIASES = [".lead", "-lead", "has space", "x" * 129, "a/b"]
BASE_IMAGES = ["python:3.12", f"123456789012.dkr.ecr.{REGION}.amazonaws.com/repo:1.0",
               "repo@sha256:" + "a" * 64]
DIGEST_PINNED = re.compile(r"^[^@]+@sha256:[0-9a-f]{64}$")
MAX_VERSIONS = 4  # live versions per image: keeps the scoped checks cheap
MAX_WALKS = 3
STEPS = {"count": 0}  # steps run, for the long run's report
OUTCOMES: collections.Counter = collections.Counter()  # (rule, "ok" or the code)


MOST_DRAWN = 20  # how often CI's run draws each rule a machine names


def drawn_counts(rules: Sequence[str]) -> dict[str, int]:
    return {name: sum(count for (rule, _), count in OUTCOMES.items() if rule == name)
            for name in rules}


def assert_drawn(rules: Sequence[str], at_least: int = MOST_DRAWN) -> None:
    """In CI's own run (no example count set), each rule was drawn at least `at_least` times."""
    if os.environ.get("STATE_MACHINE_CI_EXAMPLES") or os.environ.get("STATE_MACHINE_EXAMPLES"):
        return
    drawn = drawn_counts(rules)
    assert all(count >= at_least for count in drawn.values()), drawn


@contextlib.contextmanager
def counted_as(prefix: str | None) -> Iterator[None]:
    """The outcomes the rules called inside record are no draws of theirs: kept as
    (`prefix` + " " + rule, outcome), out of `assert_drawn`'s sums (a seed's steps, or a rule
    that goes through other rules), or dropped when `prefix` is None."""
    before = OUTCOMES.copy()
    try:
        yield
    finally:
        added = OUTCOMES - before
        OUTCOMES.clear()
        OUTCOMES.update(before)
        for (name, outcome), count in (added.items() if prefix else ()):
            OUTCOMES[f"{prefix} {name}", outcome] += count

# Repeats weight the draw towards the images the test begins with (see `seed`).
names = st.sampled_from(IMAGE_NAMES[:3] * 3 + IMAGE_NAMES)
config_names = st.sampled_from(CONFIG_NAMES[:1] * 2 + CONFIG_NAMES)
aliases = st.sampled_from(ALIASES)
alias_lists = st.lists(aliases, max_size=3)
texts = st.sampled_from(["first", "second one", "dritte"])
tags = st.dictionaries(st.sampled_from(["team", "env", "Owner", "cost-center"]),
                       st.sampled_from(["a", "b", ""]), max_size=3)
# Mostly a version that may be there; sometimes none, an alias, or both (refused).
selectors = st.one_of(st.just({}), st.builds(lambda n: {"Version": n}, st.integers(1, 4)),
                      st.builds(lambda a: {"Alias": a}, aliases),
                      st.builds(lambda n: {"Version": n}, st.integers(0, 9)),
                      st.builds(lambda n, a: {"Version": n, "Alias": a}, st.integers(1, 3),
                                aliases))
few_aliases = st.one_of(st.just([]), st.just([]), st.lists(aliases, max_size=2))
version_fields = st.fixed_dictionaries({}, optional={
    "VendorGuidance": st.sampled_from(["NOT_PROVIDED", "STABLE", "ARCHIVED"]),
    "JobType": st.sampled_from(["TRAINING", "INFERENCE", "NOTEBOOK_KERNEL"]),
    "MLFramework": st.sampled_from(["PyTorch 2.1", "TensorFlow 2.15.0"]),
    "ProgrammingLang": st.sampled_from(["Python 3.12"]),
    "Processor": st.sampled_from(["CPU", "GPU"]),
    "Horovod": st.booleans(), "ReleaseNotes": texts})
app_configs = st.fixed_dictionaries({}, optional={
    "KernelGatewayImageConfig": st.builds(
        lambda k: {"KernelSpecs": [{"Name": k, "DisplayName": k.title()}]},
        st.sampled_from(["python3", "ir"])),
    "JupyterLabAppImageConfig": st.just({"ContainerConfig": {"ContainerArguments": ["--lab"]}}),
    "CodeEditorAppImageConfig": st.just({"FileSystemConfig": {"MountPath": "/home/sagemaker-user",
                                                              "DefaultUid": 1000,
                                                              "DefaultGid": 100}})})
pages = st.integers(1, 3)
targets = st.sampled_from([f"image {n}" for n in IMAGE_NAMES]
                          + [f"config {n}" for n in CONFIG_NAMES] + ["version img-a"])


def plain(answer: dict) -> dict:
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def walk_all(call: Callable[..., dict], key: str, **request: Any) -> tuple[list, list[int]]:
    """Every item of a walk without changes in between, and the size of each page."""
    items, sizes, token = [], [], None
    for _ in range(60):
        answer = call(**request, **({"NextToken": token} if token else {}))
        items += answer[key]
        sizes.append(len(answer[key]))
        token = answer.get("NextToken")
        if not token:
            return items, sizes
    raise AssertionError("the walk did not end")


def observe(sm: Any, images: list[str], configs: list[str]) -> dict[str, Any]:
    """What the API shows of these names, in the shape of `Model.view`."""
    seen: dict[str, Any] = {}
    for name in images:
        try:
            image = plain(sm.describe_image(ImageName=name))
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFound"
            seen[f"image {name}"] = None
            continue
        versions = sm.list_image_versions(ImageName=name, SortOrder="ASCENDING",
                                          MaxResults=100)["ImageVersions"]
        numbers = [version["Version"] for version in versions]
        seen[f"image {name}"] = {
            "image": image, "versions": versions,
            "details": [plain(sm.describe_image_version(ImageName=name, Version=n))
                        for n in numbers],
            "aliases": [sm.list_aliases(ImageName=name, Version=n, MaxResults=100)
                        ["SageMakerImageVersionAliases"] for n in numbers],
            "all aliases": sm.list_aliases(ImageName=name, MaxResults=100)
            ["SageMakerImageVersionAliases"],
            "tags": sm.list_tags(ResourceArn=image["ImageArn"])["Tags"],
        }
    for name in configs:
        try:
            config = plain(sm.describe_app_image_config(AppImageConfigName=name))
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFound"
            seen[f"config {name}"] = None
            continue
        seen[f"config {name}"] = {
            "config": config, "tags": sm.list_tags(ResourceArn=config["AppImageConfigArn"])["Tags"]}
    return seen


class Frame(RuleBasedStateMachine):
    """What every rule of the state machine runs in: one `mock_aws` per example, the model, the
    walks under way, and the checks every answer goes through."""

    def __init__(self) -> None:
        super().__init__()
        self.mock = mock_aws()
        self.mock.start()
        self.sm = shared_session().client("sagemaker", region_name=REGION)
        self.model = Model()
        self.walks: list[Walk] = []
        self.containers: dict[str, str] = {}  # BaseImage -> ContainerImage: stable per string
        self.began = 0

    def teardown(self) -> None:
        try:
            while self.walks:
                self.continue_walk(0)
            self.check_everything()
        finally:
            self.mock.stop()

    def continue_walk(self, which: int) -> None:
        raise NotImplementedError

    def check_everything(self) -> None:
        raise NotImplementedError

    @invariant()
    def count_steps(self) -> None:
        STEPS["count"] += self.began  # invariants also run once before the first step
        self.began = 1

    # --- the frame every rule runs in ------------------------------------------------------

    def attempt(self, expect: Callable[[], Any], call: Callable[[], dict],
                images: tuple[str, ...] = (),
                configs: tuple[str, ...] = ()) -> tuple[Any, dict] | None:
        """The model's result and the API's answer; None when both refused, with the same code,
        and nothing named by the request changed."""
        scope = ([name.lower() for name in images], [name.lower() for name in configs])
        before = self.model.view(*scope)
        try:
            result, code = expect(), None
        except Refused as refusal:
            result, code = None, refusal.code
        caller = sys._getframe(1)
        while caller.f_code.co_name == "attempt":  # a subclass's attempt wrapping this one
            caller = caller.f_back
        OUTCOMES[caller.f_code.co_name, code or "ok"] += 1
        try:
            answer = call()
        except ClientError as error:
            got = error.response["Error"]["Code"]
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            assert code is not None, f"refused with {got}: {error.response['Error']['Message']}"
            assert got == code, f"expected {code}, got {got}: {error.response['Error']['Message']}"
            assert self.model.view(*scope) == before  # the model kept its word too
            assert observe(self.sm, *scope) == before
            return None
        assert code is None, f"expected {code}, but it succeeded: {answer}"
        return result, answer

    def settle(self, item: Any, answer: dict, changed: bool) -> None:
        """Record the times the API shows right after a change, held to what they must be."""
        created, modified = answer["CreationTime"], answer["LastModifiedTime"]
        if item.created is None:
            assert created == modified, "a new resource was modified before it was created"
        else:
            assert created == item.created
            assert modified > item.modified if changed else modified == item.modified
        item.created, item.modified = created, modified

    def settle_image(self, name: str, changed: bool = False) -> None:
        image = self.model.images[name.lower()]
        answer = plain(self.sm.describe_image(ImageName=name))
        self.settle(image, answer, changed)
        assert answer == Model.image_item(image, describe=True)

    def settle_version(self, name: str, number: int, changed: bool = False) -> None:
        image = self.model.images[name.lower()]
        version = next(v for v in image.versions if v.number == number)
        answer = plain(self.sm.describe_image_version(ImageName=name, Version=number))
        self.settle(version, answer, changed)
        container = answer.get("ContainerImage", "")
        assert DIGEST_PINNED.match(container), container
        if "@sha256:" in version.base_image:
            assert container == version.base_image
        assert self.containers.setdefault(version.base_image, container) == container
        version.container = container
        assert answer == Model.version_item(image, version, describe=True)

    def settle_config(self, name: str, changed: bool = False) -> None:
        config = self.model.configs[name.lower()]
        answer = plain(self.sm.describe_app_image_config(AppImageConfigName=name))
        self.settle(config, answer, changed)
        assert answer == Model.config_item(config)

    def gone(self, call: Callable[..., Any], **request: Any) -> None:
        try:
            call(**request)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFound"
        else:
            raise AssertionError(f"{call.__name__} still answers after the delete")

    # --- walks -----------------------------------------------------------------------------

    def identities(self, kind: str, request: dict, owner: Any) -> list[Any] | None:
        """What a walk's query would list now, in its order; None once its image is gone."""
        model = self.model
        if kind == "images":
            return [(i.name.lower(), i.created) for i in model.list_images(
                request.get("NameContains"), request.get("SortBy"), request.get("SortOrder"))]
        if kind == "configs":
            return [(c.name.lower(), c.created) for c in model.list_configs(
                request.get("NameContains"), request["SortBy"], request["SortOrder"])]
        image = model.images.get(request["ImageName"].lower())
        if image is not owner:
            return None
        if kind == "versions":
            return [v.number for v in model.list_versions(
                request["ImageName"], request.get("SortBy"), request.get("SortOrder"))]
        return [(a, v.number) for v in image.versions for a in v.aliases
                if request.get("Version") in (None, v.number)]

    @invariant()
    def touch_walks(self) -> None:
        """After every step (so after the times of a change are recorded)."""
        for walk in self.walks:
            now = self.identities(walk.kind, walk.request, walk.owner)
            if now is not None:
                walk.touch(now)

    def list_call(self, kind: str) -> Any:
        return {"images": self.sm.list_images, "configs": self.sm.list_app_image_configs,
                "versions": self.sm.list_image_versions, "aliases": self.sm.list_aliases}[kind]

    def next_page(self, walk: Walk) -> None:
        key = {"images": "Images", "configs": "AppImageConfigs", "versions": "ImageVersions",
               "aliases": "SageMakerImageVersionAliases"}[walk.kind]
        answer = self.list_call(walk.kind)(**walk.request, **(
            {"NextToken": walk.token} if walk.token else {}))
        assert len(answer[key]) <= walk.request["MaxResults"]
        for item in answer[key]:
            if walk.kind in ("images", "configs"):
                name = item["ImageName" if walk.kind == "images" else "AppImageConfigName"]
                walk.listed.append((name.lower(), item["CreationTime"]))
                assert walk.request.get("NameContains", "").lower() in name.lower()
            else:
                walk.listed.append(item["Version"] if walk.kind == "versions" else item)
        walk.token = answer.get("NextToken")
        if not walk.token:
            self.walks.remove(walk)
            OUTCOMES["walk " + walk.kind, "changed" if walk.changes else "still"] += 1
            repeats = len(walk.listed) - len(set(walk.listed))
            OUTCOMES["walk " + walk.kind, "alias repeats"] += repeats
            assert not walk.problems(), (walk.request, walk.problems())


class ConfigAndTagRules(Frame):
    """The rules for app image configs and tags (the image rules are in the test)."""

    # --- app image configs -----------------------------------------------------------------

    @rule(name=config_names, configs=app_configs, tags=tags)
    def create_config(self, name: str, configs: dict[str, Any], tags: dict[str, str]) -> None:
        done = self.attempt(
            lambda: self.model.create_config(name, configs, tags),
            lambda: self.sm.create_app_image_config(
                AppImageConfigName=name, **configs,
                Tags=[{"Key": k, "Value": v} for k, v in tags.items()]),
            configs=(name,))
        if done:
            assert done[1]["AppImageConfigArn"] == done[0].arn
            self.settle_config(name)

    @rule(name=config_names, configs=app_configs)
    def update_config(self, name: str, configs: dict[str, Any]) -> None:
        done = self.attempt(
            lambda: self.model.update_config(name, configs),
            lambda: self.sm.update_app_image_config(AppImageConfigName=name, **configs),
            configs=(name,))
        if done:
            assert done[1]["AppImageConfigArn"] == done[0].arn
            self.settle_config(name, changed=True)

    @rule(name=config_names)
    def delete_config(self, name: str) -> None:
        if self.attempt(lambda: self.model.delete_config(name),
                        lambda: self.sm.delete_app_image_config(AppImageConfigName=name),
                        configs=(name,)):
            self.gone(self.sm.describe_app_image_config, AppImageConfigName=name)

    @rule(name=config_names)
    def describe_config(self, name: str) -> None:
        done = self.attempt(
            lambda: self.model.config(name),
            lambda: self.sm.describe_app_image_config(AppImageConfigName=name), configs=(name,))
        if done:
            assert plain(done[1]) == Model.config_item(done[0])

    @rule(needle=st.none() | st.sampled_from(["cfg", "A", "kern"]),
          sort_by=st.sampled_from(["CreationTime", "LastModifiedTime", "Name"]),
          order=st.sampled_from(["Ascending", "Descending"]), size=pages)
    def list_configs(self, needle: str | None, sort_by: str, order: str, size: int) -> None:
        extra = {"NameContains": needle} if needle else {}
        items, _ = walk_all(self.sm.list_app_image_configs, "AppImageConfigs", MaxResults=size,
                            SortBy=sort_by, SortOrder=order, **extra)
        assert items == [Model.config_item(c)
                         for c in self.model.list_configs(needle, sort_by, order)]

    # --- tags ------------------------------------------------------------------------------

    def arn_of(self, target: str) -> str:
        kind, _, name = target.partition(" ")
        return {"image": f"{ARN}image/{name.lower()}", "config": f"{ARN}app-image-config/"
                f"{name.lower()}", "version": f"{ARN}image-version/{name.lower()}/1"}[kind]

    def scope_of(self, target: str) -> dict[str, tuple[str, ...]]:
        kind, _, name = target.partition(" ")
        return {"configs": (name,)} if kind == "config" else {"images": (name,)}

    @rule(resource=targets, tags=tags)
    def add_tags(self, resource: str, tags: dict[str, str]) -> None:
        arn = self.arn_of(resource)
        if self.attempt(lambda: self.model.add_tags(arn, tags),
                        lambda: self.sm.add_tags(ResourceArn=arn, Tags=[
                            {"Key": k, "Value": v} for k, v in tags.items()]),
                        **self.scope_of(resource)):
            assert self.sm.list_tags(ResourceArn=arn)["Tags"] == self.model.list_tags(arn)

    @rule(resource=targets,
          keys=st.lists(st.sampled_from(["team", "env", "Owner", "none"]), min_size=1))
    def delete_tags(self, resource: str, keys: list[str]) -> None:
        arn = self.arn_of(resource)
        if self.attempt(lambda: self.model.delete_tags(arn, keys),
                        lambda: self.sm.delete_tags(ResourceArn=arn, TagKeys=keys),
                        **self.scope_of(resource)):
            assert self.sm.list_tags(ResourceArn=arn)["Tags"] == self.model.list_tags(arn)

    @rule(resource=targets)
    def too_many_tags(self, resource: str) -> None:
        """A batch that would take the resource past 50 tags is refused whole."""
        arn = self.arn_of(resource)
        try:
            count = 51 - len(self.model.tags_of(arn))
        except Refused:
            count = 3
        batch = {f"bulk-{i:02}": "x" for i in range(count)}  # 51 in one request: refused too
        self.attempt(lambda: self.model.add_tags(arn, batch),
                     lambda: self.sm.add_tags(ResourceArn=arn, Tags=[
                         {"Key": k, "Value": v} for k, v in batch.items()]),
                     **self.scope_of(resource))
