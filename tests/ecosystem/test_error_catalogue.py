"""docs/errors.md lists every error the package answers, and nothing it no longer answers.

The package's source is read, not imported: the exception classes are the classes that set a
string `code`, wherever they live, and a message is the text given to one of them where it is
built (a literal, an f-string, or what a name or a helper function of the package holds). Each
message becomes a pattern (`.+?` for what is filled in) that a row of the catalogue must match,
with the row's code."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "moto_sagemaker_imgver"
CATALOGUE = ROOT / "docs" / "errors.md"
SOURCES = ("observed", "[chosen]")


def parsed_modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = parsed_modules()


def exception_codes() -> dict[str, str]:
    """Class name -> code, for every class of the package that sets a string `code`."""
    codes = {}
    for tree in MODULES.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)
                        and statement.targets[0].id == "code"
                        and isinstance(statement.value, ast.Constant)
                        and isinstance(statement.value.value, str)):
                    codes[node.name] = statement.value.value
    return codes


CODES = exception_codes()


def base_classes() -> set[str]:
    """The error classes other error classes derive from (never answered as such)."""
    bases = set()
    for tree in MODULES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in CODES:
                bases.update(base.id for base in node.bases
                             if isinstance(base, ast.Name) and base.id in CODES)
    return bases


def functions() -> dict[str, list[ast.FunctionDef]]:
    found: dict[str, list[ast.FunctionDef]] = {}
    for tree in MODULES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                found.setdefault(node.name, []).append(node)
    return found


FUNCTIONS = functions()


def pattern(node: ast.AST) -> str | None:
    """The regular expression of one string expression; None when it is no string at all."""
    if isinstance(node, ast.Constant):
        return re.escape(node.value) if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+?"
                       for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = pattern(node.left), pattern(node.right)
        if left is None and right is None:
            return None
        return (left or ".*") + (right or ".*")
    return None


def messages(node: ast.AST, scope: ast.AST | None, seen: frozenset = frozenset()) -> list[str]:
    """The patterns of every message the expression can hold."""
    own = pattern(node)
    if own is not None:
        return [own]
    if isinstance(node, ast.BoolOp):
        return [found for value in node.values for found in messages(value, scope, seen)]
    if isinstance(node, ast.IfExp):
        return messages(node.body, scope, seen) + messages(node.orelse, scope, seen)
    if isinstance(node, ast.Name) and scope is not None:
        return [found for assign in ast.walk(scope) if isinstance(assign, ast.Assign)
                if any(isinstance(target, ast.Name) and target.id == node.id
                       for target in assign.targets)
                for found in messages(assign.value, scope, seen)]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in FUNCTIONS and node.func.id not in seen):
        return [found for function in FUNCTIONS[node.func.id] for ret in ast.walk(function)
                if isinstance(ret, ast.Return) and ret.value is not None
                for found in messages(ret.value, function, seen | {node.func.id})]
    return []


def raised() -> list[tuple[str, str, str]]:
    """(code, message pattern, where) of every error the package builds."""
    found = []
    for path, tree in MODULES.items():
        aliases = {alias.asname: alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) for alias in node.names
                   if alias.asname and alias.name in CODES}

        def visit(node: ast.AST, cls: str | None, function: ast.AST | None) -> None:
            if isinstance(node, ast.ClassDef):
                cls = node.name if node.name in CODES else None
            if isinstance(node, ast.FunctionDef):
                function = node
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = aliases.get(node.func.id, node.func.id)
                if name == "cls" and cls is not None:
                    name = cls
                if name in CODES:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    assert node.args, f"{where}: an error without a message"
                    texts = messages(node.args[0], function)
                    assert texts, f"{where}: a message this test cannot read; give it a literal"
                    found.extend((CODES[name], text, where) for text in texts)
            for child in ast.iter_child_nodes(node):
                visit(child, cls, function)

        visit(tree, None, None)
    return found


RAISED = raised()


def catalogue_rows() -> list[tuple[str, str, str, str]]:
    """(code, message, when, source) of every row whose first cell is a code."""
    rows = []
    for line in CATALOGUE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and re.fullmatch(r"`\w+`", cells[0]):
            message = re.fullmatch(r"`(.*)`", cells[1])
            assert message, f"the message of a row is one code span: {line}"
            rows.append((cells[0].strip("`"), message.group(1), cells[2], cells[3]))
    return rows


ROWS = catalogue_rows()


def matches(text_pattern: str, message: str) -> bool:
    return re.fullmatch(text_pattern, message, flags=re.S) is not None


def test_the_source_is_read():
    assert len(MODULES) > 10
    assert {"ValidationException", "SerializationException", "ResourceNotFound",
            "ResourceInUse"} <= set(CODES.values())
    assert len(RAISED) >= 30
    assert len(ROWS) >= 30


def test_every_error_class_answered_has_its_code_in_the_catalogue():
    listed = {code for code, *_ in ROWS}
    answered = {code for code, _, _ in RAISED}
    for name, code in CODES.items():
        if name in base_classes():
            assert code not in answered, f"the base class {name} is raised as such"
        else:
            assert code in answered, f"{name} ({code}) is never raised: drop it or list it"
            assert code in listed, f"{code} is missing from docs/errors.md"
    assert listed <= answered, f"codes listed that nothing answers: {listed - answered}"


@pytest.mark.parametrize("code, text, where", RAISED, ids=[where for *_, where in RAISED])
def test_every_message_raised_is_in_the_catalogue(code, text, where):
    assert any(row_code == code and matches(text, message) for row_code, message, *_ in ROWS), (
        f"{where}: {code} /{text}/ has no row in docs/errors.md")


@pytest.mark.parametrize("code, message, when, source", ROWS,
                         ids=[f"{code}: {message[:50]}" for code, message, *_ in ROWS])
def test_every_row_is_still_raised_and_says_where_it_comes_from(code, message, when, source):
    assert any(raised_code == code and matches(text, message) for raised_code, text, _ in RAISED), (
        f"{code} `{message}` is raised nowhere in the package any more")
    assert when, "a row says when"
    assert source.startswith(SOURCES) or source.startswith("code observed") or \
        source.startswith("`[chosen]`"), f"say observed or [chosen]: {source}"
