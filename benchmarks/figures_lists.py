"""Figure 10: a page of every list operation and order at 10,000 resources against 200, the
boto3 paginator's walk of every image, and a page and a delete after many update/list pairs."""
from __future__ import annotations

import time
from typing import Any, Callable

import boto3
from moto import mock_aws

from common import (BASE_IMAGE, ROLE_ARN, Figure, Settings, at_most, interleaved, store_of,
                    timed, us)


# --- 10. every list, every order: page cost at 10,000 resources vs 200 ----------------------

LIST_REGIONS = {"big": "us-east-1", "small": "us-west-2"}  # one size per region, one mock


def build_lists(size: int, region: str) -> None:
    """`size` images (each tagged), app image configs and versions of one image ("versions",
    one alias each; version 1 holds 120 more), built through the stores."""
    images = store_of(region=region)
    configs = store_of(region=region, serving="create_app_image_config")
    for number in range(size):
        images.create_image(image_name=f"image-{number:05}", role_arn=ROLE_ARN,
                            tags=[{"Key": f"k{tag}", "Value": "v"} for tag in range(3)])
        configs.create_app_image_config(app_image_config_name=f"config-{number:05}")
    for number in range(0, size, 3):  # modification order differs from creation order
        images.update_image(image_name=f"image-{number:05}", description="touched")
        configs.update_app_image_config(app_image_config_name=f"config-{number:05}")
    images.create_image(image_name="versions", role_arn=ROLE_ARN,
                        tags=[{"Key": f"tag-{tag:02}", "Value": "v"} for tag in range(50)])
    for number in range(1, size + 1):
        images.create_image_version(image_name="versions", base_image=BASE_IMAGE,
                                    aliases=[f"alias-{number}"])
    images.update_image_version(image_name="versions", version=1,
                                aliases_to_add=[f"more-{i:03}" for i in range(120)])
    for number in range(2, size + 1, 3):
        images.update_image_version(image_name="versions", version=number, release_notes="x")


STUDIO_DOMAINS: dict[str, str] = {}  # region -> the domain holding the Studio lists


def build_studio(size: int, region: str) -> None:
    """One domain with `size` user profiles, `size` spaces and `size` apps (of one user profile),
    a third of the profiles and spaces updated, built through the Studio store."""
    studio = store_of(region=region, serving="create_domain")
    domain_id = studio.create_domain(domain_name="bench", auth_mode="IAM",
                                     default_user_settings={"ExecutionRole": ROLE_ARN},
                                     subnet_ids=["subnet-0123"], vpc_id="vpc-0123").domain_id
    STUDIO_DOMAINS[region] = domain_id
    for number in range(size):
        studio.create_user_profile(domain_id=domain_id, user_profile_name=f"user-{number:05}")
        studio.create_space(domain_id=domain_id, space_name=f"space-{number:05}")
    for number in range(0, size, 3):  # modification order differs from creation order
        studio.update_user_profile(domain_id=domain_id, user_profile_name=f"user-{number:05}",
                                   user_settings={"ExecutionRole": ROLE_ARN})
        studio.update_space(domain_id=domain_id, space_name=f"space-{number:05}",
                            space_settings={})
    studio.create_user_profile(domain_id=domain_id, user_profile_name="owner")
    for number in range(size):
        studio.create_app(domain_id=domain_id, user_profile_name="owner", app_type="JupyterServer",
                          app_name=f"app-{number:05}")
        studio.create_studio_lifecycle_config(  # half of each app type
            studio_lifecycle_config_name=f"script-{number:05}",
            studio_lifecycle_config_content="ZWNobw==",
            studio_lifecycle_config_app_type=("JupyterLab", "KernelGateway")[number % 2])


def studio_rows() -> list[tuple[str, str, str, dict[str, Any]]]:
    """ListUserProfiles, ListSpaces and ListApps in every order and with each filter."""
    rows: list[tuple[str, str, str, dict[str, Any]]] = []
    for name, method, key, needle, text in (
            ("ListUserProfiles", "list_user_profiles", "UserProfiles", "UserProfileNameContains",
             "user"),
            ("ListSpaces", "list_spaces", "Spaces", "SpaceNameContains", "space")):
        for by in ("CreationTime", "LastModifiedTime"):
            for order in ("Ascending", "Descending"):
                rows.append((f"{name} {by} {order}", method, key,
                             {"SortBy": by, "SortOrder": order}))
        rows.append((f"{name} DomainIdEquals", method, key, {"DomainIdEquals": "{domain}"}))
        rows.append((f"{name} {needle}", method, key, {needle: text}))  # every one matches
    for order in ("Ascending", "Descending"):
        rows.append((f"ListApps CreationTime {order}", "list_apps", "Apps",
                     {"SortBy": "CreationTime", "SortOrder": order}))
    rows.append(("ListApps DomainIdEquals and UserProfileNameEquals", "list_apps", "Apps",
                 {"DomainIdEquals": "{domain}", "UserProfileNameEquals": "owner"}))
    name, method, key = ("ListStudioLifecycleConfigs", "list_studio_lifecycle_configs",
                         "StudioLifecycleConfigs")
    for by in ("CreationTime", "LastModifiedTime", "Name"):
        for order in ("Ascending", "Descending"):
            rows.append((f"{name} {by} {order}", method, key, {"SortBy": by, "SortOrder": order}))
    rows.append((f"{name} NameContains", method, key, {"NameContains": "script"}))
    rows.append((f"{name} AppTypeEquals (half match)", method, key,
                 {"AppTypeEquals": "JupyterLab"}))
    return rows


def list_rows() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(row name, client method, result key, request) for every list operation and order."""
    rows: list[tuple[str, str, str, dict[str, Any]]] = []
    for by in ("CREATION_TIME", "LAST_MODIFIED_TIME", "IMAGE_NAME"):
        for order in ("ASCENDING", "DESCENDING"):
            rows.append((f"ListImages {by} {order}", "list_images", "Images",
                         {"SortBy": by, "SortOrder": order}))
    for by in ("CREATION_TIME", "LAST_MODIFIED_TIME"):
        for order in ("ASCENDING", "DESCENDING"):
            rows.append((f"ListImageVersions {by} {order}", "list_image_versions",
                         "ImageVersions", {"ImageName": "versions", "SortBy": by, "SortOrder": order}))
    rows += [
        ("ListAliases of the image", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions"}),
        ("ListAliases by Version", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions", "Version": 1}),
        ("ListAliases by Alias", "list_aliases", "SageMakerImageVersionAliases",
         {"ImageName": "versions", "Alias": "alias-1"}),
    ]
    for by in ("CreationTime", "LastModifiedTime", "Name"):
        for order in ("Ascending", "Descending"):
            rows.append((f"ListAppImageConfigs {by} {order}", "list_app_image_configs",
                         "AppImageConfigs", {"SortBy": by, "SortOrder": order}))
    rows.append(("ListTags (50 tags)", "list_tags", "Tags",
                 {"ResourceArn": "arn:aws:sagemaker:{region}:123456789012:image/versions"}))
    return rows + studio_rows()


def _middle_token(call: Callable[..., dict], request: dict[str, Any], size: int) -> str | None:
    """A NextToken from about the middle of `size` resources, with at least a page of 100 after
    it where there are that many (None when one page holds them all)."""
    answer = call(**request, MaxResults=100)
    token, listed = answer.get("NextToken"), 100
    while token and listed < size // 2:
        answer = call(**request, MaxResults=100, NextToken=token)
        token, listed = answer.get("NextToken") or token, listed + 100
    return token


def bench_lists(settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    with mock_aws():
        started = time.perf_counter()
        for size, region in (("list_big", LIST_REGIONS["big"]), ("list_small", LIST_REGIONS["small"])):
            build_lists(getattr(settings, size), region)
            build_studio(getattr(settings, size), region)
        clients = {size: client_for_region(region) for size, region in LIST_REGIONS.items()}
        print(f"  built {settings.list_big:,} and {settings.list_small} of each resource in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        for name, method, key, template in list_rows():
            requests_of = {size: {k: (v.format(region=region, domain=STUDIO_DOMAINS.get(region))
                                      if isinstance(v, str) else v)
                                  for k, v in template.items()}
                           for size, region in LIST_REGIONS.items()}
            counts = {"big": settings.list_big, "small": settings.list_small}
            tokens = {size: _middle_token(getattr(clients[size], method), requests_of[size],
                                          counts[size]) for size in LIST_REGIONS}
            for page in ((50,) if method == "list_tags" else (10, 100)):  # ListTags: 50 at least
                def batch(size: str, page: int = page) -> Callable[[], float]:
                    call, request, token = getattr(clients[size], method), requests_of[size], tokens[size]

                    def run() -> None:
                        for i in range(settings.list_calls):  # first pages and middle pages
                            extra = {"NextToken": token} if token and i % 2 else {}
                            if key not in call(**request, MaxResults=page, **extra):
                                raise AssertionError(f"no {key}")

                    return lambda: timed(run) / settings.list_calls

                big, small = batch("big"), batch("small")
                big(), small()  # warm
                samples = interleaved(settings.repeats, big=big, small=small)
                figures.append(at_most(10, f"{name}, page of {page}: {settings.list_big:,} vs "
                                          f"{settings.list_small}", samples["big"],
                                       samples["small"], 1.2, us))
        figures.append(_walk_figure(settings, clients))
        figures += _pileup_figures(settings)
    return figures


def _pileup_figures(settings: Settings) -> list[Figure]:
    """A page and a delete after many update/list pairs against a fresh store (pileup.py)."""
    import pileup

    piled, fresh = store_of(region="eu-west-1"), store_of(region="eu-central-1")
    pileup.fill(piled, ROLE_ARN)
    pileup.fill(fresh, ROLE_ARN)
    started = time.perf_counter()
    pileup.pile_up(piled, settings.pileup_pairs)
    print(f"  {settings.pileup_pairs:,} update/list pairs in {time.perf_counter() - started:.1f} s",
          flush=True)
    figures = []
    for what, batch in (("first page of ListImages LAST_MODIFIED_TIME DESCENDING (10)",
                         pileup.page_batch),
                        ("DeleteImage of an unrelated image",
                         lambda store: pileup.delete_batch(store, ROLE_ARN))):
        ours, base = batch(piled), batch(fresh)
        ours(), base()  # warm
        samples = interleaved(settings.repeats, ours=ours, base=base)
        figures.append(at_most(10, f"{what} after {settings.pileup_pairs:,} UpdateImage/ListImages "
                                   "pairs vs a fresh store (in-process, store calls)",
                               samples["ours"], samples["base"], 1.2, us))
    return figures


def client_for_region(region: str) -> Any:
    return boto3.client("sagemaker", region_name=region)


def _walk_figure(settings: Settings, clients: dict[str, Any]) -> Figure:
    """The boto3 paginator's walk of every image, MaxResults=100: the large walk against the
    small one scaled by the number of images."""
    def walk(size: str) -> Callable[[], float]:
        def once() -> float:
            paginator = clients[size].get_paginator("list_images")
            seconds = timed(lambda: sum(len(page["Images"]) for page in
                                        paginator.paginate(PaginationConfig={"PageSize": 100})))
            return seconds

        return once

    scale = (settings.list_big + 1) / (settings.list_small + 1)
    big, small = walk("big"), walk("small")
    big(), small()
    samples = interleaved(max(3, settings.repeats // 3), big=big,
                          small=lambda: small() * scale)
    return at_most(10, f"Paginator walk of {settings.list_big + 1:,} images (MaxResults=100) vs "
                      f"the walk of {settings.list_small + 1} scaled x{scale:.0f}",
                   samples["big"], samples["small"], 1.2, lambda s: f"{s * 1e3:,.0f} ms")

