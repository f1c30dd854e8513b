"""The application rules in Norwegian, as an "application incomplete" letter lists them."""

from __future__ import annotations

from typing import Any

from domain.admission import already_applied_errors, application_errors, parse_application
from domain.models import Application, ApplicationFacts, Enrolment, Sector, Track
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
    assert application_errors(parsed(data), language="nb") == [
        "Bodø (1804) står mer enn én gang i søknaden.",
        "Kommunenummer 9999 finnes ikke i kommuneregisteret (ukjent eller utgått).",
        "Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere.",
        "Alle deltakerne kommer fra samme sektor. De må komme fra minst 2 ulike sektorer.",
        "Deltaker 2 står allerede i søknaden. Hver person kan bare være med én gang.",
    ]


def test_the_english_texts_stay_as_the_command_line_shows_them() -> None:
    errors = application_errors(parsed(application(participants=5)))
    assert errors == ["participants: an application names 3 to 4 participants, this one 5"]


def test_facts_by_person_id_are_checked_by_the_same_rules() -> None:
    same = Enrolment(person_id="p" + "a" * 20, sector=Sector.POLITISK, track=Track.STUDENT)
    facts = ApplicationFacts(cohort="2022", municipalities=["0301"], contact="p" + "b" * 20, participants=[same] * 3)
    assert application_errors(facts) == [
        "participants: they must come from at least 2 different sectors, here 1",
        "participants.1: the same person is named more than once",
        "participants.2: the same person is named more than once",
    ]
    assert application_errors(facts, language="nb")[0] == (
        "Alle deltakerne kommer fra samme sektor. De må komme fra minst 2 ulike sektorer."
    )


def test_already_applied_names_the_municipality_and_the_application() -> None:
    applied = {"1841": "1804+1841+1840"}
    assert already_applied_errors(["1841", "0301"], applied) == [
        "municipalities: 1841 already applied in application 1804+1841+1840"
    ]
    assert already_applied_errors(["1841", "0301"], applied, language="nb") == [
        "Fauske (1841) har allerede søkt om plass på dette kullet, i søknaden fra Bodø, Fauske og Saltdal."
    ]
