"""The attach and launch rules: what `CustomImages` may name, how many, and which image version an
app on a custom image runs. The images and app image configs live in their own families' stores
of the same account and region, read here through the faces those families offer (`find_version`,
`find_config`), each under its own store's lock (a Studio store may take an image store's lock,
never the reverse).
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol, Sequence

from ..app_image_configs import AppImageConfig
from ..exceptions import ResourceLimitExceeded, ResourceNotFound, ValidationException
from ..images import ImageVersion

# Where each app type's CustomImages are, in UserSettings, DefaultSpaceSettings and SpaceSettings.
APP_SETTINGS = {
    "KernelGateway": "KernelGatewayAppSettings",
    "JupyterLab": "JupyterLabAppSettings",
    "CodeEditor": "CodeEditorAppSettings",
    "RSessionGateway": "RSessionAppSettings",
}
# Documented: "5 custom images per user profile and per space".
MOST_PER_OWNER = 5
# A structure of the model as the validated request gave it (the model's member names).
Structure = dict[str, Any]


class FindVersion(Protocol):
    """The image family's face: ImageStore.find_version."""

    def __call__(self, image_name: str, number: int | None = None,
                 alias: str | None = None) -> ImageVersion: ...


class FindConfig(Protocol):
    """The app image config family's face: AppImageConfigStore.find_config."""

    def __call__(self, name: str) -> AppImageConfig: ...


def custom_images(settings: Structure | None,
                  app_types: Iterable[str] = APP_SETTINGS) -> list[Structure]:
    """The CustomImages of the settings, for the given app types."""
    found: list[Structure] = []
    for app_type in app_types:
        found += ((settings or {}).get(APP_SETTINGS[app_type]) or {}).get("CustomImages") or []
    return found


def check_limit(kind: str, arn: str, settings: Structure | None) -> None:
    count = len(custom_images(settings))
    if count > MOST_PER_OWNER:
        # [chosen] The limit is documented, not the error: ResourceLimitExceeded (which the
        # operation models), counting every app type's list together.
        raise ResourceLimitExceeded(
            f"{kind} {arn} would have {count} custom images; at most {MOST_PER_OWNER} are "
            "allowed per user profile and per space.")


class ImageCatalog:
    """The images and app image configs that Studio settings and apps name."""

    def __init__(self, find_version: FindVersion, find_config: FindConfig,
                 arn_prefix: str) -> None:
        self.find_version = find_version
        self.find_config = find_config
        self.arn_prefix = arn_prefix  # `arn:<partition>:sagemaker:<region>:<account>:`

    def check_attachable(self, settings: Structure | None,
                         current: Structure | None = None) -> None:
        """Refuse attaching what does not exist; only what the request attaches anew (not what
        `current` already holds) is checked."""
        # [chosen] Attaching a missing image, version or app image config is refused when it is
        # attached (ResourceNotFound, the image family's own message), not first at app launch.
        # An image deleted after it was attached does not block passing described settings back.
        held = {_entry_key(app_type, entry) for app_type in APP_SETTINGS
                for entry in custom_images(current, [app_type])}
        for app_type in APP_SETTINGS:
            for entry in custom_images(settings, [app_type]):
                if _entry_key(app_type, entry) not in held:
                    self._check_exists(entry)

    def _check_exists(self, entry: Structure) -> None:
        self.find_version(entry["ImageName"], entry.get("ImageVersionNumber"))
        self.find_config(entry["AppImageConfigName"])

    def launch(self, app_arn: str, spec: Structure | None,
               attached: Sequence[Structure]) -> Structure | None:
        """The ResourceSpec the app runs: a custom image of this account must be attached for
        the app type; its version is resolved now, so moving an alias later moves new apps only.
        Any other image (SageMaker's own) is taken as given."""
        if not spec:
            return spec
        version_arn = spec.get("SageMakerImageVersionArn")
        image_arn = spec.get("SageMakerImageArn")
        number: int | None = None
        name: str | None = None
        if version_arn and version_arn != "None":  # documented: it wins over SageMakerImageArn
            path = self._ours(version_arn, "image-version")
            if path is not None:
                name, _, text = path.rpartition("/")
                if not (name and text.isdigit()):
                    raise ValidationException(f"{version_arn} is not an image version ARN.")
                number = int(text)
        elif image_arn:
            name = self._ours(image_arn, "image")
        elif spec.get("SageMakerImageVersionAlias") is not None:
            # [chosen] An alias names a version of an image: without the image it names nothing.
            raise ValidationException("SageMakerImageVersionAlias needs the SageMakerImageArn of "
                                      "the image whose version it names.")
        if name is None:
            return spec
        if not any(entry["ImageName"].lower() == name.lower() for entry in attached):
            # Observed words; [chosen] the code, which the console shows as ResourceNotFound.
            raise ResourceNotFound(
                f"Unable to launch App [{app_arn}] with Image [{name}] because it is not present "
                f"in list of custom images in AppSettings. Please update AppSettings to add Image "
                f"[{name}] in list of custom images.")
        pinned = next(entry.get("ImageVersionNumber") for entry in attached
                      if entry["ImageName"].lower() == name.lower())
        alias = spec.get("SageMakerImageVersionAlias")
        # [chosen] DeleteImage and DeleteAppImageConfig do not look at attachments (AWS's answer
        # is not known): an attached image may go, and an app on it is refused here. The version
        # ARN's number, else the alias's version ([chosen] resolved now), else the attached
        # version or the latest one when none is named (documented).
        version = self.find_version(name, number) if number is not None else \
            self.find_version(name, alias=alias) if alias is not None else \
            self.find_version(name, pinned)
        status = version.status
        if status != "CREATED":
            # [chosen] Only a created version can run.
            raise ValidationException(
                f"ImageVersion {version.image_version_arn} is in {status} state.")
        return {**spec, "SageMakerImageArn": version.image.image_arn,
                "SageMakerImageVersionArn": version.image_version_arn}

    def _ours(self, arn: str, resource_type: str) -> str | None:
        """The path after `<type>/` when the ARN names this account's and region's resource."""
        prefix = f"{self.arn_prefix}{resource_type}/"
        return arn[len(prefix):] if arn.startswith(prefix) else None


def _entry_key(app_type: str, entry: Structure) -> tuple[str, str, int | None, str]:
    return (app_type, entry["ImageName"].lower(), entry.get("ImageVersionNumber"),
            entry["AppImageConfigName"].lower())
