"""Apps: CreateApp, DescribeApp, DeleteApp, ListApps. An app belongs to a user profile or to a
space; one on a custom image runs the version resolved when it was created."""
from __future__ import annotations

from typing import Any

from ..exceptions import ResourceInUse, ValidationException
from ..store import Tags, listing, operation, tag_dict
from .base import NOT_RUNNING, AppOwner, SettlingResource, missing
from .custom_images import APP_SETTINGS, Structure, custom_images
from .lifecycle_configs import built_in_for, launched_with
from .listing import EVERYTHING, Scope, Scoped, created_catalog
from .spaces import SpaceOperations

USER, SPACE = "user-profile", "space"


class App(SettlingResource):
    STATE_MODEL = "sagemaker::app"
    TRANSITIONS = [("Pending", "InService"), ("Deleting", "Deleted")]

    def __init__(self, arn: str, domain_id: str, owner: tuple[str, str], app_type: str,
                 app_name: str, settings: dict[str, Any], tags: dict[str, str],
                 failure_reason: str | None = None) -> None:
        if failure_reason is not None:  # it fails to start
            self.TRANSITIONS = [("Pending", "Failed"), ("Deleting", "Deleted")]
        super().__init__(arn, settings, tags)
        self.failure_reason = failure_reason
        self.app_arn = arn
        self.domain_id = domain_id
        self.owner = owner
        kind, name = owner
        self.user_profile_name = name if kind == USER else None
        self.space_name = name if kind == SPACE else None
        self.app_type = app_type
        self.app_name = app_name

    @property
    def scopes(self) -> list[Scope]:
        kind, name = self.owner
        return [EVERYTHING, (self.domain_id,), (kind, name.lower()),
                (self.domain_id, kind, name.lower())]


def owner_of(user_profile_name: str | None, space_name: str | None) -> tuple[str, str]:
    if user_profile_name is not None and space_name is None:
        return USER, user_profile_name
    if space_name is not None and user_profile_name is None:
        return SPACE, space_name
    # [chosen] The model makes both optional; an app belongs to exactly one of them.
    raise ValidationException("Exactly one of UserProfileName and SpaceName must be given.")


class AppOperations(SpaceOperations):
    ARN_TYPE = "app"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apps: dict[str, App] = {}  # by ARN
        self.app_lists: Scoped[App] = Scoped(created_catalog)

    def _domain_gone(self, domain_id: str) -> None:
        self.app_lists.drop((domain_id,))
        super()._domain_gone(domain_id)

    def _app_arn(self, domain_id: str, owner: tuple[str, str], app_type: str,
                 app_name: str) -> str:
        # [chosen] app/<DomainId>/<user profile or space>/<AppType lower-cased>/<AppName>; the
        # ARN is the app's identity, so a user profile and a space of one name share app names.
        return self.arn("app", f"{domain_id}/{owner[1]}/{app_type.lower()}/{app_name}")

    def _app(self, domain_id: str, owner: tuple[str, str], app_type: str, app_name: str,
             describing: bool = False) -> App:
        arn = self._app_arn(domain_id, owner, app_type, app_name)
        app = self.apps.get(arn)
        if app is None or app.owner[0] != owner[0]:
            raise missing("App", arn, describing)
        return app

    def _inherited(self, domain_id: str, owner: tuple[str, str]) -> list[Structure | None]:
        """The settings an app of the owner runs under, nearest first."""
        # [chosen] The owner's own, then the domain's defaults it inherits (a space: the default
        # space settings, the default user settings, then its owner's).
        domain = self.domains[domain_id]
        if owner[0] == USER:
            return [self._profile(domain_id, owner[1]).user_settings, domain.default_user_settings]
        space = self._space(domain_id, owner[1])
        found = [space.space_settings, domain.default_space_settings, domain.default_user_settings]
        holder = (space.ownership_settings or {}).get("OwnerUserProfileName")
        if holder is not None and (domain_id, holder.lower()) in self.profiles:
            found.append(self.profiles[(domain_id, holder.lower())].user_settings)
        return found

    @operation
    def create_app(self, domain_id: str, app_type: str, app_name: str,
                   user_profile_name: str | None = None, space_name: str | None = None,
                   tags: Tags | None = None, resource_spec: Structure | None = None,
                   **settings: Any) -> App:
        owner = owner_of(user_profile_name, space_name)
        holder: AppOwner
        if owner[0] == USER:
            holder = self._profile(domain_id, owner[1])
            holder_arn = holder.user_profile_arn
        else:
            holder = self._space(domain_id, owner[1])
            holder_arn = holder.space_arn
        arn = self._app_arn(domain_id, owner, app_type, app_name)
        existing = self.apps.get(arn)
        if existing is not None and existing.status not in NOT_RUNNING:
            # [chosen] Modeled code (ResourceInUse), AWS's words are not known.
            raise ResourceInUse(f"App {arn} already exists.")
        domain = self.domains[domain_id]
        self._created_under(domain, domain.domain_arn, "App", arn)
        self._created_under(holder, holder_arn, "App", arn)
        inherited = self._inherited(domain_id, owner)
        # The CustomImages the app may run, for its type.
        attached = [entry for settings in inherited for entry in custom_images(settings, [app_type])
                    ] if app_type in APP_SETTINGS else []
        spec = self.catalog.launch(arn, resource_spec, attached)
        script, failure = launched_with(resource_spec, app_type, inherited, self.by_arn)
        if script is not None:
            spec = {**(spec or {}), "LifecycleConfigArn": script}
        built_in = built_in_for(app_type, inherited)
        if existing is not None:  # [chosen] a Deleted or Failed app's name can be used again
            self._drop_app(existing)
        app = App(arn, domain_id, owner, app_type, app_name,
                  {"resource_spec": spec, "built_in_lifecycle_config_arn": built_in, **settings},
                  tag_dict(tags), failure)
        self.apps[arn] = app
        self._track(arn, app)
        holder.apps[arn] = app
        self.app_lists.add(app, app.scopes)
        self._settle(app)
        return app

    @operation
    def describe_app(self, domain_id: str, app_type: str, app_name: str,
                     user_profile_name: str | None = None,
                     space_name: str | None = None) -> App:
        app = self._app(domain_id, owner_of(user_profile_name, space_name), app_type, app_name,
                        describing=True)
        self._settle(app, look=True)
        return app

    @operation
    def delete_app(self, domain_id: str, app_type: str, app_name: str,
                   user_profile_name: str | None = None,
                   space_name: str | None = None) -> dict[str, Any]:
        app = self._app(domain_id, owner_of(user_profile_name, space_name), app_type, app_name)
        if app.status == "Deleted":
            # Observed: ValidationException containing "has already been deleted".
            raise ValidationException(f"App {app.app_arn} has already been deleted.")
        if app.status == "Failed":
            # Documented: "an attempt to delete an app in the failed state results in an error";
            # [chosen] the code, as for a Deleted one, and the words.
            raise ValidationException(f"App {app.app_arn} is in Failed state and cannot be "
                                      "deleted.")
        if app.status == "Deleting":
            raise ResourceInUse(f"App {app.app_arn} is being deleted.")
        self._moved(app, "Deleting")
        return {}

    @listing
    def list_apps(self, max_results: int | None = None, next_token: str | None = None,
                  sort_order: str | None = None, sort_by: str | None = None,
                  domain_id_equals: str | None = None,
                  user_profile_name_equals: str | None = None,
                  space_name_equals: str | None = None,
                  *, query: dict[str, Any]) -> dict[str, Any]:
        if user_profile_name_equals is not None and space_name_equals is not None:
            # Documented: "If SpaceNameEquals is set, then this value cannot be set."
            raise ValidationException(
                "UserProfileNameEquals and SpaceNameEquals cannot both be given.")
        scope: Scope = (domain_id_equals,) if domain_id_equals else EVERYTHING
        if user_profile_name_equals is not None:
            scope = scope + (USER, user_profile_name_equals.lower())
        elif space_name_equals is not None:
            scope = scope + (SPACE, space_name_equals.lower())
        # [chosen] Deleted apps are listed while they are describable.
        page, token = self.app_lists.page(scope, sort_by=sort_by, sort_order=sort_order,
                                          max_results=max_results, next_token=next_token,
                                          query=query)
        return {"Apps": page, "NextToken": token}

    def _drop_app(self, app: App) -> None:
        if self.apps.get(app.app_arn) is app:
            del self.apps[app.app_arn]
            self.app_lists.remove(app, app.scopes)
        self._untrack(app.app_arn, app)
        self._passing.pop(app, None)

    def _drop_apps_of(self, owner: AppOwner) -> None:
        for arn, held in owner.apps.items():
            app = self.apps.get(arn)
            if app is not None and app is held:
                self._drop_app(app)
        owner.apps.clear()
