"""The seed scenario from the spec, end to end under `mock_aws`."""
from support import BASE_IMAGE


def test_move_alias_in_one_update(sm, make_image):
    make_image("my-image")
    sm.create_image_version(ImageName="my-image", BaseImage=BASE_IMAGE, Aliases=["first"])
    sm.update_image_version(ImageName="my-image", Version=1,
                            AliasesToAdd=["second"], AliasesToDelete=["first"])
    aliases = sm.list_aliases(ImageName="my-image", Version=1)["SageMakerImageVersionAliases"]
    assert aliases == ["second"]
    described = sm.describe_image_version(ImageName="my-image", Alias="second")
    assert described["Version"] == 1
