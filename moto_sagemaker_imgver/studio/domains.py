"""Domains: CreateDomain, DescribeDomain, UpdateDomain, DeleteDomain, ListDomains."""
from __future__ import annotations

import random
import string
from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from ..indexes import SortedIndex
from ..pagination import paginate
from ..lifecycle import Lifecycle
from ..store import DEFAULT_MAX_RESULTS, Tags, creation_key, listing, operation, tag_dict
from .base import AppOwner, SettlingResource, StudioBase, merged, with_defaults
from .custom_images import Structure

ID_CHARACTERS = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
# UpdateDomain's members that change the domain's settings of the same name.
UPDATABLE = ("default_user_settings", "default_space_settings", "app_security_group_management",
             "subnet_ids", "app_network_access_type", "tag_propagation",
             "home_efs_file_system_creation", "vpc_id")
# What CreateDomain answers for members a request leaves out, as documented: "The default value
# is PublicInternetOnly", "Defaults to DISABLED", "Defaults to Enabled".
DEFAULTS = {"app_network_access_type": "PublicInternetOnly", "tag_propagation": "DISABLED",
            "home_efs_file_system_creation": "Enabled"}
# Changing these while an app is InService is refused (observed; documented for these only).
NETWORK = ("subnet_ids", "app_network_access_type")


# Draws the ids AWS draws at random; the seam puts moto's generator here at install, so that
# moto's seed API (`/moto-api/seed`) makes them repeatable.
_draw: random.Random = random.Random()


def draw_ids_with(generator: random.Random) -> None:
    global _draw
    _draw = generator


def random_id(characters: str, length: int) -> str:
    return "".join(_draw.choice(characters) for _ in range(length))


class Domain(SettlingResource):
    STATE_MODEL = "sagemaker::domain"

    def __init__(self, store: StudioBase, domain_id: str, settings: dict[str, Any],
                 tags: dict[str, str]) -> None:
        super().__init__(domain_id, settings, tags)
        self.domain_id = domain_id
        self.domain_arn = store.arn("domain", domain_id)
        self.url = f"https://{domain_id}.studio.{store.region_name}.sagemaker.aws"
        self.home_efs_file_system_id = "fs-" + random_id(HEX, 17)
        # [chosen] The form of an EC2 security group id; AWS makes one up, whose form is not
        # recorded.
        self.security_group_id_for_domain_boundary = "sg-" + random_id(HEX, 17)
        if settings["auth_mode"] == "SSO":
            # [chosen] IAM Identity Center's forms (the model's pattern for the ARN); an IAM
            # domain has neither.
            instance, application = "ssoins-" + random_id(HEX, 16), "apl-" + random_id(HEX, 16)
            self.single_sign_on_managed_application_instance_id = instance
            self.single_sign_on_application_arn = (f"arn:{store.partition}:sso::"
                                                   f"{store.account_id}:application/{instance}/"
                                                   f"{application}")
        self.user_profiles: dict[str, AppOwner] = {}  # by lower-cased name
        self.spaces: dict[str, AppOwner] = {}  # by lower-cased name

    @property
    def domain_name(self) -> str:
        name: str = self.settings["domain_name"]
        return name

    @property
    def default_user_settings(self) -> Structure | None:
        return self._structure("default_user_settings")

    @property
    def default_space_settings(self) -> Structure | None:
        return self._structure("default_space_settings")


class DomainOperations(StudioBase):
    ARN_TYPE = "domain"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains: dict[str, Domain] = {}
        self.domain_names: dict[str, Domain] = {}  # the same domains by name, which is unique
        self.domain_list: SortedIndex[Domain] = new_domain_list()

    def _domain(self, domain_id: str) -> Domain:
        domain = self.domains.get(domain_id)
        if domain is None:
            # [chosen] The code is observed (ResourceNotFound), the words are not.
            raise ResourceNotFound(f"Domain with ARN {self.arn('domain', domain_id)} "
                                   "does not exist.")
        return domain

    def _new_domain_id(self) -> str:
        while True:  # observed form: d- and 12 lower-case letters and digits
            domain_id = "d-" + random_id(ID_CHARACTERS, 12)
            if domain_id not in self.domains:
                return domain_id

    @operation
    def create_domain(self, domain_name: str, auth_mode: str, default_user_settings: Structure,
                      tags: Tags | None = None, **settings: Any) -> Domain:
        if domain_name in self.domain_names:
            # [chosen] AWS's answer to a repeated name is not known; these are the code and words
            # moto's own check means to give (it looks the name up among ids, so it never does:
            # moto answers 200 and replaces the domain).
            raise ResourceInUse(f"Resource Already Exists: Domain with name {domain_name} "
                                "already exists. Choose a different name.")
        self._check_attachable(default_user_settings)
        self._check_attachable(settings.get("default_space_settings"))
        domain = Domain(self, self._new_domain_id(),
                        {**DEFAULTS, "domain_name": domain_name, "auth_mode": auth_mode,
                         "default_user_settings": default_user_settings, **settings},
                        tag_dict(tags))
        self.domains[domain.domain_id] = domain
        self.domain_names[domain_name] = domain
        self._track(domain.domain_arn, domain)
        self.domain_list.add(domain)
        self._settle(domain)
        return domain

    @operation
    def describe_domain(self, domain_id: str) -> Domain:
        domain = self._domain(domain_id)
        if not self._settle(domain, look=True):
            return self._domain(domain_id)  # it has just finished deleting: not found
        return domain

    @operation
    def update_domain(self, domain_id: str, domain_settings_for_update: Structure | None = None,
                      **changes: Any) -> Domain:
        domain = self._domain(domain_id)
        given = {name: value for name, value in changes.items()
                 if name in UPDATABLE and value is not None}
        if any(name in given and given[name] != domain.settings.get(name) for name in NETWORK) \
                and self._has_app_in_service(domain):
            raise ValidationException(  # observed
                f"Unable to update Domain [{domain.domain_arn}] with InService App. Delete all "
                "InService apps in the domain including shared Apps for [domain-shared] User "
                "Profile, and try again.")
        if domain.status != "InService":
            # [chosen] Only a settled domain can change, as for images.
            raise ResourceInUse(f"Domain {domain.domain_arn} is in {domain.status} state.")
        self._check_attachable(given.get("default_user_settings"),
                                 domain.default_user_settings)
        self._check_attachable(given.get("default_space_settings"),
                                 domain.default_space_settings)
        for name, value in given.items():
            domain.settings[name] = merged(domain.settings.get(name), value)
        if domain_settings_for_update is not None:
            domain.settings["domain_settings"] = merged(domain.settings.get("domain_settings"),
                                                        _for_domain(domain_settings_for_update))
        domain.settings = with_defaults(domain.settings)
        domain.last_modified_time = utcnow()
        self._moved(domain, "Updating")
        return domain

    @operation
    def delete_domain(self, domain_id: str,
                      retention_policy: Structure | None = None) -> dict[str, Any]:
        domain = self._domain(domain_id)
        if domain.user_profiles or domain.spaces:
            # Documented: ResourceInUse; [chosen] the words.
            raise ResourceInUse(f"Unable to delete Domain [{domain.domain_arn}] because "
                                "UserProfile(s) or Space(s) are associated with it.")
        if domain.status == "Deleting":
            raise ResourceInUse(f"Domain {domain.domain_arn} is being deleted.")
        self._moved(domain, "Deleting")
        return {}

    @listing
    def list_domains(self, max_results: int | None = None, next_token: str | None = None,
                     *, query: dict[str, Any]) -> dict[str, Any]:
        # [chosen] Oldest first, as the other Studio lists default to.
        page, token = paginate(self.domain_list, descending=False,
                               max_results=max_results or DEFAULT_MAX_RESULTS,
                               next_token=next_token, query=query)
        return {"Domains": page, "NextToken": token}

    def _forget(self, domain: Lifecycle) -> None:
        """A domain that has finished deleting (its user profiles, spaces and apps went first)."""
        if not isinstance(domain, Domain):
            return super()._forget(domain)
        if self.domains.get(domain.domain_id) is domain:
            del self.domains[domain.domain_id]
            del self.domain_names[domain.domain_name]
            self.domain_list.remove(domain)
        self._untrack(domain.domain_arn, domain)
        self._domain_gone(domain.domain_id)

    @staticmethod
    def _has_app_in_service(domain: Domain) -> bool:
        owners = [*domain.user_profiles.values(), *domain.spaces.values()]
        return any(app.status == "InService" for owner in owners for app in owner.apps.values())


def new_domain_list() -> SortedIndex[Domain]:
    return SortedIndex(creation_key)


def _for_domain(update: Structure) -> Structure:
    """DomainSettingsForUpdate as DomainSettings names its members."""
    renamed = dict(update)
    rstudio = renamed.pop("RStudioServerProDomainSettingsForUpdate", None)
    if rstudio is not None:
        renamed["RStudioServerProDomainSettings"] = rstudio
    return renamed
