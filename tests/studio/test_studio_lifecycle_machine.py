"""The Studio state machine (test_studio_state_machine.py) with lifecycle configs: created and
deleted (guarded while settings list them or apps run them: a Deleted or Failed app runs
nothing), attached at every level (domain defaults, default space settings, user profiles,
spaces; listed, and as the default), detached, and launched (by name or by the default
inherited), interleaved with the image and Studio rules.
The model of lifecycle configs is written here from SPEC.md's "Studio lifecycle configs" and the
[chosen] decisions; test_studio_slow_lifecycle_machine.py runs it slowed (manual progression).

CI runs it derandomized (STATE_MACHINE_CI_EXAMPLES, default 40, of 60 steps, topped up while a
lifecycle config rule is drawn under 20 times); a long random run:
`STATE_MACHINE_EXAMPLES=500 python -m pytest tests/studio/test_studio_lifecycle_machine.py -s`."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from studio_machine_support import APP_NAMES, app_names, domain_slots, owners
from studio_reference_model import NOT_RUNNING, SPACE, USER, App, Owner, StudioModel, app_arn
from support.image_machine import run_machine
from support.reference_model import ARN, _check
from support.state_machine import OUTCOMES, assert_drawn, counted_as
from test_studio_state_machine import StudioApis

pytestmark = pytest.mark.slow

SCRIPT_NAMES = ["idle", "IDLE", "kernels"]  # the first two are one lifecycle config
SCRIPT_TYPES = ["JupyterLab", "KernelGateway"]
SETTINGS_OF = {"JupyterLab": "JupyterLabAppSettings", "KernelGateway": "KernelGatewayAppSettings"}
DRAWN = ("create_script", "delete_script", "attach_scripts", "launch_with_script", "failed_app")
# What the model counts of a Failed app (one only the lifecycle config machines make): DeleteApp
# on it refused; its user profile or space deleted, a new app launched under its name and the
# lifecycle config it names deleted, past it. Printed with the outcomes (-s).
FAILED = "a Failed app"


def script_arn(name: str) -> str:
    return f"{ARN}studio-lifecycle-config/{name.lower()}"


def scripts_in(value: Any) -> set[str]:
    """The lifecycle config ARNs settings (or a ResourceSpec) list or name as a default."""
    if isinstance(value, list):
        return set().union(*map(scripts_in, value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = set(value.get("LifecycleConfigArns") or [])
    named = value.get("LifecycleConfigArn")
    found |= {named} if isinstance(named, str) and named != "None" else set()
    return found.union(*(scripts_in(item) for key, item in value.items()
                         if key not in ("LifecycleConfigArns", "LifecycleConfigArn")))


class ScriptedStudioModel(StudioModel):
    def __init__(self, images: Any) -> None:
        super().__init__(images)
        self.scripts: dict[str, str] = {}  # lower-cased name -> app type

    def create_script(self, name: str, app_type: str) -> str:
        _check(name.lower() not in self.scripts, "ResourceInUse")
        self.scripts[name.lower()] = app_type
        return script_arn(name)

    def delete_script(self, name: str) -> str:
        _check(name.lower() in self.scripts, "ResourceNotFound")
        held = [settings for domain in self.domains.values()
                for settings in (domain.user_settings, domain.space_settings)]
        held += [owner.settings for domain in self.domains.values()
                 for owner in [*domain.profiles.values(), *domain.spaces.values()]]
        # an app Deleted or Failed runs nothing: it holds none back
        held += [app.spec for app in self.apps.values() if app.status not in NOT_RUNNING]
        _check(script_arn(name) not in scripts_in(held), "ResourceInUse")
        self.count_failed("its lifecycle config deleted", [
            app for app in self.apps.values() if script_arn(name) in scripts_in(app.spec)])
        return self.scripts.pop(name.lower())

    @staticmethod
    def count_failed(what: str, apps: list[App]) -> None:
        if any(app.status == "Failed" for app in apps):
            OUTCOMES[FAILED, what] += 1

    def delete_app(self, domain_id: str, owner: tuple[str, str], app_type: str,
                   name: str) -> App:
        found = self.apps.get(app_arn(domain_id, owner, app_type, name))
        self.count_failed("DeleteApp refused", [found] if found and found.owner[0] == owner[0]
                          else [])
        return super().delete_app(domain_id, owner, app_type, name)

    def _deleting(self, owner: Owner) -> Owner:
        apps = self.apps_of(owner.domain_id, owner.kind, owner.name.lower())
        deleting = super()._deleting(owner)
        self.count_failed("its owner deleted", apps)
        return deleting

    def check_attachable(self, settings: dict | None, current: dict | None) -> None:
        super().check_attachable(settings, current)
        for arn in scripts_in(settings) - scripts_in(current):
            _check(arn.rpartition("/")[2] in self.scripts, "ResourceNotFound")

    def inherited(self, domain_id: str, owner: tuple[str, str]) -> list[dict | None]:
        """The settings an app runs under, nearest first."""
        domain = self.domains[domain_id]
        if owner[0] == USER:
            return [domain.profiles[owner[1].lower()].settings, domain.user_settings]
        space = domain.spaces[owner[1].lower()]
        found = [space.settings, domain.space_settings, domain.user_settings]
        held = domain.profiles.get((space.owner or "").lower())
        return found + ([held.settings] if held else [])

    def create_app(self, domain_id: str, owner: tuple[str, str], app_type: str, name: str,
                   spec: dict | None) -> App:
        arn = app_arn(domain_id, owner, app_type, name)
        before = self.apps.get(arn)
        app = super().create_app(domain_id, owner, app_type, name, spec)
        own = [((settings or {}).get(SETTINGS_OF.get(app_type, "")) or {})
               for settings in self.inherited(domain_id, owner)]
        given = (spec or {}).get("LifecycleConfigArn")
        defaults = [(found.get("DefaultResourceSpec") or {}).get("LifecycleConfigArn")
                    for found in own]
        chosen = next((arn for arn in [given, *defaults] if arn not in (None, "None")), None)
        if chosen is None:
            self.count_failed("launched again over it", [before] if before else [])
            return app
        if chosen.rpartition("/")[2] not in self.scripts:  # refused: nothing created
            if before is None:
                del self.apps[arn]
            else:
                self.apps[arn] = before
            _check(False, "ResourceNotFound")
        self.count_failed("launched again over it", [before] if before else [])
        app.spec = {**(app.spec or {}), "LifecycleConfigArn": chosen}
        listed = {arn for found in own for arn in found.get("LifecycleConfigArns") or ()}
        written_for = self.scripts[chosen.rpartition("/")[2]]
        if chosen not in listed:  # observed for a default: the app fails to start
            app.status, app.failure = self._moving("Pending", "Failed"), (
                f"Lifecycle config {chosen} is not attached for {app_type} apps in the settings "
                "the app inherits.")
        elif written_for != app_type:
            app.status, app.failure = self._moving("Pending", "Failed"), (
                f"Lifecycle config {chosen} is for {written_for} apps, not {app_type}.")
        return app


class ScriptedStudioApis(StudioApis):
    def __init__(self) -> None:
        super().__init__()
        self.studio = ScriptedStudioModel(self.model)

    @initialize()
    def seed(self) -> None:
        """The Studio machine's seed, two lifecycle configs, one of them the domain's default."""
        super().seed()
        with counted_as("seed"):  # no draws of the rules: assert_drawn counts those only
            self.create_script("idle", "JupyterLab")
            self.create_script("kernels", "KernelGateway")
            self.attach_scripts("studio-a", (USER, "alice"), "JupyterLab", ["idle"], "idle",
                                "domain")

    @rule(name=st.sampled_from(SCRIPT_NAMES), app_type=st.sampled_from(SCRIPT_TYPES))
    def create_script(self, name: str, app_type: str) -> None:
        done = self.attempt(lambda: self.studio.create_script(name, app_type),
                            lambda: self.sm.create_studio_lifecycle_config(
                                StudioLifecycleConfigName=name,
                                StudioLifecycleConfigContent="ZWNobw==",
                                StudioLifecycleConfigAppType=app_type))
        if done:
            assert done[1]["StudioLifecycleConfigArn"] == done[0]

    @rule(name=st.sampled_from(SCRIPT_NAMES))
    def delete_script(self, name: str) -> None:
        self.attempt(lambda: self.studio.delete_script(name),
                     lambda: self.sm.delete_studio_lifecycle_config(
                         StudioLifecycleConfigName=name))

    @rule(slot=domain_slots, owner=owners, app_type=st.sampled_from(SCRIPT_TYPES),
          listed=st.lists(st.sampled_from(SCRIPT_NAMES), max_size=2),
          default=st.none() | st.sampled_from([*SCRIPT_NAMES, "None"]),
          where=st.sampled_from(["domain", "space defaults", "owner"]))
    def attach_scripts(self, slot: str, owner: tuple[str, str], app_type: str,
                       listed: list[str], default: str | None, where: str) -> None:
        """Lifecycle configs listed, and a default, at one level (the domain's default user
        settings or default space settings, a user profile's or a space's); [] detaches them."""
        OUTCOMES["attach_scripts", "drawn"] += 1
        if where == "owner" and owner[0] == SPACE:
            app_type = "KernelGateway"  # a space's JupyterLab settings list none
        settings: dict[str, Any] = {"LifecycleConfigArns": [script_arn(n) for n in listed]}
        if default is not None:
            named = default if default == "None" else script_arn(default)
            settings["DefaultResourceSpec"] = {"LifecycleConfigArn": named}
        change = {SETTINGS_OF[app_type]: settings}
        if where == "domain":
            self.update_domain(slot, change, None, None)
        elif where == "space defaults":
            self.update_domain(slot, None, change, None)
        elif owner[0] == USER:
            self.update_profile(slot, owner[1], change)
        else:
            self.update_space(slot, owner[1], change, None)

    @rule(slot=domain_slots, owner=owners, app_type=st.sampled_from(SCRIPT_TYPES),
          name=app_names, script=st.none() | st.sampled_from(SCRIPT_NAMES))
    def launch_with_script(self, slot: str, owner: tuple[str, str], app_type: str, name: str,
                           script: str | None) -> None:
        """CreateApp naming a lifecycle config, or running the default it inherits."""
        OUTCOMES["launch_with_script", "drawn"] += 1
        spec = {"LifecycleConfigArn": script_arn(script)} if script else None
        self.launch(self.did(slot), owner, app_type, name, spec)

    @rule(data=st.data(), then=st.sampled_from(["stop", "owner", "again", "script"]))
    def failed_app(self, data: Any, then: str) -> None:
        """Aimed at a Failed app (one made first when there is none, or half the time): DeleteApp
        on it, refused; its user profile or space deleted after the apps that run (the Failed
        one need not, and cannot, be deleted first); an app launched again under its name; the
        lifecycle config it names deleted (a Failed app runs nothing: refused only while
        settings, or an app that runs, hold it)."""
        with counted_as("failed_app"):
            failed = [app for app in self.studio.apps.values() if app.status == "Failed"]
            app = self.launch_one(data, failing=True) if not failed or data.draw(
                st.booleans()) else data.draw(st.sampled_from(failed))
            if app is not None and app.status != "Failed":
                app = None  # refused, or else not failed: the lifecycle config was given up
            if app is not None and then == "stop":
                self.stop(app.domain_id, app.owner, app.app_type, app.name)
            elif app is not None and then == "owner":
                self.remove(self.studio.domains[app.domain_id], *app.owner)
            elif app is not None and then == "again":
                self.launch(app.domain_id, app.owner, app.app_type, app.name,
                            data.draw(st.sampled_from([None, app.spec])))
            elif app is not None:
                self.delete_script(app.spec["LifecycleConfigArn"].rpartition("/")[2])
        OUTCOMES["failed_app", then if app is not None else "none failed"] += 1

    def launch_one(self, data: Any, failing: bool = False) -> App | None:
        """CreateApp naming a lifecycle config there is (`failing`: one written for the other
        app type, so that the app fails to start), for a user profile or space there is, under
        an app name free for it, once the domain and the owner are InService (waiting for them
        when slowed): the app (Failed, or Pending when slowed, unless `failing`: time passes
        for the apps then), or None."""
        owners_there = [(domain.domain_id, owner) for domain in self.studio.domains.values()
                        if domain.status != "Deleting"
                        for owner in [*domain.profiles.values(), *domain.spaces.values()]
                        if owner.status != "Deleting"]
        if not owners_there or not self.studio.scripts:
            return None
        domain_id, owner = data.draw(st.sampled_from(owners_there))
        script = data.draw(st.sampled_from(sorted(self.studio.scripts)))
        app_type = data.draw(st.sampled_from([app_type for app_type in SCRIPT_TYPES if not (
            failing and app_type == self.studio.scripts[script])]))
        taken = {app.name.lower() for app in self.studio.apps_of(
            domain_id, owner.kind, owner.name.lower(), running=True) if app.app_type == app_type}
        free = [name for name in APP_NAMES if name.lower() not in taken]
        if not free:
            return None
        name = data.draw(st.sampled_from(free))
        self.wait_for("domain", owner.kind)
        self.launch(domain_id, (owner.kind, owner.name), app_type, name,
                    {"LifecycleConfigArn": script_arn(script)})
        if failing:
            self.wait_for("app")
        return self.studio.apps.get(app_arn(domain_id, (owner.kind, owner.name), app_type, name))

    def wait_for(self, *kinds: str) -> None:
        """What a user's waiter does before a change: nothing here, where everything settles
        at once (the slowed machine lets time pass for these kinds)."""

    @rule()
    def list_scripts(self) -> None:
        listed = self.sm.list_studio_lifecycle_configs(MaxResults=100, SortBy="Name",
                                                       SortOrder="Ascending")
        assert [c["StudioLifecycleConfigArn"] for c in listed["StudioLifecycleConfigs"]] == [
            script_arn(name) for name in sorted(self.studio.scripts)]


def test_studio_with_lifecycle_configs_agrees_with_the_reference_model() -> None:
    run_machine(ScriptedStudioApis, ci_examples=40, ci_steps=60, drawn=DRAWN)
    assert_drawn(DRAWN)
