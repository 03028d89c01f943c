"""Java's Unicode general categories, as code point ranges, for the package.

`\\p{L}` and its kin in SageMaker's patterns mean what Java's tables say (Unicode 13 in JDK 17),
not what Python's or RE2's say. This tool asks a real JVM and writes
`moto_sagemaker_imgver/validation/java_categories.txt`, which the package reads; the package
never needs Java, only re-running this tool does:

    python tools/java_categories.py            # rewrite the file
    python tools/java_categories.py --check    # exit 1 if the file differs from this JDK's answer
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "java_pattern_oracle" / "Categories.java"
TARGET = HERE.parent / "moto_sagemaker_imgver" / "validation" / "java_categories.txt"
NAMES = ("L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp "
         "C Cc Cf Co Cs").split()


def java_answer() -> str:
    javac, java = shutil.which("javac"), shutil.which("java")
    if not javac or not java:
        sys.exit("needs a JDK (javac, java on PATH), e.g. apt-get install default-jdk-headless")
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run([javac, "-d", workdir, str(SOURCE)], check=True)
        version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        lines = subprocess.run([java, "-cp", workdir, "Categories", *NAMES], check=True,
                               capture_output=True, text=True).stdout
    header = f"# java {version.splitlines()[0]}; written by tools/java_categories.py\n"
    return header + lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    answer = java_answer()
    if args.check:
        same = TARGET.exists() and TARGET.read_text() == answer
        print("same as this JDK's answer" if same else f"{TARGET.name} differs from this JDK's answer")
        return 0 if same else 1
    TARGET.write_text(answer)
    print(f"wrote {TARGET} ({len(answer):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
