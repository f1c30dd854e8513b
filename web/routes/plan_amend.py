"""Amending a running cohort's plan (/kull/{cohort}/kullplan/endre): the plan form (/kull/ny) prefilled with the plan
the cohort runs on; the dates still ahead can be moved. Every broken rule (a plan's, or an amendment's: nothing past
moves, nothing moves into the past, only dates change) is shown beside its field before anything is sent; the
cohort's update `amend_plan` checks them again, moves the timers and writes the letters."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response, status

from domain.ids import CohortId
from domain.models import CohortPlan
from domain.plan_amend import amendment_only_problems, amendment_problems, plan_changes
from domain.plan_form import GENERAL, FormAnswer, field_errors, field_label, field_names, read_form, to_form
from gateway.accounts import Account
from gateway.admin import Refused
from gateway.commands import AMEND_PLAN
from gateway.messages import AmendPlanInput
from web import forms
from web.actions import perform_cohort
from web.cohort_calendar import cohort_plan
from web.pages import done, render
from web.plans import amendments_of
from web.routes import common
from web.routes.common import AdminOnly, WebDep, reason

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/kull/{cohort}/kullplan/endre")
async def amend_form(request: Request, cohort: str, web: WebDep, account: AdminOnly) -> Response:
    values = to_form(await cohort_plan(web, cohort))
    return _form(request, account, cohort, values, {}, status.HTTP_200_OK)


@router.post("/kull/{cohort}/kullplan/endre")
async def amend(request: Request, cohort: str, web: WebDep, account: AdminOnly) -> Response:
    """Amend the plan as the form says; one with a problem is shown again with each beside its field."""
    running = await cohort_plan(web, cohort)
    form = await common.read_form(request)
    values = {name: forms.text(form, name) for name in field_names()}
    now = datetime.now(UTC)
    answer = read_form(_unmoved_exact(values, running), lambda plan: amendment_only_problems(running, plan, now))
    if answer.plan is not None and not plan_changes(running, answer.plan):
        answer = FormAnswer(None, field_errors(amendment_problems(running, answer.plan, now)))  # nothing moved
    if answer.plan is None:
        return _form(request, account, cohort, values, answer.errors, status.HTTP_422_UNPROCESSABLE_CONTENT)
    workflow_id = CohortId.parse(cohort).workflow_id
    before = await amendments_of(web.sessions, workflow_id)
    try:
        result = await perform_cohort(
            web, account, cohort, AMEND_PLAN, AmendPlanInput(actor=account.actor, plan=answer.plan)
        )
    except Refused as error:  # the workflow's clock said otherwise, or it has ended
        said = field_errors(list(error.problems)) if error.problems else {GENERAL: [reason(error)]}
        return _form(request, account, cohort, values, said, status.HTTP_409_CONFLICT)
    web.plans.amended(workflow_id, answer.plan, before)
    moved = len(result.changes)
    words = "én dato er flyttet" if moved == 1 else f"{moved} datoer er flyttet"
    return done(request, f"/kull/{cohort}", f"Kullplanen er endret: {words}. Gruppene får brev om endringen.")


def _unmoved_exact(values: dict[str, str], running: CohortPlan) -> dict[str, str]:
    """The typed values with each date left as shown (to the minute) given back to the second, as the running plan
    has it: a plan with seconds in its dates (a test's, the demo's) is not moved by being shown."""
    shown, exact = to_form(running), _exact(running)
    return {name: exact[name] if name in exact and value == shown[name] else value for name, value in values.items()}


def _exact(plan: CohortPlan) -> dict[str, str]:
    found = {name: getattr(plan, name) for name in field_names() if isinstance(getattr(plan, name, None), datetime)}
    for i, g in enumerate(plan.gatherings):
        found |= {f"gatherings.{i}.start": g.start, f"gatherings.{i}.end": g.end}
    found |= {f"work_requirements.{i}.deadline": r.deadline for i, r in enumerate(plan.work_requirements)}
    return {name: moment.isoformat() for name, moment in found.items()}


def _form(
    request: Request, account: Account, cohort: str, values: dict[str, str], errors: dict[str, list[str]], code: int
) -> Response:
    context = {"account": account, "values": values, "problems": errors, "label": field_label, "amend": cohort}
    return render(request, "plan_form.html", context, code)
