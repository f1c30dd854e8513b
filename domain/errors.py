"""Pydantic validation errors as problems by code: the field, the rule broken and its limits (domain.catalogue's
validation section says them in Norwegian).

Our own validators (domain/text.py, domain/models.py) raise `PydanticCustomError("validation.<code>", ...)`, so
their error type is the code and their context its parameters. Pydantic's own error types are mapped below; one
this table does not know keeps pydantic's English as `validation.rule`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from domain.refusals import Param, Problem

WHOLE = "innholdet"  # the field of an error about the input as a whole (not an object, say)

Known = Callable[[str, Mapping[str, Any]], Problem]


def _integer(field: str, ctx: Mapping[str, Any]) -> Problem:
    return Problem("validation.not_integer", {"field": field})


def _number(field: str, ctx: Mapping[str, Any]) -> Problem:
    return Problem("validation.not_number", {"field": field})


def _boolean(field: str, ctx: Mapping[str, Any]) -> Problem:
    return Problem("validation.not_boolean", {"field": field})


def _time(field: str, ctx: Mapping[str, Any]) -> Problem:
    return Problem("validation.not_time", {"field": field})


def _object(field: str, ctx: Mapping[str, Any]) -> Problem:
    return Problem("validation.not_object", {"field": field})


def _choice(field: str, ctx: Mapping[str, Any]) -> Problem:
    """One of a fixed set (an enum, a literal); pydantic's "'a', 'b' or 'c'" without its English "or"."""
    return Problem("validation.not_choice", {"field": field, "expected": str(ctx["expected"]).replace(" or ", ", ")})


_PYDANTIC: dict[str, Known] = {
    "missing": lambda field, ctx: Problem("validation.missing", {"field": field}),
    "extra_forbidden": lambda field, ctx: Problem("validation.extra_forbidden", {"field": field}),
    "string_too_short": lambda f, ctx: Problem(
        "validation.string_too_short", {"field": f, "min_length": ctx["min_length"]}
    ),
    "string_too_long": lambda f, ctx: Problem(
        "validation.string_too_long", {"field": f, "max_length": ctx["max_length"]}
    ),
    "string_pattern_mismatch": lambda f, ctx: Problem(
        "validation.pattern_mismatch", {"field": f, "pattern": ctx["pattern"]}
    ),
    "string_type": lambda field, ctx: Problem("validation.not_text", {"field": field}),
    "too_short": lambda f, ctx: Problem(
        "validation.too_short", {"field": f, "min_length": ctx["min_length"], "actual_length": ctx["actual_length"]}
    ),
    "too_long": lambda f, ctx: Problem(
        "validation.too_long", {"field": f, "max_length": ctx["max_length"], "actual_length": ctx["actual_length"]}
    ),
    "list_type": lambda field, ctx: Problem("validation.not_list", {"field": field}),
    "greater_than": lambda field, ctx: Problem("validation.greater_than", {"field": field, "gt": ctx["gt"]}),
    "greater_than_equal": lambda field, ctx: Problem(
        "validation.greater_than_equal", {"field": field, "ge": ctx["ge"]}
    ),
    "less_than": lambda field, ctx: Problem("validation.less_than", {"field": field, "lt": ctx["lt"]}),
    "less_than_equal": lambda field, ctx: Problem("validation.less_than_equal", {"field": field, "le": ctx["le"]}),
    "int_parsing": _integer,
    "int_type": _integer,
    "int_from_float": _integer,
    "float_parsing": _number,
    "float_type": _number,
    "finite_number": _number,
    "bool_parsing": _boolean,
    "bool_type": _boolean,
    "datetime_parsing": _time,
    "datetime_type": _time,
    "datetime_from_date_parsing": _time,
    "datetime_object_invalid": _time,
    "timezone_aware": lambda field, ctx: Problem("validation.timezone_aware", {"field": field}),
    "enum": _choice,
    "literal_error": _choice,
    "model_type": _object,
    "model_attributes_type": _object,
    "dict_type": _object,
}


def problems(error: ValidationError) -> list[Problem]:
    """Each broken rule as a problem: its code, the field (a path such as `gatherings.0.days`) and its limits."""
    return [_problem(item) for item in error.errors()]


def describe(error: ValidationError) -> list[str]:
    """Each broken rule as the Norwegian sentence a person reads, `felt: regel`."""
    return [problem.text() for problem in problems(error)]


def _problem(item: ErrorDetails) -> Problem:
    field = ".".join(str(part) for part in item["loc"]) or WHOLE
    ctx: Mapping[str, Any] = item.get("ctx") or {}
    if item["type"].startswith("validation."):  # ours: the type is the code, the context its parameters
        params: dict[str, Param] = {"field": field, **ctx}
        return Problem(item["type"], params)
    known = _PYDANTIC.get(item["type"])
    if known is not None:
        return known(field, ctx)
    return Problem("validation.rule", {"field": field, "rule": item["msg"].removeprefix("Value error, ")})
