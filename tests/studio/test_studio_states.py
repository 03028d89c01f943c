"""Studio statuses through moto's state manager: at once by default, observable when slowed."""
from __future__ import annotations

from typing import Any, Callable

import boto3
import pytest
import requests
from moto.moto_api import state_manager
from moto.sagemaker.models import SageMakerModelBackend

from support import REGION, client_for, error_of
from studio_support import PREFIX, make_domain

MODELS = ("sagemaker::domain", "sagemaker::userprofile", "sagemaker::space", "sagemaker::app")


def test_models_are_registered_immediate() -> None:
    import moto.sagemaker.models  # noqa: F401  (installs the package, also when run alone)

    for model in MODELS:
        assert model in state_manager.get_registered_models()
        assert state_manager.get_transition(model) == {"progression": "immediate"}


def test_domain_pending_updating_deleting(sm: Any, manual: Callable[[str], None]) -> None:
    manual("sagemaker::domain")
    domain_id = make_domain(sm)
    code, _ = error_of(sm.update_domain, status=400, DomainId=domain_id, TagPropagation="ENABLED")
    assert code == "ResourceInUse"  # still Pending
    statuses = [sm.describe_domain(DomainId=domain_id)["Status"] for _ in range(3)]
    assert statuses == ["Pending", "InService", "InService"]
    sm.update_domain(DomainId=domain_id, TagPropagation="ENABLED")
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "Updating"
    code, _ = error_of(sm.update_domain, status=400, DomainId=domain_id, TagPropagation="DISABLED")
    assert code == "ResourceInUse"
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "InService"
    assert sm.list_domains()["Domains"][0]["Status"] == "InService"
    sm.delete_domain(DomainId=domain_id)
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "Deleting"
    assert error_of(sm.describe_domain, status=400, DomainId=domain_id)[0] == "ResourceNotFound"
    assert sm.list_domains()["Domains"] == []


def test_app_pending_then_deleting_then_deleted(sm: Any, manual: Callable[[str], None]) -> None:
    domain_id = make_domain(sm)
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    manual("sagemaker::app")
    app = {"DomainId": domain_id, "UserProfileName": "alice", "AppType": "JupyterServer",
           "AppName": "default"}
    sm.create_app(**app)
    assert [sm.describe_app(**app)["Status"] for _ in range(2)] == ["Pending", "InService"]
    sm.delete_app(**app)
    assert sm.describe_app(**app)["Status"] == "Deleting"
    assert error_of(sm.delete_app, status=400, **app)[0] == "ResourceInUse"
    assert error_of(sm.delete_user_profile, status=400, DomainId=domain_id,
                    UserProfileName="alice")[0] == "ResourceInUse"
    assert sm.describe_app(**app)["Status"] == "Deleted"
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="alice")


def test_user_profile_deleting_then_gone(sm: Any, manual: Callable[[str], None]) -> None:
    domain_id = make_domain(sm)
    manual("sagemaker::userprofile")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert sm.list_user_profiles()["UserProfiles"][0]["Status"] == "Pending"
    code, _ = error_of(sm.update_user_profile, status=400,
                       DomainId=domain_id, UserProfileName="alice", UserSettings={})
    assert code == "ResourceInUse"
    sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert error_of(sm.delete_domain, status=400, DomainId=domain_id)[0] == "ResourceInUse"
    assert sm.describe_user_profile(DomainId=domain_id,
                                    UserProfileName="alice")["Status"] == "Deleting"
    assert error_of(sm.describe_user_profile, status=400, DomainId=domain_id,
                    UserProfileName="alice")[0] == "ResourceNotFound"
    sm.delete_domain(DomainId=domain_id)


@pytest.mark.slow
def test_server_command_answers_and_reset_forgets(server_url: str) -> None:
    client = client_for(server_url)
    domain_id = make_domain(client)
    client.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert client.describe_user_profile(DomainId=domain_id,
                                        UserProfileName="alice")["Status"] == "InService"
    requests.post(f"{server_url}/moto-api/reset", timeout=10).raise_for_status()
    assert error_of(client.describe_domain, status=400, DomainId=domain_id)[0] == "ResourceNotFound"


@pytest.mark.skipif(not hasattr(SageMakerModelBackend, "iter_tagged_resources"),
                    reason="moto < 5.2.2 has no tagging hook")
def test_resource_groups_tagging_api_lists_studio_resources(sm: Any) -> None:
    domain_id = make_domain(sm, Tags=[{"Key": "team", "Value": "ml"}])
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice",
                           Tags=[{"Key": "team", "Value": "ml"}])
    rgta = boto3.client("resourcegroupstaggingapi", region_name=REGION)
    found = {item["ResourceARN"] for item in rgta.get_resources(
        TagFilters=[{"Key": "team", "Values": ["ml"]}])["ResourceTagMappingList"]}
    assert found == {f"{PREFIX}:domain/{domain_id}",
                     f"{PREFIX}:user-profile/{domain_id}/alice"}


# --- a child is created only under a parent that is InService ----------------------------------

def not_in_service(child: str, child_arn: str, parent: str, parent_arn: str) -> tuple[str, str]:
    return ("ResourceInUse", f"Unable to create {child} {child_arn} because {parent} {parent_arn} "
                             "is not in InService state")


def test_nothing_is_created_in_a_domain_pending_or_being_deleted(
        sm: Any, manual: Callable[[str], None]) -> None:
    manual("sagemaker::domain")
    domain_id = make_domain(sm)
    domain_arn = f"{PREFIX}:domain/{domain_id}"
    alice = f"{PREFIX}:user-profile/{domain_id}/alice"
    assert error_of(sm.create_user_profile, status=400,
                    DomainId=domain_id, UserProfileName="alice") == \
        not_in_service("UserProfile", alice, "Domain", domain_arn)  # Pending
    sm.describe_domain(DomainId=domain_id)
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "InService"
    sm.delete_domain(DomainId=domain_id)
    assert error_of(sm.create_user_profile, status=400,
                    DomainId=domain_id, UserProfileName="alice") == \
        not_in_service("UserProfile", alice, "Domain", domain_arn)
    assert error_of(sm.create_space, status=400, DomainId=domain_id, SpaceName="shared") == \
        not_in_service("space", f"{PREFIX}:space/{domain_id}/shared", "Domain", domain_arn)
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "Deleting"
    assert error_of(sm.describe_domain, status=400, DomainId=domain_id)[0] == "ResourceNotFound"
    assert sm.list_user_profiles()["UserProfiles"] == sm.list_spaces()["Spaces"] == []
    assert sm.list_apps()["Apps"] == []


def test_no_app_on_a_user_profile_pending_or_being_deleted(
        sm: Any, manual: Callable[[str], None]) -> None:
    domain_id = make_domain(sm)
    manual("sagemaker::userprofile")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    app = {"DomainId": domain_id, "UserProfileName": "alice", "AppType": "JupyterServer",
           "AppName": "default"}
    refused = not_in_service("app", f"{PREFIX}:app/{domain_id}/alice/jupyterserver/default",
                             "UserProfile", f"{PREFIX}:user-profile/{domain_id}/alice")
    assert error_of(sm.create_app, status=400, **app) == refused  # Pending
    assert error_of(sm.create_space, status=400, DomainId=domain_id, SpaceName="mine",
                    OwnershipSettings={"OwnerUserProfileName": "alice"}) == not_in_service(
        "space", f"{PREFIX}:space/{domain_id}/mine", "UserProfile",
        f"{PREFIX}:user-profile/{domain_id}/alice")
    sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert error_of(sm.create_app, status=400, **app) == refused  # Deleting
    assert sm.describe_user_profile(DomainId=domain_id,
                                    UserProfileName="alice")["Status"] == "Deleting"
    assert error_of(sm.describe_user_profile, status=400, DomainId=domain_id,
                    UserProfileName="alice")[0] == "ResourceNotFound"
    assert sm.list_apps()["Apps"] == sm.list_spaces()["Spaces"] == []
    sm.delete_domain(DomainId=domain_id)  # nothing was left in it


def test_no_app_in_a_space_being_deleted(sm: Any, manual: Callable[[str], None]) -> None:
    domain_id = make_domain(sm)
    manual("sagemaker::space")
    sm.create_space(DomainId=domain_id, SpaceName="shared")
    sm.describe_space(DomainId=domain_id, SpaceName="shared")
    sm.delete_space(DomainId=domain_id, SpaceName="shared")
    app = {"DomainId": domain_id, "SpaceName": "shared", "AppType": "JupyterLab",
           "AppName": "default"}
    assert error_of(sm.create_app, status=400, **app) == not_in_service(  # observed
        "app", f"{PREFIX}:app/{domain_id}/shared/jupyterlab/default", "space",
        f"{PREFIX}:space/{domain_id}/shared")
    assert sm.list_apps()["Apps"] == []


def test_nothing_is_created_in_a_domain_being_deleted_through_the_server(
        sagemaker_imgver_server: str, manual: Callable[[str], None]) -> None:
    sm = client_for(sagemaker_imgver_server)
    domain_id = make_domain(sm)
    manual("sagemaker::domain")
    sm.delete_domain(DomainId=domain_id)
    code, message = error_of(sm.create_user_profile, status=400,
                             DomainId=domain_id, UserProfileName="bob")
    assert (code, message) == not_in_service(
        "UserProfile", f"{PREFIX}:user-profile/{domain_id}/bob", "Domain",
        f"{PREFIX}:domain/{domain_id}")
    assert sm.list_user_profiles()["UserProfiles"] == []
