"""The pages: home (cohorts, or a municipality's groups), opening a cohort, the task inbox, the audit log.

Every action is a form posting back: refused, it is shown again with the reason beside it (409) and nothing
changed; done, it redirects back to its page with a message (web/routes/cohort.py, group.py, participant.py).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.storage import AuditRecord, CohortRecord, GroupRecord, cohort_letters_page
from runtime.wiring import contact
from web import forms
from web.actions import open_cohort
from web.inbox import tasks
from web.pages import done, render
from web.routes.common import AdminOnly, Anyone, WebDep, answer_code, json_file, read_form, reason
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/")
async def home(request: Request, web: WebDep, account: Anyone) -> Response:
    if account.role == Role.PARTICIPANT and account.participant:
        return RedirectResponse(f"/deltaker/{account.participant}", status.HTTP_303_SEE_OTHER)
    return await _home(request, web, account, {}, status.HTTP_200_OK)


async def _home(request: Request, web: Web, account: Account, errors: dict[str, str], code: int) -> Response:
    # the page lists cohorts to staff and a contact's own groups (filtered in SQL: ~360 groups a national year)
    visible = await web.visible_groups(account)  # before the session: SQLite's pool has one connection
    async with web.sessions() as session:
        if account.role == Role.MUNICIPALITY:
            cohorts: list[CohortRecord] = []
            query = select(GroupRecord).where(visible).order_by(GroupRecord.group_id)
            groups = list((await session.scalars(query)).all())
        else:
            cohorts = list((await session.scalars(select(CohortRecord).order_by(CohortRecord.cohort))).all())
            groups = []
    context = {"account": account, "cohorts": cohorts, "groups": groups, "errors": errors}
    return render(request, "home.html", context, code)


@router.post("/kull")
async def start_cohort(request: Request, web: WebDep, account: AdminOnly) -> Response:
    """Open a cohort from an uploaded plan file; a plan that breaks a rule is shown with every rule it breaks."""
    form = await read_form(request)
    try:
        cohort = await open_cohort(web, account, await json_file(form, "plan"), forms.text(form, "seed"))
    except (Refused, ValueError) as error:
        return await _home(request, web, account, {"start-cohort": reason(error)}, answer_code(error))
    return done(request, f"/kull/{cohort}", f"Kull {cohort} er åpnet for søknader.")


@router.get("/oppgaver")
async def inbox(request: Request, web: WebDep, account: Anyone) -> Response:
    return render(request, "inbox.html", {"account": account, "tasks": await tasks(web, account)})


@router.get("/logg")
async def audit_log(
    request: Request, web: WebDep, account: AdminOnly, kull: str = "", handling: str = "", utfall: str = ""
) -> Response:
    """The audit log with filters (cohort, action, outcome): the query string carries codes, never a person."""
    try:
        rows = await web.audit_log(kull or None, handling or None, utfall or None)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
    async with web.sessions() as session:
        cohorts = list((await session.scalars(select(CohortRecord.cohort).order_by(CohortRecord.cohort))).all())
        actions = sorted(set((await session.scalars(select(AuditRecord.action).distinct())).all()))
    context = {
        "account": account,
        "rows": rows,
        "cohorts": cohorts,
        "actions": actions,
        "chosen": {"kull": kull, "handling": handling, "utfall": utfall},
    }
    return render(request, "audit.html", context)


LETTERS_PER_PAGE = 50
LETTER_STATUSES = ("queued", "sent", "undelivered")


@router.get("/kull/{cohort}/brev")
async def letters(
    request: Request,
    cohort: str,
    web: WebDep,
    account: AdminOnly,
    kind: Annotated[str, Query(alias="type")] = "",
    status_: Annotated[str, Query(alias="status")] = "",
    side: int = 1,
) -> Response:
    """The cohort's letters as their readers got them, newest first, a page at a time, narrowed by kind and status
    (the query string carries codes, never a person); how many are undelivered is said at the top."""
    people = web.admin.people
    if people is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Registeret over personer er ikke tilgjengelig")
    if status_ and status_ not in LETTER_STATUSES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ukjent status for brev: {status_}")
    side = max(side, 1)
    page = await cohort_letters_page(
        web.sessions,
        people,
        contact(web.settings),
        cohort,
        kind=kind or None,
        status=status_ or None,
        offset=(side - 1) * LETTERS_PER_PAGE,
        limit=LETTERS_PER_PAGE,
    )
    last = max(1, -(-page.matched // LETTERS_PER_PAGE))
    filters = {k: v for k, v in (("type", kind), ("status", status_)) if v}
    context = {
        "account": account,
        "cohort": cohort,
        "page": page,
        "letters": page.letters,
        "readers": page.readers,
        "undelivered": page.per_status.get("undelivered", 0),
        "total": sum(page.per_status.values()),
        "side": side,
        "last": last,
        "first_shown": (side - 1) * LETTERS_PER_PAGE + 1 if page.letters else 0,
        "last_shown": (side - 1) * LETTERS_PER_PAGE + len(page.letters),
        "previous": urlencode(filters | {"side": side - 1}) if side > 1 else None,
        "next": urlencode(filters | {"side": side + 1}) if side < last else None,
        "chosen": {"type": kind, "status": status_},
        "statuses": LETTER_STATUSES,
    }
    return render(request, "letters.html", context, status.HTTP_200_OK)
