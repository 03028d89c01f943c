"""`moto_server_imgver`: moto's server with SageMaker's image APIs; takes moto_server's options."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import textwrap
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Iterator, Sequence

DESCRIPTION = ("moto's server (moto_server) with moto-sagemaker-imgver installed: it also serves "
               "SageMaker's custom-image APIs (images, image versions, aliases, app image "
               "configs). The options are moto_server's.")
VERSION_HELP = "print the versions of moto-sagemaker-imgver, moto and botocore, and exit"


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> None:
    arguments = list(sys.argv[1:] if argv is None else argv)
    prog = prog or os.path.basename(sys.argv[0])
    ours = argparse.ArgumentParser(add_help=False)
    ours.add_argument("-h", "--help", action="store_true")
    ours.add_argument("--version", action="store_true")
    asked, rest = ours.parse_known_args(arguments)
    if asked.version:
        print(versions())
        return
    sys.argv[0] = prog  # moto's parser names the program after it, in usage and errors
    if asked.help:
        print(help_text())
        return

    from moto.server import main as moto_main

    from .hooks import install
    from .supported import UnsupportedMoto

    try:
        install()
    except UnsupportedMoto as error:
        sys.exit(f"{prog}: {error}")
    list_moto_modules_once()
    with usage_naming_version(prog):
        moto_main(rest)


@contextlib.contextmanager
def usage_naming_version(prog: str) -> Iterator[None]:
    """moto's parser prints its own usage after a bad option; ours also has --version."""
    format_usage = argparse.ArgumentParser.format_usage

    def with_version(self: argparse.ArgumentParser) -> str:
        usage = format_usage(self)
        return usage.replace("[-h]", "[-h] [--version]", 1) if self.prog == prog else usage

    argparse.ArgumentParser.format_usage = with_version  # type: ignore[method-assign]
    try:
        yield
    finally:
        argparse.ArgumentParser.format_usage = format_usage  # type: ignore[method-assign]


def versions() -> str:
    from .._version import __version__

    return f"moto-sagemaker-imgver {__version__} (moto {_installed('moto')}, " \
           f"botocore {_installed('botocore')})"


def help_text() -> str:
    """moto_server's help, with what this server is and the --version option."""
    from moto.server import main as moto_main

    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.suppress(SystemExit):
        moto_main(["--help"])
    usage, _, options = captured.getvalue().rstrip().partition("\n\n")
    usage = usage.replace("[-h]", "[-h] [--version]", 1)
    version_line = textwrap.fill(VERSION_HELP, width=78, initial_indent=f"{'  --version':<24}",
                                 subsequent_indent=" " * 24)
    return f"{usage}\n\n{textwrap.fill(DESCRIPTION, width=78)}\n\n{options}\n{version_line}"


def _installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def list_moto_modules_once() -> None:
    """moto's server lists its own package folder on every request, to route by host; the listing
    cannot change while it runs, so the server command reads it once (halves its CPU per request)."""
    from moto import backends

    if getattr(backends.list_of_moto_modules, "listed_once", False):
        return
    modules = frozenset(backends.list_of_moto_modules())

    def list_of_moto_modules() -> frozenset[str]:
        return modules

    list_of_moto_modules.listed_once = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = list_of_moto_modules



if __name__ == "__main__":
    main()
