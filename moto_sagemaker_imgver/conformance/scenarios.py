"""The scenarios: each settles one behaviour (most of them a `[chosen]` one) by the calls it makes.

A scenario only names resources through `run.name()` (the run's unique prefix), waits with
`run.settle_*` where AWS needs time, and sends what boto3 would refuse with `raw=True`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Callable

from .runner import Run, repository_of

Steps = Callable[[Run], None]  # a scenario's calls


@dataclass(frozen=True)
class Scenario:
    name: str
    settles: str
    steps: Steps
    mock_only: bool = False  # needs a status AWS cannot be made to hold
    needs_studio: bool = False  # creates a Studio domain: on AWS, needs a VPC and subnets


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, settles: str, mock_only: bool = False,
             needs_studio: bool = False) -> Callable[[Steps], Steps]:
    def register(steps: Steps) -> Steps:
        SCENARIOS[name] = Scenario(name, settles, steps, mock_only, needs_studio)
        return steps

    return register


@scenario("version-numbers", "[chosen] version numbers start at 1, a deleted number is never "
          "reused; a deleted version frees its aliases")
def version_numbers(run: Run) -> None:
    image = run.image()
    run.version(image)
    run.version(image, Aliases=["kept"])
    run.call("DeleteImageVersion", ImageName=image, Version=2)
    run.settle_version(image, 2)
    run.version(image, Aliases=["kept"])
    run.call("ListImageVersions", ImageName=image)
    run.call("DescribeImageVersion", ImageName=image)


@scenario("client-token-replay", "[chosen] a replayed ClientToken returns the first ARN, creates "
          "nothing")
def client_token_replay(run: Run) -> None:
    image = run.image()
    token = str(uuid.uuid4())
    run.version(image, ClientToken=token)
    run.call("CreateImageVersion", ImageName=image, BaseImage=run.base_image, ClientToken=token)
    run.call("ListImageVersions", ImageName=image)


@scenario("version-with-alias", "[chosen] Version and Alias together: ValidationException")
def version_with_alias(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["a"])
    run.call("DescribeImageVersion", ImageName=image, Version=1, Alias="a")
    run.call("UpdateImageVersion", ImageName=image, Version=1, Alias="a", ReleaseNotes="x")
    run.call("ListAliases", ImageName=image, Version=1, Alias="a")
    run.call("DeleteImageVersion", ImageName=image, Version=1, Alias="a")


@scenario("unknown-alias", "[chosen] an unknown Alias: ResourceNotFound, and its message")
def unknown_alias(run: Run) -> None:
    image = run.image()
    run.version(image)
    run.call("DescribeImageVersion", ImageName=image, Alias="ghost")
    run.call("UpdateImageVersion", ImageName=image, Alias="ghost", ReleaseNotes="x")
    run.call("ListAliases", ImageName=image, Alias="ghost")
    run.call("DeleteImageVersion", ImageName=image, Alias="ghost")


@scenario("alias-conflict", "[chosen] an alias another version holds: ValidationException, "
          "nothing moves; one the version has: no-op; repeats collapse")
def alias_conflict(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["shared", "own"])
    run.call("CreateImageVersion", ImageName=image, BaseImage=run.base_image, Aliases=["shared"])
    run.version(image)
    run.call("UpdateImageVersion", ImageName=image, Version=2, AliasesToAdd=["shared"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["own"])
    run.call("UpdateImageVersion", ImageName=image, Version=2, AliasesToAdd=["dup", "dup"])
    run.call("ListAliases", ImageName=image)
    run.call("ListImageVersions", ImageName=image)


@scenario("alias-add-and-delete", "[chosen] one alias in AliasesToAdd and AliasesToDelete: "
          "ValidationException")
def alias_add_and_delete(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["a"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["a"],
             AliasesToDelete=["a"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["b"],
             AliasesToDelete=["b"])
    run.call("ListAliases", ImageName=image, Version=1)


@scenario("delete-alias-not-held", "[chosen] deleting an alias the version lacks: "
          "ResourceNotFound, nothing changes; add and delete in one call (observed example)")
def delete_alias_not_held(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["mine"])
    run.version(image, Aliases=["theirs"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToDelete=["ghost"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToDelete=["theirs"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["new"],
             AliasesToDelete=["ghost"])
    run.call("ListAliases", ImageName=image)
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["second"],
             AliasesToDelete=["mine"])
    run.call("ListAliases", ImageName=image, Version=1)


@scenario("list-aliases", "[chosen] ListAliases by Alias lists the version's aliases; order by "
          "version then as added; default page 10; NextToken")
def list_aliases(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["b", "a"])
    run.version(image, Aliases=["c"])
    run.call("UpdateImageVersion", ImageName=image, Version=1, AliasesToAdd=["z"])
    run.call("ListAliases", ImageName=image)
    run.call("ListAliases", ImageName=image, Alias="a")
    run.call("ListAliases", ImageName=image, Alias="c")
    run.call("ListAliases", ImageName=image, Version=1)
    first = run.call("ListAliases", ImageName=image, MaxResults=2)
    if first and first.get("NextToken"):
        run.call("ListAliases", ImageName=image, MaxResults=2, NextToken=first["NextToken"])
    run.call("UpdateImageVersion", ImageName=image, Version=2,
             AliasesToAdd=[f"c{number:02d}" for number in range(8)])
    page = run.call("ListAliases", ImageName=image)
    if page and page.get("NextToken"):
        run.call("ListAliases", ImageName=image, NextToken=page["NextToken"])


@scenario("resource-in-use-states", "[chosen] ResourceInUse for a version that is creating or "
          "deleting, an image creating, updating or deleting (held by moto's state manager; AWS "
          "cannot be made to hold a status)",
          mock_only=True)
def resource_in_use_states(run: Run) -> None:
    from moto.moto_api import state_manager

    held = {"progression": "manual", "times": 3}
    image = run.image()
    try:
        state_manager.set_transition("sagemaker::imageversion", held)
        run.call("CreateImageVersion", ImageName=image, BaseImage=run.base_image)
        run.call("UpdateImageVersion", ImageName=image, Version=1, ReleaseNotes="x")
        run.call("DeleteImageVersion", ImageName=image, Version=1)
        run.call("UpdateImageVersion", ImageName=image, Version=1, ReleaseNotes="x")
        run.call("DeleteImageVersion", ImageName=image, Version=1)
        state_manager.set_transition("sagemaker::image", held)
        run.call("UpdateImage", ImageName=image, Description="first")
        run.call("UpdateImage", ImageName=image, Description="second")
        run.call("CreateImageVersion", ImageName=image, BaseImage=run.base_image)
        other = run.name("other")
        run.call("CreateImage", ImageName=other, RoleArn=run.role_arn)
        run.call("UpdateImage", ImageName=other, Description="too soon")
        run.call("DeleteImage", ImageName=other)
        run.call("DeleteImage", ImageName=other)
    finally:
        state_manager.unset_transition("sagemaker::imageversion")
        state_manager.unset_transition("sagemaker::image")


@scenario("missing-ecr-image", "a BaseImage whose tag is not in the caller's ECR: CREATE_FAILED "
          "with a FailureReason (strict mode's wording is [chosen]); [chosen] UpdateImageVersion "
          "on a failed version: ResourceInUse")
def missing_ecr_image(run: Run) -> None:
    from ..ecr import set_strict_ecr

    image = run.image()
    if run.target.name == "mock":
        set_strict_ecr(True)  # the mock's base image is in the mocked account's registry
    try:
        run.version(image, BaseImage=f"{repository_of(run.base_image)}:conformance-missing-tag")
    finally:
        set_strict_ecr(None)
    run.call("DescribeImageVersion", ImageName=image, Version=1)
    run.call("UpdateImageVersion", ImageName=image, Version=1, ReleaseNotes="x")
    run.call("ListImageVersions", ImageName=image)


@scenario("image-exists-and-name-case", "CreateImage of an existing name: ResourceInUse "
          "(observed); [chosen] names unique regardless of case; NameContains ignores case")
def image_name_case(run: Run) -> None:
    image = run.image("Case")
    run.call("CreateImage", ImageName=image, RoleArn=run.role_arn)
    run.call("CreateImage", ImageName=run.name("case"), RoleArn=run.role_arn)
    run.settle_image(run.name("case"))
    run.call("DescribeImage", ImageName=run.name("CASE"))
    run.call("ListImages", NameContains=run.name("CASE"))
    run.call("ListImages", NameContains=run.name("case"))


@scenario("length-units", "[chosen] a length counts code points (Smithy), not UTF-16 units (Java's "
          "String.length()): 128 characters outside the BMP fill a DisplayName of at most 128")
def length_units(run: Run) -> None:
    wide = "\U0001D400"  # MATHEMATICAL BOLD CAPITAL A: one code point, two UTF-16 units
    image = run.image("wide", DisplayName=wide * 128)
    run.call("DescribeImage", ImageName=image)
    run.call("UpdateImage", raw=True, ImageName=image, DisplayName=wide * 129)


@scenario("update-image", "[chosen] UpdateImage that sets and deletes one property: "
          "ValidationException; DeleteProperties clears")
def update_image(run: Run) -> None:
    image = run.image(Description="old", DisplayName="Old")
    run.call("UpdateImage", ImageName=image, Description="new", DeleteProperties=["Description"])
    run.settle_image(image)  # in case AWS took it: the next call must not find the image updating
    run.call("UpdateImage", raw=True, ImageName=image,
             DeleteProperties=["Description", "DisplayName", "Description"])
    run.settle_image(image)
    run.call("UpdateImage", ImageName=image, DisplayName="New", DeleteProperties=["Description"])
    run.settle_image(image)
    run.call("DescribeImage", ImageName=image)


@scenario("next-token-errors", "[chosen] a NextToken that is not ours, or from another query: "
          "ValidationException")
def next_token_errors(run: Run) -> None:
    image = run.image()
    run.version(image)
    run.version(image)
    page = run.call("ListImageVersions", ImageName=image, MaxResults=1)
    token = (page or {}).get("NextToken")
    if token:
        run.call("ListImageVersions", ImageName=image, MaxResults=1, NextToken=token)
        run.call("ListImageVersions", ImageName=image, MaxResults=1, NextToken=token,
                 SortOrder="ASCENDING")
    run.call("ListImageVersions", ImageName=image, NextToken="not-a-token")
    run.call("ListAliases", ImageName=image, NextToken="not-a-token")
    run.call("ListImages", NameContains=run.prefix, NextToken="not-a-token")
    run.call("ListAppImageConfigs", NameContains=run.prefix, NextToken="not-a-token")
    run.call("ListTags", ResourceArn=f"{image_arn(run, image)}", NextToken="not-a-token")


def image_arn(run: Run, image: str) -> str:
    response = run.target.client.describe_image(ImageName=image)
    return str(response["ImageArn"])


@scenario("update-image-version-not-found", "UpdateImageVersion's ResourceNotFound paths: image "
          "missing, no versions (latest), version missing (messages)")
def update_image_version_not_found(run: Run) -> None:
    run.call("UpdateImageVersion", ImageName=run.name("missing"), ReleaseNotes="x")
    run.call("DescribeImage", ImageName=run.name("missing"))
    image = run.image()
    run.call("UpdateImageVersion", ImageName=image, ReleaseNotes="x")
    run.call("DescribeImageVersion", ImageName=image)
    run.version(image)
    run.call("UpdateImageVersion", ImageName=image, Version=7, ReleaseNotes="x")
    run.call("DescribeImageVersion", ImageName=image, Version=7)
    run.call("DeleteImageVersion", ImageName=image, Version=7)


@scenario("update-image-version-fields", "UpdateImageVersion sets only what it is given, by "
          "latest, Version or Alias; DescribeImageVersion's shape")
def update_image_version_fields(run: Run) -> None:
    image = run.image()
    run.version(image, Aliases=["first"])
    run.call("UpdateImageVersion", ImageName=image, JobType="TRAINING", Processor="CPU",
             MLFramework="PyTorch 2.1", ProgrammingLang="Python 3.10", VendorGuidance="STABLE",
             Horovod=False, ReleaseNotes="notes")
    run.call("DescribeImageVersion", ImageName=image, Version=1)
    run.call("UpdateImageVersion", ImageName=image, Alias="first", ReleaseNotes="again")
    run.call("DescribeImageVersion", ImageName=image, Alias="first")


@scenario("update-image-version-validation", "UpdateImageVersion's validation messages, one "
          "member at a time: wording, pattern anchors, lists of strings")
def update_image_version_validation(run: Run) -> None:
    image = run.name("none")
    bad: list[dict[str, Any]] = [
        {},
        {"ImageName": run.name("bad_name")},
        {"ImageName": run.name("a" * 60)},
        {"Version": -1},
        {"JobType": "NOPE"},
        {"Processor": "TPU"},
        {"VendorGuidance": "MAYBE"},
        {"MLFramework": "torch"},
        {"ProgrammingLang": "python"},
        {"ReleaseNotes": ""},
        {"ReleaseNotes": "r" * 256},
        {"Alias": "-bad"},
        {"Alias": "a" * 129},
        {"AliasesToAdd": ["ok", "-bad"]},
        {"AliasesToDelete": ["", "x" * 129]},
        {"AliasesToAdd": []},
    ]
    for params in bad:
        run.call("UpdateImageVersion", raw=True, **{"ImageName": image, **params})


@scenario("validation-entry-order", "[chosen] entries of several members in input-shape order; "
          "pattern before length; N validation errors")
def validation_entry_order(run: Run) -> None:
    run.call("UpdateImageVersion", raw=True, ImageName=run.name("bad_name"), JobType="NOPE",
             Alias="-bad", Version=-1)
    run.call("UpdateImageVersion", raw=True, ImageName=run.name("x" * 63), Processor="TPU")
    run.call("CreateImage", raw=True, ImageName=run.name("v"), RoleArn="not-an-arn",
             Description="")


@scenario("serialization", "[chosen] a wrong JSON type: SerializationException naming the JSON "
          "type found and the type wanted, not the member")
def serialization(run: Run) -> None:
    image = run.name("none")
    run.call("UpdateImageVersion", raw=True, ImageName=image, Version="1")
    run.call("UpdateImageVersion", raw=True, ImageName=image, Horovod="yes")


@scenario("tags", "[chosen] tags: ListTags by key, more than 50: ValidationException, not on "
          "image versions; tag members' messages")
def tags(run: Run) -> None:
    many = [{"Key": f"k{number:02d}", "Value": "v"} for number in reversed(range(50))]
    image = run.image(Tags=many)
    arn = image_arn(run, image)
    run.call("ListTags", ResourceArn=arn)
    run.call("AddTags", ResourceArn=arn, Tags=[{"Key": "k50", "Value": "v"}])
    run.call("AddTags", ResourceArn=arn, Tags=[{"Key": "k00", "Value": "changed"}])
    run.call("DeleteTags", ResourceArn=arn, TagKeys=["k01", "absent"])
    run.call("ListTags", ResourceArn=arn)
    run.version(image)
    version_arn = arn.replace(":image/", ":image-version/", 1) + "/1"
    run.call("AddTags", ResourceArn=version_arn, Tags=[{"Key": "k", "Value": "v"}])
    run.call("ListTags", ResourceArn=version_arn)
    run.call("CreateImage", raw=True, ImageName=run.name("too-many"), RoleArn=run.role_arn,
             Tags=many + [{"Key": "k50", "Value": "v"}])
    run.call("CreateImage", raw=True, ImageName=run.name("bad-tag"), RoleArn=run.role_arn,
             Tags=[{"Key": "ok", "Value": "v"}, {"Key": "a!b", "Value": "v"}])


@scenario("app-image-configs", "[chosen] UpdateAppImageConfig keeps what it leaves out; "
          "an existing name: ResourceInUse; NameContains ignores case")
def app_image_configs(run: Run) -> None:
    name = run.name("config")
    kernels = {"KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3"}]}
    run.call("CreateAppImageConfig", AppImageConfigName=name, KernelGatewayImageConfig=kernels)
    run.call("CreateAppImageConfig", AppImageConfigName=name, KernelGatewayImageConfig=kernels)
    run.call("UpdateAppImageConfig", AppImageConfigName=name,
             JupyterLabAppImageConfig={"ContainerConfig": {"ContainerArguments": ["--x"]}})
    run.call("DescribeAppImageConfig", AppImageConfigName=name)
    run.call("ListAppImageConfigs", NameContains=run.name("CONFIG"))
    run.call("DeleteAppImageConfig", AppImageConfigName=name)
    run.call("DescribeAppImageConfig", AppImageConfigName=name)
    run.call("CreateAppImageConfig", raw=True, AppImageConfigName=run.name("empty"),
             KernelGatewayImageConfig={"KernelSpecs": []})
    six = [{"Name": "python3", "DisplayName": "Python 3"}] + [{"Name": f"k{n}"} for n in range(5)]
    run.call("CreateAppImageConfig", raw=True, AppImageConfigName=run.name("six"),
             KernelGatewayImageConfig={"KernelSpecs": six})

