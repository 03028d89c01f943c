"""Running scenarios: send the calls, record their outcomes, delete what was created.

Needs nothing beyond the package's own dependencies (`list` imports it); masking and comparing,
which need the `conformance` extra, are in `matching`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from botocore.exceptions import (
    ClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
)

SETTLE_TIMEOUT = 1200.0  # seconds; a version on AWS takes a minute or two to create, a domain more
# Operations that change something: their target must carry the run's prefix (see Run.call).
MUTATING = re.compile(r"^(Create|Update|Delete|Add)")
# Raised before a request leaves: nothing can have been created.
NOT_SENT = (NoCredentialsError, PartialCredentialsError, NoRegionError, ParamValidationError)
# The network a mock domain names (the mock checks none); a recording on AWS masks its own to these.
MOCK_VPC_ID = "vpc-0123456789abcdef0"
MOCK_SUBNET_IDS = ("subnet-0123456789abcdef0",)
# Studio statuses that move on by themselves; polling waits them out.
STUDIO_MOVING = ("Pending", "Updating", "Deleting")
STUDIO_CALL = re.compile(r"^(Create|Update|Delete)(Domain|UserProfile|Space|App)$")
STUDIO_KEYS = ("DomainId", "UserProfileName", "SpaceName", "AppType", "AppName")


class Failure(Exception):
    """The run cannot go on (not an AWS error answer, which is an outcome to record)."""


@dataclass
class Target:
    """Where calls go: the clients, and what to mask in what they answer."""

    name: str  # "mock" or "aws"
    client: Any
    raw_client: Any  # the same, with boto3's parameter validation off
    role_arn: str
    base_image: str
    region: str
    poll_delay: float = 0.0
    vpc_id: str | None = None  # for CreateDomain; the scenarios that need one fail without
    subnet_ids: tuple[str, ...] = ()


@dataclass
class Created:
    """Names of every resource a run created, or may have (the answer was lost): all carry the
    run's prefix. A create AWS refused, or that was never sent, is not here."""

    images: list[str] = field(default_factory=list)
    app_image_configs: list[str] = field(default_factory=list)
    domains: dict[str, str | None] = field(default_factory=dict)  # name: id (None: answer lost)
    user_profiles: list[tuple[str, str]] = field(default_factory=list)  # (domain id, name)
    spaces: list[tuple[str, str]] = field(default_factory=list)
    apps: list[dict[str, str]] = field(default_factory=list)  # DescribeApp's parameters
    lifecycle_configs: list[str] = field(default_factory=list)

    def labels(self) -> list[str]:
        """Everything here, as `clean_up` reports what it could not delete."""
        return ([_app_label(app) for app in self.apps]
                + [f"space {d}/{n}" for d, n in self.spaces]
                + [f"user profile {d}/{n}" for d, n in self.user_profiles]
                + [f"domain {name}" for name in self.domains]
                + self.lifecycle_configs + self.app_image_configs + self.images)


class Run:
    """One scenario's calls against one target, recorded in order."""

    def __init__(self, target: Target, prefix: str, created: Created) -> None:
        self.target = target
        self.prefix = prefix
        self.created = created
        self.calls: list[dict[str, Any]] = []

    @property
    def role_arn(self) -> str:
        return self.target.role_arn

    @property
    def base_image(self) -> str:
        return self.target.base_image

    def name(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def call(self, operation: str, raw: bool = False, **params: Any) -> dict[str, Any] | None:
        """Send one call and record its outcome; the response, or None when AWS answered an error."""
        self._guard(operation, params)
        client = self.target.raw_client if raw else self.target.client
        entry: dict[str, Any] = {"call": operation, "request": params}
        self.calls.append(entry)
        try:
            response = getattr(client, snake_case(operation))(**params)
        except ClientError as error:
            entry["status"] = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            entry["error"] = {key: error.response.get("Error", {}).get(key)
                              for key in ("Code", "Message")}
            if not isinstance(entry["status"], int) or entry["status"] >= 500:
                self._maybe_created(operation, params)  # a server error may come after the work
            return None
        except NOT_SENT:
            raise
        except BaseException:
            self._maybe_created(operation, params)  # e.g. the connection broke: it may exist
            raise
        self._maybe_created(operation, params, response)
        response = dict(response)
        entry["status"] = response.pop("ResponseMetadata", {}).get("HTTPStatusCode")
        entry["response"] = response
        self._settle_studio(operation, params, response)
        return response

    def _maybe_created(self, operation: str, params: dict[str, Any],
                       response: Any = None) -> None:
        if operation == "CreateImage" and "ImageName" in params:
            self.created.images.append(params["ImageName"])
        if operation == "CreateAppImageConfig" and "AppImageConfigName" in params:
            self.created.app_image_configs.append(params["AppImageConfigName"])
        if operation == "CreateStudioLifecycleConfig" and "StudioLifecycleConfigName" in params:
            self.created.lifecycle_configs.append(params["StudioLifecycleConfigName"])
        if operation == "CreateDomain" and "DomainName" in params:
            domain = (response or {}).get("DomainId")  # without it, clean-up finds it by name
            self.created.domains[params["DomainName"]] = domain if isinstance(domain, str) else None
        if "DomainId" not in params:
            return
        if operation == "CreateUserProfile" and "UserProfileName" in params:
            self.created.user_profiles.append((params["DomainId"], params["UserProfileName"]))
        if operation == "CreateSpace" and "SpaceName" in params:
            self.created.spaces.append((params["DomainId"], params["SpaceName"]))
        if operation == "CreateApp":
            self.created.apps.append({key: params[key] for key in STUDIO_KEYS if key in params})

    def _guard(self, operation: str, params: dict[str, Any]) -> None:
        """Never change a resource that is not ours: a mutating call names the prefix, or a
        domain the run created, or nothing."""
        if not MUTATING.match(operation):
            return
        target = params.get("ImageName") or params.get("AppImageConfigName") \
            or params.get("ResourceArn") or params.get("DomainName") \
            or params.get("StudioLifecycleConfigName")
        if isinstance(target, str) and self.prefix not in target.lower():
            raise Failure(f"{operation} on {target!r}, which is not this run's")
        domain = params.get("DomainId")
        if isinstance(domain, str) and domain not in self.created.domains.values():
            raise Failure(f"{operation} in domain {domain!r}, which this run did not create")

    def _settle_studio(self, operation: str, params: dict[str, Any],
                       response: dict[str, Any]) -> None:
        """A Studio resource created, updated or deleted: wait (unrecorded) until its status
        stops moving, so the next call finds it InService (or Failed, or gone)."""
        kind = STUDIO_CALL.match(operation)
        if kind is None:
            return
        key = {name: params[name] for name in STUDIO_KEYS if name in params}
        if "DomainId" not in key and isinstance(response.get("DomainId"), str):
            key["DomainId"] = response["DomainId"]
        describe = getattr(self.target.client, snake_case("Describe" + kind.group(2)))
        self._poll(lambda: describe(**key)["Status"], moving=STUDIO_MOVING)

    # --- the steps scenarios share --------------------------------------------------------

    def image(self, suffix: str = "img", **extra: Any) -> str:
        name = self.name(suffix)
        self.call("CreateImage", ImageName=name, RoleArn=self.role_arn, **extra)
        self.settle_image(name)
        return name

    def version(self, image: str, **extra: Any) -> int | None:
        response = self.call("CreateImageVersion",
                             **{"ImageName": image, "BaseImage": self.base_image, **extra})
        if response is None:
            return None
        number = int(response["ImageVersionArn"].rsplit("/", 1)[1])
        self.settle_version(image, number)
        return number

    def settle_image(self, name: str) -> None:
        self._poll(lambda: self.target.client.describe_image(ImageName=name)["ImageStatus"],
                   moving=("CREATING", "UPDATING", "DELETING"))

    def settle_version(self, image: str, number: int) -> None:
        self._poll(lambda: self.target.client.describe_image_version(
            ImageName=image, Version=number)["ImageVersionStatus"], moving=("CREATING", "DELETING"))

    def _poll(self, status: Callable[[], str], moving: Iterable[str]) -> None:
        poll(status, moving, self.target.poll_delay)


def poll(status: Callable[[], str], moving: Iterable[str], delay: float) -> str | None:
    """Wait (unrecorded) until a status stops moving: the status, or None when it is gone."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    moving = tuple(moving)
    while True:
        try:
            now = status()
            if now not in moving:
                return now
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFound":
                return None
            raise
        if time.monotonic() > deadline:
            raise Failure("a resource did not settle in time")
        time.sleep(delay)


def snake_case(operation: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation).lower()


def new_prefix() -> str:
    """A run's prefix: valid at the start of every name, and unlikely to be anyone else's."""
    return "cf" + secrets.token_hex(4)


def clean_up(client: Any, created: Created, poll_delay: float = 0.0,
             attempts: int = 30) -> list[str]:
    """Delete every resource the run created; return those that could not be deleted.

    Children before parents, each polled until gone: apps, spaces and user profiles, domains
    (with their EFS volume), then lifecycle configs (no settings name them then), app image
    configs, images (deleting one deletes its versions). A resource still moving
    (ResourceInUse) is retried.
    """
    left: list[str] = []

    def delete(label: str, send: Callable[[], Any]) -> bool:
        """Send one delete; whether it was accepted (or the resource was already gone)."""
        for attempt in range(attempts):
            try:
                send()
                return True
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "ResourceNotFound":
                    return True
                if code != "ResourceInUse" or attempt == attempts - 1:
                    break
                time.sleep(poll_delay)
            except Exception:  # noqa: BLE001 - a broken connection: try the others, report this one
                break
        left.append(label)
        return False

    def settled(label: str, status: Callable[[], str], moving: Iterable[str]) -> str | None:
        try:
            return poll(status, moving, poll_delay)
        except Exception:  # noqa: BLE001 - as above
            left.append(label)
            return "unknown"

    for app in _unique(created.apps):
        label = _app_label(app)
        describe = _status(client.describe_app, app)
        now = settled(label, describe, ("Pending",))  # a Pending app cannot be deleted yet
        if now in (None, "Deleted", "unknown"):
            continue
        if now == "Failed":
            # AWS documents that a Failed app need not (cannot) be deleted for its owner to go;
            # the mock wants it deleted: try once, a refusal is no leftover.
            try:
                client.delete_app(**app)
            except Exception:  # noqa: BLE001
                continue
        elif now != "Deleting" and not delete(label, lambda: client.delete_app(**app)):
            continue
        if settled(label, describe, ("Deleting",)) not in (None, "Deleted", "unknown"):
            left.append(label)
    owners = [("space", "SpaceName", client.delete_space, client.describe_space, owner)
              for owner in _unique(created.spaces)]
    owners += [("user profile", "UserProfileName", client.delete_user_profile,
                client.describe_user_profile, owner) for owner in _unique(created.user_profiles)]
    for kind, key, send, describe, (domain, name) in owners:
        _gone(f"{kind} {domain}/{name}", {"DomainId": domain, key: name}, send, describe,
              delete, settled, left)
    for name, domain in _domain_ids(client, created, left).items():
        _gone(f"domain {name}", {"DomainId": domain}, client.delete_domain,
              client.describe_domain, delete, settled, left,
              RetentionPolicy={"HomeEfsFileSystem": "Delete"})
    for config in dict.fromkeys(created.lifecycle_configs):
        delete(config, lambda: client.delete_studio_lifecycle_config(
            StudioLifecycleConfigName=config))
    for config in dict.fromkeys(created.app_image_configs):
        delete(config, lambda: client.delete_app_image_config(AppImageConfigName=config))
    for image in dict.fromkeys(created.images):
        delete(image, lambda: client.delete_image(ImageName=image))
    return left


def _gone(label: str, key: dict[str, str], send: Callable[..., Any],
          describe: Callable[..., Any], delete: Callable[[str, Callable[[], Any]], bool],
          settled: Callable[[str, Callable[[], str], Iterable[str]], str | None],
          left: list[str], **extra: Any) -> None:
    """Delete a domain, space or user profile and wait until it is gone."""
    if delete(label, lambda: send(**key, **extra)) and \
            settled(label, _status(describe, key), STUDIO_MOVING) not in (None, "unknown"):
        left.append(label)  # e.g. Delete_Failed


def _domain_ids(client: Any, created: Created, left: list[str]) -> dict[str, str]:
    """The run's domains by name; one whose CreateDomain answer was lost is found by its name."""
    found = {name: domain for name, domain in created.domains.items() if domain is not None}
    lost = set(created.domains) - set(found)
    token: dict[str, str] = {}
    try:
        while lost:
            page = client.list_domains(**token)
            for domain in page.get("Domains", []):
                if domain.get("DomainName") in lost:
                    found[domain["DomainName"]] = domain["DomainId"]
                    lost.discard(domain["DomainName"])
            if not page.get("NextToken"):
                break
            token = {"NextToken": page["NextToken"]}
    except Exception:  # noqa: BLE001 - cannot look: report them
        left.extend(f"domain {name}" for name in sorted(lost))
    return found


def _status(describe: Callable[..., Any], key: dict[str, str]) -> Callable[[], str]:
    return lambda: str(describe(**key)["Status"])


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for item in items:
        seen.setdefault(tuple(sorted(item.items())) if isinstance(item, dict) else item, item)
    return list(seen.values())


def _app_label(app: dict[str, str]) -> str:
    owner = app.get("UserProfileName") or app.get("SpaceName")
    return f"app {app.get('DomainId')}/{owner}/{app.get('AppType')}/{app.get('AppName')}"


# --- snapshots ------------------------------------------------------------------------------

def repository_of(image: str) -> str:
    """An image URI without its tag or digest."""
    return re.split(r"[:@](?=[^/]*$)", image, maxsplit=1)[0]


def dump(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


def recorded_where(target: Target) -> dict[str, str]:
    if target.name == "mock":
        return {"target": "mock"}  # no date: two mock recordings stay byte-identical
    return {"target": "aws", "region": target.region,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")}


@dataclass
class Row:
    scenario: str
    call: str
    verdict: str  # "match", "differ" or "known"
    difference: str = ""
