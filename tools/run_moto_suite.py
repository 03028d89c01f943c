"""Run moto's own SageMaker tests against the installed moto, with this extension loaded.

The tests come from the sdist of the installed moto release (PyPI), unpacked into
`.moto-suite/moto-<version>/` (git-ignored, never committed). The extension is loaded by its
pytest plugin, exactly as in a user's test run; one extra test file, outside moto's tests,
fails the run if it is not. Extra arguments go to pytest (e.g. `-n 2`).

A moto test that fails is run again without the extension. The run fails if any test fails only
with the extension, or if the extension did not load. A test that fails without the extension
too is moto's own failure (e.g. an older moto against today's botocore): it is reported, not
counted, and the run's last line names each. A test in KNOWN_DIFFERENCES relies on an answer of
moto's that AWS does not give, which the extension replaces: it is reported with the AWS
behaviour it departs from, not counted.

    python tools/run_moto_suite.py -n 2
    python tools/run_moto_suite.py --validate-all -n 2   # every SageMaker request validated too

With `--validate-all`, a test that fails only with the extension has sent a request AWS rejects
(or found a bug in the validator); pytest's report shows the message of each.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".moto-suite"
SUITE = "test_sagemaker"
CHECK = "test_extension_loaded.py"
PLUGIN = "moto_sagemaker_imgver"  # the name of the pytest11 entry point

PYTEST_INI = """\
[pytest]
markers =
    network: requires network connection
    requires_docker: requires running docker
    aws_verified: Verified against AWS, and should be able to run against AWS
    requires_clean_slate: requires a clean slate, so no parallel testing
filterwarnings =
    ignore::DeprecationWarning
"""

# Proves the pytest plugin loaded the extension into the same run as moto's tests.
EXTENSION_CHECK = '''\
import boto3
from moto import mock_aws
from moto.sagemaker.models import sagemaker_backends


@mock_aws
def test_extension_is_loaded():
    from moto_sagemaker_imgver.moto_seam.backend import ImageBackend

    client = boto3.client("sagemaker", region_name="us-east-1")
    assert client.list_images()["Images"] == []
    assert isinstance(sagemaker_backends["123456789012"]["us-east-1"], ImageBackend)
'''

DOMAINS = "tests/test_sagemaker/test_sagemaker_domains.py::"
_INVENTED_ID = ("moto's DomainId `d-<DomainName>`; AWS answers `d-` and 12 random lower-case "
                "letters and digits")
# moto's tests that rely on moto's non-AWS answers, with the AWS behaviour the extension gives.
KNOWN_DIFFERENCES: dict[str, str] = {
    DOMAINS + "test_create_domain": (
        "expects DomainArn `.../domain/d-testdomain` and Url `testdomain.us-east-2.sagemaker."
        "test.com`: " + _INVENTED_ID + ", and Url `https://<DomainId>.studio.<region>."
        "sagemaker.aws`, with DomainId in CreateDomain's answer"),
    DOMAINS + "test_describe_domain": (
        "describes `d-testdomain` and expects moto's invented HomeEfsFileSystemId, "
        "SingleSignOn ids, SecurityGroupIdForDomainBoundary and FailureReason '': "
        + _INVENTED_ID + "; FailureReason only on failure, SingleSignOn ids only with SSO"),
    DOMAINS + "test_describe_domain_defaults": (
        "describes `d-testdomain` and expects moto's invented fields: " + _INVENTED_ID),
    DOMAINS + "test_list_domains": (
        "expects DomainId `d-testdomain` and Url `testdomain.us-east-2.sagemaker.test.com`: "
        + _INVENTED_ID + ", Url `https://<DomainId>.studio.<region>.sagemaker.aws`"),
    DOMAINS + "test_delete_domain": (
        "deletes `d-testdomain2`, an id AWS never gives (" + _INVENTED_ID
        + "); a missing domain is ResourceNotFound"),
}


def wanted(name: str) -> str | None:
    """The member's path below the sdist's top folder if the suite needs it, else None."""
    parts = PurePosixPath(name).parts
    if len(parts) < 3 or parts[1] != "tests" or ".." in parts:
        return None
    inside = parts[2:]
    if len(inside) == 1 and inside[0].endswith(".py"):  # tests/__init__.py, conftest.py, markers.py
        return "/".join(parts[1:])
    if inside[0] == SUITE:
        return "/".join(parts[1:])
    return None


def unpack(moto_version: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as download:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", f"moto=={moto_version}", "--dest", download],
            check=True,
        )
        (sdist,) = Path(download).glob("moto-*.tar.gz")
        staging = Path(tempfile.mkdtemp(dir=CACHE))
        with tarfile.open(sdist) as archive:
            for member in archive.getmembers():
                relative = wanted(member.name)
                if relative is None or not member.isfile():
                    continue
                destination = staging / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                destination.write_bytes(source.read())
    if not (staging / "tests" / SUITE).is_dir():
        raise SystemExit(f"the moto {moto_version} sdist has no tests/{SUITE}")
    (staging / "pytest.ini").write_text(PYTEST_INI)
    (staging / CHECK).write_text(EXTENSION_CHECK)
    staging.rename(target)  # whole or not at all, so an interrupted run is not reused


def last_failed(target: Path) -> set[str]:
    path = target / ".cache" / "v" / "cache" / "lastfailed"
    return set(json.loads(path.read_text())) if path.is_file() else set()


def verdict(moto_version: str, ours: Iterable[str], moto_own: Iterable[str],
            known: Iterable[str] = ()) -> str:
    """The run's last line, so that pytest's "1 failed" above it is never the verdict."""
    ours, moto_own, known = sorted(ours), sorted(moto_own), sorted(known)
    line = (f"moto {moto_version}: {len(ours)} test(s) fail only with the extension"
            f"{': ' + ', '.join(ours) if ours else ''}; {len(moto_own)} fail with and without it "
            f"alike (moto's own): {', '.join(moto_own) or 'none'}")
    if known:
        line += (f"; {len(known)} known difference(s), where moto answers as AWS does not: "
                 + ", ".join(known))
    return line


def main(pytest_args: list[str]) -> int:
    # The plugin's option: only for the run with the extension (the other run disables it).
    validate = ["--sagemaker-validate=all"] if "--validate-all" in pytest_args else []
    pytest_args = [arg for arg in pytest_args if arg != "--validate-all"]
    moto_version = version("moto")
    CACHE.mkdir(exist_ok=True)
    target = CACHE / f"moto-{moto_version}"
    if not (target / "pytest.ini").is_file():
        shutil.rmtree(target, ignore_errors=True)
        unpack(moto_version, target)
    shutil.rmtree(target / ".cache", ignore_errors=True)
    pytest = [sys.executable, "-m", "pytest", "-c", "pytest.ini", "--rootdir", ".",
              "-o", "cache_dir=.cache"]
    print(f"moto {moto_version}: running tests/{SUITE} from its sdist in {target}", flush=True)
    code = subprocess.run([*pytest, *validate, CHECK, f"tests/{SUITE}", *pytest_args],
                          cwd=target).returncode
    if code != 1:  # 0: all passed; anything else is not a plain test failure
        return code
    failed = last_failed(target)
    if any(test.startswith(CHECK) for test in failed):
        print("the extension was not loaded by its pytest plugin", flush=True)
        return 1
    print(f"{len(failed)} failed; running them again without the extension", flush=True)
    subprocess.run([*pytest, "-p", f"no:{PLUGIN}", "--last-failed", "--last-failed-no-failures",
                    "none", f"tests/{SUITE}", *pytest_args], cwd=target)
    moto_own = failed & last_failed(target)
    known = sorted((failed - moto_own) & KNOWN_DIFFERENCES.keys())
    ours = sorted(failed - moto_own - set(known))
    for test in sorted(moto_own):
        print(f"fails without the extension too (moto's own failure): {test}")
    for test in known:
        print(f"known difference: {test}: {KNOWN_DIFFERENCES[test]}")
    for test in ours:
        print(f"FAILS ONLY WITH THE EXTENSION: {test}")
    print(verdict(moto_version, ours, moto_own, known), flush=True)
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
