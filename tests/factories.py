"""Small factories for test data: valid by default, one keyword away from each refusal."""

from __future__ import annotations

from typing import Any

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
