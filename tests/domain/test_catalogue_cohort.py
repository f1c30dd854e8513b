"""The cohort's refusals read as Norwegian sentences, with stages, outcomes and times in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.refusals import Param, Refusal


@pytest.mark.parametrize(
    ("code", "params", "said"),
    [
        (
            "cohort.wrong_cohort",
            {"cohort": "2026", "application_cohort": "2025"},
            "Søknaden gjelder kull 2025, men dette er kull 2026",
        ),
        (
            "cohort.application_deadline_passed",
            {"deadline": datetime(2026, 6, 1, 21, 0, tzinfo=UTC).isoformat()},
            "Søknadsfristen 01.06.2026 kl. 23:00 er passert",
        ),
        ("cohort.unknown_application", {"application": "9999", "cohort": "2026"}, "Kull 2026 har ingen søknad 9999"),
        (
            "cohort.withdraw_not_running",
            {"stage": "published"},
            "En gruppe kan gi fra seg plassen fra utvalget er bekreftet til resultatene er publisert "
            "(kullets fase: publisert)",
        ),
        (
            "cohort.no_place_to_give_up",
            {"application": "5001", "outcome": "gave_up"},
            "Søknad 5001 har ingen plass å gi fra seg (utfall: ga fra seg plassen)",
        ),
        (
            "cohort.publish_not_running",
            {"stage": "selection_drawn"},
            "Resultatene kan publiseres bare én gang, mens kullet pågår (kullets fase: utvalg trukket)",
        ),
        (
            "cohort.release_not_running",
            {"stage": "intake"},
            "En gruppes resultater kan bare publiseres mens kullet pågår (kullets fase: søknadsfase)",
        ),
    ],
)
def test_a_cohort_refusal_says_why_in_norwegian(code: str, params: dict[str, Param], said: str) -> None:
    assert str(Refusal(code, **params)) == said
