"""moto's SageMaker backend with the image stores, and `install()`, which makes moto use it.

- `ImageBackend` extends moto's SageMaker backend with the stores, so they live per account and
  region and are rebuilt by moto's reset. Its URL table (`urls.py`) points at `ImageResponse`.
- `install()` makes moto use it, including for backends built before the import and for
  in-process servers that already answered a SageMaker request, and lists the stores'
  resources on moto's dashboard (`dashboard.py`).
"""
from __future__ import annotations

import gc
import importlib
import sys
import warnings
from types import ModuleType
from typing import Any, Iterator

from moto.core.base_backend import backend_lock
from moto.moto_api._internal import mock_random
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends

from ..ecr import read_digests_with
from ..exceptions import ImageApiError
from ..exceptions import ResourceNotFound as ImageResourceNotFound
from ..families import build_stores
from ..store import Store
from ..studio.domains import draw_ids_with
from .dashboard import register_dashboard_models
from .ecr_images import image_digest
from .states import register_state_models

# Set when this module is reloaded: the class that install() put in place before.
_PREVIOUS_CLASS: Any = globals().get("ImageBackend")

LATE_SERVER_FIX = ("import moto_sagemaker_imgver before the server's first SageMaker request, "
                   "or restart the server after importing it")


class ImageBackend(SageMakerModelBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self._init_images()

    def _init_images(self) -> None:
        self.image_stores = build_stores(self.account_id, self.region_name, _partition(self.region_name))

    @property
    def _url_module(self) -> ModuleType:
        # moto derives this from the class's module name, which is not `moto.sagemaker.models`.
        return importlib.import_module("moto_sagemaker_imgver.moto_seam.urls")

    if hasattr(SageMakerModelBackend, "iter_tagged_resources"):
        # moto >= 5.2.2: the Resource Groups Tagging API asks each backend for its resources.

        def iter_tagged_resources(self) -> Iterator[Any]:
            from moto.core.resource_tagging import TaggedResource

            yield from super().iter_tagged_resources()
            for store in self.image_stores:
                for arn, resource_type, tags in store.tagged_resources():
                    yield TaggedResource(arn=arn, tags=tags,
                                         resource_type=f"sagemaker:{resource_type}")

        def tag_resource(self, arn: str, tags: dict[str, str]) -> None:
            store = self._tag_store(arn)
            if store is None:
                return super().tag_resource(arn, tags)
            _as_moto_error(store.add_tags, resource_arn=arn,
                           tags=[{"Key": key, "Value": value} for key, value in tags.items()])

        def untag_resource(self, arn: str, tag_keys: list[str]) -> None:
            store = self._tag_store(arn)
            if store is None:
                return super().untag_resource(arn, tag_keys)
            _as_moto_error(store.delete_tags, resource_arn=arn, tag_keys=tag_keys)

    def _tag_store(self, arn: str) -> Store | None:
        return next((store for store in self.image_stores if store.serves("AddTags", arn)), None)

    def moto_tags(self, arn: str) -> bool:
        """Whether moto's own SageMaker can answer a tag call on the ARN: it fails (a 500) on one
        that names none of its resources."""
        from moto.sagemaker.exceptions import ValidationError

        try:
            return self._get_resource_from_arn(arn) is not None
        except (ValueError, AttributeError):  # no `type/name` in the ARN, or a type moto lacks
            return False
        except ValidationError:
            return True  # moto answers with its own error


def _as_moto_error(operation: Any, **kwargs: Any) -> None:
    """Run a store operation for another moto service, raising its errors as moto's SageMaker does."""
    from moto.sagemaker import exceptions as moto_errors

    try:
        operation(**kwargs)
    except ImageResourceNotFound as error:
        raise moto_errors.ResourceNotFound(error.message) from None
    except ImageApiError as error:
        raise moto_errors.ValidationError(error.message) from None


def _partition(region_name: str) -> str:
    from moto.utilities.utils import get_partition

    return get_partition(region_name)


def install() -> None:
    """Make moto's SageMaker serve the image operations. Safe to call more than once, and after
    a reload of moto's SageMaker models or of this module: what the backends store is kept."""
    models = sys.modules["moto.sagemaker.models"]
    with backend_lock:
        if models.sagemaker_backends is not sagemaker_backends:
            # A reload of moto's module made an empty dict; moto's responses and ours still
            # hold this one, so it stays the one, with everything stored in it.
            setattr(models, "sagemaker_backends", sagemaker_backends)
        rebuild = models.SageMakerModelBackend is not SageMakerModelBackend
        if not rebuild:
            _put_in_place()
    if rebuild:
        # The class must extend moto's new one: reload this module, then run the new install()
        # (names here are looked up in the module, which the reload has refilled).
        importlib.reload(sys.modules[__name__])
        install()
        return
    _forget_cached_server_apps()


def _put_in_place() -> None:
    register_state_models()
    register_dashboard_models()
    read_digests_with(image_digest)
    draw_ids_with(mock_random)
    if sagemaker_backends.backend is ImageBackend:
        return
    sagemaker_backends.backend = ImageBackend
    for account_backends in list(sagemaker_backends.values()):
        account_backends.backend = ImageBackend
        for region in list(account_backends.keys()):
            backend = account_backends[region]
            if not isinstance(backend, ImageBackend):
                # Adds attributes only, so the user's existing moto data is kept; and the
                # stores of a class this replaces (a reload) are kept too.
                backend.__class__ = ImageBackend
                if not hasattr(backend, "image_stores"):
                    backend._init_images()  # type: ignore[attr-defined]


def _forget_cached_server_apps() -> None:
    """An in-process moto server builds its SageMaker app on the first SageMaker request and
    keeps it; drop it, so the next request builds one from our URL table."""
    werkzeug_app = sys.modules.get("moto.moto_server.werkzeug_app")
    dispatcher = getattr(werkzeug_app, "DomainDispatcherApplication", None)
    if dispatcher is None:
        return  # no server in this process
    # The servers are nowhere registered. type() and not isinstance(), which would ask proxies
    # such as flask.request for their class. No lock: this may run while a server holds it,
    # building its SageMaker app (and importing moto's SageMaker, which installs us).
    for found in gc.get_objects():
        if not issubclass(type(found), dispatcher):
            continue
        apps = getattr(found, "app_instances", None)
        if isinstance(apps, dict):
            apps.pop("sagemaker", None)
        else:
            warnings.warn(f"moto-sagemaker-imgver cannot reach a running moto server's apps: "
                          f"{LATE_SERVER_FIX}.", RuntimeWarning, stacklevel=3)


if _PREVIOUS_CLASS is not None and sagemaker_backends.backend is _PREVIOUS_CLASS:
    install()  # this module was reloaded while installed: the new class takes over
