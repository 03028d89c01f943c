"""Raw HTTP against the server command: whatever a Studio operation receives, the answer is an
AWS-style 400 (never a 500), and a refused request stores nothing."""
from __future__ import annotations

import json

import pytest
import requests

from moto_sagemaker_imgver.studio import StudioStore

pytestmark = pytest.mark.slow  # every test talks to the server command

AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/aws4_request, "
                 "SignedHeaders=host, Signature=x")
BODIES = [b"not json", b"[]", b"{}", b'{"DomainId": 5}', b'{"DomainId": "d-000000000000", '
          b'"UserProfileName": "a", "SpaceName": "b", "AppType": "KernelGateway", '
          b'"AppName": "x", "DomainName": "x", "AuthMode": "IAM", "DefaultUserSettings": '
          b'{"KernelGatewayAppSettings": {"CustomImages": [{"ImageName": "x"}]}}}',
          b'{"DomainId": "d-000000000000", "UserProfileName": "a", "SpaceName": "b", '
          b'"AppType": "KernelGateway", "AppName": "x", "ResourceSpec": '
          b'{"SageMakerImageVersionArn": "None"}, "UserSettings": "x", "SpaceSettings": []}']


def post(url: str, operation: str, body: bytes) -> requests.Response:
    return requests.post(f"{url}/", data=body, timeout=60, headers={
        "Authorization": AUTHORIZATION, "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"SageMaker.{operation}"})


def test_every_studio_operation_answers_bad_input_with_a_400(server_url: str) -> None:
    for operation in sorted(StudioStore.OPERATIONS):
        for body in BODIES:
            response = post(server_url, operation, body)
            if response.status_code == 200:
                # members a list does not know are ignored
                assert operation.startswith("List") and body.startswith(b"{"), (operation, body)
                continue
            assert response.status_code == 400, (operation, body, response.text[:300])
            assert "Traceback" not in response.text
            document = response.json()
            assert document["__type"] in ("SerializationException", "ValidationException",
                                          "ResourceNotFound"), (operation, body, document)
    for operation in ("ListDomains", "ListUserProfiles", "ListSpaces", "ListApps"):
        listed = post(server_url, operation, b"{}").json()
        assert all(value == [] for key, value in listed.items()), listed


@pytest.mark.parametrize("operation", ["CreateDomain", "UpdateDomain"])
def test_a_domain_request_with_an_unreadable_member_is_refused(server_url: str,
                                                               operation: str) -> None:
    body = json.dumps({"DomainId": "d-000000000000", "DomainName": "x", "AuthMode": "IAM",
                       "DefaultUserSettings": {"ExecutionRole": 7}}).encode()
    response = post(server_url, operation, body)
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"
