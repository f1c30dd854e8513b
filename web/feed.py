"""A person's calendar as iCalendar: the gatherings, the work-requirement deadlines, the written deadline and the
oral, built from the cohort plan and (for a group's own dates) the group's detail.

Pure functions, so the events are tested without Temporal. Each event's UID names the cohort or group and what the
event is, never its date, so a moved gathering or an extended deadline updates the event in a subscriber's calendar
instead of adding a second one. Summaries are Norwegian; nothing names a person.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from pydantic import BaseModel, ConfigDict

from domain.models import CohortPlan
from gateway.messages import GroupDetail, cohort_workflow_id

OSLO = ZoneInfo("Europe/Oslo")
UID_DOMAIN = "innovasjonsskole"  # the right-hand side of every UID: unique to this service's events
CALENDAR_NAME = "Nasjonal innovasjonsskole"
ORAL_PERIOD = "Gruppens tid og sted er ikke satt ennå: muntlig eksamen holdes i denne perioden."


class FeedEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    kind: Literal["gathering", "requirement", "written", "oral", "oral_period"]
    number: int = 0  # the gathering's or the requirement's
    summary: str
    start: datetime
    end: datetime | None = None  # none: a moment (a deadline, the oral's start)
    location: str | None = None
    description: str | None = None
    days: int = 0  # a gathering's


def cohort_events(plan: CohortPlan) -> list[FeedEvent]:
    """The cohort's calendar as the plan has it: for staff, who follow every group."""
    cohort = cohort_workflow_id(plan.cohort)
    deadlines = [
        _requirement(cohort, number, deadline, "")
        for number, deadline in enumerate((w.deadline for w in plan.work_requirements), start=1)
    ]
    return [*gatherings(plan), *deadlines, _written(cohort, plan, ""), _oral_period(cohort, plan, "")]


def group_events(plan: CohortPlan, detail: GroupDetail, label: str = "") -> list[FeedEvent]:
    """A group's calendar: the cohort's gatherings, the group's own requirement deadlines (an extension moves them),
    the written deadline and its oral (the time and place set for it, else the plan's period). `label` (the group's
    municipalities) tells one group's deadlines from another's in a feed of several."""
    group = detail.group_workflow_id
    deadlines = [_requirement(group, r.number, r.deadline, label) for r in detail.requirements]
    if detail.oral_slot is not None:
        oral = FeedEvent(
            uid=_uid(group, "muntlig"),
            kind="oral",
            summary=_labelled("Muntlig eksamen", label),
            start=utc(detail.oral_slot.start),
            location=detail.oral_slot.place,
        )
    else:
        oral = _oral_period(group, plan, label)
    return [*gatherings(plan), *deadlines, _written(group, plan, label), oral]


def gatherings(plan: CohortPlan) -> list[FeedEvent]:
    cohort = cohort_workflow_id(plan.cohort)
    return [
        FeedEvent(
            uid=_uid(cohort, f"samling-{number}"),
            kind="gathering",
            number=number,
            days=g.days,
            summary=f"Samling {number}: {g.theme}",
            start=utc(g.start),
            end=utc(g.end),
            description=f"Samling {number} av {len(plan.gatherings)}, {g.days} dager.",
        )
        for number, g in enumerate(plan.gatherings, start=1)
    ]


def _requirement(owner: str, number: int, deadline: datetime, label: str) -> FeedEvent:
    summary = _labelled(f"Frist arbeidskrav {number}", label)
    uid = _uid(owner, f"arbeidskrav-{number}")
    return FeedEvent(uid=uid, kind="requirement", number=number, summary=summary, start=utc(deadline))


def _written(owner: str, plan: CohortPlan, label: str) -> FeedEvent:
    summary = _labelled("Frist skriftlig oppgave", label)
    return FeedEvent(uid=_uid(owner, "skriftlig"), kind="written", summary=summary, start=utc(plan.written_deadline))


def _oral_period(owner: str, plan: CohortPlan, label: str) -> FeedEvent:
    return FeedEvent(
        uid=_uid(owner, "muntlig"),
        kind="oral_period",
        summary=_labelled("Muntlig eksamen", label),
        start=utc(plan.oral_start),
        end=utc(plan.oral_end),
        description=ORAL_PERIOD,
    )


def _uid(owner: str, what: str) -> str:
    return f"{owner}.{what}@{UID_DOMAIN}"


def _labelled(summary: str, label: str) -> str:
    return f"{summary} – {label}" if label else summary


def utc(moment: datetime) -> datetime:
    """In UTC, as the feed writes it; a plan's time without a zone is the school's (Oslo)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=OSLO)).astimezone(UTC)


def calendar(events: list[FeedEvent], now: datetime) -> bytes:
    """The feed: each UID once (a gathering shared by a person's groups), earliest first."""
    feed = Calendar()
    feed.add("prodid", "-//Nasjonal innovasjonsskole//Studiekalender//NB")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", CALENDAR_NAME)
    unique = {event.uid: event for event in reversed(events)}  # the first of each UID wins
    for event in sorted(unique.values(), key=lambda e: (e.start, e.uid)):
        feed.add_component(_component(event, now))
    body: bytes = feed.to_ical()
    return body


def _component(event: FeedEvent, now: datetime) -> Event:
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", utc(now))
    component.add("dtstart", event.start)
    if event.end is not None:
        component.add("dtend", event.end)
    component.add("summary", event.summary)
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    return component
