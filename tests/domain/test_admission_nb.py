"""The application rules in Norwegian from the catalogue, as an "application incomplete" letter lists them and the
cohort page shows them."""

from __future__ import annotations

from typing import Any

from domain.admission import already_applied, application_errors, application_problems, parse_application
from domain.models import Application, ApplicationFacts, Enrolment, Sector, Track
from domain.refusals import Problem
from tests.factories import application


def parsed(data: dict[str, Any]) -> Application:
    result, _ = parse_application(data)
    assert result is not None
    return result


def test_every_rule_has_a_norwegian_sentence() -> None:
    data = application(["1804", "1804", "9999"], participants=2)
    for p in data["participants"]:
        p["sector"] = "politisk"
    data["participants"][1]["email"] = data["participants"][0]["email"]
    assert application_errors(parsed(data)) == [
        "Bodø (1804) står mer enn én gang i søknaden.",
        "Kommunenummer 9999 finnes ikke i kommuneregisteret (ukjent eller utgått).",
        "Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere.",
        "Alle deltakerne kommer fra samme sektor. De må komme fra minst 2 ulike sektorer.",
        "Deltaker 2 står allerede i søknaden. Hver person kan bare være med én gang.",
    ]


def test_each_problem_is_a_code_with_its_parameters() -> None:
    assert application_problems(parsed(application(participants=5))) == [
        Problem("application.participant_count", {"count": 5, "min": 3, "max": 4})
    ]
    assert application_errors(parsed(application(participants=5))) == [
        "Søknaden har 5 deltakere. En søknad skal ha 3 til 4 deltakere."
    ]


def test_facts_by_person_id_are_checked_by_the_same_rules() -> None:
    same = Enrolment(person_id="p" + "a" * 20, sector=Sector.POLITISK, track=Track.STUDENT)
    facts = ApplicationFacts(cohort="2022", municipalities=["0301"], contact="p" + "b" * 20, participants=[same] * 3)
    assert application_problems(facts) == [
        Problem("application.one_sector", {"min": 2}),
        Problem("application.participant_twice", {"position": 2}),
        Problem("application.participant_twice", {"position": 3}),
    ]
    assert application_errors(facts)[0] == (
        "Alle deltakerne kommer fra samme sektor. De må komme fra minst 2 ulike sektorer."
    )


def test_already_applied_names_the_municipality_and_the_application() -> None:
    applied = {"1841": "1804+1841+1840"}
    problems = already_applied(["1841", "0301"], applied)
    assert problems == [
        Problem("application.already_applied", {"name": "Fauske", "number": "1841", "names": "Bodø, Fauske og Saltdal"})
    ]
    assert [problem.text() for problem in problems] == [
        "Fauske (1841) har allerede søkt om plass på dette kullet, i søknaden fra Bodø, Fauske og Saltdal."
    ]
