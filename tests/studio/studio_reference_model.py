"""A plain reference model of SageMaker Studio for the Studio state-machine test
(tests/studio/test_studio_state_machine.py), written from SPEC.md's "Studio" section,
docs/studio.md and the decisions marked [chosen] in moto_sagemaker_imgver/studio/: domains, user
profiles, spaces and apps, and the attach and launch rules, which read images, versions, aliases
and app image configs from the image model (tests/support/reference_model.py). Dicts and lists;
each operation checks everything first and raises `Refused(code)` before it changes anything.

The service draws domain ids: the test registers a new domain under the id CreateDomain answers.
Times are observed, as in the image model.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from support.reference_model import ARN, Model, _check
from studio_model_views import SPACE, USER, StudioView

# Where each app type's CustomImages are in UserSettings, DefaultSpaceSettings and SpaceSettings.
APP_SETTINGS = {"KernelGateway": "KernelGatewayAppSettings",
                "JupyterLab": "JupyterLabAppSettings",
                "CodeEditor": "CodeEditorAppSettings",
                "RSessionGateway": "RSessionAppSettings"}
MOST_PER_OWNER = 5  # documented: custom images per user profile and per space
# ResourceSpec.SageMakerImageVersionAlias: SemVer forms (the model's pattern, narrowed to the
# forms the test sends)
SEMVER = re.compile(r"^\d+(\.\d+(\.\d+(-[0-9A-Za-z.-]+)?)?)?$")
# An app in these runs nothing (AWS, "Delete a domain": "You don't need to delete an app whose
# status is Failed", and a user profile or space "can't contain any non-failed apps" to be
# deleted): it holds back no delete of its owner, and its name can be used again.
NOT_RUNNING = ("Deleted", "Failed")


def merged(current: Any, given: Any) -> Any:
    """Updates change only what they are given: structures merge member by member, a list or a
    value replaces (so CustomImages=[] detaches every image of that list)."""
    if given is None:
        return current
    if isinstance(current, dict) and isinstance(given, dict):
        return {**current, **{key: merged(current.get(key), value)
                              for key, value in given.items()}}
    return copy.deepcopy(given)


def custom_images(settings: dict | None, app_types: Any = APP_SETTINGS) -> list[dict]:
    return [entry for app_type in app_types
            for entry in ((settings or {}).get(APP_SETTINGS[app_type]) or {}).get(
                "CustomImages") or []]


def entry_key(app_type: str, entry: dict) -> tuple:
    return (app_type, entry["ImageName"].lower(), entry.get("ImageVersionNumber"),
            entry["AppImageConfigName"].lower())


@dataclass
class Domain:
    name: str
    user_settings: dict
    space_settings: dict | None
    subnets: list[str]
    domain_id: str = ""
    efs: str | None = None
    security_group: str | None = None
    status: str = "InService"
    profiles: dict[str, Owner] = field(default_factory=dict)  # by lower-cased name
    spaces: dict[str, Owner] = field(default_factory=dict)
    created: Any = None
    modified: Any = None


@dataclass
class Owner:
    """A user profile or a space: what an app belongs to."""
    kind: str  # USER or SPACE, as the ARN names it
    domain_id: str
    name: str
    settings: dict | None  # UserSettings or SpaceSettings
    owner: str | None = None  # a private space's OwnerUserProfileName
    display: str | None = None  # a space's SpaceDisplayName
    status: str = "InService"
    created: Any = None
    modified: Any = None

    @property
    def arn(self) -> str:
        return f"{ARN}{self.kind}/{self.domain_id}/{self.name.lower()}"


@dataclass
class App:
    domain_id: str
    owner: tuple[str, str]  # (USER or SPACE, the name the request gave)
    app_type: str
    name: str
    spec: dict | None  # as run: a custom image's version resolved at creation
    status: str = "InService"
    created: Any = None
    failure: str | None = None  # why it failed to start (a lifecycle config)

    @property
    def arn(self) -> str:
        return app_arn(self.domain_id, self.owner, self.app_type, self.name)


def app_arn(domain_id: str, owner: tuple[str, str], app_type: str, name: str) -> str:
    return ARN + f"app/{domain_id}/{owner[1]}/{app_type}/{name}".lower()


class StudioModel(StudioView):
    def __init__(self, images: Model) -> None:
        self.images = images  # images, versions, aliases and app image configs
        self.domains: dict[str, Domain] = {}  # by DomainId
        # By ARN: a Deleted or Failed app stays (describable, listed) until its name is used
        # again or its owner is deleted.
        self.apps: dict[str, App] = {}
        # Slowed (moto's state manager, manual progression): a change leaves a resource Pending,
        # Updating or Deleting until `advance` moves its kind on; else it settles at once.
        self.slow = False

    def _moving(self, passing: str, settled: str = "InService") -> str:
        return passing if self.slow else settled

    @staticmethod
    def _in_service(*parents: Any) -> None:
        """A child is created only under parents that are InService; only those change."""
        _check(all(parent.status == "InService" for parent in parents), "ResourceInUse")

    # --- lookups -----------------------------------------------------------------------------

    def domain(self, domain_id: str) -> Domain:
        _check(domain_id in self.domains, "ResourceNotFound")
        return self.domains[domain_id]

    def profile(self, domain_id: str, name: str) -> Owner:
        found = self.domain(domain_id).profiles.get(name.lower())
        _check(found is not None, "ResourceNotFound")
        return found  # type: ignore[return-value]

    def space(self, domain_id: str, name: str, describing: bool = False) -> Owner:
        found = self.domains[domain_id].spaces.get(name.lower()) \
            if domain_id in self.domains else None
        # observed: the describe answers ValidationException (RecordNotFound)
        _check(found is not None, "ValidationException" if describing else "ResourceNotFound")
        return found  # type: ignore[return-value]

    def apps_of(self, domain_id: str, kind: str | None = None, name: str | None = None,
                running: bool = False) -> list[App]:
        """The apps of a domain, or of one owner; `running`: those neither Deleted nor Failed."""
        return [app for app in self.apps.values() if app.domain_id == domain_id
                and kind in (None, app.owner[0]) and name in (None, app.owner[1].lower())
                and not (running and app.status in NOT_RUNNING)]

    # --- the attach rules --------------------------------------------------------------------

    def check_attachable(self, settings: dict | None, current: dict | None) -> None:
        """What a request attaches anew must exist: the image, its version (the latest when none
        is named) and the app image config; what `current` holds already is not checked again."""
        held = {entry_key(t, e) for t in APP_SETTINGS for e in custom_images(current, [t])}
        for app_type in APP_SETTINGS:
            for entry in custom_images(settings, [app_type]):
                if entry_key(app_type, entry) not in held:
                    image = self.images.image(entry["ImageName"])
                    self.images.version(image, entry.get("ImageVersionNumber"))
                    self.images.config(entry["AppImageConfigName"])

    @staticmethod
    def check_limit(settings: dict | None) -> None:
        _check(len(custom_images(settings)) <= MOST_PER_OWNER, "ResourceLimitExceeded")

    def attached(self, domain_id: str, owner: tuple[str, str], app_type: str) -> list[dict]:
        """What an owner's app of this type may run: its own list, then the domain defaults it
        inherits (a space: default space settings, default user settings, its owner's)."""
        domain = self.domains.get(domain_id)
        kind, name = owner
        holder = (domain.profiles if kind == USER else domain.spaces).get(name.lower()) \
            if domain else None
        if holder is None or app_type not in APP_SETTINGS:
            return []
        types = [app_type]
        if kind == USER:
            return custom_images(holder.settings, types) + \
                custom_images(domain.user_settings, types)
        found = custom_images(holder.settings, types) + \
            custom_images(domain.space_settings, types) + \
            custom_images(domain.user_settings, types)
        owner_profile = domain.profiles.get((holder.owner or "").lower())
        return found + (custom_images(owner_profile.settings, types) if owner_profile else [])

    def launch(self, spec: dict | None, attached: list[dict]) -> dict | None:
        """The ResourceSpec an app runs. A custom image of this account (by version ARN, which
        wins, or by image ARN) must be attached; its version is resolved now: the version ARN's,
        the alias's, else the attached version or the latest."""
        if not spec:
            return spec
        number = None
        if spec.get("SageMakerImageVersionArn"):
            path = spec["SageMakerImageVersionArn"].partition(f"{ARN}image-version/")[2]
            name, _, text = path.rpartition("/")
            number = int(text) if name else None
        else:
            name = spec.get("SageMakerImageArn", "").partition(f"{ARN}image/")[2]
        if not name:  # SageMaker's own images, or none: taken as given
            return spec
        pinned = [e.get("ImageVersionNumber") for e in attached if e["ImageName"].lower() == name]
        _check(bool(pinned), "ResourceNotFound")
        image = self.images.image(name)
        alias = spec.get("SageMakerImageVersionAlias")
        version = self.images.version(image, number) if number is not None else \
            self.images.version(image, alias=alias) if alias is not None else \
            self.images.version(image, pinned[0])
        return {**spec, "SageMakerImageArn": image.arn,
                "SageMakerImageVersionArn": image.version_arn(version.number)}

    # --- domains -----------------------------------------------------------------------------

    def create_domain(self, name: str, user_settings: dict, space_settings: dict | None,
                      subnets: list[str]) -> Domain:
        """The new domain, registered by the test under the id the service draws."""
        _check(all(d.name != name for d in self.domains.values()), "ResourceInUse")
        self.check_attachable(user_settings, None)
        self.check_attachable(space_settings, None)
        return Domain(name, copy.deepcopy(user_settings), copy.deepcopy(space_settings),
                      list(subnets), status=self._moving("Pending"))

    def update_domain(self, domain_id: str, user_settings: dict | None,
                      space_settings: dict | None, subnets: list[str] | None) -> Domain:
        domain = self.domain(domain_id)
        if subnets is not None and subnets != domain.subnets:  # observed guard
            _check(not any(app.status == "InService" for app in self.apps_of(domain_id)))
        self._in_service(domain)
        self.check_attachable(user_settings, domain.user_settings)
        self.check_attachable(space_settings, domain.space_settings)
        domain.user_settings = merged(domain.user_settings, user_settings)
        domain.space_settings = merged(domain.space_settings, space_settings)
        domain.subnets = list(subnets) if subnets is not None else domain.subnets
        domain.status = self._moving("Updating")
        return domain

    def delete_domain(self, domain_id: str) -> Domain:
        domain = self.domain(domain_id)
        _check(not domain.profiles and not domain.spaces, "ResourceInUse")
        _check(domain.status != "Deleting", "ResourceInUse")
        domain.status = "Deleting"
        return domain if self.slow else self.domains.pop(domain_id)

    # --- user profiles and spaces ------------------------------------------------------------

    def create_profile(self, domain_id: str, name: str, settings: dict | None) -> Owner:
        domain = self.domain(domain_id)
        _check(name.lower() not in domain.profiles, "ResourceInUse")
        self._in_service(domain)
        self.check_limit(settings)
        self.check_attachable(settings, None)
        profile = Owner(USER, domain_id, name, copy.deepcopy(settings),
                        status=self._moving("Pending"))
        return domain.profiles.setdefault(name.lower(), profile)

    def update_profile(self, domain_id: str, name: str, settings: dict | None) -> Owner:
        return self._updated(self.profile(domain_id, name), settings)

    def _updated(self, owner: Owner, settings: dict | None) -> Owner:
        """A user profile's or space's settings merged with the given, once checked."""
        after = merged(owner.settings, settings)
        self.check_limit(after)
        self._in_service(owner)
        self.check_attachable(settings, owner.settings)
        owner.settings = after
        owner.status = self._moving("Updating")
        return owner

    def delete_profile(self, domain_id: str, name: str) -> Owner:
        profile = self.profile(domain_id, name)
        _check(not self.apps_of(domain_id, USER, name.lower(), running=True), "ResourceInUse")
        return self._deleting(profile)

    def create_space(self, domain_id: str, name: str, settings: dict | None,
                     owner: str | None) -> Owner:
        domain = self.domain(domain_id)
        _check(name.lower() not in domain.spaces, "ResourceInUse")
        self._in_service(domain)
        if owner is not None:
            self._in_service(self.profile(domain_id, owner))
        self.check_limit(settings)
        self.check_attachable(settings, None)
        space = Owner(SPACE, domain_id, name, copy.deepcopy(settings), owner,
                      status=self._moving("Pending"))
        return domain.spaces.setdefault(name.lower(), space)

    def update_space(self, domain_id: str, name: str, settings: dict | None,
                     display: str | None) -> Owner:
        space = self._updated(self.space(domain_id, name), settings)
        space.display = display if display is not None else space.display
        return space

    def delete_space(self, domain_id: str, name: str) -> Owner:
        space = self.space(domain_id, name)
        _check(not self.apps_of(domain_id, SPACE, name.lower(), running=True), "ResourceInUse")
        return self._deleting(space)

    def _deleting(self, owner: Owner) -> Owner:
        _check(owner.status != "Deleting", "ResourceInUse")
        owner.status = "Deleting"
        if not self.slow:
            self._gone(owner)
        return owner

    def _gone(self, owner: Owner) -> None:
        """A user profile or space that has finished deleting, and its apps (all Deleted or
        Failed)."""
        for app in self.apps_of(owner.domain_id, owner.kind, owner.name.lower()):
            del self.apps[app.arn]
        domain = self.domains[owner.domain_id]
        (domain.profiles if owner.kind == USER else domain.spaces).pop(owner.name.lower())

    def advance(self, kind: str) -> None:
        """Time passes for one kind ("domain", USER, SPACE or "app"): what is Pending or Updating
        is InService, what is Deleting is gone (an app: Deleted; one failing to start, Pending,
        is Failed)."""
        if kind == "app":
            for app in self.apps.values():
                started = "InService" if app.failure is None else "Failed"
                app.status = {"Pending": started, "Deleting": "Deleted"}.get(app.status,
                                                                             app.status)
            return
        for domain in list(self.domains.values()):
            held = [domain] if kind == "domain" else list(
                (domain.profiles if kind == USER else domain.spaces).values())
            for resource in held:
                if resource.status != "Deleting":
                    resource.status = "InService"
                elif kind == "domain":
                    del self.domains[domain.domain_id]
                else:
                    self._gone(resource)

    # --- apps --------------------------------------------------------------------------------

    def create_app(self, domain_id: str, owner: tuple[str, str], app_type: str, name: str,
                   spec: dict | None) -> App:
        alias = (spec or {}).get("SageMakerImageVersionAlias")  # validated first
        _check(alias is None or SEMVER.match(alias) is not None)
        holder = (self.profile if owner[0] == USER else self.space)(domain_id, owner[1])
        existing = self.apps.get(app_arn(domain_id, owner, app_type, name))
        _check(existing is None or existing.status in NOT_RUNNING, "ResourceInUse")
        self._in_service(self.domains[domain_id], holder)
        resolved = self.launch(spec, self.attached(domain_id, owner, app_type))
        app = App(domain_id, owner, app_type, name, copy.deepcopy(resolved),
                  status=self._moving("Pending"))
        self.apps[app.arn] = app  # a Deleted or Failed app of that name is gone
        return app

    def app(self, domain_id: str, owner: tuple[str, str], app_type: str, name: str,
            describing: bool = False) -> App:
        found = self.apps.get(app_arn(domain_id, owner, app_type, name))
        _check(found is not None and found.owner[0] == owner[0],
               "ValidationException" if describing else "ResourceNotFound")
        return found  # type: ignore[return-value]

    def delete_app(self, domain_id: str, owner: tuple[str, str], app_type: str,
                   name: str) -> App:
        app = self.app(domain_id, owner, app_type, name)
        _check(app.status != "Deleted")  # observed: "has already been deleted"
        # documented: "an attempt to delete an app in the failed state results in an error"
        _check(app.status != "Failed")
        _check(app.status != "Deleting", "ResourceInUse")
        app.status = self._moving("Deleting", "Deleted")
        return app

    # --- lists -------------------------------------------------------------------------------

    def list_domains(self) -> list[Domain]:
        return sorted(self.domains.values(), key=lambda d: (d.created, d.domain_id))

    def list_owners(self, kind: str, domain_id: str | None, needle: str | None,
                    sort_by: str | None, order: str | None) -> list[Owner]:
        found = [owner for domain in self.domains.values()
                 if domain_id in (None, domain.domain_id)
                 for owner in (domain.profiles if kind == USER else domain.spaces).values()
                 if (needle or "").lower() in owner.name.lower()]
        moment = (lambda o: o.modified) if sort_by == "LastModifiedTime" else \
            (lambda o: o.created)
        return sorted(found, key=lambda o: (moment(o), f"{o.domain_id}/{o.name.lower()}"),
                      reverse=order == "Descending")

    def list_apps(self, domain_id: str | None, user: str | None, space: str | None,
                  order: str | None) -> list[App]:
        _check(user is None or space is None)
        owner = (USER, user.lower()) if user is not None else \
            (SPACE, space.lower()) if space is not None else None
        found = [app for app in self.apps.values() if domain_id in (None, app.domain_id)
                 and owner in (None, (app.owner[0], app.owner[1].lower()))]
        return sorted(found, key=lambda a: (a.created, a.arn), reverse=order == "Descending")
