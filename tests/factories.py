"""Small factories for test data: valid by default, one keyword away from each refusal."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from domain.admission import track
from domain.models import ApplicationFacts, Enrolment, Participant
from store.tables import CohortRecord

SECTORS = ["helse_omsorg", "oppvekst_utdanning", "teknisk_miljo", "kultur_fritid"]


def participant(n: int = 0, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": f"Deltaker {n}",
        "email": f"deltaker{n}@kommune.no",
        "sector": SECTORS[n % len(SECTORS)],
        "role": "rådgiver",
        "education_years": 3,
        "experience_years": 2,
    }
    return data | overrides


def application(municipalities: list[str] | None = None, participants: int = 3, **overrides: Any) -> dict[str, Any]:
    numbers = municipalities or ["0301"]
    prefix = "-".join(numbers)
    data = {
        "cohort": "2022",
        "municipalities": numbers,
        "contact": {"name": "Kontakt", "email": f"kontakt@{prefix}.no"},
        "participants": [participant(i, email=f"p{i}@{prefix}.no") for i in range(participants)],
    }
    return data | overrides


def person_id(email: str) -> str:
    """A person ID of the register's shape for tests that start workflows without the register."""
    return "p" + hashlib.sha256(email.lower().encode()).hexdigest()[:20]


def enrolment(data: dict[str, Any]) -> Enrolment:
    person = Participant.model_validate(data)
    return Enrolment(person_id=person_id(person.email), sector=person.sector, track=track(person))


def facts(data: dict[str, Any]) -> ApplicationFacts:
    """The application as a workflow gets it once its people are in the register."""
    return ApplicationFacts(
        cohort=data["cohort"],
        municipalities=data["municipalities"],
        contact=person_id(data["contact"]["email"]),
        participants=[enrolment(p) for p in data["participants"]],
    )


def cohort_record(cohort: str, applications: int = 0, admitted: int = 0, refused: int = 0) -> CohortRecord:
    """A running cohort's row in the read model, with its counts."""
    return CohortRecord(
        cohort=cohort,
        stage="running",
        seed="s",
        places=2,
        applications=applications,
        admitted=admitted,
        waitlisted=0,
        refused=refused,
        updated_at=datetime.now(UTC),
    )
