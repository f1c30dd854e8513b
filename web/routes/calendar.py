"""The calendar feed: each person's gatherings, deadlines and oral as iCalendar at a secret address, and the form
that makes a new address (the old one then answers 404).

The address carries a random token and nothing else (no name, no participant or account ID); the store keeps only
its hash, so the page shows the address once, when it is made. A calendar program fetches the feed without a
session, so the token is the key: wrong tokens are limited per address like sign-ins and verification codes.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy import func, select

from domain.ids import ParticipantId
from domain.lifecycle import IN_PROGRAMME
from domain.models import CohortPlan
from domain.municipalities import names
from gateway.accounts import Account, Role
from gateway.calendar_feeds import CalendarFeeds
from gateway.messages import CohortStage, GroupDetail
from gateway.queries import GROUP_DETAIL
from gateway.storage import CohortRecord, GroupRecord
from web.auth import client_address
from web.feed import FeedEvent, calendar, cohort_events, group_events
from web.pages import render
from web.routes.common import Anyone, WebDep, read_form
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
MISSES = "calendar"  # the rate limiter's name for unknown feed tokens, beside sign-ins and verification codes
FEED_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "Fant ikke kalenderen. Lenken kan være erstattet av en ny."
FEED_PATH = re.compile(r"^/kalender/[^/?]+\.ics")


class HideFeedTokens(logging.Filter):
    """The access log's line of a feed request without its token: the address opens the person's calendar, and a
    log is read by more people than the person (the verification code is posted for the same reason)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str) and FEED_PATH.match(args[2]):
            record.args = (*args[:2], FEED_PATH.sub("/kalender/***.ics", args[2]), *args[3:])
        return True


HIDE_FEED_TOKENS = HideFeedTokens()  # one instance: adding it again (an app built twice) adds nothing


@router.post("/kalender/ny")
async def renew(request: Request, web: WebDep, account: Anyone) -> Response:
    """A new feed address for the signed-in account, shown once; the old one stops working at once."""
    await read_form(request)  # the session's CSRF token, before anything changes
    token = await CalendarFeeds(web.sessions).renew(account.username)
    url = str(request.url_for("calendar_feed", token=token))
    back = f"/deltaker/{account.participant}" if account.role == Role.PARTICIPANT and account.participant else "/"
    return render(request, "calendar.html", {"account": account, "url": url, "back": back})


@router.get("/kalender/{token}.ics", name="calendar_feed")
async def feed(request: Request, token: str, web: WebDep) -> Response:
    address = client_address(request)
    misses = f"{MISSES}@{address}"  # per address: one address's wrong tokens never block another's
    if web.limiter.blocked(misses, address):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "For mange ukjente kalenderlenker. Vent ett minutt.")
    username = await CalendarFeeds(web.sessions).owner(token)
    account = await web.accounts.get(username) if username is not None else None
    if account is None:
        web.limiter.failed(misses, address)
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    body = calendar(await events_of(web, account), datetime.now(UTC))
    # private: a shared cache must not keep one person's calendar for another's request
    headers = {"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="kalender.ics"'}
    return Response(body, media_type=FEED_TYPE, headers=headers)


async def events_of(web: Web, account: Account) -> list[FeedEvent]:
    """A participant's group; a contact's and an examiner's groups; the administration's and teachers' running
    cohorts."""
    if account.role == Role.PARTICIPANT:
        if not account.participant:
            return []
        return await _group(web, ParticipantId.parse(account.participant).group.workflow_id, "")
    if account.role in (Role.ADMIN, Role.TEACHER):
        return [event for plan in await _running_plans(web) for event in cohort_events(plan)]
    where = await web.visible_groups(account)
    async with web.sessions() as session:
        query = select(GroupRecord.group_id, GroupRecord.application_id).where(where)
        rows = (await session.execute(query.where(GroupRecord.outcome.in_(IN_PROGRAMME)))).all()
    several = len(rows) > 1  # then each group's deadlines say whose they are
    events = []
    for group_id, application_id in rows:
        events += await _group(web, group_id, names(application_id) if several else "")
    return events


async def _group(web: Web, group_workflow_id: str, label: str) -> list[FeedEvent]:
    detail: GroupDetail | None = await web._query(group_workflow_id, GROUP_DETAIL)  # 503 when Temporal is away
    if detail is None or detail.outcome not in IN_PROGRAMME:
        return []
    return group_events(await web.plan(group_workflow_id), detail, label)


async def _running_plans(web: Web) -> list[CohortPlan]:
    """One plan per running cohort, from one of its groups in the programme (every group runs on the cohort's)."""
    async with web.sessions() as session:
        query = (
            select(func.min(GroupRecord.group_id))
            .join(CohortRecord, CohortRecord.cohort == GroupRecord.cohort)
            .where(CohortRecord.stage == CohortStage.RUNNING, GroupRecord.outcome.in_(IN_PROGRAMME))
            .group_by(GroupRecord.cohort)
        )
        groups = list((await session.scalars(query)).all())
    return [await web.plan(group) for group in groups]
