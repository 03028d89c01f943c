"""Build the sdist and the wheel, check them with twine, install the wheel (with its `test` extra)
into this environment and run the project's tests against it, from outside the source tree.

    python tools/check_package.py -n 2      # arguments go to pytest

Run it in an environment where the package is not installed (tox's `package` environment).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, env=env, check=True)


def main(pytest_args: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        dist = Path(scratch) / "dist"
        run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(ROOT))
        built = sorted(str(path) for path in dist.iterdir())
        run(sys.executable, "-m", "twine", "check", "--strict", *built)
        (wheel,) = [path for path in built if path.endswith(".whl")]
        run(sys.executable, "-m", "pip", "install", "--quiet", f"{wheel}[test]")
        # Not from ROOT: the source tree must not be importable; the tests check where the
        # package came from when this variable is set.
        env = {**os.environ, "MOTO_SAGEMAKER_IMGVER_TEST_INSTALLED": "1"}
        outside = Path(scratch) / "run"
        outside.mkdir()
        code = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                               "--rootdir", str(ROOT), str(ROOT / "tests"), *pytest_args],
                              cwd=outside, env=env).returncode
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
