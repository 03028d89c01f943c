"""Studio lifecycle configs: Create, Describe, Delete, List (every filter and sort, in pages),
their tags, validation, in-process and through the server; attaching them to Studio settings and
the delete guard; apps launched with the one they name, their settings' default and the
administrator's built-in one."""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from support import ROLE_ARN, UNVALIDATED, client_for, error_of, shared_session
from studio_support import PREFIX, make_domain

CONTENT = "IyEvYmluL2Jhc2gKZWNobyBpZGxl"  # base64 of a two-line script


def make(sm: Any, name: str, app_type: str = "JupyterLab", **extra: Any) -> str:
    return sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName=name, StudioLifecycleConfigContent=CONTENT,
        StudioLifecycleConfigAppType=app_type, **extra)["StudioLifecycleConfigArn"]


def names(sm: Any, **request: Any) -> list[str]:
    found, token = [], None
    while True:
        page = sm.list_studio_lifecycle_configs(**request, **({"NextToken": token} if token
                                                              else {}))
        found += [config["StudioLifecycleConfigName"] for config in page["StudioLifecycleConfigs"]]
        token = page.get("NextToken")
        if not token:
            return found


def test_create_and_describe(sm: Any) -> None:
    arn = make(sm, "Idle-Shutdown", Tags=[{"Key": "team", "Value": "ml"}])
    assert arn == f"{PREFIX}:studio-lifecycle-config/idle-shutdown"  # [chosen] lower-cased
    described = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="idle-shutdown")
    assert {key: described[key] for key in (
        "StudioLifecycleConfigArn", "StudioLifecycleConfigName", "StudioLifecycleConfigContent",
        "StudioLifecycleConfigAppType")} == {
        "StudioLifecycleConfigArn": arn, "StudioLifecycleConfigName": "Idle-Shutdown",
        "StudioLifecycleConfigContent": CONTENT, "StudioLifecycleConfigAppType": "JupyterLab"}
    assert described["CreationTime"] == described["LastModifiedTime"]
    assert "Status" not in described and "FailureReason" not in described
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]


def test_a_name_in_use_in_any_case_is_refused_and_changes_nothing(sm: Any) -> None:
    make(sm, "idle")
    code, message = error_of(lambda: make(sm, "IDLE", app_type="KernelGateway"), status=400)
    assert (code, message) == (
        "ResourceInUse", f"StudioLifecycleConfig {PREFIX}:studio-lifecycle-config/idle already "
        "exists.")
    assert sm.describe_studio_lifecycle_config(
        StudioLifecycleConfigName="idle")["StudioLifecycleConfigAppType"] == "JupyterLab"


def test_missing_is_resource_not_found(sm: Any) -> None:
    missing = f"StudioLifecycleConfig with ARN {PREFIX}:studio-lifecycle-config/nope does not exist."
    for call in (sm.describe_studio_lifecycle_config, sm.delete_studio_lifecycle_config):
        assert error_of(call, StudioLifecycleConfigName="nope", status=400) == (
            "ResourceNotFound", missing)


def test_delete_then_the_name_is_free(sm: Any) -> None:
    arn = make(sm, "idle")
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")
    assert names(sm) == []
    assert error_of(sm.list_tags, ResourceArn=arn)[0] == "ResourceNotFound"
    assert make(sm, "idle", app_type="CodeEditor") == arn


def test_lists_filter_sort_and_page(sm: Any) -> None:
    for name, app_type in (("b-kernel", "KernelGateway"), ("a-lab", "JupyterLab"),
                           ("c-lab", "JupyterLab")):
        make(sm, name, app_type)
        time.sleep(0.01)
    assert names(sm, MaxResults=1) == ["c-lab", "a-lab", "b-kernel"]  # newest first
    assert names(sm, SortBy="Name", SortOrder="Ascending", MaxResults=2) == [
        "a-lab", "b-kernel", "c-lab"]
    assert names(sm, SortBy="LastModifiedTime", SortOrder="Ascending") == [
        "b-kernel", "a-lab", "c-lab"]
    assert names(sm, AppTypeEquals="JupyterLab", MaxResults=1) == ["c-lab", "a-lab"]
    assert names(sm, NameContains="LAB") == ["c-lab", "a-lab"]  # [chosen] any case
    first = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="b-kernel")
    assert names(sm, CreationTimeBefore=first["CreationTime"]) == ["b-kernel"]
    later = first["CreationTime"] + dt.timedelta(microseconds=1)
    assert names(sm, CreationTimeAfter=later, SortOrder="Ascending") == ["a-lab", "c-lab"]
    assert names(sm, ModifiedTimeAfter=later, AppTypeEquals="KernelGateway") == []


def test_a_token_continues_only_its_own_query(sm: Any) -> None:
    for name in ("a", "b", "c"):
        make(sm, name)
    token = sm.list_studio_lifecycle_configs(MaxResults=1)["NextToken"]
    code, _ = error_of(sm.list_studio_lifecycle_configs, NextToken=token, SortBy="Name",
                       status=400)
    assert code == "ValidationException"


@pytest.mark.parametrize("request_body, at", [
    ({"StudioLifecycleConfigName": "bad_name", "StudioLifecycleConfigContent": CONTENT,
      "StudioLifecycleConfigAppType": "JupyterLab"}, "studioLifecycleConfigName"),
    ({"StudioLifecycleConfigName": "ok", "StudioLifecycleConfigContent": CONTENT,
      "StudioLifecycleConfigAppType": "RStudio"}, "studioLifecycleConfigAppType"),
    ({"StudioLifecycleConfigName": "ok", "StudioLifecycleConfigContent": "",
      "StudioLifecycleConfigAppType": "JupyterLab"}, "studioLifecycleConfigContent"),
])
def test_invalid_requests_are_refused_as_aws_refuses_them(sm: Any, request_body: dict[str, str],
                                                          at: str) -> None:
    raw = shared_session().client("sagemaker", region_name="us-east-1", config=UNVALIDATED)
    code, message = error_of(raw.create_studio_lifecycle_config, **request_body, status=400)
    assert code == "ValidationException" and f"at '{at}'" in message
    assert names(sm) == []


def test_through_the_server(sagemaker_imgver_server: str) -> None:
    sm = client_for(sagemaker_imgver_server)
    lab = make(sm, "lab")
    domain_id = make_domain(sm, DefaultUserSettings={"ExecutionRole": ROLE_ARN, "JupyterLabAppSettings": {
        "BuiltInLifecycleConfigArn": lab, **attached(lab)["JupyterLabAppSettings"]}})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    described = launch(sm, domain_id)
    assert (described["BuiltInLifecycleConfigArn"], described["ResourceSpec"]) == (
        lab, {"LifecycleConfigArn": lab})
    arn = make(sm, "idle")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]
    assert names(sm) == ["idle", "lab"]
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")
    assert names(sm) == ["lab"]


# --- attached to Studio settings, run by apps: the delete guard ------------------------------

def attached(arn: str) -> dict[str, Any]:
    return {"JupyterLabAppSettings": {"LifecycleConfigArns": [arn],
                                      "DefaultResourceSpec": {"LifecycleConfigArn": arn}}}


def test_attaching_one_that_does_not_exist_is_refused_and_changes_nothing(sm: Any) -> None:
    domain_id = make_domain(sm)
    before = sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    missing = f"{PREFIX}:studio-lifecycle-config/nope"
    assert error_of(sm.update_domain, DomainId=domain_id, DefaultUserSettings=attached(missing),
                    status=400) == (
        "ResourceNotFound", f"StudioLifecycleConfig with ARN {missing} does not exist.")
    assert error_of(sm.create_user_profile, DomainId=domain_id, UserProfileName="alice",
                    UserSettings=attached(missing))[0] == "ResourceNotFound"
    assert sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"] == before
    assert sm.list_user_profiles()["UserProfiles"] == []


@pytest.mark.parametrize("where", ["domain", "user profile", "space"])
def test_delete_is_refused_while_settings_list_it(sm: Any, where: str) -> None:
    arn = make(sm, "idle")
    domain_id = make_domain(sm)
    if where == "domain":
        sm.update_domain(DomainId=domain_id, DefaultUserSettings=attached(arn))
        holder = f"{PREFIX}:domain/{domain_id}"
        detach = lambda: sm.update_domain(DomainId=domain_id, DefaultUserSettings={  # noqa: E731
            "JupyterLabAppSettings": {"LifecycleConfigArns": [],
                                      "DefaultResourceSpec": {"LifecycleConfigArn": "None"}}})
    elif where == "user profile":
        sm.create_user_profile(DomainId=domain_id, UserProfileName="alice",
                               UserSettings=attached(arn))
        holder = f"{PREFIX}:user-profile/{domain_id}/alice"
        detach = lambda: sm.delete_user_profile(DomainId=domain_id,  # noqa: E731
                                                UserProfileName="alice")
    else:
        sm.create_space(DomainId=domain_id, SpaceName="shared", SpaceSettings={
            "KernelGatewayAppSettings": {"LifecycleConfigArns": [arn]}})
        holder = f"{PREFIX}:space/{domain_id}/shared"
        detach = lambda: sm.update_space(DomainId=domain_id, SpaceName="shared",  # noqa: E731
                                         SpaceSettings={"KernelGatewayAppSettings": {
                                             "LifecycleConfigArns": []}})
    assert error_of(sm.delete_studio_lifecycle_config, StudioLifecycleConfigName="idle",
                    status=400) == (
        "ResourceInUse", f"Unable to delete StudioLifecycleConfig [{arn}] because it is in use "
                         f"by [{holder}].")
    assert names(sm) == ["idle"]
    detach()
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")
    assert names(sm) == []


def test_delete_is_refused_while_an_app_runs_it(sm: Any) -> None:
    arn = make(sm, "idle", app_type="JupyterServer")
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterServerAppSettings": {"LifecycleConfigArns": [arn]}})
    app = {"DomainId": domain_id, "UserProfileName": "alice", "AppType": "JupyterServer",
           "AppName": "default"}
    sm.create_app(**app, ResourceSpec={"LifecycleConfigArn": arn})
    assert sm.describe_app(**app)["Status"] == "InService"
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterServerAppSettings": {"LifecycleConfigArns": []}})  # the app still runs it
    assert error_of(sm.delete_studio_lifecycle_config,
                    StudioLifecycleConfigName="idle")[0] == "ResourceInUse"
    sm.delete_app(**app)  # Deleted: it runs nothing
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")


# --- launched: the app runs the one it names, else the nearest default -----------------------

def launch(sm: Any, domain_id: str, app_type: str = "JupyterLab", **spec: Any) -> dict[str, Any]:
    app = {"DomainId": domain_id, "UserProfileName": "alice", "AppType": app_type,
           "AppName": "default"}
    sm.create_app(**app, **({"ResourceSpec": spec} if spec else {}))
    described: dict[str, Any] = sm.describe_app(**app)
    return described


def test_an_app_runs_the_default_of_its_settings_the_user_s_over_the_domain_s(sm: Any) -> None:
    on_domain, on_user = make(sm, "domain-wide"), make(sm, "for-alice")
    domain_id = make_domain(sm, DefaultUserSettings={"ExecutionRole": ROLE_ARN,
                                                     **attached(on_domain)})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    described = launch(sm, domain_id)
    assert (described["Status"], described["ResourceSpec"]["LifecycleConfigArn"]) == (
        "InService", on_domain)
    sm.delete_app(DomainId=domain_id, UserProfileName="alice", AppType="JupyterLab",
                  AppName="default")
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice",
                           UserSettings=attached(on_user))
    assert launch(sm, domain_id)["ResourceSpec"]["LifecycleConfigArn"] == on_user


def test_the_one_the_request_names_wins(sm: Any) -> None:
    default, chosen = make(sm, "default"), make(sm, "chosen")
    domain_id = make_domain(sm)
    settings = attached(default)
    settings["JupyterLabAppSettings"]["LifecycleConfigArns"].append(chosen)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings=settings)
    described = launch(sm, domain_id, LifecycleConfigArn=chosen, InstanceType="ml.t3.medium")
    assert described["ResourceSpec"] == {"LifecycleConfigArn": chosen,
                                         "InstanceType": "ml.t3.medium"}
    assert "FailureReason" not in described


def test_a_default_not_in_the_list_is_accepted_and_the_app_fails(sm: Any) -> None:
    arn = make(sm, "idle")
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": arn}}})  # observed
    described = launch(sm, domain_id)
    assert described["Status"] == "Failed"
    assert described["FailureReason"] == (
        f"Lifecycle config {arn} is not attached for JupyterLab apps in the settings the app "
        "inherits.")


def test_one_for_another_app_type_fails_the_app(sm: Any) -> None:
    arn = make(sm, "kernels", app_type="KernelGateway")
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice",
                           UserSettings=attached(arn))
    described = launch(sm, domain_id)
    assert (described["Status"], described["FailureReason"]) == (
        "Failed", f"Lifecycle config {arn} is for KernelGateway apps, not JupyterLab.")


def test_one_that_does_not_exist_is_refused_and_nothing_is_created(sm: Any) -> None:
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    missing = f"{PREFIX}:studio-lifecycle-config/nope"
    assert error_of(lambda: launch(sm, domain_id, LifecycleConfigArn=missing)) == (
        "ResourceNotFound", f"StudioLifecycleConfig with ARN {missing} does not exist.")
    assert sm.list_apps()["Apps"] == []


# --- the administrator's built-in one: JupyterLab and CodeEditor settings --------------------

def built_in(arn: str, app_type: str = "JupyterLab") -> dict[str, Any]:
    return {f"{app_type}AppSettings": {"BuiltInLifecycleConfigArn": arn}}


def test_a_built_in_one_that_does_not_exist_is_refused_and_changes_nothing(sm: Any) -> None:
    domain_id = make_domain(sm)
    before = sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    missing = f"{PREFIX}:studio-lifecycle-config/nope"
    assert error_of(sm.update_domain, DomainId=domain_id, DefaultUserSettings=built_in(missing),
                    status=400) == (
        "ResourceNotFound", f"StudioLifecycleConfig with ARN {missing} does not exist.")
    assert sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"] == before


@pytest.mark.parametrize("app_type", ["JupyterLab", "CodeEditor"])
def test_an_app_runs_the_built_in_one_of_its_settings(sm: Any, app_type: str) -> None:
    on_domain, on_user = make(sm, "domain-wide", app_type), make(sm, "for-alice", app_type)
    domain_id = make_domain(sm, DefaultUserSettings={"ExecutionRole": ROLE_ARN,
                                                     **built_in(on_domain, app_type)})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    described = launch(sm, domain_id, app_type)
    assert (described["Status"], described["BuiltInLifecycleConfigArn"]) == (
        "InService", on_domain)
    assert "LifecycleConfigArn" not in described.get("ResourceSpec", {})  # no default set
    sm.delete_app(DomainId=domain_id, UserProfileName="alice", AppType=app_type,
                  AppName="default")
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice",
                           UserSettings=built_in(on_user, app_type))
    assert launch(sm, domain_id, app_type)["BuiltInLifecycleConfigArn"] == on_user


def test_an_app_of_other_settings_runs_no_built_in_one(sm: Any) -> None:
    arn = make(sm, "lab")
    domain_id = make_domain(sm, DefaultUserSettings={"ExecutionRole": ROLE_ARN,
                                                     **built_in(arn)})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert "BuiltInLifecycleConfigArn" not in launch(sm, domain_id, "JupyterServer")


def test_delete_is_refused_while_a_built_in_one_is_set_or_runs(sm: Any) -> None:
    arn = make(sm, "lab")
    domain_id = make_domain(sm, DefaultUserSettings={"ExecutionRole": ROLE_ARN,
                                                     **built_in(arn)})
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    launch(sm, domain_id)
    refused = ("ResourceInUse", f"Unable to delete StudioLifecycleConfig [{arn}] because it is "
                                f"in use by [{PREFIX}:domain/{domain_id}].")
    assert error_of(sm.delete_studio_lifecycle_config, StudioLifecycleConfigName="lab",
                    status=400) == refused
    sm.update_domain(DomainId=domain_id, DefaultUserSettings=built_in("None"))  # unset
    app = f"{PREFIX}:app/{domain_id}/alice/jupyterlab/default"
    assert error_of(sm.delete_studio_lifecycle_config, StudioLifecycleConfigName="lab") == (
        "ResourceInUse", refused[1].replace(f"domain/{domain_id}", app[len(PREFIX) + 1:]))
    sm.delete_app(DomainId=domain_id, UserProfileName="alice", AppType="JupyterLab",
                  AppName="default")
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="lab")
    assert names(sm) == []


# --- a Failed app runs nothing (doc, "Delete a domain") --------------------------------------

def failed_app(sm: Any) -> tuple[str, dict[str, str]]:
    """A user profile whose JupyterLab app failed to start: its default is not attached."""
    arn = make(sm, "idle")
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": arn}}})
    assert launch(sm, domain_id)["Status"] == "Failed"
    return domain_id, {"DomainId": domain_id, "UserProfileName": "alice",
                       "AppType": "JupyterLab", "AppName": "default"}


def test_a_failed_app_cannot_be_deleted_and_holds_nothing_back(sm: Any) -> None:
    domain_id, app = failed_app(sm)
    app_arn = f"{PREFIX}:app/{domain_id}/alice/jupyterlab/default"
    assert error_of(sm.delete_app, **app, status=400) == (  # documented: an error; ours the rest
        "ValidationException", f"App {app_arn} is in Failed state and cannot be deleted.")
    assert sm.describe_app(**app)["Status"] == "Failed"  # the refusal changed nothing
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": "None"}}})
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="idle")  # the app runs nothing
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="alice")  # nor holds its owner
    assert sm.list_apps()["Apps"] == [] and sm.list_user_profiles()["UserProfiles"] == []
    sm.delete_domain(DomainId=domain_id)


def test_a_failed_app_s_name_can_be_used_again(sm: Any) -> None:
    domain_id, app = failed_app(sm)
    sm.update_user_profile(DomainId=domain_id, UserProfileName="alice", UserSettings={
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": "None"}}})
    again = launch(sm, domain_id)
    assert (again["Status"], "FailureReason" in again) == ("InService", False)
    assert [entry["Status"] for entry in sm.list_apps()["Apps"]] == ["InService"]
