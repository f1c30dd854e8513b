"""The cohort-2022 scenario: the refusals it is built to show, every region admitted, a waiting list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from demo.scenario import Scenario
from domain.admission import track
from domain.models import Application, Region, SelectionResult, Track
from domain.municipalities import register
from domain.selection import select

SCENARIO = Path(__file__).parents[1] / "demo" / "scenarios" / "kull-2022.json"
# application id -> the words of the one refusal it is built to show
INTENDED_REFUSALS = {
    "3907": "Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere.",
    "1124": "Alle deltakerne kommer fra samme sektor. De må komme fra minst 2 ulike sektorer.",
    "3326": "Hemsedal (3326) har allerede søkt om plass på dette kullet, i søknaden fra Gol, Hemsedal og Ål.",
}


@pytest.fixture(scope="module")
def scenario() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCENARIO.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def result(scenario: dict[str, Any]) -> SelectionResult:
    return select(scenario["applications"], scenario["places"], scenario["seed"])


def test_scenario_parses(scenario: dict[str, Any]) -> None:
    assert scenario["cohort"] == "2022" and scenario["seed"] == "kull-2022"
    Scenario.model_validate(scenario)
    applications = [Application.model_validate(raw) for raw in scenario["applications"]]
    assert all(a.cohort == scenario["cohort"] for a in applications)


def test_exactly_the_intended_applications_are_refused(result: SelectionResult) -> None:
    refused = {invalid.id: invalid.errors for invalid in result.invalid}
    assert set(refused) == set(INTENDED_REFUSALS)
    for app_id, words in INTENDED_REFUSALS.items():
        assert len(refused[app_id]) == 1 and words in refused[app_id][0], (app_id, refused[app_id])


def test_every_region_admitted_and_a_waiting_list(result: SelectionResult) -> None:
    assert len(result.admitted) == 12
    assert {entry.region for entry in result.admitted} == set(Region)
    assert len(result.waitlist) >= 6


def test_every_kommunenummer_is_in_the_register(scenario: dict[str, Any]) -> None:
    numbers = {n for raw in scenario["applications"] for n in raw["municipalities"]}
    assert numbers <= set(register())


def test_every_valid_group_has_a_student_and_all_tracks_occur(scenario: dict[str, Any]) -> None:
    applications = [Application.model_validate(raw) for raw in scenario["applications"]]
    valid = [a for a in applications if a.id not in INTENDED_REFUSALS]
    assert all(any(track(p) is Track.STUDENT for p in a.participants) for a in valid)
    assert {track(p) for a in valid for p in a.participants} == set(Track)


def test_the_script_names_real_groups_and_members_and_covers_every_branch(
    scenario: dict[str, Any], result: SelectionResult
) -> None:
    script = Scenario.model_validate(scenario).script
    assert script.give_up is not None
    admitted = {entry.id for entry in result.admitted}
    assert script.give_up.application in admitted
    # the first on the waiting list takes the place given up; it declines on the web, and the next takes it
    assert script.declines_offer == result.waitlist[0].id
    moving_up = result.waitlist[1].id
    in_programme = admitted - {script.give_up.application} | {moving_up}
    applications = {a.id: a for a in map(Application.model_validate, scenario["applications"]) if a.id in in_programme}
    refs = [
        *script.assessments,
        *script.withdraw_participants,
        *(a.split("@")[0] for a in script.absences),
        *script.non_participating,
    ]
    for ref in refs:
        application_id, number = ref.split("#")
        assert application_id in in_programme, ref
        assert 1 <= int(number) <= len(applications[application_id].participants), ref
    waiting = {
        f"{a.id}#{n}"
        for a in applications.values()
        for n, p in enumerate(a.participants, 1)
        if track(p) is Track.ASSESSMENT
    }
    assert set(script.assessments) == waiting  # every assessment decided, both ways
    assert set(script.assessments.values()) == {Track.STUDENT, Track.COURSE}
    assert {*script.returned, *script.extensions, *script.written_grades} <= in_programme
    assert set(script.written_grades) == in_programme and {"A", "F"} <= {
        g.value for g in script.written_grades.values()
    }
    assert {1, -1, 0} <= set(script.oral_pattern)
    mistakes = script.mistakes.model_dump()
    assert all(mistakes.values()) and set(mistakes.values()) <= in_programme  # each kind of refusal is shown
