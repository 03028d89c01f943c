"""What the Studio reference model (studio_reference_model.py) shows through the API: the
describe and list items of its domains, user profiles, spaces and apps, and one domain's view."""
from __future__ import annotations

from typing import Any

from support.reference_model import ARN, REGION

USER, SPACE = "user-profile", "space"
SPACE_SUMMARY = ("AppType", "RemoteAccess", "SpaceStorageSettings")
# What CreateDomain answers for the members the test leaves out: AWS's documented defaults.
DOMAIN_DEFAULTS = {"AppNetworkAccessType": "PublicInternetOnly", "TagPropagation": "DISABLED",
                   "HomeEfsFileSystemCreation": "Enabled"}


class StudioView:
    @staticmethod
    def domain_item(d: Any, describe: bool = False) -> dict[str, Any]:
        item = {"DomainArn": f"{ARN}domain/{d.domain_id}", "DomainId": d.domain_id,
                "DomainName": d.name, "Status": d.status, "CreationTime": d.created,
                "LastModifiedTime": d.modified,
                "Url": f"https://{d.domain_id}.studio.{REGION}.sagemaker.aws"}
        if describe:
            item.update(HomeEfsFileSystemId=d.efs, AuthMode="IAM", VpcId="vpc-0123",
                        DefaultUserSettings=d.user_settings, SubnetIds=d.subnets,
                        SecurityGroupIdForDomainBoundary=d.security_group, **DOMAIN_DEFAULTS)
            if d.space_settings is not None:
                item["DefaultSpaceSettings"] = d.space_settings
        return item

    @staticmethod
    def profile_item(p: Any, describe: bool = False) -> dict[str, Any]:
        item = {"DomainId": p.domain_id, "UserProfileName": p.name, "Status": p.status,
                "CreationTime": p.created, "LastModifiedTime": p.modified}
        if describe:
            item["UserProfileArn"] = p.arn
            if p.settings is not None:
                item["UserSettings"] = p.settings
        return item

    @staticmethod
    def space_item(s: Any, describe: bool = False) -> dict[str, Any]:
        item: dict[str, Any] = {"DomainId": s.domain_id, "SpaceName": s.name,
                                "Status": s.status, "CreationTime": s.created,
                                "LastModifiedTime": s.modified}
        if s.display is not None:
            item["SpaceDisplayName"] = s.display
        owned = {"OwnerUserProfileName": s.owner} if s.owner else None
        if describe:  # a list shows a summary: the settings' members the summary shape has
            more = {"SpaceArn": s.arn, "SpaceSettings": s.settings, "OwnershipSettings": owned}
        else:
            more = {"SpaceSettingsSummary": s.settings and {
                k: s.settings[k] for k in SPACE_SUMMARY if k in s.settings},
                "OwnershipSettingsSummary": owned}
        return {**item, **{k: v for k, v in more.items() if v is not None}}

    @staticmethod
    def app_item(a: Any, describe: bool = False) -> dict[str, Any]:
        item = {"DomainId": a.domain_id,
                "UserProfileName" if a.owner[0] == USER else "SpaceName": a.owner[1],
                "AppType": a.app_type, "AppName": a.name, "Status": a.status,
                "CreationTime": a.created}
        if a.spec is not None:
            item["ResourceSpec"] = a.spec
        if describe:
            item["AppArn"] = a.arn
            if a.failure is not None:
                item["FailureReason"] = a.failure
        return item

    def view(self, domain_id: str) -> dict[str, Any]:
        """What `observe_studio` must find in this domain (None for a missing domain)."""
        domain = self.domains.get(domain_id)
        profiles = self.list_owners(USER, domain_id, None, None, None)
        spaces = self.list_owners(SPACE, domain_id, None, None, None)
        return {"domain": self.domain_item(domain, describe=True) if domain else None,
                "user profiles": [self.profile_item(p) for p in profiles],
                "user profile details": [self.profile_item(p, describe=True) for p in profiles],
                "spaces": [self.space_item(s) for s in spaces],
                "space details": [self.space_item(s, describe=True) for s in spaces],
                "apps": [self.app_item(a) for a in self.list_apps(domain_id, None, None, None)]}
