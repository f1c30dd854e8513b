"""A refusal across Temporal: an ApplicationError whose type is the first code and whose details are the problems
(each {"code", "params"}), raised from a validator or an update; the gateway reads them back (gateway.admin)."""

from __future__ import annotations

from typing import NoReturn

from temporalio.exceptions import ApplicationError

from domain.refusals import Param, Refusal


def refused(refusal: Refusal) -> ApplicationError:
    return ApplicationError(refusal.text(), *refusal.dump(), type=refusal.code, non_retryable=True)


def refuse(code: str, **params: Param) -> NoReturn:
    """Refuse the action with this code; in a validator nothing is written to history."""
    raise refused(Refusal(code, **params))
