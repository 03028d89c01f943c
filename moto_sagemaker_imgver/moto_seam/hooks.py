"""When the package installs itself into moto: at once if moto's SageMaker is loaded, else the
moment moto loads it (an import hook), so importing the package costs next to nothing."""
from __future__ import annotations

import sys
from typing import Any

from .import_hook import run_after_import
from .supported import check_moto_version_once, require_supported_moto


def install() -> None:
    """Make moto's SageMaker serve the image operations now. Safe to call more than once.
    Raises `UnsupportedMoto` (a RuntimeError) with a moto outside the supported range."""
    import moto.sagemaker.models  # noqa: F401  (first, so that no module of ours is half-imported)

    require_supported_moto()  # before our backend, which needs what only a supported moto has
    from .backend import install as install_now

    install_now()


def _install_if_supported() -> None:
    if check_moto_version_once():  # else it has warned, and moto stays as it is
        install()


def _answer_bad_gzip_in_servers() -> None:
    if check_moto_version_once():
        answer_bad_gzip_in_server()


def answer_bad_gzip_in_server() -> None:
    """moto 5.1's server decompresses a body before any handler runs, in a hook of its own, where a
    body that is not gzip is a 500. This makes the hook answer SageMaker requests as we do; the
    hook is read when the server builds the service's app, so the package runs this as soon as
    moto's server module is imported (see `__init__`)."""
    werkzeug_app = sys.modules.get("moto.moto_server.werkzeug_app")
    decompress = getattr(werkzeug_app, "decompress_request_body", None)
    if decompress is None or getattr(decompress, "answers_bad_gzip", False):
        return

    def decompress_or_answer() -> Any:
        from flask import current_app

        from .. import responses
        from ..exceptions import SerializationException

        try:
            decompress()
        except responses.BAD_GZIP:
            if getattr(current_app, "service", None) != "sagemaker":
                raise
            status, headers, body = responses.error_response(SerializationException.bad_gzip())
            return body, status, headers  # a hook's answer ends the request
        return None

    decompress_or_answer.answers_bad_gzip = True  # type: ignore[attr-defined]
    werkzeug_app.decompress_request_body = decompress_or_answer  # type: ignore[union-attr]


def arm(package: str) -> None:
    """Install after each import or reload of moto's SageMaker, once no module of `package` is
    half-imported; patch moto's server module the moment it loads."""
    if "moto" in sys.modules:
        check_moto_version_once()  # the warning points at the import line
    run_after_import("moto.sagemaker.models", _install_if_supported, package)
    run_after_import("moto.moto_server.werkzeug_app", _answer_bad_gzip_in_servers, package)
