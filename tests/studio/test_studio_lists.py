"""ListUserProfiles, ListSpaces and ListApps: the model's sorts, filters and NextToken."""
from __future__ import annotations

from typing import Any

import pytest

from support import error_of
from studio_support import make_domain


def walk(sm: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    pages = sm.get_paginator(operation).paginate(**params, PaginationConfig={"PageSize": 2})
    return [item for page in pages for item in page[key]]


@pytest.fixture
def two_domains(sm: Any) -> tuple[str, str]:
    first, second = make_domain(sm, name="one"), make_domain(sm, name="two")
    for domain_id, names in ((first, ["ann", "bob", "carla"]), (second, ["dan", "bobby"])):
        for name in names:
            sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
            sm.create_space(DomainId=domain_id, SpaceName=f"{name}-space")
    return first, second


def test_user_profiles_default_to_creation_ascending(sm: Any, two_domains: Any) -> None:
    names = [item["UserProfileName"] for item in walk(sm, "list_user_profiles", "UserProfiles")]
    assert names == ["ann", "bob", "carla", "dan", "bobby"]
    descending = walk(sm, "list_user_profiles", "UserProfiles", SortOrder="Descending")
    assert [item["UserProfileName"] for item in descending] == names[::-1]
    assert set(descending[0]) == {"DomainId", "UserProfileName", "Status", "CreationTime",
                                  "LastModifiedTime"}


def test_filters(sm: Any, two_domains: Any) -> None:
    first, second = two_domains
    names = [item["UserProfileName"] for item in
             walk(sm, "list_user_profiles", "UserProfiles", DomainIdEquals=second)]
    assert names == ["dan", "bobby"]
    names = [item["UserProfileName"] for item in
             walk(sm, "list_user_profiles", "UserProfiles", UserProfileNameContains="BOB")]
    assert names == ["bob", "bobby"]
    spaces = [item["SpaceName"] for item in
              walk(sm, "list_spaces", "Spaces", DomainIdEquals=first, SpaceNameContains="b")]
    assert spaces == ["bob-space"]
    assert sm.list_user_profiles(DomainIdEquals="d-000000000000")["UserProfiles"] == []


@pytest.mark.parametrize("operation,key,member", [
    ("list_user_profiles", "UserProfiles", "UserProfileName"),
    ("list_spaces", "Spaces", "SpaceName")])
def test_sorted_by_last_modified_time(sm: Any, two_domains: Any, operation: str, key: str,
                                      member: str) -> None:
    first, _ = two_domains
    if operation == "list_user_profiles":
        sm.update_user_profile(DomainId=first, UserProfileName="ann", UserSettings={})
        touched = "ann"
    else:
        sm.update_space(DomainId=first, SpaceName="ann-space", SpaceDisplayName="Ann's")
        touched = "ann-space"
    listed = walk(sm, operation, key, SortBy="LastModifiedTime", SortOrder="Descending")
    assert listed[0][member] == touched
    assert len(listed) == 5


def test_apps_by_owner_and_domain(sm: Any, two_domains: Any) -> None:
    first, second = two_domains
    for domain_id, owner in ((first, {"UserProfileName": "bob"}),
                             (first, {"SpaceName": "bob-space"}),
                             (second, {"UserProfileName": "bobby"}),
                             (first, {"UserProfileName": "ann"})):
        sm.create_app(DomainId=domain_id, AppType="JupyterServer", AppName="default", **owner)
    everything = walk(sm, "list_apps", "Apps")
    assert [app.get("UserProfileName") or app.get("SpaceName") for app in everything] == [
        "bob", "bob-space", "bobby", "ann"]
    assert len(walk(sm, "list_apps", "Apps", DomainIdEquals=first)) == 3
    assert [app["DomainId"] for app in walk(sm, "list_apps", "Apps",
                                            UserProfileNameEquals="bob")] == [first]
    assert walk(sm, "list_apps", "Apps", DomainIdEquals=second, UserProfileNameEquals="bob") == []
    assert [app["SpaceName"] for app in walk(sm, "list_apps", "Apps",
                                             SpaceNameEquals="bob-space")] == ["bob-space"]
    latest = sm.list_apps(SortOrder="Descending", MaxResults=1)["Apps"][0]
    assert latest["UserProfileName"] == "ann"
    code, _ = error_of(sm.list_apps, status=400,
                       UserProfileNameEquals="bob", SpaceNameEquals="bob-space")
    assert code == "ValidationException"


def test_a_token_continues_only_its_own_list(sm: Any, two_domains: Any) -> None:
    first, _ = two_domains
    token = sm.list_user_profiles(MaxResults=1)["NextToken"]
    for call, params in ((sm.list_user_profiles, {"DomainIdEquals": first}),
                         (sm.list_spaces, {}), (sm.list_apps, {}), (sm.list_domains, {})):
        code, _ = error_of(call, status=400, NextToken=token, **params)
        assert code == "ValidationException"


def test_deletions_between_pages_neither_skip_nor_repeat(sm: Any, two_domains: Any) -> None:
    first, _ = two_domains
    page = sm.list_user_profiles(MaxResults=2)
    assert [item["UserProfileName"] for item in page["UserProfiles"]] == ["ann", "bob"]
    sm.delete_user_profile(DomainId=first, UserProfileName="carla")
    rest = sm.list_user_profiles(MaxResults=10, NextToken=page["NextToken"])
    assert [item["UserProfileName"] for item in rest["UserProfiles"]] == ["dan", "bobby"]


def test_a_list_page_costs_the_page(sm: Any) -> None:
    """A filtered list reads its scope's own order: other domains' resources are not walked."""
    from moto.sagemaker.models import sagemaker_backends

    small, big = make_domain(sm, name="small"), make_domain(sm, name="big")
    sm.create_user_profile(DomainId=small, UserProfileName="only")
    store = next(store for store in sagemaker_backends["123456789012"]["us-east-1"].image_stores
                 if "ListUserProfiles" in store.OPERATIONS)
    with store.lock:  # many profiles at once, through the store (the API is slower)
        for number in range(2000):
            store.create_user_profile(domain_id=big, user_profile_name=f"user{number}")
    catalog = store.profile_lists.catalogs[(small,)]
    assert len(catalog["created"]) == 1
    listed = sm.list_user_profiles(DomainIdEquals=small)["UserProfiles"]
    assert [item["UserProfileName"] for item in listed] == ["only"]
