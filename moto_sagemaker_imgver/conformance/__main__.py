"""`python -m moto_sagemaker_imgver.conformance list | record | compare`."""
from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from . import EXTRA, SCENARIOS, SnapshotError, compare, record, render, run_scenarios, selected
from .runner import Failure, Target, new_prefix
from .scenarios import Scenario

AWS_POLL_DELAY = 5.0
PROG = "python -m moto_sagemaker_imgver.conformance"


def error(message: str, status: int = 2) -> int:
    """One line on stderr, and the exit status to return."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def extra_missing() -> str | None:
    """What is missing for `record` and `compare`, or None."""
    try:
        from . import matching  # noqa: F401
    except ModuleNotFoundError as missing:
        if (missing.name or "").startswith(__package__.split(".")[0]):
            raise  # ours: a bug, not a missing extra
        return missing.name or "localstack-snapshot"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="one line per scenario: its name and what it settles")
    recording = commands.add_parser("record", help="run scenarios, write one snapshot each")
    recording.add_argument("--target", choices=("mock", "aws"), default="mock")
    recording.add_argument("--out", type=Path, required=True, help="directory of snapshots")
    recording.add_argument("-k", dest="names", nargs="+", action="extend", metavar="NAME",
                           help="only these scenarios")
    recording.add_argument("--role-arn", help="aws: an IAM role ARN for CreateImage (only read)")
    recording.add_argument("--base-image", help="aws: an ECR image URI the caller owns")
    recording.add_argument("--vpc-id", help="aws: the VPC of the Studio scenarios' domains "
                           "(default: the account's default VPC)")
    recording.add_argument("--subnet-ids", nargs="+", metavar="SUBNET_ID",
                           help="aws: subnets of that VPC (default: the default VPC's)")
    recording.add_argument("--yes", action="store_true", help="aws: create and delete for real")
    comparing = commands.add_parser("compare", help="replay snapshots on the mock, print a table")
    comparing.add_argument("directory", type=Path, help="a directory of snapshots, or one file")
    args = parser.parse_args(argv)
    # a usage error like argparse's own (usage, `...: error:`, exit 2), before anything runs
    unknown = sorted(set(getattr(args, "names", None) or ()) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (`list` names them)")

    if args.command == "list":
        for scenario in SCENARIOS.values():
            only = " (mock only)" if scenario.mock_only else \
                " (Studio: a domain in a VPC)" if scenario.needs_studio else ""
            print(f"{scenario.name}: {scenario.settles}{only}")
        return 0
    missing = extra_missing()
    if missing is not None:
        return error(f"{args.command} needs the conformance extra ({missing} is missing): {EXTRA}")
    try:
        if args.command == "compare":
            rows = compare(args.directory)
            print(render(rows))
            return 0 if all(row.verdict != "differ" for row in rows) else 1
        scenarios = selected(args.names)
        if args.target == "mock":
            for path in record(scenarios, args.out):
                print(path)
            return 0
        return record_on_aws(scenarios, args)
    except SnapshotError as problem:
        return error(str(problem))


def record_on_aws(scenarios: Sequence[Scenario], args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError

    if not args.role_arn or not args.base_image:
        return error("--target aws needs --role-arn and --base-image")
    if bool(args.vpc_id) != bool(args.subnet_ids):
        return error("--vpc-id and --subnet-ids go together (give neither for the default VPC)")
    try:
        target = aws_target(args.role_arn, args.base_image)  # the credential check, first
        if any(scenario.needs_studio for scenario in scenarios):
            vpc, subnets = (args.vpc_id, tuple(args.subnet_ids)) if args.vpc_id \
                else default_network()
            target = dataclasses.replace(target, vpc_id=vpc, subnet_ids=subnets)
    except Failure as problem:
        return error(f"{problem}; nothing was created")
    prefix = new_prefix()
    plan = _plan(scenarios)
    studio = "" if target.vpc_id is None else (
        f"  {plan['CreateDomain']} Studio domains in {target.vpc_id} (subnets "
        f"{', '.join(target.subnet_ids)}), each with the EFS volume and security groups\n"
        "    SageMaker makes for it (the volume is deleted with the domain),\n"
        f"  {plan['CreateUserProfile']} user profiles, {plan['CreateApp']} apps (billed while "
        "they run, until the scenario ends),\n")
    print(f"In {target.region}, with the default credentials, this creates (and deletes after "
          f"each scenario) resources named {prefix}NN-*:\n"
          f"  {plan['CreateImage']} images (RoleArn {args.role_arn}, only named),\n"
          f"  {plan['CreateImageVersion']} image versions of {args.base_image},\n"
          f"  {plan['CreateAppImageConfig']} app image configs,\n{studio}"
          f"  {plan['CreateStudioLifecycleConfig']} Studio lifecycle configs.\n"
          "Nothing else is created, changed or deleted.")
    if not args.yes:
        print("Refusing to run without --yes.", file=sys.stderr)
        return 2
    try:
        for path in record(scenarios, args.out, target, prefix):
            print(path)
    except (Failure, BotoCoreError) as problem:  # what was created is deleted by then
        return error(f"the run stopped: {problem}", status=1)
    return 0


def aws_target(role_arn: str, base_image: str) -> Target:
    """Clients for the caller's default credentials, profile and region (nothing is sent yet);
    Failure if there is no region or no credentials."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    try:
        session = boto3.Session()
        region, credentials = session.region_name, session.get_credentials()
    except BotoCoreError as problem:  # e.g. AWS_PROFILE names a profile that does not exist
        raise Failure(str(problem)) from None
    if not region:
        raise Failure("no default region: set AWS_DEFAULT_REGION or a profile's region")
    if credentials is None:
        raise Failure("no AWS credentials found (environment, AWS_PROFILE, shared credentials "
                      "or config file, instance role)")
    retries = Config(retries={"mode": "standard", "max_attempts": 5})
    unvalidated = retries.merge(Config(parameter_validation=False))
    return Target("aws", session.client("sagemaker", config=retries),
                  session.client("sagemaker", config=unvalidated),
                  role_arn, base_image, region, AWS_POLL_DELAY)


def default_network() -> tuple[str, tuple[str, ...]]:
    """The default VPC of the default region and its subnets, read through EC2; Failure if
    there is none (or it cannot be read)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    flags = "give --vpc-id and --subnet-ids for the Studio scenarios' domains"
    try:
        session = boto3.Session()
        ec2 = session.client("ec2")
        vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
        if not vpcs:
            raise Failure(f"no default VPC in {session.region_name}: {flags}")
        vpc = str(vpcs[0]["VpcId"])
        pages = ec2.get_paginator("describe_subnets").paginate(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}])
        subnets = sorted(subnet["SubnetId"] for page in pages for subnet in page["Subnets"])
    except (BotoCoreError, ClientError) as problem:
        raise Failure(f"cannot read the default VPC ({problem}): {flags}") from None
    if not subnets:
        raise Failure(f"the default VPC {vpc} has no subnets: {flags}")
    return vpc, tuple(subnets)


def _plan(scenarios: Sequence[Scenario]) -> Counter[str]:
    """What a run creates, counted on the mock (which answers as the recordings say)."""
    counts: Counter[str] = Counter()
    for calls in run_scenarios([s for s in scenarios if not s.mock_only],
                               out=sys.stderr).values():
        counts.update(call["call"] for call in calls
                      if call["call"].startswith("Create") and "error" not in call)
    return counts


if __name__ == "__main__":
    sys.exit(main())
