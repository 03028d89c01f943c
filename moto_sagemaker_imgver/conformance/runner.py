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
from typing import Any, Callable, Iterable, Iterator

from botocore.exceptions import (
    ClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
)

SETTLE_TIMEOUT = 1200.0  # seconds; a version on AWS takes a minute or two to create
# Operations that change something: their target must carry the run's prefix (see Run.call).
MUTATING = re.compile(r"^(Create|Update|Delete|Add)")
# Raised before a request leaves: nothing can have been created.
NOT_SENT = (NoCredentialsError, PartialCredentialsError, NoRegionError, ParamValidationError)


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


@dataclass
class Created:
    """Names of every resource a run created, or may have (the answer was lost): all carry the
    run's prefix. A create AWS refused, or that was never sent, is not here."""

    images: list[str] = field(default_factory=list)
    app_image_configs: list[str] = field(default_factory=list)


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
        self._maybe_created(operation, params)
        response = dict(response)
        entry["status"] = response.pop("ResponseMetadata", {}).get("HTTPStatusCode")
        entry["response"] = response
        return response

    def _maybe_created(self, operation: str, params: dict[str, Any]) -> None:
        if operation == "CreateImage" and "ImageName" in params:
            self.created.images.append(params["ImageName"])
        if operation == "CreateAppImageConfig" and "AppImageConfigName" in params:
            self.created.app_image_configs.append(params["AppImageConfigName"])

    def _guard(self, operation: str, params: dict[str, Any]) -> None:
        """Never change a resource that is not ours: a mutating call names the prefix, or nothing."""
        if not MUTATING.match(operation):
            return
        target = params.get("ImageName") or params.get("AppImageConfigName") \
            or params.get("ResourceArn")
        if isinstance(target, str) and self.prefix not in target.lower():
            raise Failure(f"{operation} on {target!r}, which is not this run's")

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
        """Wait (unrecorded) until a status stops moving or the resource is gone."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            try:
                if status() not in moving:
                    return
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "ResourceNotFound":
                    return
                raise
            if time.monotonic() > deadline:
                raise Failure("a resource did not settle in time")
            time.sleep(self.target.poll_delay)


def snake_case(operation: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation).lower()


def new_prefix() -> str:
    """A run's prefix: valid at the start of every name, and unlikely to be anyone else's."""
    return "cf" + secrets.token_hex(4)


def clean_up(client: Any, created: Created, poll_delay: float = 0.0,
             attempts: int = 30) -> list[str]:
    """Delete every resource the run created, by name; return those that could not be deleted.

    Deleting an image deletes its versions. A resource still moving (ResourceInUse) is retried.
    """
    left: list[str] = []
    work = [("delete_app_image_config", "AppImageConfigName", name)
            for name in dict.fromkeys(created.app_image_configs)]
    work += [("delete_image", "ImageName", name) for name in dict.fromkeys(created.images)]
    for method, key, name in work:
        for attempt in range(attempts):
            try:
                getattr(client, method)(**{key: name})
                break
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "ResourceNotFound":
                    break
                if code != "ResourceInUse" or attempt == attempts - 1:
                    left.append(name)
                    break
                time.sleep(poll_delay)
            except Exception:  # noqa: BLE001 - a broken connection: try the others, report this one
                left.append(name)
                break
    return left


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
