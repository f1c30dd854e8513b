"""The web app's own refusals as HTTP errors: a code from the catalogue (domain/catalogue/web.py), said in
Norwegian as `detail`, its code and parameters kept as `problems` for the API's JSON (web/app.py)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException

from domain.refusals import Param, Problem


class WebRefusal(HTTPException):
    """An HTTP error whose `detail` is the catalogue's sentence for its problem."""

    def __init__(self, code: int, problem: Problem, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(code, problem.text(), headers=dict(headers) if headers else None)
        self.problems: tuple[Problem, ...] = (problem,)


def refusal(code: int, problem_code: str, headers: Mapping[str, str] | None = None, **params: Param) -> WebRefusal:
    """`raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)`."""
    return WebRefusal(code, Problem(problem_code, params), headers)
