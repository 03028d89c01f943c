"""UpdateImage's own messages name members as the API does (`DisplayName`, not `display_name`)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import ROLE_ARN


@pytest.mark.parametrize("set_too, deleted, named", [
    ({"DisplayName": "New"}, ["DisplayName"], "DisplayName"),
    ({"Description": "New"}, ["Description", "DisplayName"], "Description"),
    ({"Description": "New", "DisplayName": "New"}, ["DisplayName", "Description"],
     "Description, DisplayName"),
])
def test_update_image_names_properties_set_and_deleted_as_the_api_does(sm, set_too, deleted, named):
    sm.create_image(ImageName="img", RoleArn=ROLE_ARN, DisplayName="Old", Description="Old")
    with pytest.raises(ClientError) as raised:
        sm.update_image(ImageName="img", DeleteProperties=deleted, **set_too)
    assert raised.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": f"Property {named} cannot be both updated and deleted.",
    }
    described = sm.describe_image(ImageName="img")
    assert (described["DisplayName"], described["Description"]) == ("Old", "Old")
