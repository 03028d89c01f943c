"""Studio call sequences held to a plain reference model (tests/studio/studio_reference_model.py):
domains, user profiles, spaces and apps, images attached through CustomImages (domain defaults,
user profiles, spaces; per app type), apps launched by image ARN, version ARN or version alias,
interleaved with the image machine's rules that change what Studio reads
(tests/support/image_machine.py: images, versions and app image configs created and deleted,
aliases moved), so that images and aliases move, and go, while they are attached and run. Each
answer is compared with the model's; a refused request must carry the model's code and leave the
domain it named, and everything in it, as it was.

CI runs a bounded, derandomized number of steps (STATE_MACHINE_CI_EXAMPLES, default 10, of 60
steps: each example begins with a seeded Studio and ends with a full check, which cost more than
the steps). A long run, random, of up to 60 steps per example (NO_SHRINK=1 skips shrinking):
`STATE_MACHINE_EXAMPLES=500 python -m pytest tests/studio/test_studio_state_machine.py -s`."""
from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from support import ROLE_ARN
from support.image_machine import refuse, run_machine
from support.reference_model import ARN
from support.state_machine import names, walk_all
from studio_machine_support import (APP_TYPES, SEMVER_ALIASES, StudioReads, app_names,
                                    app_types, default_space_settings, domain_slots, draw_spec,
                                    entries, owners, profile_names, space_names, space_settings,
                                    subnets, user_settings)
from studio_reference_model import (APP_SETTINGS, NOT_RUNNING, SPACE, USER, StudioModel,
                                    custom_images)

pytestmark = pytest.mark.slow  # a state-machine test
EXECUTION = {"ExecutionRole": ROLE_ARN}


class StudioApis(StudioReads):
    @initialize()
    def seed(self) -> None:
        """The image machine's images; SemVer aliases; a domain whose defaults, user profile and
        spaces attach them, apps on them (the private space's on its owner's image), one before
        and one after an alias moved, a Deleted app; a second domain with only a space."""
        super().seed()
        for name, number, alias in (("img-a", 1, "1.0.0"), ("img-a", 3, "2.1"),
                                    ("img-b", 1, "1.0.0")):
            self.update_version(name, {"Version": number}, [alias], [], {})
        self.create_domain("studio-a", {"KernelGatewayAppSettings": {"CustomImages": [
            {"ImageName": "img-a", "AppImageConfigName": "cfg-a"}]}}, {"JupyterLabAppSettings": {
                "CustomImages": [{"ImageName": "img-b", "AppImageConfigName": "kernels"}]}})
        self.create_profile("studio-a", "alice", {"JupyterLabAppSettings": {"CustomImages": [
            {"ImageName": "img-a", "AppImageConfigName": "cfg-a", "ImageVersionNumber": 1}]}})
        self.create_profile("studio-a", "bob", None)
        self.create_space("studio-a", "shared", {"KernelGatewayAppSettings": {"CustomImages": [
            {"ImageName": "img-b", "AppImageConfigName": "kernels"}]}}, None)
        self.create_space("studio-a", "team", None, "alice")
        for owner, app_type, spec in (  # by alias, by version ARN, by image ARN (the latest)
                ((USER, "alice"), "KernelGateway", {"SageMakerImageArn": f"{ARN}image/img-a",
                                                    "SageMakerImageVersionAlias": "1.0.0"}),
                ((USER, "alice"), "JupyterLab", {
                    "SageMakerImageVersionArn": f"{ARN}image-version/img-a/1"}),
                ((SPACE, "shared"), "KernelGateway", {"SageMakerImageArn": f"{ARN}image/img-b"}),
                ((SPACE, "team"), "JupyterLab", {"SageMakerImageArn": f"{ARN}image/img-a"})):
            self.launch(self.did("studio-a"), owner, app_type, "default", spec)
        self.move_alias("img-a", "1.0.0", 3)  # alice's app on it stays on 1, a new one runs 3
        self.launch(self.did("studio-a"), (USER, "alice"), "KernelGateway", "main", {
            "SageMakerImageArn": f"{ARN}image/img-a", "SageMakerImageVersionAlias": "1.0.0",
            "SageMakerImageVersionArn": f"{ARN}image-version/img-a/2"})  # the version ARN wins
        bobs = (self.did("studio-a"), (USER, "bob"), "KernelGateway", "default")
        self.stop(*bobs)  # none yet
        for _ in range(2):  # the second under the name of the first, Deleted
            self.launch(*bobs, None)
            self.stop(*bobs)
        self.create_domain("studio-b", {}, None)
        self.create_space("studio-b", "shared", None, None)  # a domain with only a space

    # --- domains ---------------------------------------------------------------------------

    @rule(slot=domain_slots, user=user_settings, space=st.none() | default_space_settings)
    def create_domain(self, slot: str, user: dict, space: dict | None) -> None:
        extra = {"DefaultSpaceSettings": space} if space is not None else {}
        done = self.attempt(
            lambda: self.studio.create_domain(slot, {**EXECUTION, **user}, space,
                                              ["subnet-0123"]),
            lambda: self.sm.create_domain(DomainName=slot, AuthMode="IAM",
                                          DefaultUserSettings={**EXECUTION, **user},
                                          SubnetIds=["subnet-0123"], VpcId="vpc-0123", **extra),
            studio=(self.did(slot),))
        if done is None:
            assert walk_all(self.sm.list_domains, "Domains", MaxResults=100)[0] == [
                StudioModel.domain_item(d) for d in self.studio.list_domains()]
            return
        domain, answer = done
        domain.domain_id = answer["DomainId"]
        assert re.fullmatch(r"d-[a-z0-9]{12}", domain.domain_id)
        assert domain.domain_id not in self.ids.values()  # never an id seen before
        assert answer["DomainArn"] == f"{ARN}domain/{domain.domain_id}"
        assert answer["Url"] == f"https://{domain.domain_id}.studio.us-east-1.sagemaker.aws"
        self.studio.domains[domain.domain_id] = domain
        self.ids[slot] = domain.domain_id
        self.settle_domain(domain)

    @rule(slot=domain_slots, user=st.none() | user_settings,
          space=st.none() | default_space_settings, subnet_ids=subnets)
    def update_domain(self, slot: str, user: dict | None, space: dict | None,
                      subnet_ids: list[str] | None) -> None:
        domain_id = self.did(slot)
        request = {key: value for key, value in (("DefaultUserSettings", user),
                                                  ("DefaultSpaceSettings", space),
                                                  ("SubnetIds", subnet_ids)) if value is not None}
        done = self.attempt(
            lambda: self.studio.update_domain(domain_id, user, space, subnet_ids),
            lambda: self.sm.update_domain(DomainId=domain_id, **request), studio=(domain_id,))
        if done:
            assert done[1]["DomainArn"] == f"{ARN}domain/{domain_id}"
            self.settle_domain(done[0], changed=True)

    @rule(slot=domain_slots)
    def delete_domain(self, slot: str) -> None:
        domain_id = self.did(slot)
        if self.attempt(lambda: self.studio.delete_domain(domain_id),
                        lambda: self.sm.delete_domain(DomainId=domain_id), studio=(domain_id,)):
            self.describe(slot, "domain", (USER, ""), "", "")  # gone, or Deleting when slowed

    @rule(slot=domain_slots, where=st.sampled_from(["DefaultUserSettings", "DefaultSpaceSettings",
                                                    "profile", "space"]),
          app_type=app_types, profile=profile_names, space=space_names)
    def detach_all(self, slot: str, where: str, app_type: str, profile: str, space: str) -> None:
        """An empty CustomImages detaches every image (and version) of that list."""
        detach = {APP_SETTINGS[app_type]: {"CustomImages": []}}
        if where == "DefaultUserSettings" or (where == "DefaultSpaceSettings"
                                              and app_type == "CodeEditor"):
            self.update_domain(slot, detach, None, None)
        elif where == "DefaultSpaceSettings":
            self.update_domain(slot, None, detach, None)
        elif where == "profile":
            self.update_profile(slot, profile, detach)
        else:
            self.update_space(slot, space, {APP_SETTINGS["KernelGateway"]: {"CustomImages": []}},
                              None)

    @rule(slot=domain_slots, where=st.sampled_from(["domain", "owner"]), app_type=app_types,
          entry=entries, owner=owners)
    def attach_to_described_settings(self, slot: str, where: str, app_type: str,
                                     entry: dict | None, owner: tuple[str, str]) -> None:
        """What tooling does: the described settings (DefaultUserSettings, UserSettings or
        SpaceSettings) with one image appended, passed back whole. Images attached before,
        deleted since, are not checked again; appending may pass the limit of 5."""
        domain = self.studio.domains.get(self.did(slot))
        (kind, name), did = owner, domain.domain_id if domain else ""
        if domain is None or where == "owner" and name.lower() not in (
                domain.profiles if kind == USER else domain.spaces):
            return
        if where == "domain":
            settings = self.sm.describe_domain(DomainId=did)["DefaultUserSettings"]
        elif kind == USER:
            settings = self.sm.describe_user_profile(DomainId=did, UserProfileName=name).get(
                "UserSettings", {})
        else:
            settings = self.sm.describe_space(DomainId=did, SpaceName=name).get(
                "SpaceSettings", {})
        key = APP_SETTINGS["KernelGateway" if where == "owner" and kind == SPACE else app_type]
        if entry is not None:
            settings.setdefault(key, {}).setdefault("CustomImages", []).append(entry)
        if where == "domain":
            self.update_domain(slot, settings, None, None)
        elif kind == USER:
            self.update_profile(slot, name, settings)
        else:
            self.update_space(slot, name, settings, None)

    @rule(what=st.sampled_from(["image", "version", "config"]), app_type=app_types,
          data=st.data())
    def delete_attached(self, what: str, app_type: str, data: Any) -> None:
        """An image, version or app image config that something has attached, deleted (allowed:
        the attachment stays); then that holder's described settings passed back, with one more
        image if one can be attached (what was attached before is not checked again)."""
        attached = [(self.slot_of(domain.domain_id), where, owner, held)
                    for domain in self.studio.domains.values()
                    for where, owner, settings in [
                        ("domain", (USER, ""), domain.user_settings),
                        *[("owner", (o.kind, o.name), o.settings) for o in [
                            *domain.profiles.values(), *domain.spaces.values()]]]
                    for held in custom_images(settings)]
        if not attached:
            return
        slot, where, owner, held = data.draw(st.sampled_from(attached))
        if what == "image":
            self.delete_image(held["ImageName"])
        elif what == "version":
            number = held.get("ImageVersionNumber")
            self.delete_version(held["ImageName"], {"Version": number} if number else {})
        else:
            self.delete_config(held["AppImageConfigName"])
        images = [i.name for i in self.model.images.values() if i.versions]
        configs = [c.name for c in self.model.configs.values()]
        entry = {"ImageName": data.draw(st.sampled_from(images)),
                 "AppImageConfigName": data.draw(st.sampled_from(configs))} \
            if images and configs else None
        self.attach_to_described_settings(slot, where, app_type, entry, owner)

    # --- user profiles and spaces ----------------------------------------------------------

    @rule(slot=domain_slots, name=profile_names, settings=st.none() | user_settings)
    def create_profile(self, slot: str, name: str, settings: dict | None) -> None:
        domain_id = self.did(slot)
        extra = {"UserSettings": settings} if settings is not None else {}
        done = self.attempt(
            lambda: self.studio.create_profile(domain_id, name, settings),
            lambda: self.sm.create_user_profile(DomainId=domain_id, UserProfileName=name,
                                                **extra), studio=(domain_id,))
        if done:
            assert done[1]["UserProfileArn"] == done[0].arn
            self.settle_owner(done[0])

    @rule(slot=domain_slots, name=profile_names, settings=st.none() | user_settings)
    def update_profile(self, slot: str, name: str, settings: dict | None) -> None:
        domain_id = self.did(slot)
        extra = {"UserSettings": settings} if settings is not None else {}
        done = self.attempt(
            lambda: self.studio.update_profile(domain_id, name, settings),
            lambda: self.sm.update_user_profile(DomainId=domain_id, UserProfileName=name,
                                                **extra), studio=(domain_id,))
        if done:
            assert done[1]["UserProfileArn"] == done[0].arn
            self.settle_owner(done[0], changed=True)

    @rule(slot=domain_slots, name=profile_names)
    def delete_profile(self, slot: str, name: str) -> None:
        domain_id = self.did(slot)
        if self.attempt(lambda: self.studio.delete_profile(domain_id, name),
                        lambda: self.sm.delete_user_profile(DomainId=domain_id,
                                                            UserProfileName=name),
                        studio=(domain_id,)):
            self.describe(slot, "owner", (USER, name), "", "")

    @rule(slot=domain_slots, name=space_names, settings=st.none() | space_settings,
          owner=st.none() | profile_names)
    def create_space(self, slot: str, name: str, settings: dict | None,
                     owner: str | None) -> None:
        domain_id = self.did(slot)
        extra = {key: value for key, value in (
            ("SpaceSettings", settings),
            ("OwnershipSettings", owner and {"OwnerUserProfileName": owner}))
            if value is not None}
        done = self.attempt(
            lambda: self.studio.create_space(domain_id, name, settings, owner),
            lambda: self.sm.create_space(DomainId=domain_id, SpaceName=name, **extra),
            studio=(domain_id,))
        if done:
            assert done[1]["SpaceArn"] == done[0].arn
            self.settle_owner(done[0])

    @rule(slot=domain_slots, name=space_names, settings=st.none() | space_settings,
          display=st.none() | st.sampled_from(["Shared", "Team one"]))
    def update_space(self, slot: str, name: str, settings: dict | None,
                     display: str | None) -> None:
        domain_id = self.did(slot)
        extra = {key: value for key, value in (("SpaceSettings", settings),
                                                ("SpaceDisplayName", display)) if value is not None}
        done = self.attempt(
            lambda: self.studio.update_space(domain_id, name, settings, display),
            lambda: self.sm.update_space(DomainId=domain_id, SpaceName=name, **extra),
            studio=(domain_id,))
        if done:
            assert done[1]["SpaceArn"] == done[0].arn
            self.settle_owner(done[0], changed=True)

    @rule(slot=domain_slots, name=space_names)
    def delete_space(self, slot: str, name: str) -> None:
        domain_id = self.did(slot)
        if self.attempt(lambda: self.studio.delete_space(domain_id, name),
                        lambda: self.sm.delete_space(DomainId=domain_id, SpaceName=name),
                        studio=(domain_id,)):
            self.attempt(lambda: self.studio.space(domain_id, name, describing=True),
                         lambda: self.sm.describe_space(DomainId=domain_id, SpaceName=name))

    # --- apps ------------------------------------------------------------------------------

    @rule(slot=domain_slots, owner=owners, app_type=app_types, name=app_names, data=st.data())
    def create_app(self, slot: str, owner: tuple[str, str], app_type: str, name: str,
                   data: Any) -> None:
        attached = self.studio.attached(self.did(slot), owner, app_type)
        self.launch(self.did(slot), owner, app_type, name, draw_spec(data, attached, self.model))

    @rule(slot=domain_slots, data=st.data())
    def launch_attached(self, slot: str, data: Any) -> None:
        """A second door to CreateApp: an owner there is, on an image it has attached for the
        app type (the image may be gone since, the version or alias may not be there)."""
        domain = self.studio.domains.get(self.did(slot))
        choices = [((owner.kind, owner.name), app_type)
                   for owner in [*domain.profiles.values(), *domain.spaces.values()]
                   for app_type in APP_TYPES
                   if self.studio.attached(domain.domain_id, (owner.kind, owner.name), app_type)
                   ] if domain else []
        if choices:
            owner, app_type = data.draw(st.sampled_from(choices))
            attached = self.studio.attached(domain.domain_id, owner, app_type)
            self.launch(domain.domain_id, owner, app_type, data.draw(app_names),
                        draw_spec(data, attached, self.model,
                                  ["image", "version", "alias", "alias", "both"]))

    @rule(slot=domain_slots, owner=owners, app_type=app_types, name=app_names)
    def delete_app(self, slot: str, owner: tuple[str, str], app_type: str, name: str) -> None:
        self.stop(self.did(slot), owner, app_type, name)

    @rule(data=st.data(), again=st.booleans())
    def delete_an_app(self, data: Any, again: bool) -> None:
        """A second door to DeleteApp: an app there is, or was (Deleted), or that failed (refused);
        one Deleted or Failed, then or else, is launched again under its name."""
        if self.studio.apps:
            app = data.draw(st.sampled_from(list(self.studio.apps.values())))
            if again and app.status in NOT_RUNNING:
                spec = draw_spec(data, self.studio.attached(app.domain_id, app.owner,
                                                            app.app_type), self.model)
                self.launch(app.domain_id, app.owner, app.app_type, app.name, spec)
            else:
                self.stop(app.domain_id, app.owner, app.app_type, app.name)

    def remove(self, domain: Any, kind: str, name: str) -> None:
        """A user profile or space, after its apps that run (not a Failed one): as documented."""
        for app in self.studio.apps_of(domain.domain_id, kind, name.lower(), running=True):
            self.stop(domain.domain_id, app.owner, app.app_type, app.name)
        (self.delete_profile if kind == USER else self.delete_space)(self.slot_of(
            domain.domain_id), name)

    @rule(slot=domain_slots, owner=owners, leave=st.sampled_from([None, USER, SPACE, "none"]))
    def clean_up(self, slot: str, owner: tuple[str, str], leave: str | None) -> None:
        """The documented order: apps, then user profiles and spaces, then the domain. Here one
        owner (`leave` None), or all but the user profiles, all but the spaces, or all, then the
        domain (refused while a user profile or space is left)."""
        domain = self.studio.domains.get(self.did(slot))
        if domain is None:
            return
        if leave is None:
            self.remove(domain, *owner)
            return
        for kind, name in [(o.kind, o.name) for o in [*domain.profiles.values(),
                                                       *domain.spaces.values()]]:
            if kind != leave:
                self.remove(domain, kind, name)
        self.delete_domain(slot)

    @rule(which=st.sampled_from(["owner", "network", "domain", "both owners"]),
          slot=domain_slots, owner=owners, data=st.data())
    def guard(self, which: str, slot: str, owner: tuple[str, str], data: Any) -> None:
        """A guard aimed at what is there: DeleteUserProfile or DeleteSpace with an app
        InService; UpdateDomain changing the subnets with an app InService; DeleteDomain with
        only user profiles, or only spaces, left; CreateApp for a user profile and a space at
        once, or for neither."""
        apps = [app for app in self.studio.apps.values() if app.status == "InService"]
        if which in ("owner", "network") and apps:
            app = data.draw(st.sampled_from(apps))
            slot, (kind, name) = self.slot_of(app.domain_id), app.owner
            if which == "network":
                now = self.studio.domains[app.domain_id].subnets
                self.update_domain(slot, None, None, ["subnet-other" if now == [
                    "subnet-0123"] else "subnet-0123"])
            else:
                (self.delete_profile if kind == USER else self.delete_space)(slot, name)
        elif which == "domain":
            self.clean_up(slot, owner, data.draw(st.sampled_from([USER, SPACE])))
        elif which == "both owners":
            domain_id = self.did(slot)
            owned = data.draw(st.sampled_from([{"UserProfileName": "alice",
                                                "SpaceName": "shared"}, {}]))
            self.attempt(refuse, lambda: self.sm.create_app(
                DomainId=domain_id, AppType="KernelGateway", AppName="default", **owned),
                studio=(domain_id,))

    @rule(slot=domain_slots, owner=owners, create=st.booleans(),
          six=st.lists(entries, min_size=6, max_size=6))
    def past_the_limit(self, slot: str, owner: tuple[str, str], create: bool,
                       six: list[dict]) -> None:
        """Six images, one past the 5 a user profile or space may attach (however many are
        missing: the limit is checked first)."""
        if owner[0] == USER:
            (self.create_profile if create else self.update_profile)(slot, owner[1], {
                APP_SETTINGS["CodeEditor"]: {"CustomImages": six[:3]},
                APP_SETTINGS["JupyterLab"]: {"CustomImages": six[3:]}})
        else:
            settings = {APP_SETTINGS["KernelGateway"]: {"CustomImages": six}}
            (self.create_space if create else self.update_space)(slot, owner[1], settings, None)

    @rule(name=names, alias=st.sampled_from(SEMVER_ALIASES), data=st.data())
    def move_semver_alias(self, name: str, alias: str, data: Any) -> None:
        """Mostly an alias an app was launched on: apps created after the move run the version
        it moved to, those before keep theirs."""
        used = [(app.spec["SageMakerImageArn"].rpartition("/")[2],
                 app.spec["SageMakerImageVersionAlias"]) for app in self.studio.apps.values()
                if "SageMakerImageVersionAlias" in (app.spec or {})]
        name, alias = data.draw(st.sampled_from(used * 3 + [(name, alias)]))
        image = self.model.images.get(name.lower())
        numbers = [v.number for v in image.versions] if image else []
        self.move_alias(name, alias, data.draw(st.sampled_from(numbers * 2 + [1, 2, 3, 4])))


def test_studio_call_sequences_agree_with_the_reference_model() -> None:
    run_machine(StudioApis, ci_examples=10, ci_steps=60)

