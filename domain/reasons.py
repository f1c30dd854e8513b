"""A reason: why a member may not sit the exam, why a group has no exam, why a participation ended. Like a refusal
it is a stable code with parameters, kept in the workflows' state; `str()` says it in Norwegian from the catalogue
(domain/catalogue/reasons.py). A reason stored as English text by an older version is mapped when it is read."""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from domain.catalogue import say
from domain.catalogue.reasons import old_reason
from domain.models import Strict


class Reason(Strict):
    code: str
    params: dict[str, str | int] = {}

    @model_validator(mode="before")
    @classmethod
    def _old_text(cls, data: Any) -> Any:
        """Old state held the reason as English text (domain/catalogue/reasons.py, OLD_TEXTS)."""
        if isinstance(data, str):
            code, params = old_reason(data)
            return {"code": code, "params": params}
        return data

    def text(self) -> str:
        return say(self.code, self.params)

    def __str__(self) -> str:
        return self.text()


def reason(code: str, **params: str | int) -> Reason:
    return Reason(code=code, params=params)
