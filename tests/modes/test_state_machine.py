"""Every call sequence held to a plain reference model (tests/support/reference_model.py): images,
versions, aliases, app image configs, tags and NextToken walks interleaved with changes, all
through boto3 under `mock_aws`. Each answer is compared with the model's; a refused request must
carry the model's code and leave everything it named as it was. The rules are the image machine's
(tests/support/image_machine.py).

CI runs a bounded, derandomized number of steps (STATE_MACHINE_CI_EXAMPLES, default 20, of 30
steps). A long run, random, of up to 50 steps per example (NO_SHRINK=1 skips shrinking):
`STATE_MACHINE_EXAMPLES=500 python -m pytest tests/modes/test_state_machine.py -s -k reference_model`."""
from __future__ import annotations

import pytest

from support import ROLE_ARN
from support.image_machine import ImageApis, run_machine

pytestmark = pytest.mark.slow  # a state-machine test


def test_every_call_sequence_agrees_with_the_reference_model() -> None:
    run_machine(ImageApis, ci_examples=20)


# The two-call move between two pages of a walk: the alias is listed once (it was listed twice).
def test_an_alias_moved_during_a_list_aliases_walk_is_listed_once(sm) -> None:
    sm.create_image(ImageName="walked", RoleArn=ROLE_ARN)
    sm.create_image_version(ImageName="walked", BaseImage="python:3.11", Aliases=["prod"])
    sm.create_image_version(ImageName="walked", BaseImage="python:3.12", Aliases=["beta"])
    page = sm.list_aliases(ImageName="walked", MaxResults=1)
    listed = page["SageMakerImageVersionAliases"]  # ["prod"]
    sm.update_image_version(ImageName="walked", Version=1, AliasesToDelete=["prod"])
    sm.update_image_version(ImageName="walked", Version=2, AliasesToAdd=["prod"])
    while page.get("NextToken"):
        page = sm.list_aliases(ImageName="walked", MaxResults=1, NextToken=page["NextToken"])
        listed += page["SageMakerImageVersionAliases"]
    assert sorted(listed) == ["beta", "prod"]  # today: ["prod", "beta", "prod"]
