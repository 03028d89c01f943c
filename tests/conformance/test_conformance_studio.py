"""The conformance kit's Studio scenarios on the `aws` target: the network for CreateDomain (the
flags, or the default VPC read through EC2), and clean-up of every Studio resource a run made,
in order, also after a failure. "AWS" here is the mock under moto's `mock_aws`, reached as the
kit reaches AWS (the default session), in a region apart from the one `_plan`'s mock runs use."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Callable, Iterator

import boto3
import pytest
from moto import mock_aws

from moto_sagemaker_imgver import conformance
from moto_sagemaker_imgver.conformance import SCENARIOS, mock_target, run_scenarios
from moto_sagemaker_imgver.conformance import __main__ as cli
from moto_sagemaker_imgver.conformance.__main__ import main
from moto_sagemaker_imgver.conformance.runner import Created, Failure, Run
from moto_sagemaker_imgver.conformance.scenarios import Scenario
from test_conformance import SNAPSHOTS

REGION = "eu-west-1"
PREFIX = "cfstudio"
STUDIO = [scenario for scenario in SCENARIOS.values() if scenario.needs_studio]
# Clean-up's order: children before parents, lifecycle configs once no settings name them.
RANK = {"delete_app": 0, "delete_space": 1, "delete_user_profile": 1, "delete_domain": 2,
        "delete_studio_lifecycle_config": 3, "delete_app_image_config": 4, "delete_image": 4}


class Spy:
    """A client that notes each call (and whether clean-up had begun), then sends it; `fail`
    says which call raises, before or after it is sent."""

    def __init__(self, client: Any, fail: Callable[[str, dict[str, Any]], BaseException | None]
                 = lambda method, params: None, after: bool = False) -> None:
        self.client = client
        self.fail = fail
        self.after = after
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.cleaning_from: int | None = None

    def __getattr__(self, method: str) -> Any:
        def call(**params: Any) -> Any:
            self.calls.append((method, params))
            failure = self.fail(method, params) if self.cleaning_from is None else None
            if failure is not None and not self.after:
                raise failure
            answer = getattr(self.client, method)(**params)
            if failure is not None:
                raise failure  # sent, and the answer lost
            return answer

        return call

    def cleaning(self) -> list[tuple[str, dict[str, Any]]]:
        return self.calls[self.cleaning_from or len(self.calls):]


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Spy]]:
    """Every target `record --target aws` makes has a Spy for its client; clean-up is marked."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setattr(cli, "new_prefix", lambda: PREFIX)
    spies: list[Spy] = []
    real_target, real_clean_up = cli.aws_target, conformance.clean_up

    def target(role: str, image: str) -> Any:
        made = real_target(role, image)
        spies.append(Spy(made.client))
        made.client = spies[-1]
        return made

    def clean_up(client: Any, created: Created, *args: Any) -> list[str]:
        if isinstance(client, Spy) and client.cleaning_from is None:
            client.cleaning_from = len(client.calls)
        return real_clean_up(client, created, *args)

    monkeypatch.setattr(cli, "aws_target", target)
    monkeypatch.setattr(conformance, "clean_up", clean_up)
    with mock_aws():
        yield spies


def record_aws(out: Path, *extra: str) -> int:
    return main(["record", "--target", "aws", "--yes", "--out", str(out),
                 "--role-arn", "arn:aws:iam::111122223333:role/r",
                 "--base-image", f"111122223333.dkr.ecr.{REGION}.amazonaws.com/r:1", *extra])


def default_network() -> tuple[str, list[str]]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    return vpc, sorted(subnet["SubnetId"] for subnet in subnets)


def domain_requests(spy: Spy) -> list[dict[str, Any]]:
    return [params for method, params in spy.calls if method == "create_domain"]


def left_behind(client: Any, prefix: str = PREFIX) -> dict[str, list[str]]:
    """What still carries the prefix, of every kind the kit creates."""
    domains = [d["DomainId"] for d in client.list_domains()["Domains"]
               if d["DomainName"].startswith(prefix)]
    return {
        "domains": domains,
        "user profiles": [p["UserProfileName"] for p in client.list_user_profiles()[
            "UserProfiles"] if p["DomainId"] in domains],
        "apps": [a["AppName"] for a in client.list_apps()["Apps"]
                 if a["DomainId"] in domains and a["Status"] not in ("Deleted", "Failed")],
        "lifecycle configs": [c["StudioLifecycleConfigName"] for c in client.list_studio_lifecycle_configs(
            NameContains=prefix)["StudioLifecycleConfigs"]],
        "images": [i["ImageName"] for i in client.list_images(NameContains=prefix)["Images"]],
        "app image configs": [c["AppImageConfigName"] for c in client.list_app_image_configs(
            NameContains=prefix)["AppImageConfigs"]],
    }


NOTHING = {kind: [] for kind in ("domains", "user profiles", "apps", "lifecycle configs", "images",
                                 "app image configs")}


def test_the_default_vpc_is_used_and_recorded_as_the_mocks(
        tmp_path: Path, spied: list[Spy], capsys: pytest.CaptureFixture[str]) -> None:
    vpc, subnets = default_network()
    assert record_aws(tmp_path, "-k", "lifecycle-app-type", "tags") == 0
    printed = capsys.readouterr()
    assert f"1 Studio domains in {vpc} (subnets {', '.join(subnets)})" in printed.out
    [spy] = spied
    assert [(params["VpcId"], params["SubnetIds"]) for params in domain_requests(spy)] == [
        (vpc, subnets)]
    # the network masked as the mock's: the recording compares with the mock's own
    recorded = json.loads((tmp_path / "lifecycle-app-type.json").read_text())
    assert recorded["recorded"]["target"] == "aws"
    mock = json.loads((SNAPSHOTS / "lifecycle-app-type.json").read_text())
    assert recorded["calls"] == mock["calls"]
    assert left_behind(spy.client) == NOTHING


def test_the_flags_are_used_and_ec2_is_not_asked(
        tmp_path: Path, spied: list[Spy], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def no_lookup() -> None:
        raise AssertionError("the default VPC was looked up")

    monkeypatch.setattr(cli, "default_network", no_lookup)
    assert record_aws(tmp_path, "-k", "studio-attach-missing", "--vpc-id", "vpc-0aaaabbbbccccdddd",
                      "--subnet-ids", "subnet-0aaaa", "subnet-0bbbb") == 0
    assert "in vpc-0aaaabbbbccccdddd (subnets subnet-0aaaa, subnet-0bbbb)" in capsys.readouterr().out
    assert [(params["VpcId"], params["SubnetIds"]) for params in domain_requests(spied[0])] == [
        ("vpc-0aaaabbbbccccdddd", ["subnet-0aaaa", "subnet-0bbbb"])]


def test_scenarios_without_a_domain_need_no_network(
        tmp_path: Path, spied: list[Spy], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "default_network", lambda: pytest.fail("looked up"))
    assert record_aws(tmp_path, "-k", "lifecycle-config-arn", "tags") == 0
    assert "Studio domains" not in capsys.readouterr().out
    assert left_behind(spied[0].client) == NOTHING


@pytest.mark.parametrize("remove, why", [
    ("vpc", f"no default VPC in {REGION}: give --vpc-id and --subnet-ids"),
    ("subnets", "has no subnets: give --vpc-id and --subnet-ids"),
])
def test_no_default_vpc_is_one_line_and_nothing_is_created(
        tmp_path: Path, spied: list[Spy], capsys: pytest.CaptureFixture[str],
        remove: str, why: str) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc, subnets = default_network()
    for subnet in subnets:
        ec2.delete_subnet(SubnetId=subnet)
    if remove == "vpc":
        ec2.delete_vpc(VpcId=vpc)
    assert record_aws(tmp_path / "out", "-k", "tags", "lifecycle-delete-in-use") == 2
    printed = capsys.readouterr()
    [line] = printed.err.splitlines()
    assert line.startswith(f"{cli.PROG}: error: ") and why in line
    assert line.endswith("nothing was created")
    assert printed.out == ""  # no plan
    assert [method for method, _ in spied[0].calls] == []
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("flags", [("--vpc-id", "vpc-0a"), ("--subnet-ids", "subnet-0a")])
def test_one_flag_without_the_other_is_one_line(
        tmp_path: Path, spied: list[Spy], capsys: pytest.CaptureFixture[str],
        flags: tuple[str, str]) -> None:
    assert record_aws(tmp_path / "out", "-k", "lifecycle-app-type", *flags) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--vpc-id and --subnet-ids go together" in line
    assert spied == []


def test_without_credentials_the_credential_check_comes_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").write_text("")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(name, str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(cli, "default_network", lambda: pytest.fail("looked up"))
    assert record_aws(tmp_path / "out", "-k", "lifecycle-delete-in-use") == 2
    printed = capsys.readouterr()
    [line] = printed.err.splitlines()
    assert "no AWS credentials found" in line and line.endswith("nothing was created")
    assert printed.out == ""


# --- clean-up, on the mock itself -----------------------------------------------------------

@pytest.fixture
def mock() -> Iterator[Any]:
    with mock_target() as target:
        yield target


def spy_on(mock: Any, monkeypatch: pytest.MonkeyPatch, spy: Spy) -> Any:
    real_clean_up = conformance.clean_up

    def clean_up(client: Any, created: Created, *args: Any) -> list[str]:
        spy.cleaning_from = len(spy.calls)
        return real_clean_up(client, created, *args)

    monkeypatch.setattr(conformance, "clean_up", clean_up)
    mock.client = spy
    return mock


def assert_in_order(cleaning: list[tuple[str, dict[str, Any]]]) -> None:
    ranks = [RANK[method] for method, _ in cleaning if method in RANK]
    assert ranks == sorted(ranks), [method for method, _ in cleaning]
    for method, params in cleaning:
        if method == "delete_domain":
            assert params["RetentionPolicy"] == {"HomeEfsFileSystem": "Delete"}


@pytest.mark.parametrize("scenario", STUDIO, ids=lambda scenario: scenario.name)
def test_each_studio_scenario_leaves_nothing_and_cleans_up_in_order(
        mock: Any, monkeypatch: pytest.MonkeyPatch, scenario: Scenario) -> None:
    spy = Spy(mock.client)
    run_scenarios([scenario], spy_on(mock, monkeypatch, spy), PREFIX, out=io.StringIO())
    assert left_behind(spy.client) == NOTHING
    assert_in_order(spy.cleaning())
    assert {"delete_domain", "delete_studio_lifecycle_config"} & {
        method for method, _ in spy.cleaning()}


def everything_then_fail(run: Run) -> None:
    """A domain with a user profile, a space, an app on each (InService), a lifecycle config the
    domain lists, and an app image config; then the run breaks."""
    arn = run.call("CreateStudioLifecycleConfig", StudioLifecycleConfigName=run.name("idle"),
                   StudioLifecycleConfigContent="ZWNobw==",
                   StudioLifecycleConfigAppType="JupyterLab")["StudioLifecycleConfigArn"]
    run.call("CreateAppImageConfig", AppImageConfigName=run.name("config"))
    domain = conformance.studio_scenarios.studio_domain(
        run, JupyterLabAppSettings={"LifecycleConfigArns": [arn]})
    user, space = run.name("user"), run.name("space")
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=user)
    run.call("CreateSpace", DomainId=domain, SpaceName=space)
    for owner in ({"UserProfileName": user}, {"SpaceName": space}):
        assert run.call("CreateApp", DomainId=domain, AppType="JupyterLab", AppName="default",
                        **owner) is not None
    raise RuntimeError("connection lost")


@pytest.mark.parametrize("failure", [RuntimeError, KeyboardInterrupt])
def test_a_failure_midway_still_deletes_every_studio_resource_in_order(
        mock: Any, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]) -> None:
    def fail(method: str, params: dict[str, Any]) -> BaseException | None:
        return failure() if method == "describe_app" else None  # while the first app settles

    spy = Spy(mock.client)
    scenario = Scenario("everything", "", everything_then_fail, needs_studio=True)
    with pytest.raises((RuntimeError, KeyboardInterrupt)):
        run_scenarios([scenario], spy_on(mock, monkeypatch, spy), PREFIX, out=io.StringIO())
    assert left_behind(spy.client) == NOTHING
    assert_in_order(spy.cleaning())

    spy = Spy(mock.client)
    with pytest.raises(RuntimeError, match="connection lost"):
        run_scenarios([scenario], spy_on(mock, monkeypatch, spy), PREFIX + "b", out=io.StringIO())
    deleted = [method for method, _ in spy.cleaning() if method.startswith("delete")]
    assert deleted == ["delete_app", "delete_app", "delete_space", "delete_user_profile",
                       "delete_domain", "delete_studio_lifecycle_config", "delete_app_image_config"]
    assert left_behind(spy.client, PREFIX + "b") == NOTHING


def test_a_domain_whose_answer_was_lost_is_found_by_name_and_deleted(
        mock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(mock.client, lambda method, params: RuntimeError("lost")
              if method == "create_domain" else None, after=True)
    out = io.StringIO()
    with pytest.raises(RuntimeError, match="lost"):
        run_scenarios([SCENARIOS["lifecycle-app-type"]], spy_on(mock, monkeypatch, spy), PREFIX,
                      out=out)
    assert [method for method, _ in spy.cleaning()][:2] == ["list_domains", "delete_domain"]
    assert left_behind(spy.client) == NOTHING
    assert "could not delete" not in out.getvalue()


def test_a_change_in_a_domain_not_of_the_run_is_refused_before_sending(mock: Any) -> None:
    spy = Spy(mock.client)
    run = Run(mock, PREFIX, Created())
    mock.client = spy
    for operation, params in [("DeleteApp", {"DomainId": "d-someoneelse1", "AppName": "x"}),
                              ("CreateDomain", {"DomainName": "theirs"}),
                              ("DeleteStudioLifecycleConfig", {"StudioLifecycleConfigName": "x"})]:
        with pytest.raises(Failure):
            run.call(operation, **params)
    assert spy.calls == []


def test_a_target_without_a_network_cannot_run_a_studio_scenario(mock: Any) -> None:
    mock.vpc_id, mock.subnet_ids = None, ()
    with pytest.raises(Failure, match="needs a VPC and subnets"):
        run_scenarios([SCENARIOS["lifecycle-app-type"]], mock, PREFIX, out=io.StringIO())
    assert left_behind(mock.client) == NOTHING
