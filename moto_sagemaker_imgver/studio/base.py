"""What the Studio operations share: the resources' lifecycle, their lookups, settling.

A StudioResource keeps the settings a request gave as the validated members gave them (snake_case
keys at the top, the model's own names inside), and answers them as attributes, so the response
layer serializes whatever the output shape names. No shape is restated here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moto.core.utils import utcnow
from moto.moto_api import state_manager

from ..exceptions import ImageApiError, ResourceNotFound, ValidationException
from ..moto_seam.states import GONE, Lifecycle
from ..indexes import SortedIndex
from ..store import Store, time_key

if TYPE_CHECKING:
    from .apps import App
    from .domains import Domain
    from .listing import Scoped
    from .spaces import Space
    from .user_profiles import UserProfile

DOMAIN_MODEL = "sagemaker::domain"
USER_PROFILE_MODEL = "sagemaker::userprofile"
SPACE_MODEL = "sagemaker::space"
APP_MODEL = "sagemaker::app"
STATE_MODELS = (DOMAIN_MODEL, USER_PROFILE_MODEL, SPACE_MODEL, APP_MODEL)
# Studio statuses a resource leaves on its own (moto's state manager moves it on).
MOVING = frozenset({"Pending", "Updating", "Deleting"})
# Domains, user profiles and spaces: created, updated, deleted (then gone).
SETTLING: list[tuple[str | None, str]] = [("Pending", "InService"), ("Updating", "InService"), ("Deleting", GONE)]


def register_state_models() -> None:
    """By default everything settles at once; users slow it down through moto's state manager."""
    for model in STATE_MODELS:
        state_manager.register_default_transition(model, transition={"progression": "immediate"})


class StudioResource(Lifecycle):
    """A resource with the request's settings; `tie` breaks equal times in list orders."""

    KIND = ""

    def __init__(self, model: str, transitions: list[tuple[str | None, str]], tie: str,
                 settings: dict[str, Any], tags: dict[str, str]) -> None:
        self.settings = settings
        super().__init__(model, transitions)
        self.tie = tie
        self.tags = tags
        self.creation_time = self.last_modified_time = utcnow()
        self.creation_key = time_key(self.creation_time, tie)
        self.failure_reason: str | None = None

    def __getattr__(self, name: str) -> Any:
        # Only for names not set on the object: the request's members.
        if name.startswith("_") or name == "settings":
            raise AttributeError(name)
        return self.settings.get(name)


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
    if isinstance(current, dict) and isinstance(given, dict):
        result = dict(current)
        for key, value in given.items():
            result[key] = merged(current.get(key), value)
        return result
    return given


class StudioBase(Store):
    """The containers and lookups every Studio operation family uses."""

    domains: dict[str, "Domain"]
    profiles: dict[tuple[str, str], "UserProfile"]
    spaces: dict[tuple[str, str], "Space"]
    apps: dict[str, "App"]
    domain_list: SortedIndex
    profile_lists: "Scoped"
    space_lists: "Scoped"
    app_lists: "Scoped"

    def __init__(self, account_id: str, region_name: str, partition: str = "aws") -> None:
        super().__init__(account_id, region_name, partition)
        register_state_models()
        self._passing: dict[StudioResource, None] = {}

    # --- settling: the one place statuses move on and finished deletions go ---------------

    def settle(self) -> None:
        for resource in list(self._passing):
            self._settle(resource)

    def _settle(self, resource: StudioResource, look: bool = False) -> bool:
        """Move the status on (`look`: a describe, which moto's manual progression counts);
        forget a resource that has finished deleting. Whether it still exists."""
        if look:
            resource.advance()
        status = resource.progress()
        if status in MOVING:
            self._passing[resource] = None
        else:
            self._passing.pop(resource, None)
        if status != GONE:
            return True
        getattr(self, f"_forget_{resource.KIND}")(resource)
        return False

    def _moved(self, resource: StudioResource, status: str) -> None:
        resource.status = status
        self._settle(resource)

    # --- lookups: they only read ---------------------------------------------------------

    def _domain(self, domain_id: str) -> "Domain":
        domain = self.domains.get(domain_id)
        if domain is None:
            # [chosen] The code is observed (ResourceNotFound), the words are not.
            raise ResourceNotFound(f"Domain with ARN {self.arn('domain', domain_id)} "
                                   "does not exist.")
        return domain

    def _profile(self, domain_id: str, name: str) -> "UserProfile":
        self._domain(domain_id)
        profile = self.profiles.get((domain_id, name.lower()))
        if profile is None:
            # [chosen] The code is observed (ResourceNotFound), the words are not.
            raise ResourceNotFound(
                f"UserProfile with ARN {self.arn('user-profile', f'{domain_id}/{name}')} "
                "does not exist.")
        return profile

    def _space(self, domain_id: str, name: str, describing: bool = False) -> "Space":
        space = self.spaces.get((domain_id, name.lower()))
        if space is None:
            raise missing("Space", self.arn("space", f"{domain_id}/{name}"), describing)
        return space

    def _live_apps(self, owner: Any) -> list["App"]:
        """The owner's apps that are not Deleted (a Deleted app stays describable for a while)."""
        return [app for app in owner.apps.values() if app.status != "Deleted"]

    def _drop_apps_of(self, owner: Any) -> None:
        """Forget the apps of an owner that is gone (the apps family does it)."""
        raise NotImplementedError
