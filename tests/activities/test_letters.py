"""The letters as their readers get them: every notice kind rendered from a realistic notice and compared with
its golden file (tests/activities/golden/<kind>.txt, for a Norwegian reader to review), and the templates held to
their models both ways."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2 import UndefinedError, meta, nodes

from activities.letters import Contact, date, environment, municipalities, render_letter
from activities.models import NoticeKind
from domain.models import Grade
from tests.activities.samples import PLAN, samples
from workflows.notices import (
    NOTICE_TYPES,
    GatheringAhead,
    RequirementDeadlineAhead,
    RequirementFailed,
    ResitDecided,
    ResultPublished,
    WrittenDeadlineAhead,
    _Notice,
    kind_of,
)

GOLDEN = Path(__file__).parent / "golden"
CONTACT = Contact("studieadministrasjonen@innovasjonsskolen.no", "22 33 44 55", "https://innovasjonsskolen.no")
KINDS = [kind_of(t) for t in NOTICE_TYPES]
CONTEXT = {"notice", "name", "contact", "school"}  # what render_letter and the environment give a template


def golden_text(kind: str) -> str:
    notice = samples()[kind]
    name = None if kind == "approval_waiting" else "Kari Nordmann"  # the staff letter greets no one by name
    letter = render_letter(notice, name, CONTACT)
    return f"Emne: {letter.subject}\n\n{letter.body}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_as_its_golden_file(kind: str) -> None:
    """Set NIS_UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then read the diff."""
    text = golden_text(kind)
    path = GOLDEN / f"{kind}.txt"
    if os.environ.get("NIS_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_a_letter_has_no_placeholder_or_template_syntax(kind: str) -> None:
    text = golden_text(kind)
    for leftover in ("(ikke oppgitt)", "{{", "}}", "{%", "%}", "None", "Undefined", "  "):
        assert leftover not in text
    assert "kull 2022" in text
    assert text.rstrip().endswith("Nasjonal innovasjonsskole for kommunesektoren.") or text.rstrip().endswith(
        "Studieadministrasjonen\nNasjonal innovasjonsskole for kommunesektoren"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_letter_states_its_facts_the_norwegian_way(kind: str) -> None:
    """Every date of the notice as a Norwegian date in Oslo time, its municipalities by name."""
    notice, text = samples()[kind], golden_text(kind)
    for field in type(notice).model_fields:
        value = getattr(notice, field)
        if isinstance(value, datetime):
            assert date(value) in text, field
    if hasattr(notice, "municipalities"):
        assert municipalities(notice.municipalities) in text


def test_every_notice_kind_has_a_template_and_the_kinds_agree() -> None:
    assert sorted(KINDS) == sorted(k.value for k in NoticeKind) == sorted(samples())
    assert all((Path(environment().loader.searchpath[0]) / f"{kind}.j2").is_file() for kind in KINDS)  # type: ignore[union-attr]


def _fields_used(kind: str) -> set[str]:
    """The notice's fields that the kind's template reads (`notice.<field>`), from its syntax tree."""
    source = environment().loader.get_source(environment(), f"{kind}.j2")[0]  # type: ignore[union-attr]
    tree = environment().parse(source)
    return {
        node.attr
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == "notice"
    }


@pytest.mark.parametrize("notice_type", NOTICE_TYPES, ids=KINDS)
def test_each_template_uses_every_field_of_its_model_and_no_other(notice_type: type[_Notice]) -> None:
    kind = kind_of(notice_type)
    fields = set(notice_type.model_fields) - {"kind"}
    assert _fields_used(kind) == fields


@pytest.mark.parametrize("kind", [*KINDS, "_letter"])
def test_templates_use_only_what_rendering_provides(kind: str) -> None:
    source = environment().loader.get_source(environment(), f"{kind}.j2")[0]  # type: ignore[union-attr]
    assert meta.find_undeclared_variables(environment().parse(source)) <= CONTEXT


def test_a_template_reading_a_field_its_notice_lacks_fails_instead_of_leaving_a_hole() -> None:
    template = environment().from_string("Fristen er {{ notice.appeal_deadline | date }}.")
    with pytest.raises(UndefinedError):
        template.render(notice=samples()["written_deadline_ahead"])


def test_the_seven_day_and_the_one_day_reminder_read_differently() -> None:
    requirement = PLAN.work_requirements[0]
    week, day = (
        render_letter(
            RequirementDeadlineAhead(
                cohort="2022", number=1, title=requirement.title, deadline=requirement.deadline, seconds_before=seconds
            ),
            "Kari",
            CONTACT,
        )
        for seconds in (7 * 86400, 86400)
    )
    assert week.subject == "Påminnelse: fristen for arbeidskrav 1 «Problemstilling og prosjektskisse» går ut om én uke"
    assert day.subject == "Påminnelse: fristen for arbeidskrav 1 «Problemstilling og prosjektskisse» går ut i morgen"
    assert "går ut i morgen: fredag 14. oktober 2022 kl. 23.00." in day.body


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(14 * 86400, "om to uker"), (3 * 86400, "om tre dager"), (6 * 3600, "om seks timer"), (3600, "om én time")],
)
def test_other_lead_times_are_said_in_words(seconds: float, words: str) -> None:
    gathering = PLAN.gatherings[0]
    notice = GatheringAhead(
        cohort="2022",
        number=1,
        theme=gathering.theme,
        start=gathering.start,
        end=gathering.end,
        days=1,
        seconds_before=seconds,
    )
    letter = render_letter(notice, "Kari", CONTACT)
    assert letter.subject == f"Påminnelse: samling 1 på kull 2022 starter {words}"
    assert "Samlingen varer i én dag" in letter.body


def test_times_are_shown_in_oslo_time_whatever_zone_the_notice_carries() -> None:
    deadline = datetime(2023, 1, 15, 22, 59, tzinfo=UTC)  # 23.59 in Oslo (winter time)
    letter = render_letter(
        WrittenDeadlineAhead(cohort="2022", deadline=deadline, seconds_before=86400), "Kari", CONTACT
    )
    assert "søndag 15. januar 2023 kl. 23.59" in letter.body


def test_a_failed_requirement_without_feedback_says_it_was_not_delivered() -> None:
    letter = render_letter(RequirementFailed(cohort="2022", number=3, title="Prototype og forankring"), "Ola", CONTACT)
    assert "Arbeidskrav 3 «Prototype og forankring» på kull 2022 er ikke levert innen den nye fristen" in letter.body
    assert "Tilbakemeldingen" not in letter.body


def test_a_failed_exam_says_so_and_gives_no_credits() -> None:
    notice = ResultPublished(cohort="2022", grade=Grade.F, credits=0, appeal_deadline=PLAN.oral_end)
    letter = render_letter(notice, "Ola", CONTACT)
    assert "karakteren F" in letter.body and "ikke er bestått" in letter.body and "0 studiepoeng" not in letter.body


@pytest.mark.parametrize(
    ("attempt", "attempts_max", "words"),
    [
        (2, 3, "Dette var forsøk 2 av 3. Du kan melde deg opp til ny eksamen"),
        (3, 3, "Dette var forsøk 3 av 3, og du har brukt alle forsøkene dine."),
        (2, 2, "Dette var forsøk 2 av 2, og du har brukt alle forsøkene dine."),
        (3, 4, "Dette var forsøk 3 av 4. Du kan melde deg opp til ny eksamen"),
    ],
)
def test_a_failed_resit_states_the_attempts_the_plan_gives(attempt: int, attempts_max: int, words: str) -> None:
    notice = ResitDecided(
        cohort="2022",
        attempt=attempt,
        postponed=False,
        written=Grade.F,
        attempt_grade=Grade.F,
        grade_before=Grade.F,
        grade_after=Grade.F,
        credits=0,
        attempts_max=attempts_max,
    )
    body = render_letter(notice, "Ola", CONTACT).body
    assert words in body and "tre i alt" not in body


def test_a_reader_the_register_no_longer_holds_is_greeted_without_a_name() -> None:
    letter = render_letter(samples()["admitted"], None, Contact("stab@example.no"))
    assert letter.body.startswith("Hei,\n\n")
    assert "skrive til studieadministrasjonen på stab@example.no." in letter.body
