"""Roll call (opprop): one form for a gathering day across every group of the cohort, for teachers and the
administration. Saving gives each group its own attendance update (gateway/rollcall.py); the page then says which
groups were saved and which were refused, and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from domain.ids import GroupId
from domain.models import CohortPlan
from gateway.accounts import Account
from gateway.commands import ATTENDANCE
from gateway.rollcall import RollCallResult, RollGroup, presence, register_roll_call, registered, roll
from web.auth import require
from web.pages import render
from web.routes.common import WebDep, read_form
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
Teaching = Annotated[Account, Depends(require(*ATTENDANCE.roles))]


@router.get("/kull/{cohort}/opprop")
async def roll_call_page(
    request: Request, cohort: str, web: WebDep, account: Teaching, samling: str = "1", dag: str = "1"
) -> Response:
    return await _page(request, web, account, cohort, samling, dag, None, None)


@router.post("/kull/{cohort}/opprop")
async def roll_call(request: Request, cohort: str, web: WebDep, account: Teaching) -> Response:
    form = await read_form(request)
    gathering, day = str(form.get("samling", "")), str(form.get("dag", ""))
    groups = await roll(web.sessions, web.admin.people, cohort)
    ticked = [str(v) for v in form.getlist("present")]
    plan = await _plan(web, cohort, groups)
    error = _chosen_error(plan, gathering, day)
    if error is None:
        try:
            present = presence(cohort, [str(g) for g in form.getlist("group")], ticked)
        except ValueError as bad:
            error = str(bad)
    if error is not None:
        return await _page(request, web, account, cohort, gathering, day, None, error, ticked)
    known = {m.participant_id: m.name for g in groups for m in g.members}
    result = await register_roll_call(web.admin, account, cohort, int(gathering), int(day), present, known)
    return await _page(request, web, account, cohort, gathering, day, result, None, ticked)


async def _page(
    request: Request,
    web: Web,
    account: Account,
    cohort: str,
    gathering: str,
    day: str,
    result: RollCallResult | None,
    error: str | None,
    ticked: list[str] | None = None,
) -> Response:
    await web.cohort_page(cohort)  # 404 for a cohort that is not there
    groups = await roll(web.sessions, web.admin.people, cohort)
    plan = await _plan(web, cohort, groups)
    error = error or _chosen_error(plan, gathering, day)
    before = {} if error else await registered(web.sessions, cohort, int(gathering), int(day))
    code = status.HTTP_200_OK
    if error:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
    elif result is not None and result.refused:
        code = status.HTTP_409_CONFLICT
    context = {
        "account": account,
        "cohort": cohort,
        "plan": plan,
        "groups": groups,
        "gathering": gathering,
        "day": day,
        "error": error,
        "result": result,
        "ticked": set(ticked or []),
        "before": before,
        "names": {g.application_id: g.name for g in groups},
    }
    return render(request, "rollcall.html", context, code)


async def _plan(web: Web, cohort: str, groups: list[RollGroup]) -> CohortPlan | None:
    """The cohort's plan, as its groups run on it (every group of a cohort has the same)."""
    if not groups:
        return None
    return await web.plan(GroupId.of(cohort, groups[0].application_id).workflow_id)


def _chosen_error(plan: CohortPlan | None, gathering: str, day: str) -> str | None:
    """Why the chosen gathering and day are not in the plan, in Norwegian; None when they are."""
    if plan is None:
        return None
    if not gathering.isdigit() or not 1 <= int(gathering) <= len(plan.gatherings):
        return f"Velg en samling fra 1 til {len(plan.gatherings)}"
    days = plan.gatherings[int(gathering) - 1].days
    if not day.isdigit() or not 1 <= int(day) <= days:
        return f"Samling {gathering} har {days} dager: velg en dag fra 1 til {days}"
    return None
