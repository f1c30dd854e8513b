"""The calendar feed's events from a plan and a group's detail (web/feed.py), without Temporal: the Norwegian
summaries, times in UTC, UIDs that stay when a date moves, and a feed that parses with the iCalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from domain.models import CohortPlan
from domain.orals import OralSlot
from domain.plan import load_plan
from domain.requirements import RequirementState
from gateway.messages import GroupDetail
from web.feed import calendar, cohort_events, group_events

PLAN = load_plan("demo/plans/kull-2022.json")
GROUP = "kull-2022.gruppe-4204"


def detail(plan: CohortPlan = PLAN, **changes: object) -> GroupDetail:
    requirements = [RequirementState(number=n, deadline=w.deadline) for n, w in enumerate(plan.work_requirements, 1)]
    base: dict[str, object] = {
        "group_workflow_id": GROUP,
        "application_id": "4204",
        "municipalities": ["4204"],
        "outcome": "admitted",
        "stage": "programme",
        "requirements": requirements,
        "written_submitted": False,
        "written_grade": None,
        "written_missed": False,
        "members": [],
        "pending_actions": [],
        "admin_actions": 0,
    }
    return GroupDetail.model_validate(base | changes)


def test_a_groups_calendar_has_its_gatherings_deadlines_and_oral_period_in_norwegian() -> None:
    events = group_events(PLAN, detail())
    assert [e.summary for e in events] == [
        "Samling 1: Innovasjon og kreativitet",
        "Samling 2: Tjenestedesign",
        "Samling 3: Innovasjon i kommuner",
        "Samling 4: Innovasjonsledelse og sosialt entreprenørskap",
        "Samling 5: Studietur - innovasjonseksempler",
        "Samling 6: Implementering og spredning av innovasjon",
        "Frist arbeidskrav 1",
        "Frist arbeidskrav 2",
        "Frist arbeidskrav 3",
        "Frist arbeidskrav 4",
        "Frist skriftlig oppgave",
        "Muntlig eksamen",
    ]
    first, oral = events[0], events[-1]
    assert (first.start, first.end) == (datetime(2022, 9, 20, 7, tzinfo=UTC), datetime(2022, 9, 22, 14, tzinfo=UTC))
    assert first.description == "Samling 1 av 6, 3 dager."
    assert (oral.start, oral.end) == (PLAN.oral_start.astimezone(UTC), PLAN.oral_end.astimezone(UTC))
    assert oral.description is not None and "ikke satt ennå" in oral.description
    assert all(e.start.tzinfo == UTC for e in events)


def test_an_extension_and_an_oral_slot_move_their_events_under_the_same_uids() -> None:
    before = {e.uid: e for e in group_events(PLAN, detail())}
    moved = detail()
    moved.requirements[1] = moved.requirements[1].model_copy(
        update={"deadline": moved.requirements[1].deadline + timedelta(days=7)}
    )
    slot = OralSlot(start=PLAN.oral_start + timedelta(hours=2), place="Rom 101, Rådhuset")
    after = {e.uid: e for e in group_events(PLAN, moved.model_copy(update={"oral_slot": slot}))}
    assert before.keys() == after.keys()  # a calendar app updates the events, it does not add new ones
    requirement, oral = f"{GROUP}.arbeidskrav-2@innovasjonsskole", f"{GROUP}.muntlig@innovasjonsskole"
    assert after[requirement].start - before[requirement].start == timedelta(days=7)
    assert (after[oral].start, after[oral].end, after[oral].location) == (
        slot.start.astimezone(UTC),
        None,
        "Rom 101, Rådhuset",
    )


def test_several_groups_say_whose_deadline_and_share_the_gatherings() -> None:
    other = detail(group_workflow_id="kull-2022.gruppe-0301", application_id="0301", municipalities=["0301"])
    events = group_events(PLAN, detail(), "Namsos") + group_events(PLAN, other, "Oslo")
    parsed = Calendar.from_ical(calendar(events, datetime(2022, 9, 1, tzinfo=UTC)))
    summaries = [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")]
    assert summaries.count("Samling 1: Innovasjon og kreativitet") == 1  # the cohort's, once
    assert "Frist arbeidskrav 1 – Namsos" in summaries and "Frist arbeidskrav 1 – Oslo" in summaries
    assert len(summaries) == 6 + 2 * 6


def test_the_feed_parses_earliest_first_with_utc_times_and_a_stamp() -> None:
    now = datetime(2022, 9, 1, 12, tzinfo=UTC)
    parsed = Calendar.from_ical(calendar(cohort_events(PLAN), now))
    assert str(parsed["X-WR-CALNAME"]) == "Nasjonal innovasjonsskole"
    events = list(parsed.walk("VEVENT"))
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == sorted(starts) and all(s.tzinfo is not None and s.utcoffset() == timedelta(0) for s in starts)
    assert all(e.decoded("DTSTAMP") == now for e in events)
    [first] = [e for e in events if str(e["UID"]) == "kull-2022.arbeidskrav-1@innovasjonsskole"]
    assert str(first["SUMMARY"]) == "Frist arbeidskrav 1" and "DTEND" not in first
    assert first.decoded("DTSTART") == PLAN.work_requirements[0].deadline


def test_a_plan_time_without_a_zone_is_oslo_time() -> None:
    naive = PLAN.model_copy(update={"written_deadline": datetime(2023, 5, 15, 12)})
    [written] = [e for e in cohort_events(naive) if e.summary == "Frist skriftlig oppgave"]
    assert written.start == datetime(2023, 5, 15, 10, tzinfo=UTC)  # summer time: UTC+2
