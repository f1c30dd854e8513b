"""The cohort plan as a form (domain/plan_form.py): typed values to the plan and back, and each broken rule in
Norwegian beside the field it is about."""

from datetime import UTC, datetime
from pathlib import Path

from domain.catalogue.labels import OSLO
from domain.models import CohortPlan
from domain.plan import load_plan
from domain.plan_form import GENERAL, field_errors, field_names, next_plan, read_form, to_form
from domain.refusals import Problem

TEMPLATE = load_plan(Path(__file__).parents[2] / "demo" / "plans" / "kull-2022.json")
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def typed(**changes: str) -> dict[str, str]:
    """The form as shown for the next cohort, with the changes a person typed (`gatherings.2.start` as a keyword
    needs `**{...}`)."""
    return to_form(next_plan(TEMPLATE, NOW)) | changes


def test_the_template_moves_to_the_next_cohort_at_the_same_hours_in_oslo() -> None:
    plan = next_plan(TEMPLATE, NOW)
    assert plan.cohort == "2027"
    assert plan.application_deadline == datetime(2027, 6, 1, 23, tzinfo=OSLO)
    assert plan.gatherings[2].start == datetime(2027, 11, 29, 9, tzinfo=OSLO)  # winter time, as in 2022
    assert next_plan(TEMPLATE, datetime(2027, 6, 2, tzinfo=UTC)).cohort == "2028"  # the 2027 deadline has passed


def test_the_form_as_shown_gives_back_the_same_plan() -> None:
    values = typed()
    assert values["gatherings.0.start"] == "2027-09-20T09:00" and values["appeal_seconds"] == "21"
    assert values["reminder_seconds_before"] == "7, 1" and values["attendance_threshold"] == ""
    answer = read_form(values)
    assert answer.errors == {} and answer.plan == next_plan(TEMPLATE, NOW)


def test_a_gathering_out_of_order_is_said_beside_its_start_and_nothing_else() -> None:
    answer = read_form(typed(**{"gatherings.2.start": "2027-10-01T09:00"}))
    assert answer.plan is None
    said = ["Samling 3, start: må komme etter samling 2, start", "Samling 3, start: overlapper samling 2"]
    assert answer.errors == {"gatherings.2.start": said}


def test_each_calendar_rule_is_said_beside_its_own_field() -> None:
    changes = {
        "gatherings.3.end": "2028-01-23T09:00",  # ends before it starts
        "gatherings.0.days": "4",
        "appeal_seconds": "14",
        "resit_end": "",
        "work_requirements.0.deadline": "2027-09-01T23:00",  # before the first gathering
    }
    errors = read_form(typed(**changes)).errors
    assert errors["gatherings.3.end"] == ["Samling 4: samlingen slutter før den starter"]
    assert errors["gatherings.0.days"] == ["Samling 1, dager: en samling varer 2–3 dager, ikke 4"]
    assert errors["gatherings"] == ["Samlingene: 14 samlingsdager i alt, denne planen har 15"]
    assert errors["appeal_seconds"] == ["Klagefrist (dager): klagefristen er minst 21 dager, ikke 14"]
    assert errors["resit_start"][0].endswith("oppgi begge endene av perioden for ny eksamen, eller ingen")
    assert errors["work_requirements.0.deadline"] == ["Arbeidskrav 1, frist: må komme etter at første samling starter"]


def test_what_cannot_be_read_is_said_beside_its_field() -> None:
    changes = {
        "places": "tolv",
        "work_requirements.1.deadline": "",
        "attendance_threshold": "120",
        "reminder_seconds_before": "7, en",
        "gatherings.4.start": "neste mars",
    }
    errors = read_form(typed(**changes)).errors
    assert errors["places"] == ["Antall plasser: må være et helt tall"]
    assert errors["work_requirements.1.deadline"] == ["Arbeidskrav 2, frist: må fylles ut"]
    assert errors["attendance_threshold"] == ["Krav til oppmøte (prosent): et tall fra 0 til 100, eller tomt"]
    assert errors["reminder_seconds_before"][0].startswith("Påminnelser før en frist")
    assert errors["gatherings.4.start"][0].startswith("Samling 5, start: må være et tidspunkt")
    assert set(errors) == set(changes)


def test_days_and_per_cent_are_read_as_the_plan_keeps_them() -> None:
    plan = read_form(typed(appeal_seconds="21,5", attendance_threshold="80", reminder_seconds_before="14, 0.5")).plan
    assert plan is not None
    assert plan.appeal_seconds == 21.5 * 86400 and plan.attendance_threshold == 0.8
    assert plan.reminder_seconds_before == [14 * 86400, 0.5 * 86400]  # a comma between reminders


def test_a_problem_about_no_field_of_the_form_is_said_at_the_top() -> None:
    errors = field_errors([Problem("plan.gathering_count", {"field": "gatherings", "expected": 6, "actual": 5})])
    assert errors == {"gatherings": ["Samlingene: planen skal ha 6 samlinger, denne har 5"]}
    errors = field_errors([Problem("validation.missing", {"field": "innholdet"})])
    assert list(errors) == [GENERAL]


def test_the_form_has_an_input_for_every_field_of_the_plan() -> None:
    """A setting added to the plan and forgotten in the form could only be set by a JSON import."""
    shown = {name.split(".")[0] for name in field_names()}
    assert shown == set(CohortPlan.model_fields), set(CohortPlan.model_fields) ^ shown
    template = (Path(__file__).parents[2] / "web" / "templates" / "plan_form.html").read_text(encoding="utf-8")
    top = [name for name in field_names() if "." not in name]
    assert [name for name in top if f'field("{name}"' not in template] == []


def test_a_blank_answer_deadline_asks_no_answer_and_reads_back_as_shown() -> None:
    """A plan without an answer deadline (the offered place stands) is shown blank and read back the same, so an
    amendment of such a cohort does not seem to change the setting."""
    plan = load_plan("demo/plans/kull-2022.json").model_copy(update={"offer_answer_seconds": None})
    values = to_form(plan)
    assert values["offer_answer_seconds"] == ""
    answer = read_form(values)
    assert answer.plan is not None and answer.plan.offer_answer_seconds is None, answer.errors
    default = read_form(to_form(load_plan("demo/plans/kull-2022.json"))).plan
    assert default is not None and default.offer_answer_seconds == 14 * 86400
