"""Municipalities by name, as pages, lists and letters say them (domain.municipalities.names)."""

from __future__ import annotations

import pytest

from domain.municipalities import common_name, names


@pytest.mark.parametrize(
    ("numbers", "said"),
    [
        ("0301", "Oslo"),
        (["4204"], "Kristiansand"),
        ("4227+4225+4206", "Kvinesdal, Lyngdal og Farsund"),  # a joint application by its ID
        (["1804", "1841"], "Bodø og Fauske"),  # a bilingual name by its first form ("Fauske - Fuossko")
        ([], ""),
    ],
)
def test_names_from_numbers_or_an_application_id(numbers: str | list[str], said: str) -> None:
    assert names(numbers) == said


def test_staff_read_the_numbers_beside_the_names_as_they_type_them() -> None:
    assert names("0301", numbered=True) == "Oslo (0301)"
    assert names(["4227", "4225", "4206"], numbered=True) == "Kvinesdal, Lyngdal og Farsund (4227+4225+4206)"


def test_a_number_the_register_does_not_hold_shows_as_itself_never_a_blank() -> None:
    assert common_name("1601") == "1601"  # retired in 2018 (Trondheim is 5001 now)
    assert names("5001+9999") == "Trondheim og 9999"
