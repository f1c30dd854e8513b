"""The cohort plan as a form (/kull/ny): the administration fills in the cohort's calendar and settings, prefilled
from the study plan's template (demo/plans/), and opens the cohort as the JSON import does (web.actions.open_cohort,
the same gateway call). Every broken rule is shown beside its field; nothing is opened until none is, and the form
keeps what was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request, Response, status

from domain.plan import load_plan
from domain.plan_form import GENERAL, field_label, field_names, next_plan, read_form, to_form
from gateway.accounts import Account
from gateway.admin import Refused
from web import forms
from web.actions import open_cohort
from web.pages import done, render
from web.routes import common
from web.routes.common import AdminOnly, WebDep, answer_code, reason

router = APIRouter(tags=["pages"], include_in_schema=False)
TEMPLATE = Path(__file__).parents[2] / "demo" / "plans" / "kull-2022.json"  # the study plan 2022/2023's calendar


@router.get("/kull/ny")
async def plan_form(request: Request, account: AdminOnly) -> Response:
    values = to_form(next_plan(load_plan(TEMPLATE), datetime.now(UTC))) | {"seed": ""}
    return _form(request, account, values, {}, status.HTTP_200_OK)


@router.post("/kull/ny")
async def open_from_form(request: Request, web: WebDep, account: AdminOnly) -> Response:
    """Open the cohort the form describes; a plan with a problem is shown again with each beside its field."""
    form = await common.read_form(request)
    values = {name: forms.text(form, name) for name in (*field_names(), "seed")}
    answer = read_form(values)
    if answer.plan is None:
        return _form(request, account, values, answer.errors, status.HTTP_422_UNPROCESSABLE_CONTENT)
    try:
        cohort = await open_cohort(web, account, answer.plan.model_dump(mode="json"), values["seed"])
    except (Refused, ValueError) as error:
        return _form(request, account, values, {GENERAL: [reason(error)]}, answer_code(error))
    return done(request, f"/kull/{cohort}", f"Kull {cohort} er åpnet for søknader.")


def _form(
    request: Request, account: Account, values: dict[str, str], errors: dict[str, list[str]], code: int
) -> Response:
    context = {"account": account, "values": values, "problems": errors, "label": field_label, "amend": None}
    return render(request, "plan_form.html", context, code)
