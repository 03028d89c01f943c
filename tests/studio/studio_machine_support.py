"""Strategies, the API-side view and the frame of the Studio state-machine test
(tests/studio/test_studio_state_machine.py)."""
from __future__ import annotations

import re
from typing import Any, Callable

from botocore.exceptions import ClientError
from hypothesis import strategies as st
from hypothesis.stateful import rule

from support.image_machine import ImageApis
from support.reference_model import ARN, Model
from support.state_machine import IMAGE_NAMES, config_names, names, pages, plain, walk_all
from studio_reference_model import SPACE, USER, StudioModel

DOMAIN_NAMES = ["studio-a", "studio-b"]
MISSING_DOMAIN = "d-000000000000"  # the id of a domain never created
PROFILE_NAMES = ["alice", "ALICE", "bob"]  # the first two are one user profile
# Never a user profile's name: the apps of a space and of a user profile of one name share
# ARNs, and the package answers them unevenly (CreateApp refuses one for the other's app, which
# DescribeApp does not find); that is left out of the model.
SPACE_NAMES = ["shared", "team"]
APP_NAMES = ["default", "main", "Main"]
APP_TYPES = ["KernelGateway", "JupyterLab", "CodeEditor"]
SEMVER_ALIASES = ["1.0.0", "2.1", "3"]  # what ResourceSpec.SageMakerImageVersionAlias accepts
SAGEMAKER_IMAGE = "arn:aws:sagemaker:us-east-1:081325390199:image/sagemaker-distribution-cpu"

domain_slots = st.sampled_from(DOMAIN_NAMES[:1] * 2 + DOMAIN_NAMES)
profile_names = st.sampled_from(PROFILE_NAMES)
space_names = st.sampled_from(SPACE_NAMES)
owners = st.one_of(st.tuples(st.just(USER), profile_names), st.tuples(st.just(SPACE), space_names))
app_names = st.sampled_from(APP_NAMES)
app_types = st.sampled_from(APP_TYPES)
entries = st.fixed_dictionaries({"ImageName": names, "AppImageConfigName": config_names},
                                optional={"ImageVersionNumber": st.integers(1, 4)})
# CustomImages (up to 3: two lists of a user profile may go past the 5 allowed), other members
# beside them (an update keeps what it is not given), or both.
app_settings = st.one_of(
    st.builds(lambda images: {"CustomImages": images}, st.lists(entries, max_size=3)),
    st.just({"LifecycleConfigArns": []}),
    st.builds(lambda images: {"CustomImages": images, "LifecycleConfigArns": []},
              st.lists(entries, min_size=1, max_size=2)))
user_settings = st.fixed_dictionaries({}, optional={
    "KernelGatewayAppSettings": app_settings, "JupyterLabAppSettings": app_settings,
    "CodeEditorAppSettings": app_settings, "SecurityGroups": st.just(["sg-1"])})
default_space_settings = st.fixed_dictionaries({}, optional={
    "KernelGatewayAppSettings": app_settings, "JupyterLabAppSettings": app_settings,
    "SecurityGroups": st.just(["sg-2"])})
space_settings = st.fixed_dictionaries({}, optional={  # only KernelGateway's take CustomImages
    "KernelGatewayAppSettings": app_settings,
    "AppType": st.sampled_from(["JupyterLab", "CodeEditor"])})
subnets = st.sampled_from([None, None, ["subnet-0123"], ["subnet-other"]])
SPEC_KINDS = ["image", "version", "alias", "alias", "both", "not semver", "sagemaker", "none"]


def draw_spec(data: Any, attached: list[dict], images: Model,
              kinds: list[str] = SPEC_KINDS) -> dict | None:
    """A ResourceSpec, mostly on an image the owner has attached for the app type, and mostly on
    a version or SemVer alias the image has."""
    kind = data.draw(st.sampled_from(kinds))
    name = data.draw(st.sampled_from([e["ImageName"] for e in attached] * 3 + IMAGE_NAMES))
    image = images.images.get(name.lower())
    versions = image.versions if image else []
    number = data.draw(st.sampled_from([v.number for v in versions] * 2 + [1, 2, 3, 4]))
    alias = data.draw(st.sampled_from([a for v in versions for a in v.aliases
                                       if a in SEMVER_ALIASES] * 2 + SEMVER_ALIASES + ["9.9.9"]))
    image_arn = f"{ARN}image/{name.lower()}"
    version_arn = f"{ARN}image-version/{name.lower()}/{number}"
    return {"image": {"SageMakerImageArn": image_arn},
            "version": {"SageMakerImageVersionArn": version_arn},
            "alias": {"SageMakerImageArn": image_arn, "SageMakerImageVersionAlias": alias},
            "both": {"SageMakerImageArn": image_arn, "SageMakerImageVersionArn": version_arn,
                     "SageMakerImageVersionAlias": alias},  # the version ARN wins
            "not semver": {"SageMakerImageArn": image_arn, "SageMakerImageVersionAlias": "prod"},
            "sagemaker": {"SageMakerImageArn": SAGEMAKER_IMAGE, "InstanceType": "ml.t3.medium"},
            "none": None}[kind]


def owner_request(owner: tuple[str, str]) -> dict[str, str]:
    return {"UserProfileName" if owner[0] == USER else "SpaceName": owner[1]}


def observe_studio(sm: Any, domain_id: str) -> dict[str, Any]:
    """What the API shows of one domain, in the shape of `StudioModel.view`."""
    try:
        domain = plain(sm.describe_domain(DomainId=domain_id))
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ResourceNotFound"
        domain = None
    profiles = walk_all(sm.list_user_profiles, "UserProfiles", DomainIdEquals=domain_id,
                        MaxResults=100)[0]
    spaces = walk_all(sm.list_spaces, "Spaces", DomainIdEquals=domain_id, MaxResults=100)[0]
    return {
        "domain": domain, "user profiles": profiles,
        "user profile details": [plain(sm.describe_user_profile(
            DomainId=domain_id, UserProfileName=p["UserProfileName"])) for p in profiles],
        "spaces": spaces,
        "space details": [plain(sm.describe_space(DomainId=domain_id, SpaceName=s["SpaceName"]))
                          for s in spaces],
        "apps": walk_all(sm.list_apps, "Apps", DomainIdEquals=domain_id, MaxResults=100)[0]}


class StudioReads(ImageApis):
    """The image machine with the Studio model beside its image model, the domains' ids, the
    checks every Studio answer goes through, and the Studio rules that only read (those that
    change something are in the test)."""

    # The image machine's rules that reach Studio are drawn here too: images, versions and app
    # image configs created and deleted, aliases moved. Not the others (reads, other updates,
    # tags, walks, refused names): its own test draws them, and here they would take the steps.
    describe_image = list_images = update_image = describe_version = list_versions = None
    list_aliases = refused_alias = refused_name = describe_config = update_config = None
    list_configs = add_tags = delete_tags = too_many_tags = start_walk = None
    walk_between_changes = None

    def __init__(self) -> None:
        super().__init__()
        self.studio = StudioModel(self.model)
        self.ids: dict[str, str] = {}  # DomainName -> its domain's id (the last, once deleted)

    def did(self, slot: str) -> str:
        return self.ids.get(slot, MISSING_DOMAIN)

    def slot_of(self, domain_id: str) -> str:
        return next(slot for slot, known in self.ids.items() if known == domain_id)

    def attempt(self, expect: Callable[[], Any], call: Callable[[], dict],
                images: tuple[str, ...] = (), configs: tuple[str, ...] = (),
                studio: tuple[str, ...] = ()) -> tuple[Any, dict] | None:
        """The image machine's `attempt`; a refusal also leaves the named domains as they were."""
        before = [self.studio.view(domain_id) for domain_id in studio]
        done = super().attempt(expect, call, images, configs)
        if done is None:
            assert [self.studio.view(domain_id) for domain_id in studio] == before
            assert [observe_studio(self.sm, domain_id) for domain_id in studio] == before
        return done

    # --- right after a change: the times recorded, the whole answer compared ---------------

    def settle_domain(self, domain: Any, changed: bool = False) -> None:
        answer = plain(self.sm.describe_domain(DomainId=domain.domain_id))
        domain.efs = domain.efs or answer.get("HomeEfsFileSystemId")
        domain.security_group = domain.security_group or answer.get(
            "SecurityGroupIdForDomainBoundary")
        assert re.fullmatch(r"fs-[0-9a-f]{17}", domain.efs or ""), answer
        assert re.fullmatch(r"sg-[0-9a-f]{17}", domain.security_group or ""), answer
        self.settle(domain, answer, changed)
        assert answer == StudioModel.domain_item(domain, describe=True)

    def settle_owner(self, owner: Any, changed: bool = False) -> None:
        if owner.kind == USER:
            answer = self.sm.describe_user_profile(DomainId=owner.domain_id,
                                                   UserProfileName=owner.name)
        else:
            answer = self.sm.describe_space(DomainId=owner.domain_id, SpaceName=owner.name)
        self.settle(owner, plain(answer), changed)
        item = (StudioModel.profile_item if owner.kind == USER else StudioModel.space_item)(
            owner, describe=True)
        assert plain(answer) == item

    def describe_app_now(self, app: Any) -> None:
        answer = plain(self.sm.describe_app(DomainId=app.domain_id, AppType=app.app_type,
                                            AppName=app.name, **owner_request(app.owner)))
        app.created = app.created or answer["CreationTime"]
        assert answer == StudioModel.app_item(app, describe=True)

    def launch(self, domain_id: str, owner: tuple[str, str], app_type: str, name: str,
               spec: dict | None) -> None:
        """CreateApp."""
        extra = {"ResourceSpec": spec} if spec is not None else {}
        done = self.attempt(
            lambda: self.studio.create_app(domain_id, owner, app_type, name, spec),
            lambda: self.sm.create_app(DomainId=domain_id, AppType=app_type, AppName=name,
                                       **owner_request(owner), **extra), studio=(domain_id,))
        if done:
            assert done[1]["AppArn"] == done[0].arn
            self.describe_app_now(done[0])

    def stop(self, domain_id: str, owner: tuple[str, str], app_type: str, name: str) -> None:
        """DeleteApp."""
        done = self.attempt(
            lambda: self.studio.delete_app(domain_id, owner, app_type, name),
            lambda: self.sm.delete_app(DomainId=domain_id, AppType=app_type, AppName=name,
                                       **owner_request(owner)), studio=(domain_id,))
        if done:
            self.describe_app_now(done[0])  # describable, Deleted

    # --- the rules that only read ----------------------------------------------------------

    @rule(slot=domain_slots, what=st.sampled_from(["domain", "owner", "app"]), owner=owners,
          app_type=app_types, name=app_names)
    def describe(self, slot: str, what: str, owner: tuple[str, str], app_type: str,
                 name: str) -> None:
        """DescribeDomain, DescribeUserProfile or DescribeSpace, DescribeApp: of something there
        is, was or never was."""
        domain_id, (kind, owned) = self.did(slot), owner
        if what == "domain":
            expect, call = (lambda: self.studio.domain(domain_id),
                            lambda: self.sm.describe_domain(DomainId=domain_id))
        elif what == "app":
            expect, call = (
                lambda: self.studio.app(domain_id, owner, app_type, name, describing=True),
                lambda: self.sm.describe_app(DomainId=domain_id, AppType=app_type, AppName=name,
                                             **owner_request(owner)))
        elif kind == USER:
            expect, call = (lambda: self.studio.profile(domain_id, owned),
                            lambda: self.sm.describe_user_profile(DomainId=domain_id,
                                                                  UserProfileName=owned))
        else:
            expect, call = (lambda: self.studio.space(domain_id, owned, describing=True),
                            lambda: self.sm.describe_space(DomainId=domain_id, SpaceName=owned))
        done = self.attempt(expect, call)
        if done:
            item = {"domain": StudioModel.domain_item, "app": StudioModel.app_item}.get(
                what, StudioModel.profile_item if kind == USER else StudioModel.space_item)
            assert plain(done[1]) == item(done[0], describe=True)

    @rule(size=pages)
    def list_domains(self, size: int) -> None:
        items, sizes = walk_all(self.sm.list_domains, "Domains", MaxResults=size)
        assert all(count == size for count in sizes[:-1]) and sizes[-1] <= size
        assert items == [StudioModel.domain_item(d) for d in self.studio.list_domains()]

    @rule(kind=st.sampled_from([USER, SPACE]), slot=st.none() | domain_slots,
          needle=st.none() | st.sampled_from(["a", "LI", "t"]),
          sort_by=st.sampled_from([None, "CreationTime", "LastModifiedTime"]),
          order=st.sampled_from([None, "Ascending", "Descending"]), size=pages)
    def list_owners(self, kind: str, slot: str | None, needle: str | None, sort_by: str | None,
                    order: str | None, size: int) -> None:
        """ListUserProfiles or ListSpaces, in pages, with their filters and orders."""
        domain_id = self.did(slot) if slot else None
        request = {key: value for key, value in (
            ("DomainIdEquals", domain_id), ("SortBy", sort_by), ("SortOrder", order),
            ("UserProfileNameContains" if kind == USER else "SpaceNameContains", needle))
            if value is not None}
        call, key = (self.sm.list_user_profiles, "UserProfiles") if kind == USER else \
            (self.sm.list_spaces, "Spaces")
        items, sizes = walk_all(call, key, MaxResults=size, **request)
        assert all(count == size for count in sizes[:-1]) and sizes[-1] <= size
        item = StudioModel.profile_item if kind == USER else StudioModel.space_item
        assert items == [item(o) for o in self.studio.list_owners(kind, domain_id, needle,
                                                                  sort_by, order)]

    @rule(slot=st.none() | domain_slots, user=st.none() | st.sampled_from(PROFILE_NAMES),
          space=st.none() | st.sampled_from(SPACE_NAMES),
          sort_by=st.sampled_from([None, "CreationTime"]),
          order=st.sampled_from([None, "Ascending", "Descending"]), size=pages)
    def list_apps(self, slot: str | None, user: str | None, space: str | None,
                  sort_by: str | None, order: str | None, size: int) -> None:
        """ListApps, in pages, with its filters (a user profile and a space: refused)."""
        domain_id = self.did(slot) if slot else None
        request = {key: value for key, value in (
            ("DomainIdEquals", domain_id), ("UserProfileNameEquals", user),
            ("SpaceNameEquals", space), ("SortBy", sort_by), ("SortOrder", order))
            if value is not None}
        done = self.attempt(lambda: self.studio.list_apps(domain_id, user, space, order),
                            lambda: {"items": walk_all(self.sm.list_apps, "Apps", MaxResults=size,
                                                       **request)[0]})
        if done:
            assert done[1]["items"] == [StudioModel.app_item(a) for a in done[0]]

    @rule()
    def check_lists(self) -> None:
        """Every domain and every app, unfiltered (the simplest rule: cheap)."""
        assert walk_all(self.sm.list_domains, "Domains", MaxResults=100)[0] == [
            StudioModel.domain_item(d) for d in self.studio.list_domains()]
        assert walk_all(self.sm.list_apps, "Apps", MaxResults=100)[0] == [
            StudioModel.app_item(a) for a in self.studio.list_apps(None, None, None, None)]

    @rule(slot=domain_slots)
    def check_domain(self, slot: str) -> None:
        """One domain in full, each of its apps described."""
        domain_id = self.did(slot)
        assert observe_studio(self.sm, domain_id) == self.studio.view(domain_id)
        for app in self.studio.apps_of(domain_id):
            self.describe_app_now(app)

    def check_everything(self) -> None:
        """After the last step: every image and config (the image machine's check), the last
        domain of each name, one never created, and the lists."""
        super().check_everything()
        for slot in [*DOMAIN_NAMES, "never created"]:
            self.check_domain(slot)
        self.check_lists()
