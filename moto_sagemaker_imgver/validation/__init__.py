"""Checks a request against its input shape in botocore's SageMaker model, as AWS's front end does.

The words, one meaning each:
- `validate_*`: raise AWS's error for an invalid request, in AWS's words.
  `validate_request` also returns the members as the domain wants them (timestamps parsed): the
  image operations call it. `validate_passthrough` returns nothing, for a request handed on to
  moto as it came (validation of every operation): a valid one costs only its generated check.
- `*_is_valid`: a yes or no, no message. `member_is_valid` asks the walker about one member;
  `generated.request_is_valid` asks the generated check about a whole request.
- a *checker* (`walker.checker_for`) walks one shape's value, records every broken rule and
  returns the value parsed; a *predicate* (`generated.predicate_for`) only answers yes or no.

The modules, one job each: `model` (botocore's model, loaded on first use), `rules` (a shape's
rules as data, and reading scalars), `messages` (AWS's wording), `walker` (the checkers),
`generated` (the predicates), and Java's patterns: `java_syntax` (the parser), `deterministic`,
`to_re2`, `counts`, `patterns` (the matchers).
"""
from __future__ import annotations

from typing import Any

from ..exceptions import SerializationException, ValidationException
from .generated import request_is_valid
from .messages import error_message, found_where_not_expected
from .model import SERVICE, model_patterns, operation_model, service_model
from .patterns import compile_pattern
from .walker import checker_for

__all__ = ["validate_request", "validate_passthrough", "member_is_valid", "operation_model",
           "service_model", "model_patterns", "compile_pattern"]


def validate_request(operation: str, body: Any, service: str = "sagemaker") -> dict[str, Any]:
    """Return the request's members (timestamps parsed), or raise AWS's error for it."""
    if not isinstance(body, dict):
        raise SerializationException(
            found_where_not_expected(body) or "The request body must be a JSON object."
        )
    shape = operation_model(operation, service).input_shape
    if shape is None:
        return {}
    errors: list[str] = []
    token = SERVICE.set(service)
    try:
        parsed: dict[str, Any] = checker_for(shape)(body, "", errors)
    except RecursionError:  # a recursive shape (SearchExpression) nested past Python's stack
        raise SerializationException.unreadable_body() from None
    finally:
        SERVICE.reset(token)
    if errors:
        raise ValidationException(error_message(errors))
    return parsed


def validate_passthrough(operation: str, body: Any, service: str = "sagemaker") -> None:
    """Raise AWS's error for an invalid request, as `validate_request` does; a valid one costs
    only the generated check."""
    if not request_is_valid(operation, body, service):
        validate_request(operation, body, service)


def member_is_valid(operation: str, member: str, value: Any) -> bool:
    """Whether one top-level member's value breaks nothing (type or constraint)."""
    errors: list[str] = []
    shape = operation_model(operation).input_shape
    assert shape is not None  # asked of operations with members only
    try:
        checker_for(shape.members[member])(value, member, errors)
    except SerializationException:
        return False
    return not errors
