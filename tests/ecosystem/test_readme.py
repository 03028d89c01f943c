"""Every Python snippet in README.md and in docs/*.md runs as written, each in a fresh interpreter
without AWS credentials in the environment (a snippet with a test function runs under pytest).
The README stays a user's guide, its links lead somewhere, and its install line names the
project's own repository."""
from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))


def snippets(text: str, language: str = "python") -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


SNIPPETS = [("README.md", n + 1, snippet) for n, snippet in enumerate(snippets(README))] + [
    (f"docs/{path.name}", n + 1, snippet)
    for path in DOCS for n, snippet in enumerate(snippets(path.read_text()))]


def without_credentials() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("AWS_", "PYTEST_", "MOTO_"))}
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return environment


def test_the_readme_and_the_docs_have_snippets():
    assert len(snippets(README)) >= 6
    assert len(SNIPPETS) - len(snippets(README)) >= 5


@pytest.mark.slow  # a fresh interpreter per snippet
@pytest.mark.parametrize("source, number, snippet", SNIPPETS,
                         ids=[f"{source}:snippet{number}" for source, number, _ in SNIPPETS])
def test_a_snippet_runs_as_written(source, number, snippet, tmp_path):
    if "def test_" in snippet:
        (tmp_path / "test_snippet.py").write_text(snippet)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                   "test_snippet.py"]
    else:
        command = [sys.executable, "-c", snippet]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          env=without_credentials())
    assert done.returncode == 0, f"{source}, snippet {number}:\n" + snippet + done.stdout + done.stderr


def test_the_readme_is_a_users_guide():
    assert len(README.splitlines()) < 300


def test_the_readme_opens_with_the_two_set_up_commands():
    commands = [snippet.strip() for snippet in snippets(README, "sh")[:2]]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . "
        "&& moto_server_imgver -H 127.0.0.1 -p 5000",
        "python3 -m venv .venv && . .venv/bin/activate && pip install tox tox-uv && tox p",
    ]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci  # CI runs what the README says it runs


@pytest.mark.parametrize("path", [ROOT / "README.md", *DOCS], ids=lambda path: path.name)
def test_local_links_lead_to_files(path):
    text = re.sub(r"^```.*?^```|`[^`\n]*`", "", path.read_text(), flags=re.S | re.M)
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (path.parent / target).exists(), f"{path.name} links to {target}"


def test_every_threaded_server_binds_localhost():
    for path in [ROOT / "README.md", *DOCS]:
        for call in re.findall(r"ThreadedMotoServer\(([^)]*)\)", path.read_text()):
            assert 'ip_address="127.0.0.1"' in call, f"{path.name}: ThreadedMotoServer({call})"


def test_the_install_line_names_the_projects_repository():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    urls = dict(line.split(" = ", 1) for line in
                setup["metadata"]["project_urls"].strip().splitlines())
    source = urls["Source"]
    assert setup["metadata"]["url"] == source
    assert set(urls) >= {"Source", "Issues", "Changelog"}
    installs = re.findall(r'pip install "moto-sagemaker-imgver @ git\+(\S+?)(?:\.git)?"', README)
    assert installs and all(url == source for url in installs)
    assert "<owner>" not in README
