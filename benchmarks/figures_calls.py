"""Figures 1 to 3 and 12: the in-process cost of a call (an app launched and described too), and
how a call and a page scale with the number of versions of an image."""
from __future__ import annotations

import time
from typing import Any, Callable, Iterator

from moto import mock_aws

from common import (BASE_IMAGE, ROLE_ARN, Figure, Settings, at_most, build_image, client,
                    interleaved, timed, us)


# --- 1. in-process call cost -----------------------------------------------------------------


def _list_models(sm: Any, settings: Settings) -> Callable[[], float]:
    """The baseline: moto's own list_models, per call."""
    def batch() -> float:
        def run() -> None:
            for _ in range(settings.calls):
                sm.list_models()

        return timed(run) / settings.calls

    return batch


def bench_call_cost(settings: Settings) -> list[Figure]:
    with mock_aws():
        sm = client()
        sm.create_image(ImageName="cost", RoleArn=ROLE_ARN)
        counter = iter(range(10**9))

        def update_batch() -> float:
            # A fresh version per batch, a fresh alias per call: alias lists stay short.
            number = int(sm.create_image_version(ImageName="cost", BaseImage=BASE_IMAGE)
                         ["ImageVersionArn"].rsplit("/", 1)[1])
            batch = next(counter)

            def run() -> None:
                for i in range(settings.calls):
                    sm.update_image_version(ImageName="cost", Version=number,
                                            AliasesToAdd=[f"a{batch}-{i}"], ReleaseNotes="notes")

            return timed(run) / settings.calls

        list_models_batch = _list_models(sm, settings)

        update_batch(), list_models_batch()  # warm both paths
        samples = interleaved(settings.repeats, update=update_batch, list_models=list_models_batch)
    return [at_most(1, "UpdateImageVersion (1 alias added, ReleaseNotes) vs list_models, in-process",
                    samples["update"], samples["list_models"], 1.15, us)]


# --- 12. Studio: launching an app on a custom image, and describing it -------------------------


def bench_apps(settings: Settings) -> list[Figure]:
    with mock_aws():
        sm = client()
        sm.create_image(ImageName="studio", RoleArn=ROLE_ARN)
        sm.create_image_version(ImageName="studio", BaseImage=BASE_IMAGE, Aliases=["1.0.0"])
        sm.create_app_image_config(AppImageConfigName="studio", KernelGatewayImageConfig={
            "KernelSpecs": [{"Name": "python3"}]})
        script = sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="idle", StudioLifecycleConfigContent="ZWNobw==",
            StudioLifecycleConfigAppType="KernelGateway")["StudioLifecycleConfigArn"]
        domain = sm.create_domain(
            DomainName="bench", AuthMode="IAM", SubnetIds=["subnet-0123"], VpcId="vpc-0123",
            DefaultUserSettings={"ExecutionRole": ROLE_ARN, "KernelGatewayAppSettings": {
                "CustomImages": [{"ImageName": "studio", "AppImageConfigName": "studio"}],
                "LifecycleConfigArns": [script]}},
        )["DomainId"]
        sm.create_user_profile(DomainId=domain, UserProfileName="alice")
        image_arn = sm.describe_image(ImageName="studio")["ImageArn"]
        counter = iter(range(10**9))
        app = {"DomainId": domain, "UserProfileName": "alice", "AppType": "KernelGateway"}

        def create_batch() -> float:
            batch = next(counter)

            def run() -> None:
                for i in range(settings.calls):  # on the alias: resolved at creation
                    sm.create_app(**app, AppName=f"a{batch}-{i}", ResourceSpec={
                        "SageMakerImageArn": image_arn, "SageMakerImageVersionAlias": "1.0.0"})

            return timed(run) / settings.calls

        def create_scripted_batch() -> float:
            batch = next(counter)

            def run() -> None:
                for i in range(settings.calls):  # with the lifecycle config it names
                    sm.create_app(**app, AppName=f"s{batch}-{i}", ResourceSpec={
                        "SageMakerImageArn": image_arn, "LifecycleConfigArn": script})

            return timed(run) / settings.calls

        def describe_batch() -> float:
            def run() -> None:
                for _ in range(settings.calls):
                    sm.describe_app(**app, AppName="a0-0")

            return timed(run) / settings.calls

        list_models_batch = _list_models(sm, settings)

        create_batch(), create_scripted_batch(), describe_batch(), list_models_batch()  # warm
        samples = interleaved(settings.repeats, create=create_batch,
                              scripted=create_scripted_batch, describe=describe_batch,
                              list_models=list_models_batch)
    return [at_most(12, "CreateApp on a custom image's alias vs list_models, in-process",
                    samples["create"], samples["list_models"], 1.15, us),
            at_most(12, "CreateApp with a lifecycle config vs list_models, in-process",
                    samples["scripted"], samples["list_models"], 1.15, us),
            at_most(12, "DescribeApp vs list_models, in-process",
                    samples["describe"], samples["list_models"], 1.15, us)]


# --- 2 and 3. scale and pagination -----------------------------------------------------------


def bench_scale_and_pages(settings: Settings, which: set[int]) -> list[Figure]:
    figures: list[Figure] = []
    with mock_aws():
        sm = client()
        started = time.perf_counter()
        build_image(sm, "big", settings.versions, 1, settings.build)
        build_seconds = time.perf_counter() - started
        build_image(sm, "one", 1, 1, "boto3")
        build_image(sm, "small", settings.small_versions, 1, "boto3")
        print(f"  built {settings.versions:,} versions with an alias each through "
              f"{'boto3' if settings.build == 'boto3' else 'the store'} in {build_seconds:.1f} s",
              flush=True)
        # Pages first: the scale figure's updates add aliases to the big image.
        pages = _pages(sm, settings) if 3 in which else []
        figures += _scale(sm, settings) if 2 in which else []
    return figures + pages


def _scale(sm: Any, settings: Settings) -> list[Figure]:
    counter = iter(range(10**9))
    size = {"big": settings.versions, "one": 1}

    def targets(image: str) -> Iterator[int]:
        # Spread over the whole image (a stride co-prime with its size), not one hot entry.
        for i in range(settings.calls):
            yield (i * 7919) % size[image] + 1

    def describe(image: str) -> Callable[[], float]:
        def batch() -> float:
            def run() -> None:
                for number in targets(image):
                    sm.describe_image_version(ImageName=image, Alias=f"{image}-{number}")

            return timed(run) / settings.calls

        return batch

    def update(image: str) -> Callable[[], float]:
        def batch() -> float:
            tag = next(counter)

            def run() -> None:
                for i, number in enumerate(targets(image)):
                    sm.update_image_version(ImageName=image, Alias=f"{image}-{number}",
                                            AliasesToAdd=[f"u{tag}-{i}"], ReleaseNotes="notes")

            return timed(run) / settings.calls

        return batch

    for action in (describe("big"), describe("one"), update("big"), update("one")):
        action()  # warm
    described = interleaved(settings.repeats, big=describe("big"), one=describe("one"))
    updated = interleaved(settings.repeats, big=update("big"), one=update("one"))
    n = f"{settings.versions:,}"
    return [
        at_most(2, f"DescribeImageVersion by alias, {n} versions vs 1",
                described["big"], described["one"], 1.2, us),
        at_most(2, f"UpdateImageVersion by alias, {n} versions vs 1",
                updated["big"], updated["one"], 1.2, us),
    ]


def _walk(list_call: Callable[..., dict], key: str, **request: Any) -> int:
    """Walk every page of a list operation by NextToken; the number of pages."""
    pages, token = 0, None
    while True:
        answer = list_call(**request, **({"NextToken": token} if token else {}))
        pages += 1
        if key not in answer:
            raise AssertionError(f"no {key} in {answer}")
        token = answer.get("NextToken")
        if not token:
            return pages


def _pages(sm: Any, settings: Settings) -> list[Figure]:
    expected_big = -(-settings.versions // 100)
    walks_small = max(1, expected_big // 2)  # the small walk is one page: repeat it for a sample

    def per_page(walks: int, expected: int, list_call: Callable[..., dict], key: str,
                 **request: Any) -> Callable[[], float]:
        def batch() -> float:
            pages = 0

            def run() -> None:
                nonlocal pages
                for _ in range(walks):
                    pages += _walk(list_call, key, **request)

            seconds = timed(run)
            if pages != walks * expected:
                raise AssertionError(f"{request}: walked {pages} pages, expected {walks * expected}")
            return seconds / pages

        return batch

    def compare(repeats: int, list_call: Callable[..., dict], key: str,
                **request: Any) -> dict[str, list[float]]:
        big = per_page(1, expected_big, list_call, key, ImageName="big", **request)
        small = per_page(walks_small, 1, list_call, key, ImageName="small", **request)
        big(), small()  # warm
        return interleaved(repeats, big=big, small=small)

    sizes = f"{settings.versions:,} vs {settings.small_versions} versions"
    versions = compare(settings.repeats, sm.list_image_versions, "ImageVersions", MaxResults=100)
    # The same question asked of the other order and of ListAliases, for information (figure 10
    # asks it of every list and order with a goal).
    by_modified = compare(2, sm.list_image_versions, "ImageVersions", MaxResults=100,
                          SortBy="LAST_MODIFIED_TIME")
    aliases = compare(2, sm.list_aliases, "SageMakerImageVersionAliases", MaxResults=100)
    return [
        at_most(3, f"ListImageVersions per page (100, default sort), {sizes}",
                versions["big"], versions["small"], 1.5, us),
        at_most(3, f"ListImageVersions per page (100, SortBy=LAST_MODIFIED_TIME), {sizes}",
                by_modified["big"], by_modified["small"], None, us),
        at_most(3, f"ListAliases of the whole image per page (100), {sizes}",
                aliases["big"], aliases["small"], None, us),
    ]

