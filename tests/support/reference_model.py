"""A plain reference model of the custom-image APIs, written from SPEC.md and the README for the
state-machine test: dicts and lists, no indexes. Each operation checks everything first and
raises `Refused(code)` before it changes anything; where the spec gives no order between two
errors, the model checks the request's parts in the order they are named in the request.

Times are not predicted: the test records the CreationTime and LastModifiedTime it observes right
after a change and holds every later answer to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

REGION, ACCOUNT = "us-east-1", "123456789012"
ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:"
IMAGE_NAME = re.compile(r"^[a-zA-Z0-9]([-.]?[a-zA-Z0-9]){0,62}$")
CONFIG_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
ALIAS = re.compile(r"(?!^[.-])^([a-zA-Z0-9-_.]+)$")
MAX_TAGS = 50
VERSION_FIELDS = ("VendorGuidance", "JobType", "MLFramework", "ProgrammingLang", "Processor",
                  "Horovod", "ReleaseNotes")
CONFIG_KINDS = ("KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig")


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Version:
    number: int
    base_image: str
    fields: dict[str, Any]
    aliases: list[str]  # in the order they were added
    created: Any = None
    modified: Any = None
    container: str | None = None


@dataclass
class Image:
    name: str
    role_arn: str
    description: str | None
    display_name: str | None
    tags: dict[str, str]
    versions: list[Version] = field(default_factory=list)  # ascending by number
    numbers_used: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    created: Any = None
    modified: Any = None

    @property
    def arn(self) -> str:
        return f"{ARN}image/{self.name.lower()}"

    def version_arn(self, number: int) -> str:
        return f"{ARN}image-version/{self.name.lower()}/{number}"


@dataclass
class AppConfig:
    name: str
    configs: dict[str, Any]
    tags: dict[str, str]
    created: Any = None
    modified: Any = None

    @property
    def arn(self) -> str:
        return f"{ARN}app-image-config/{self.name.lower()}"


def _check(ok: bool, code: str = "ValidationException") -> None:
    if not ok:
        raise Refused(code)


def valid_alias(alias: str) -> bool:
    return 1 <= len(alias) <= 128 and ALIAS.match(alias) is not None


def _ordered(items: list, key: Any, descending: bool) -> list:
    return sorted(items, key=key, reverse=descending)


class Model:
    def __init__(self) -> None:
        self.images: dict[str, Image] = {}  # by lower-cased name: names differ beyond case
        self.configs: dict[str, AppConfig] = {}

    # --- images ----------------------------------------------------------------------------

    def image(self, name: str) -> Image:
        _check(IMAGE_NAME.match(name) is not None)
        if name.lower() not in self.images:
            raise Refused("ResourceNotFound")
        return self.images[name.lower()]

    def create_image(self, name: str, role_arn: str, description: str | None,
                     display_name: str | None, tags: dict[str, str]) -> Image:
        _check(IMAGE_NAME.match(name) is not None)
        _check(name.lower() not in self.images, "ResourceInUse")
        image = Image(name, role_arn, description, display_name, dict(tags))
        self.images[name.lower()] = image
        return image

    def update_image(self, name: str, description: str | None, display_name: str | None,
                     role_arn: str | None, delete: list[str]) -> Image:
        _check(len(delete) <= 2 and set(delete) <= {"Description", "DisplayName"})
        image = self.image(name)
        _check(not ("Description" in delete and description is not None))
        _check(not ("DisplayName" in delete and display_name is not None))
        image.description = None if "Description" in delete else \
            description if description is not None else image.description
        image.display_name = None if "DisplayName" in delete else \
            display_name if display_name is not None else image.display_name
        image.role_arn = role_arn or image.role_arn
        return image

    def delete_image(self, name: str) -> Image:
        return self.images.pop(self.image(name).name.lower())

    def list_images(self, name_contains: str | None, sort_by: str | None,
                    sort_order: str | None) -> list[Image]:
        needle = (name_contains or "").lower()
        kept = [image for image in self.images.values() if needle in image.name.lower()]
        key = {"IMAGE_NAME": lambda i: i.name,
               "LAST_MODIFIED_TIME": lambda i: (i.modified, i.name)}.get(
                   sort_by or "CREATION_TIME", lambda i: (i.created, i.name))
        return _ordered(kept, key, (sort_order or "DESCENDING") == "DESCENDING")

    # --- versions --------------------------------------------------------------------------

    def version(self, image: Image, number: int | None = None, alias: str | None = None) -> Version:
        _check(number is None or alias is None)
        if alias is not None:
            found = [version for version in image.versions if alias in version.aliases]
        elif number is not None:
            found = [version for version in image.versions if version.number == number]
        else:
            found = image.versions[-1:]
        if not found:
            raise Refused("ResourceNotFound")
        return found[0]

    def describe_version(self, name: str, number: int | None, alias: str | None) -> Version:
        _check(alias is None or valid_alias(alias))  # the request is validated first
        return self.version(self.image(name), number, alias)

    def holder(self, image: Image, alias: str) -> Version | None:
        return next((version for version in image.versions if alias in version.aliases), None)

    def create_version(self, name: str, base_image: str, aliases: list[str],
                       fields: dict[str, Any], token: str | None) -> Version | str:
        """The new version, or the ARN a replayed ClientToken answers with."""
        _check(all(valid_alias(alias) for alias in aliases))
        image = self.image(name)
        if token is not None and token in image.tokens:
            return image.tokens[token]
        wanted = list(dict.fromkeys(aliases))
        _check(all(self.holder(image, alias) is None for alias in wanted))
        image.numbers_used += 1
        version = Version(image.numbers_used, base_image, dict(fields), wanted)
        image.versions.append(version)
        if token is not None:
            image.tokens[token] = image.version_arn(version.number)
        return version

    def update_version(self, name: str, number: int | None, alias: str | None, add: list[str],
                       delete: list[str], fields: dict[str, Any]) -> Version:
        _check(all(valid_alias(a) for a in [*add, *delete]))
        _check(alias is None or valid_alias(alias))
        image = self.image(name)
        target = self.version(image, number, alias)
        adding, deleting = list(dict.fromkeys(add)), list(dict.fromkeys(delete))
        _check(not set(adding) & set(deleting))
        _check(all(self.holder(image, a) in (None, target) for a in adding))
        _check(all(a in target.aliases for a in deleting), "ResourceNotFound")
        target.aliases = [a for a in target.aliases if a not in deleting]
        target.aliases += [a for a in adding if a not in target.aliases]
        target.fields.update({key: value for key, value in fields.items() if value is not None})
        return target

    def delete_version(self, name: str, number: int | None, alias: str | None) -> Version:
        target = self.describe_version(name, number, alias)
        self.images[name.lower()].versions.remove(target)
        return target

    def list_versions(self, name: str, sort_by: str | None,
                      sort_order: str | None) -> list[Version]:
        key = (lambda v: (v.modified, v.number)) if sort_by == "LAST_MODIFIED_TIME" else \
            (lambda v: (v.created, v.number))
        descending = (sort_order or "DESCENDING") == "DESCENDING"
        return _ordered(self.image(name).versions, key, descending)

    def list_aliases(self, name: str, number: int | None, alias: str | None) -> list[str]:
        if number is None and alias is None:
            return [a for version in self.image(name).versions for a in version.aliases]
        return list(self.describe_version(name, number, alias).aliases)

    # --- app image configs -----------------------------------------------------------------

    def config(self, name: str) -> AppConfig:
        _check(CONFIG_NAME.match(name) is not None)
        if name.lower() not in self.configs:
            raise Refused("ResourceNotFound")
        return self.configs[name.lower()]

    def create_config(self, name: str, configs: dict[str, Any], tags: dict[str, str]) -> AppConfig:
        _check(CONFIG_NAME.match(name) is not None)
        _check(name.lower() not in self.configs, "ResourceInUse")
        config = AppConfig(name, dict(configs), dict(tags))
        self.configs[name.lower()] = config
        return config

    def update_config(self, name: str, configs: dict[str, Any]) -> AppConfig:
        config = self.config(name)
        config.configs.update(configs)  # what the request leaves out is kept
        return config

    def delete_config(self, name: str) -> AppConfig:
        return self.configs.pop(self.config(name).name.lower())

    def list_configs(self, name_contains: str | None, sort_by: str,
                     sort_order: str) -> list[AppConfig]:
        needle = (name_contains or "").lower()
        kept = [config for config in self.configs.values() if needle in config.name.lower()]
        key = {"Name": lambda c: c.name, "LastModifiedTime": lambda c: (c.modified, c.name)}.get(
            sort_by, lambda c: (c.created, c.name))
        return _ordered(kept, key, sort_order == "Descending")

    # --- tags ------------------------------------------------------------------------------

    def tags_of(self, arn: str) -> dict[str, str]:
        kind, _, name = arn[len(ARN):].partition("/")
        _check(kind != "image-version")
        found = self.images.get(name) if kind == "image" else \
            self.configs.get(name) if kind == "app-image-config" else None
        if found is None or found.arn != arn:
            raise Refused("ResourceNotFound")
        return found.tags

    def add_tags(self, arn: str, tags: dict[str, str]) -> None:
        current = self.tags_of(arn)
        _check(len({**current, **tags}) <= MAX_TAGS)
        current.update(tags)

    def delete_tags(self, arn: str, keys: list[str]) -> None:
        current = self.tags_of(arn)
        for key in keys:
            current.pop(key, None)

    def list_tags(self, arn: str) -> list[dict[str, str]]:
        return [{"Key": key, "Value": value} for key, value in sorted(self.tags_of(arn).items())]

    # --- what the API shows ----------------------------------------------------------------

    @staticmethod
    def image_item(image: Image, describe: bool = False) -> dict[str, Any]:
        item = {"CreationTime": image.created, "Description": image.description,
                "DisplayName": image.display_name, "ImageArn": image.arn,
                "ImageName": image.name, "ImageStatus": "CREATED",
                "LastModifiedTime": image.modified}
        if describe:
            item["RoleArn"] = image.role_arn
        return {key: value for key, value in item.items() if value is not None}

    @staticmethod
    def version_item(image: Image, version: Version, describe: bool = False) -> dict[str, Any]:
        item = {"CreationTime": version.created, "ImageArn": image.arn,
                "ImageVersionArn": image.version_arn(version.number),
                "ImageVersionStatus": "CREATED", "LastModifiedTime": version.modified,
                "Version": version.number}
        if describe:
            item.update(version.fields, BaseImage=version.base_image,
                        ContainerImage=version.container)
        return item

    @staticmethod
    def config_item(config: AppConfig) -> dict[str, Any]:
        return {"AppImageConfigArn": config.arn, "AppImageConfigName": config.name,
                "CreationTime": config.created, "LastModifiedTime": config.modified,
                **config.configs}

    def view(self, images: list[str], configs: list[str]) -> dict[str, Any]:
        """What `observe` must find for these names (lower-cased): None for a missing one."""
        seen: dict[str, Any] = {}
        for name in images:
            image = self.images.get(name)
            seen[f"image {name}"] = None if image is None else {
                "image": self.image_item(image, describe=True),
                "versions": [self.version_item(image, v) for v in image.versions],
                "details": [self.version_item(image, v, describe=True) for v in image.versions],
                "aliases": [list(v.aliases) for v in image.versions],
                "all aliases": [a for v in image.versions for a in v.aliases],
                "tags": self.list_tags(image.arn),
            }
        for name in configs:
            config = self.configs.get(name)
            seen[f"config {name}"] = None if config is None else {
                "config": self.config_item(config), "tags": self.list_tags(config.arn)}
        return seen


# --- NextToken walks ---------------------------------------------------------------------------


@dataclass
class Walk:
    """A NextToken walk with pages taken between changes, and what the README promises of it:
    an item there for the whole walk is listed once, where it stood when the walk began; an item
    that came or went during the walk is listed at most once. Identities are what a page shows:
    (lower-cased name, CreationTime) for images and configs, the number for versions, and
    (alias, version number) for aliases, of which a page shows the alias."""
    kind: str
    request: dict[str, Any]
    owner: Any  # the model image whose versions or aliases are walked
    start: list[Any]
    present: set[Any] = field(default_factory=set)
    ever: set[Any] = field(default_factory=set)
    current: set[Any] = field(default_factory=set)
    returned: set[Any] = field(default_factory=set)  # labels that went away and came back
    listed: list[Any] = field(default_factory=list)
    token: str | None = None
    changes: int = 0  # steps after which the query's answer (or its order) was different
    last: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.last = list(self.start)
        self.present = set(self.start)
        self.ever = set(self.start)
        self.current = set(self.start)

    def label(self, identity: Any) -> Any:
        return identity[0] if self.kind == "aliases" else identity

    def touch(self, identities: list[Any]) -> None:
        """After every change: what the walk's query would list now."""
        self.changes += identities != self.last
        self.last = list(identities)
        now = set(identities)
        labels_before = {self.label(i) for i in self.ever}
        self.returned |= {self.label(i) for i in now - self.current} & labels_before
        self.present &= now
        self.ever |= now
        self.current = now

    def problems(self) -> list[str]:
        found = []
        counts: dict[Any, int] = {}
        for label in self.listed:
            counts[label] = counts.get(label, 0) + 1
        repeated = {label for label, count in counts.items() if count > 1}
        if repeated:
            found.append(f"listed twice: {sorted(map(str, repeated))}")
        stayed = [self.label(i) for i in self.start if i in self.present]
        listed_once = list(dict.fromkeys(label for label in self.listed if label in stayed))
        if listed_once != stayed:
            found.append(f"present for the whole walk {stayed}, listed {listed_once}")
        strangers = set(self.listed) - {self.label(i) for i in self.ever}
        if strangers:
            found.append(f"listed what was never there: {sorted(map(str, strangers))}")
        return found
