"""Whether a request is valid, answered fast: one generated Python function per container shape.

Used for the requests handed on to moto's own operations (validation of every operation): moto
takes such a request as it came, so a valid one needs no message, no paths and no parsed copy. A
function written for the operation's input shape answers yes or no, with the shape's rules
inlined (`isinstance(x, str) and len(x) <= 63 and c0(x) is not None`); only a request it says no
to goes to the walker, which finds what to say. Both read the same rules (`rules.py`), and a
property test holds them to the same answer.

The functions are built as syntax trees from one template per rule kind, with no source text, and
compiled once per shape; `generated_source(operation)` prints an operation's as Python.
"""
from __future__ import annotations

import ast
import itertools
import threading
from typing import Any, Callable, Optional

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..exceptions import SerializationException
from .model import SERVICE, ShapeKey, of_service, operation_model, shape_key, shapes_within
from .rules import EXACT_TYPES, SCALARS, Kind, Rule, converter, range_rules, scalar_rules

Predicate = Callable[[Any], bool]
CONTAINERS = ("structure", "list", "map")

_predicates: dict[ShapeKey, Predicate] = {}
_lock = threading.Lock()


def request_is_valid(operation: str, body: Any, service: str = "sagemaker") -> bool:
    """True when the walker (`validate_request`) would accept the body; False when it would raise."""
    if not isinstance(body, dict):
        return False
    shape = operation_model(operation, service).input_shape
    token = SERVICE.set(service)
    try:
        return shape is None or predicate_for(shape)(body)
    except RecursionError:
        return False  # the walker answers it
    finally:
        SERVICE.reset(token)


def predicate_for(shape: Shape) -> Predicate:
    """The generated check of a structure, list or map shape, written on first use."""
    predicate = _predicates.get(shape_key(shape))
    if predicate is None:
        with _lock:
            _write(shape)
        predicate = _predicates[shape_key(shape)]
    return predicate


def generated_source(operation: str, service: str = "sagemaker") -> str:
    """The checks of the operation's input shape as Python source, for reading: every container
    shape it reaches, and what each constant `cN` stands for."""
    shape = operation_model(operation, service).input_shape
    if shape is None:
        return "# no input shape: every body that is a JSON object is valid\n"
    writer = _Writer(written={})
    with of_service(service):
        source = ast.unparse(writer.module(writer.plan(shape)))
    constants = "".join(f"# {name}: {about}\n" for name, about in writer.about.items())
    return f"{source}\n\n{constants}"


def _write(root: Shape) -> None:
    """Write the functions of the root and of every container shape it reaches, still unwritten,
    into one namespace; recursive shapes call each other by name, and functions written earlier
    are called as constants."""
    writer = _Writer(written=_predicates)
    unwritten = writer.plan(root)
    code = compile(writer.module(unwritten), f"<checks of {root.name}>", "exec")
    exec(code, writer.namespace)  # noqa: S102  (a tree built below, never text)
    for shape in unwritten:
        _predicates[shape_key(shape)] = writer.namespace[writer.name_of[shape_key(shape)]]


# --- syntax trees --------------------------------------------------------------------------------

def _name(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _call(function: str, *args: ast.expr) -> ast.Call:
    return ast.Call(_name(function), list(args), [])


def _compare(left: ast.expr, op: ast.cmpop, right: ast.expr) -> ast.Compare:
    return ast.Compare(left, [op], [right])


def _is_none(var: str) -> ast.Compare:
    return _compare(_name(var), ast.Is(), ast.Constant(None))


def _all(tests: list[ast.expr]) -> Optional[ast.expr]:
    """`a and b and ...`; None when there is nothing to test (always true)."""
    if not tests:
        return None
    return tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)


def _false_if(test: ast.expr) -> ast.If:
    return ast.If(test, [ast.Return(ast.Constant(False))], [])


def _not(test: ast.expr) -> ast.UnaryOp:
    return ast.UnaryOp(ast.Not(), test)


# One template per rule kind: the test of value `v` against the rule's constant `c`, as `rules.py`
# runs it for the walker.
_TEMPLATES: dict[Kind, Callable[[ast.expr, ast.expr], ast.expr]] = {
    Kind.LENGTH_AT_MOST: lambda v, c: _compare(_call("len", v), ast.LtE(), c),
    Kind.LENGTH_AT_LEAST: lambda v, c: _compare(_call("len", v), ast.GtE(), c),
    Kind.VALUE_AT_MOST: lambda v, c: _compare(v, ast.LtE(), c),
    Kind.VALUE_AT_LEAST: lambda v, c: _compare(v, ast.GtE(), c),
    Kind.PATTERN: lambda v, c: _compare(ast.Call(c, [v], []), ast.IsNot(), ast.Constant(None)),
    Kind.ENUM: lambda v, c: _compare(v, ast.In(), c),
}
# Python 3.12 added type parameters to functions.
_NO_TYPE_PARAMS: dict[str, Any] = ({"type_params": []} if "type_params" in ast.FunctionDef._fields
                                   else {})


class _Writer:
    """Builds the trees of the checks; constants (patterns, enums, bounds, functions written
    earlier) go into the namespace the code runs in, with a note of what each is in `about`."""

    def __init__(self, written: dict[ShapeKey, Predicate]) -> None:
        self.namespace: dict[str, Any] = {}
        self.about: dict[str, str] = {}
        self.name_of: dict[ShapeKey, str] = {}
        self._written = written
        self._names = itertools.count()

    def constant(self, value: Any, about: str) -> str:
        name = f"c{next(self._names)}"
        self.namespace[name] = value
        self.about[name] = about
        return name

    def plan(self, root: Shape) -> list[Shape]:
        """Name every container shape the root reaches; those still unwritten, to write."""
        unwritten: list[Shape] = []
        for shape in shapes_within(root):
            key = shape_key(shape)
            if key in self._written:
                self.name_of[key] = self.constant(self._written[key], f"the check of {shape.name}")
            elif shape.type_name in CONTAINERS:
                name = shape.name if shape.name.isidentifier() else str(len(unwritten))
                self.name_of[key] = f"check_{name}"
                unwritten.append(shape)
        return unwritten

    def module(self, shapes: list[Shape]) -> ast.Module:
        return ast.fix_missing_locations(ast.Module([self.function(s) for s in shapes], []))

    def function(self, shape: Shape) -> ast.FunctionDef:
        kind = shape.type_name
        body: list[ast.stmt] = [
            _false_if(_not(_call("isinstance", _name("v"),
                                 _name("list" if kind == "list" else "dict"))))]
        if kind != "structure":
            own = self._rules_hold(range_rules(shape, "length"), "v")
            if own is not None:
                body.append(_false_if(_not(own)))
        if isinstance(shape, StructureShape):
            required = set(shape.required_members)
            for name, member in shape.members.items():
                holds = self.holds(member, "x")
                get = ast.Call(ast.Attribute(_name("v"), "get", ast.Load()),
                               [ast.Constant(name)], [])
                body.append(ast.Assign([ast.Name("x", ast.Store())], get))
                if name in required:
                    body.append(_false_if(_is_none("x")))
                    if holds is not None:
                        body.append(_false_if(_not(holds)))
                elif holds is not None:
                    not_none = _compare(_name("x"), ast.IsNot(), ast.Constant(None))
                    body.append(_false_if(ast.BoolOp(ast.And(), [not_none, _not(holds)])))
        elif isinstance(shape, ListShape):
            body.append(ast.For(ast.Name("x", ast.Store()), _name("v"),
                                [self._item_check(shape.member, "x")], []))
        elif isinstance(shape, MapShape):
            items = ast.Call(ast.Attribute(_name("v"), "items", ast.Load()), [], [])
            target = ast.Tuple([ast.Name("k", ast.Store()), ast.Name("x", ast.Store())],
                               ast.Store())
            loop: list[ast.stmt] = []
            key_holds = self.holds(shape.key, "k")
            if key_holds is not None:
                loop.append(_false_if(_not(key_holds)))
            loop.append(self._item_check(shape.value, "x"))
            body.append(ast.For(target, items, loop, []))
        body.append(ast.Return(ast.Constant(True)))
        arguments = ast.arguments(posonlyargs=[], args=[ast.arg("v")], kwonlyargs=[],
                                  kw_defaults=[], defaults=[])
        return ast.FunctionDef(self.name_of[shape_key(shape)], arguments, body, [],
                               **_NO_TYPE_PARAMS)

    def _item_check(self, shape: Shape, var: str) -> ast.If:
        """`if x is None or not (<holds>): return False`: a null item is never valid."""
        holds = self.holds(shape, var)
        if holds is None:
            return _false_if(_is_none(var))
        return _false_if(ast.BoolOp(ast.Or(), [_is_none(var), _not(holds)]))

    def holds(self, shape: Shape, var: str) -> Optional[ast.expr]:
        """A test true when the value in `var` (not None) passes the walker's checks; None when
        every value does."""
        kind = shape.type_name
        if kind in CONTAINERS:
            return _call(self.name_of[shape_key(shape)], _name(var))
        if kind not in SCALARS:
            return None  # documents: taken as given, as the walker does
        rules = scalar_rules(shape)
        exact = EXACT_TYPES.get(kind)
        if exact is not None:
            is_exact = _call("isinstance", _name(var), _name(exact.__name__))
            return _all([is_exact, *self._rule_tests(rules, var)])
        about = f"{kind} {shape.name}, converted, then: " + "; ".join(r.text for r in rules)
        return _call(self.constant(_converted_check(shape), about), _name(var))

    def _rules_hold(self, rules: list[Rule], var: str) -> Optional[ast.expr]:
        return _all(self._rule_tests(rules, var))

    def _rule_tests(self, rules: list[Rule], var: str) -> list[ast.expr]:
        # A length of at least 0 or less always holds; the walker keeps the rule for its messages.
        return [_TEMPLATES[rule.kind](_name(var), self._literal(rule))
                for rule in rules if not (rule.kind is Kind.LENGTH_AT_LEAST and rule.constant <= 0)]

    def _literal(self, rule: Rule) -> ast.expr:
        # A number is written as itself: a constant is read faster than a name.
        if type(rule.constant) is int:
            return ast.Constant(rule.constant)
        return _name(self.constant(rule.constant, rule.text))


def _converted_check(shape: Shape) -> Predicate:
    """For scalars the walker converts first (numbers, timestamps): convertible, then the rules."""
    convert, rules = converter(shape), scalar_rules(shape)

    def check(value: Any) -> bool:
        try:
            converted = convert(value)
        except SerializationException:
            return False
        return all(rule.keeps(converted) for rule in rules)

    return check
