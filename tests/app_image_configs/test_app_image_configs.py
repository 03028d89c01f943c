"""App image configs through boto3: every operation, nested members, tags, lists and errors."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from support import ACCOUNT, REGION, client_for, error_of

KERNEL_GATEWAY = {
    "KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3"}, {"Name": "ir"}],
    "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100},
}
JUPYTER_LAB = {
    "FileSystemConfig": {"MountPath": "/home/jovyan", "DefaultUid": 1000, "DefaultGid": 100},
    "ContainerConfig": {
        "ContainerArguments": ["--ServerApp.port=8888"],
        "ContainerEntrypoint": ["jupyter-lab"],
        "ContainerEnvironmentVariables": {"MODE": "lab", "DEBUG": "0"},
    },
}
CODE_EDITOR = {
    "FileSystemConfig": {"MountPath": "/home/coder"},
    "ContainerConfig": {"ContainerEntrypoint": ["code-server"]},
}


def config_arn(name: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:app-image-config/{name.lower()}"


def test_create_returns_arn_and_describe_echoes_every_nested_member(sm):
    arn = sm.create_app_image_config(
        AppImageConfigName="Studio-Config",
        KernelGatewayImageConfig=KERNEL_GATEWAY,
        JupyterLabAppImageConfig=JUPYTER_LAB,
        CodeEditorAppImageConfig=CODE_EDITOR,
    )["AppImageConfigArn"]
    assert arn == config_arn("Studio-Config")

    described = sm.describe_app_image_config(AppImageConfigName="Studio-Config")
    assert described["AppImageConfigArn"] == arn
    assert described["AppImageConfigName"] == "Studio-Config"
    assert described["KernelGatewayImageConfig"] == KERNEL_GATEWAY
    assert described["JupyterLabAppImageConfig"] == JUPYTER_LAB
    assert described["CodeEditorAppImageConfig"] == CODE_EDITOR
    assert described["CreationTime"] == described["LastModifiedTime"]


def test_a_config_with_no_app_configuration_describes_without_them(sm):
    sm.create_app_image_config(AppImageConfigName="bare")
    described = sm.describe_app_image_config(AppImageConfigName="bare")
    for member in ("KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig"):
        assert member not in described


def test_duplicate_name_is_resource_in_use(sm):
    sm.create_app_image_config(AppImageConfigName="dup")
    code, message = error_of(sm.create_app_image_config, AppImageConfigName="dup")
    assert (code, message) == ("ResourceInUse", "The ID or Name specified is already in use.")


@pytest.mark.parametrize("operation", ["describe_app_image_config", "delete_app_image_config"])
def test_missing_config_is_resource_not_found(sm, operation):
    code, message = error_of(getattr(sm, operation), AppImageConfigName="nope")
    assert code == "ResourceNotFound"
    assert config_arn("nope") in message and "does not exist" in message


def test_update_missing_config_is_resource_not_found(sm):
    code, _ = error_of(sm.update_app_image_config, AppImageConfigName="nope",
                       KernelGatewayImageConfig=KERNEL_GATEWAY)
    assert code == "ResourceNotFound"


def test_update_replaces_given_configuration_keeps_others_and_bumps_time(sm):
    sm.create_app_image_config(AppImageConfigName="cfg", KernelGatewayImageConfig=KERNEL_GATEWAY)
    before = sm.describe_app_image_config(AppImageConfigName="cfg")
    time.sleep(0.01)
    new_lab = {"ContainerConfig": {"ContainerArguments": ["--debug"]}}
    arn = sm.update_app_image_config(AppImageConfigName="cfg",
                                     JupyterLabAppImageConfig=new_lab)["AppImageConfigArn"]
    assert arn == config_arn("cfg")
    after = sm.describe_app_image_config(AppImageConfigName="cfg")
    assert after["JupyterLabAppImageConfig"] == new_lab
    assert after["KernelGatewayImageConfig"] == KERNEL_GATEWAY
    assert after["CreationTime"] == before["CreationTime"]
    assert after["LastModifiedTime"] > before["LastModifiedTime"]


def test_delete_removes_config_and_its_tags(sm):
    sm.create_app_image_config(AppImageConfigName="gone", Tags=[{"Key": "team", "Value": "a"}])
    sm.delete_app_image_config(AppImageConfigName="gone")
    assert sm.list_app_image_configs()["AppImageConfigs"] == []
    sm.create_app_image_config(AppImageConfigName="gone")
    assert sm.list_tags(ResourceArn=config_arn("gone"))["Tags"] == []


def test_tags_by_arn_add_replace_list_delete(sm):
    sm.create_app_image_config(AppImageConfigName="tagged", Tags=[{"Key": "team", "Value": "a"}])
    arn = config_arn("tagged")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}])
    tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}
    assert tags == {"team": "b", "env": "dev"}
    sm.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_tags_on_a_missing_config_are_resource_not_found(sm):
    code, _ = error_of(sm.list_tags, ResourceArn=config_arn("missing"))
    assert code == "ResourceNotFound"


def names(response) -> list[str]:
    return [c["AppImageConfigName"] for c in response["AppImageConfigs"]]


@pytest.fixture
def three_configs(sm):
    for name in ("beta", "alpha", "gamma"):
        sm.create_app_image_config(AppImageConfigName=name)
        time.sleep(0.005)
    time.sleep(0.005)
    sm.update_app_image_config(AppImageConfigName="beta", CodeEditorAppImageConfig=CODE_EDITOR)
    return sm


@pytest.mark.parametrize(
    "sort_by, sort_order, expected",
    [
        (None, None, ["gamma", "alpha", "beta"]),
        ("CreationTime", "Ascending", ["beta", "alpha", "gamma"]),
        ("CreationTime", "Descending", ["gamma", "alpha", "beta"]),
        ("Name", "Ascending", ["alpha", "beta", "gamma"]),
        ("Name", "Descending", ["gamma", "beta", "alpha"]),
        ("LastModifiedTime", "Descending", ["beta", "gamma", "alpha"]),
        ("LastModifiedTime", "Ascending", ["alpha", "gamma", "beta"]),
    ],
)
def test_list_sorting_with_title_case_enums(three_configs, sort_by, sort_order, expected):
    kwargs = {k: v for k, v in {"SortBy": sort_by, "SortOrder": sort_order}.items() if v}
    assert names(three_configs.list_app_image_configs(**kwargs)) == expected


def test_list_name_contains_ignores_case(three_configs):
    assert names(three_configs.list_app_image_configs(NameContains="ALPH")) == ["alpha"]


def test_list_time_filters_are_inclusive(three_configs):
    alpha = three_configs.describe_app_image_config(AppImageConfigName="alpha")
    created = alpha["CreationTime"]
    result = three_configs.list_app_image_configs(CreationTimeAfter=created, CreationTimeBefore=created)
    assert names(result) == ["alpha"]
    beta = three_configs.describe_app_image_config(AppImageConfigName="beta")
    modified = three_configs.list_app_image_configs(ModifiedTimeAfter=beta["LastModifiedTime"])
    assert names(modified) == ["beta"]
    later = beta["LastModifiedTime"] + dt.timedelta(seconds=1)
    assert names(three_configs.list_app_image_configs(ModifiedTimeAfter=later)) == []


def test_list_paginates_with_next_token_and_boto3_paginator(sm):
    created = [f"cfg-{i:02d}" for i in range(23)]
    for name in created:
        sm.create_app_image_config(AppImageConfigName=name)
    first = sm.list_app_image_configs(MaxResults=10, SortBy="Name", SortOrder="Ascending")
    assert names(first) == created[:10] and first["NextToken"]
    second = sm.list_app_image_configs(MaxResults=10, SortBy="Name", SortOrder="Ascending",
                                       NextToken=first["NextToken"])
    assert names(second) == created[10:20]
    pages = sm.get_paginator("list_app_image_configs").paginate(
        SortBy="Name", SortOrder="Ascending", PaginationConfig={"PageSize": 7})
    walked = [n for page in pages for n in names(page)]
    assert walked == created


def test_default_page_size_is_ten(sm):
    for i in range(12):
        sm.create_app_image_config(AppImageConfigName=f"c{i}")
    first = sm.list_app_image_configs()
    assert len(first["AppImageConfigs"]) == 10 and "NextToken" in first


@pytest.mark.parametrize(
    "kwargs, path, rule",
    [
        ({"AppImageConfigName": "-bad"}, "appImageConfigName",
         "satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"),
        ({"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": []}},
         "kernelGatewayImageConfig.kernelSpecs", "have length greater than or equal to 1"),
        ({"AppImageConfigName": "ok", "KernelGatewayImageConfig": {
            "KernelSpecs": [{"Name": "p"}], "FileSystemConfig": {"DefaultUid": 70000}}},
         "kernelGatewayImageConfig.fileSystemConfig.defaultUid",
         "have value less than or equal to 65535"),
        ({"AppImageConfigName": "ok", "JupyterLabAppImageConfig": {
            "FileSystemConfig": {"MountPath": "relative"}}},
         "jupyterLabAppImageConfig.fileSystemConfig.mountPath",
         "satisfy regular expression pattern: ^\\/.*$"),
        ({"AppImageConfigName": "ok", "CodeEditorAppImageConfig": {
            "ContainerConfig": {"ContainerEntrypoint": ["a", "b"]}}},
         "codeEditorAppImageConfig.containerConfig.containerEntrypoint",
         "have length less than or equal to 1"),
    ],
)
def test_nested_constraints_answer_in_aws_words_and_create_nothing(sm_raw, kwargs, path, rule):
    code, message = error_of(sm_raw.create_app_image_config, **kwargs)
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: ")
    assert f"at '{path}' failed to satisfy constraint: Member must {rule}" in message
    assert sm_raw.list_app_image_configs()["AppImageConfigs"] == []


def test_kernel_spec_without_name_is_null_error(sm_raw):
    code, message = error_of(sm_raw.create_app_image_config, AppImageConfigName="ok",
                             KernelGatewayImageConfig={"KernelSpecs": [{"DisplayName": "x"}]})
    assert code == "ValidationException"
    assert ("Value null at 'kernelGatewayImageConfig.kernelSpecs.1.member.name' failed to satisfy "
            "constraint: Member must not be null") in message


@pytest.mark.slow
def test_app_image_configs_through_the_server_command(server_url):
    sm = client_for(server_url)
    sm.create_app_image_config(AppImageConfigName="served", KernelGatewayImageConfig=KERNEL_GATEWAY)
    described = sm.describe_app_image_config(AppImageConfigName="served")
    assert described["KernelGatewayImageConfig"] == KERNEL_GATEWAY
    assert names(sm.list_app_image_configs()) == ["served"]
    sm.delete_app_image_config(AppImageConfigName="served")
    assert names(sm.list_app_image_configs()) == []
