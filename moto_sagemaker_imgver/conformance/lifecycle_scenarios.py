"""The Studio lifecycle config scenarios: one per [chosen] item."""
from __future__ import annotations

from typing import Any

from .runner import Run
from .scenarios import scenario
from .studio_scenarios import finish_studio, studio_domain

CONTENT = "IyEvYmluL2Jhc2gKZWNobyBpZGxl"  # base64 of a two-line script


def _config(run: Run, suffix: str, app_type: str = "JupyterLab", content: str = CONTENT) -> str:
    name = run.name(suffix)
    answer = run.call("CreateStudioLifecycleConfig", StudioLifecycleConfigName=name,
                      StudioLifecycleConfigContent=content, StudioLifecycleConfigAppType=app_type)
    return str((answer or {}).get("StudioLifecycleConfigArn", ""))


def _attached(*arns: str, default: str | None = None) -> dict[str, Any]:
    settings: dict[str, Any] = {"LifecycleConfigArns": list(arns)}
    if default is not None:
        settings["DefaultResourceSpec"] = {"LifecycleConfigArn": default}
    return {"JupyterLabAppSettings": settings}


def _launched(run: Run, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A domain, a user profile with the settings, its JupyterLab app started and described."""
    domain = studio_domain(run)
    user = run.name("user")
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=user, UserSettings=settings)
    app: dict[str, Any] = {"UserProfileName": user, "AppType": "JupyterLab", "AppName": "default"}
    run.call("CreateApp", DomainId=domain, **app)
    run.call("DescribeApp", DomainId=domain, **app)
    return domain, app


@scenario("lifecycle-config-arn", "[chosen] a lifecycle config's name is lower-cased in its ARN "
          "and unique regardless of case; content that is not base64 is kept as given")
def lifecycle_config_arn(run: Run) -> None:
    _config(run, "Idle-Check")
    run.call("CreateStudioLifecycleConfig", StudioLifecycleConfigName=run.name("IDLE-CHECK"),
             StudioLifecycleConfigContent=CONTENT, StudioLifecycleConfigAppType="KernelGateway")
    run.call("DescribeStudioLifecycleConfig", StudioLifecycleConfigName=run.name("idle-check"))
    _config(run, "plain-text", content="echo not base64")
    run.call("DescribeStudioLifecycleConfig", StudioLifecycleConfigName=run.name("plain-text"))


@scenario("lifecycle-attach-missing", "[chosen] attaching a lifecycle config that does not exist "
          "is refused when it is attached (ResourceNotFound), and changes nothing",
          needs_studio=True)
def lifecycle_attach_missing(run: Run) -> None:
    arn = _config(run, "idle")
    missing = arn.rpartition("/")[0] + "/" + run.name("ghost").lower()
    domain = studio_domain(run)
    run.call("UpdateDomain", DomainId=domain, DefaultUserSettings=_attached(missing))
    run.call("UpdateDomain", DomainId=domain, DefaultUserSettings=_attached(arn, default=missing))
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=run.name("user"),
             UserSettings=_attached(missing))
    run.call("DescribeDomain", DomainId=domain)
    finish_studio(run)


@scenario("lifecycle-launch-not-attached", "an app started with a default lifecycle config its "
          "settings do not list fails (observed); [chosen] the same for one CreateApp names, "
          "its Failed status and FailureReason, and ResourceNotFound for one that does not exist",
          needs_studio=True)
def lifecycle_launch_not_attached(run: Run) -> None:
    listed, unlisted = _config(run, "listed"), _config(run, "unlisted")
    domain = studio_domain(run)
    user = run.name("user")
    run.call("CreateUserProfile", DomainId=domain, UserProfileName=user,
             UserSettings=_attached(listed, default=unlisted))
    apps: list[dict[str, Any]] = [
        {"UserProfileName": user, "AppType": "JupyterLab", "AppName": name}
        for name in ("default", "named")]
    run.call("CreateApp", DomainId=domain, **apps[0])
    run.call("CreateApp", DomainId=domain, **apps[1],
             ResourceSpec={"LifecycleConfigArn": unlisted})
    run.call("CreateApp", DomainId=domain, **{**apps[1], "AppName": "ghost"},
             ResourceSpec={"LifecycleConfigArn": unlisted + "-ghost"})
    for app in apps:
        run.call("DescribeApp", DomainId=domain, **app)
    finish_studio(run)


@scenario("lifecycle-app-type", "[chosen] a lifecycle config written for another app type, "
          "attached and started with, fails the app", needs_studio=True)
def lifecycle_app_type(run: Run) -> None:
    kernels = _config(run, "kernels", app_type="KernelGateway")
    _launched(run, _attached(kernels, default=kernels))
    finish_studio(run)


@scenario("lifecycle-delete-in-use", "DeleteStudioLifecycleConfig while settings list it: "
          "ResourceInUse (documented; [chosen] the words); after detaching, deleted",
          needs_studio=True)
def lifecycle_delete_in_use(run: Run) -> None:
    arn = _config(run, "idle")
    domain = studio_domain(run, **_attached(arn, default=arn))
    name = run.name("idle")
    run.call("DeleteStudioLifecycleConfig", StudioLifecycleConfigName=name)
    run.call("UpdateDomain", DomainId=domain, DefaultUserSettings={"JupyterLabAppSettings": {
        "LifecycleConfigArns": [], "DefaultResourceSpec": {"LifecycleConfigArn": "None"}}})
    run.call("DeleteStudioLifecycleConfig", StudioLifecycleConfigName=name)
    run.call("DescribeStudioLifecycleConfig", StudioLifecycleConfigName=name)
    finish_studio(run)


@scenario("studio-failed-app", "a Failed app need not be deleted and holds back no delete of "
          "its user profile or lifecycle config (documented); DeleteApp on it is an error "
          "(documented; [chosen] ValidationException and the words)", needs_studio=True)
def studio_failed_app(run: Run) -> None:
    listed, unlisted = _config(run, "listed"), _config(run, "unlisted")
    domain, app = _launched(run, _attached(listed, default=unlisted))
    user = app["UserProfileName"]
    run.call("DeleteApp", DomainId=domain, **app)
    run.call("UpdateUserProfile", DomainId=domain, UserProfileName=user, UserSettings={
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": "None"}}})
    run.call("DeleteStudioLifecycleConfig", StudioLifecycleConfigName=run.name("unlisted"))
    run.call("DeleteUserProfile", DomainId=domain, UserProfileName=user)
    finish_studio(run)
