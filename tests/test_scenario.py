"""The cohort-2022 scenario: the refusals it is built to show, every region admitted, a waiting list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from domain.admission import track
from domain.models import Application, Region, SelectionResult, Track
from domain.municipalities import register
from domain.selection import select

SCENARIO = Path(__file__).parents[1] / "scenarios" / "kull-2022.json"
# application id -> the words of the one refusal it is built to show
INTENDED_REFUSALS = {
    "3907": "3 to 4 participants, this one 2",
    "1124": "at least 2 different sectors, here 1",
    "3326": "3326 already applied in application 3324+3326+3328",
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
    assert isinstance(scenario["script"], list)
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
