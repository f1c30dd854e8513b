"""A refusal: the rules say no, as stable codes with their parameters. The words are the catalogue's.

A rule raises `Refusal("requirement.not_awaiting", number=2, status="approved")`, or one refusal for several broken
rules at once (`Refusal.of([...])`). Across Temporal it travels as an ApplicationError whose type is the first code
and whose details are the problems (runtime.codec), so the gateway, the API, the command line and the pages each
get the codes and parameters back and say them through one catalogue (domain.catalogue) in Norwegian.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.catalogue import say

Param = str | int | float | None


@dataclass(frozen=True)
class Problem:
    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def text(self) -> str:
        return say(self.code, self.params)

    def dump(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Problem:
        return cls(str(data["code"]), dict(data.get("params") or {}))


class Refusal(ValueError):
    """One or more rules refuse an action; `str()` is the Norwegian sentence a person reads."""

    def __init__(self, code: str, **params: Param) -> None:
        self.problems: tuple[Problem, ...] = (Problem(code, params),)
        super().__init__(self.text())

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> Refusal:
        listed = tuple(problems)
        if not listed:
            raise ValueError("a refusal names at least one problem")
        refusal = cls(listed[0].code, **listed[0].params)
        refusal.problems = listed
        refusal.args = (refusal.text(),)
        return refusal

    @property
    def code(self) -> str:
        return self.problems[0].code

    def text(self) -> str:
        return "; ".join(problem.text() for problem in self.problems)

    def dump(self) -> list[dict[str, Any]]:
        return [problem.dump() for problem in self.problems]
