"""The cohort overview: stage, counts, charts, the applications and the selection, the admin's forms."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from domain.municipalities import names
from gateway.accounts import Account
from gateway.admin import Refused
from gateway.statistics import render_report, statistics
from web import forms
from web.actions import COHORT_ACTIONS, COHORT_DONE, allowed, perform_cohort
from web.cohort_calendar import CohortCalendar, cohort_calendar, cohort_plan
from web.cohort_list import application_list
from web.pages import done, render
from web.routes.common import Staff, WebDep, answer_code, fields, read_form, reason
from web.security import DOWNLOAD_HEADERS
from web.state import Web
from web.stats import cohort_charts

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/kull/{cohort}")
async def cohort_page(
    request: Request,
    cohort: str,
    web: WebDep,
    account: Staff,
    region: str = "",
    utfall: str = "",
    fase: str = "",
    side: int = 1,
) -> Response:
    """The cohort's facts, charts and calendar; its applications a page at a time, narrowed by region, outcome and
    the group's stage (`?region=Trøndelag&utfall=admitted&side=2`)."""
    chosen = {"region": region, "utfall": utfall, "fase": fase}
    return await _cohort(request, web, account, cohort, {}, status.HTTP_200_OK, chosen, side)


async def _cohort(
    request: Request,
    web: Web,
    account: Account,
    cohort: str,
    errors: dict[str, str],
    code: int,
    chosen: dict[str, str] | None = None,
    side: int = 1,
) -> Response:
    overview = await web.cohort_page(cohort)  # from the read model: no workflow query at national size
    listed = application_list(overview.applications, chosen or {"region": "", "utfall": "", "fase": ""}, side)
    can = {name: allowed(account, action) for name, action in COHORT_ACTIONS.items()}
    visible = await web.visible_applications(account, cohort)  # one query, not one per application
    context = {
        "account": account,
        "o": overview,
        "can": can,
        "errors": errors,
        "visible": visible,
        "listed": listed,
        "charts": await cohort_charts(web, overview),
        "calendar": await _calendar(web, cohort),
    }
    return render(request, "cohort.html", context, code)


async def _calendar(web: Web, cohort: str) -> CohortCalendar | None:
    """The calendar from the plan Temporal holds; when Temporal does not answer, the page (read from the read model)
    still shows, with a line that the calendar is not at hand now."""
    try:
        return cohort_calendar(await cohort_plan(web, cohort))
    except HTTPException as error:
        if error.status_code != status.HTTP_503_SERVICE_UNAVAILABLE:
            raise
        return None


@router.post("/kull/{cohort}/{name}")
async def cohort_action(request: Request, cohort: str, name: str, web: WebDep, account: Staff) -> Response:
    if name not in COHORT_ACTIONS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    form = await read_form(request)
    try:
        action = forms.cohort_action(name, form, account.actor)
        await perform_cohort(web, account, cohort, COHORT_ACTIONS[name], action)
    except (Refused, ValidationError, ValueError) as error:
        return await _cohort(request, web, account, cohort, {name: reason(error)}, answer_code(error))
    said = fields(form)
    if "application_id" in said:  # the application the admin typed, by name as the list shows it
        said["application_id"] = names(said["application_id"], numbered=True)
    return done(request, f"/kull/{cohort}", COHORT_DONE[name].format(**said))


@router.get("/kull/{cohort}/statistikk")
async def statistics_report(cohort: str, web: WebDep, account: Staff) -> Response:
    """The cohort's statistics as the report file the administration hands on (the same as `starter.py
    statistics`), made from the read model now."""
    await web.cohort_page(cohort)  # 404 for a cohort that is not there
    figures = await statistics(web.sessions, cohort, web.admin.people)
    if figures is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet")
    disposition = f'attachment; filename="statistikk-{cohort}.html"'
    return HTMLResponse(render_report(figures), headers={"Content-Disposition": disposition} | DOWNLOAD_HEADERS)
