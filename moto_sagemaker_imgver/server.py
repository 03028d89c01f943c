"""`moto_server` with the image operations installed; takes moto_server's options."""
from __future__ import annotations

from typing import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    from . import install
    from .registration import answer_bad_gzip_in_server, list_moto_modules_once
    from moto.server import main as moto_main

    install()
    answer_bad_gzip_in_server()
    list_moto_modules_once()
    moto_main(list(argv) if argv is not None else None)


if __name__ == "__main__":
    main()
