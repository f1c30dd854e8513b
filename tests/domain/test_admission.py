from typing import Any

import pytest

from domain.admission import application_problems, parse_application, track
from domain.models import Participant, Track
from domain.refusals import Problem
from tests.factories import application, participant


def errors_of(data: dict[str, Any]) -> list[str]:
    return parse_application(data)[1]


def test_valid_application_has_no_errors() -> None:
    parsed, errors = parse_application(application(["0301"], participants=4))
    assert errors == [] and parsed is not None and parsed.id == "0301"


def test_joint_application_id_keeps_the_given_order() -> None:
    parsed, errors = parse_application(application(["1833", "1832"]))
    assert errors == [] and parsed is not None and parsed.id == "1833+1832"


def problems_of(data: dict[str, Any]) -> list[Problem]:
    parsed = parse_application(data)[0]
    assert parsed is not None
    return application_problems(parsed)


@pytest.mark.parametrize("count", [0, 2, 5])
def test_participant_count_outside_three_to_four_is_refused(count: int) -> None:
    assert Problem("application.participant_count", {"count": count, "min": 3, "max": 4}) in problems_of(
        application(participants=count)
    )
    assert f"Søknaden har {count} deltakere. En søknad skal ha 3 til 4 deltakere." in errors_of(
        application(participants=count)
    )


def test_one_participant_is_said_in_the_singular() -> None:
    assert Problem("application.one_participant", {"min": 3, "max": 4}) in problems_of(application(participants=1))
    assert "Søknaden har 1 deltaker. En søknad skal ha 3 til 4 deltakere." in errors_of(application(participants=1))


def test_a_single_sector_is_refused() -> None:
    data = application()
    for p in data["participants"]:
        p["sector"] = "politisk"
    assert problems_of(data) == [Problem("application.one_sector", {"min": 2})]


def test_same_person_twice_by_email_is_refused_case_insensitively() -> None:
    data = application()
    data["participants"][1]["email"] = data["participants"][0]["email"].upper()
    assert problems_of(data) == [Problem("application.participant_twice", {"position": 2})]


def test_unknown_and_repeated_municipalities_are_refused_by_number() -> None:
    assert problems_of(application(["0301", "0301", "9999"])) == [
        Problem("application.municipality_twice", {"name": "Oslo", "number": "0301"}),
        Problem("application.unknown_municipality", {"number": "9999"}),
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("education_years", -1, "education_years"),
        ("sector", "militaer", "sector"),
        ("email", "not-an-email", "email"),
        ("name", "", "name"),
    ],
)
def test_bad_participant_fields_name_the_field(field: str, value: object, expected: str) -> None:
    data = application()
    data["participants"][0][field] = value
    assert any(e.startswith(f"participants.0.{expected}") for e in errors_of(data))


def test_schema_errors_name_missing_fields() -> None:
    errors = errors_of({"municipalities": ["0301"]})
    assert "cohort: må fylles ut" in errors and "contact: må fylles ut" in errors


@pytest.mark.parametrize(
    ("education", "experience", "expected"),
    [
        (3, 0, Track.STUDENT),
        (5.5, 0, Track.STUDENT),
        (2.99, 1, Track.ASSESSMENT),
        (1, 1, Track.ASSESSMENT),
        (1.5, 10, Track.ASSESSMENT),
        (1, 0.5, Track.COURSE),
        (0.5, 10, Track.COURSE),
        (0, 0, Track.COURSE),
    ],
)
def test_track_by_education_and_experience(education: float, experience: float, expected: Track) -> None:
    p = Participant.model_validate(participant(education_years=education, experience_years=experience))
    assert track(p) == expected
