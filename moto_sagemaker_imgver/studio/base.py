"""What the Studio operations share: the resources' lifecycle, their lookups, settling.

A StudioResource keeps the settings a request gave in `settings`, as the validated members gave
them (snake_case keys at the top, the model's own names inside). Studio code reads them there,
through typed properties where several places do; the response layer reads an output member the
resource has no attribute for from `settings` (`responses._serialize`). No shape is restated here.
"""
from __future__ import annotations

from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ImageApiError, ResourceInUse, ResourceNotFound, ValidationException
from ..lifecycle import GONE, Lifecycle
from ..store import Store, time_key
from .custom_images import ImageCatalog, Structure

# Domains, user profiles and spaces: created, updated, deleted (then gone).
SETTLING: list[tuple[str | None, str]] = [("Pending", "InService"), ("Updating", "InService"), ("Deleting", GONE)]


# Members inside a structure that AWS documents a default for (botocore's model), filled in
# wherever the structure is given: a domain's DomainSettings, and SharingSettings in UserSettings.
NESTED_DEFAULTS: dict[str, dict[str, str]] = {
    "domain_settings": {"IpAddressType": "ipv4"},  # "If not specified, defaults to ipv4."
    "SharingSettings": {"NotebookOutputOption": "Disabled"},  # "The default is Disabled."
}


def with_defaults(value: Any) -> Any:
    """The settings with the documented defaults of the structures in them filled in."""
    if not isinstance(value, dict):
        return value
    return {key: {**NESTED_DEFAULTS[key], **with_defaults(item)}
            if key in NESTED_DEFAULTS and isinstance(item, dict) else with_defaults(item)
            for key, item in value.items()}


# Members that name one lifecycle config: a default (`DefaultResourceSpec`, an app's
# `ResourceSpec`), the administrator's built-in one, and the built-in one an app runs (kept at
# the top of its settings, as DescribeApp names it).
NAMING_ONE = ("LifecycleConfigArn", "BuiltInLifecycleConfigArn", "built_in_lifecycle_config_arn")


def lifecycle_configs_in(settings: Any) -> set[str]:
    """Every lifecycle config ARN that settings (or an app's) list or name (the word `None`
    names none)."""
    found: set[str] = set()
    pending = [settings]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "LifecycleConfigArns" and isinstance(item, list):
                    found.update(arn for arn in item if isinstance(arn, str))
                elif key in NAMING_ONE and isinstance(item, str) and item != "None":
                    found.add(item)
                else:
                    pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
    return found


class StudioResource:
    """A resource with the request's settings and tags; `tie` breaks equal times in list
    orders. One with a status is also a Lifecycle (SettlingResource)."""

    def __init__(self, tie: str, settings: dict[str, Any], tags: dict[str, str]) -> None:
        self.settings: dict[str, Any] = with_defaults(settings)
        self.tie = tie
        self.tags = tags
        self.creation_time = self.last_modified_time = utcnow()
        self.creation_key = time_key(self.creation_time, tie)
        self.failure_reason: str | None = None

    def _structure(self, name: str) -> Structure | None:
        """A structure the request gave (None when it gave none)."""
        given: Structure | None = self.settings.get(name)
        return given


class SettlingResource(StudioResource, Lifecycle):
    """A Studio resource whose status moves on as moto's state manager says."""

    TRANSITIONS: list[tuple[str | None, str]] = SETTLING

    def __init__(self, tie: str, settings: dict[str, Any], tags: dict[str, str]) -> None:
        StudioResource.__init__(self, tie, settings, tags)
        Lifecycle.__init__(self, self.TRANSITIONS)


# An app in these runs nothing: it holds back no delete of its owner or of its lifecycle config,
# and its name can be used again. AWS: "You don't need to delete an app whose status is Failed"
# to delete its domain, and a user profile or space "can't contain any non-failed apps" to be
# deleted (doc, "Delete a domain").
NOT_RUNNING = ("Deleted", "Failed")


class AppOwner(SettlingResource):
    """A user profile or a space: what runs apps. This module is below the apps module, so
    their apps are named as SettlingResources here."""

    def __init__(self, tie: str, settings: dict[str, Any], tags: dict[str, str]) -> None:
        super().__init__(tie, settings, tags)
        self.apps: dict[str, SettlingResource] = {}  # by ARN, those Deleted too


def missing(kind: str, arn: str, describing: bool) -> ImageApiError:
    """A space or app that does not exist (nor its domain)."""
    if describing:
        # Observed: ValidationException containing RecordNotFound; [chosen] the rest.
        return ValidationException(f"RecordNotFound: {kind} {arn} does not exist.")
    # [chosen] Other calls answer the ResourceNotFound they model: terraform's delete handlers
    # take it as gone, while its finders read RecordNotFound from the describes.
    return ResourceNotFound(f"{kind} with ARN {arn} does not exist.")


def merged(current: Any, given: Any) -> Any:
    """`given` laid over `current`: structures merge member by member, anything else (a list, a
    value) replaces."""
    # [chosen] Updates change only what they are given, at every depth, so a described
    # DefaultUserSettings passed back round-trips; an empty list (CustomImages=[]) detaches
    # everything in it.
    if given is None:  # not given: UpdateSpace with only a display name keeps SpaceSettings
        return current
    if isinstance(current, dict) and isinstance(given, dict):
        result = dict(current)
        for key, value in given.items():
            result[key] = merged(current.get(key), value)
        return result
    return given


class StudioBase(Store):
    """What every Studio resource's operations use. Each resource's module holds its own
    containers and lookup; one that reads another's derives from that one's operations (apps
    from spaces, spaces from user profiles, user profiles from domains), as its imports go."""

    catalog: ImageCatalog  # the images and app image configs that settings and apps name

    @staticmethod
    def _created_under(parent: SettlingResource, parent_arn: str, child: str,
                       child_arn: str) -> None:
        """A child is created only under a parent that is InService, so nothing is created under
        one that is going, and nothing it held outlives it."""
        if parent.status != "InService":
            # Observed: "Unable to create app <arn> because space <arn> is not in InService
            # state"; [chosen] the code and the same words for the other parents.
            kind = {"Domain": "Domain", "UserProfile": "UserProfile", "Space": "space",
                    "App": "app"}
            raise ResourceInUse(f"Unable to create {kind[child]} {child_arn} because "
                                f"{kind[type(parent).__name__]} {parent_arn} is not in "
                                "InService state")

    def _check_attachable(self, settings: Structure | None,
                          current: Structure | None = None) -> None:
        """What a request attaches anew must exist: custom images (the catalog) and lifecycle
        configs; what `current` holds already is not checked again."""
        self.catalog.check_attachable(settings, current)
        for arn in sorted(lifecycle_configs_in(settings) - lifecycle_configs_in(current)):
            if arn not in self.by_arn or not arn.split(":", 5)[-1].startswith(
                    "studio-lifecycle-config/"):
                # [chosen] Refused when attached, as a missing custom image is.
                raise ResourceNotFound(f"StudioLifecycleConfig with ARN {arn} does not exist.")

    @staticmethod
    def _running_apps(owner: AppOwner) -> list[SettlingResource]:
        """The owner's apps that are neither Deleted (one stays describable for a while) nor
        Failed."""
        return [app for app in owner.apps.values() if app.status not in NOT_RUNNING]

    def _drop_apps_of(self, owner: AppOwner) -> None:
        """Forget the apps of an owner that is gone (the apps module does it)."""

    def _domain_gone(self, domain_id: str) -> None:
        """A domain has finished deleting (its user profiles, spaces and apps went first):
        each resource's module lets go of what it keeps per domain."""
