import pytest

from domain.models import Region, SizeClass
from domain.municipalities import UnknownMunicipality, lookup, register, size_class


def test_register_holds_all_357_municipalities_with_leading_zero_kept() -> None:
    assert len(register()) == 357
    assert lookup("0301").name == "Oslo"


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("0301", Region.OSTLANDET),
        ("4204", Region.SORLANDET),
        ("4601", Region.VESTLANDET),
        ("5001", Region.TRONDELAG),
        ("5501", Region.NORD_NORGE),
        ("1804", Region.NORD_NORGE),
    ],
)
def test_region_follows_county_number(number: str, region: Region) -> None:
    assert lookup(number).region == region


def test_every_region_is_present_in_the_register() -> None:
    assert {m.region for m in register().values()} == set(Region)


@pytest.mark.parametrize(
    ("population", "size"),
    [
        (0, SizeClass.SMALL),
        (4_999, SizeClass.SMALL),
        (5_000, SizeClass.MEDIUM),
        (19_999, SizeClass.MEDIUM),
        (20_000, SizeClass.LARGE),
    ],
)
def test_size_class_boundaries(population: int, size: SizeClass) -> None:
    assert size_class(population) == size


@pytest.mark.parametrize("number", ["9999", "1601", "0101"])
def test_unknown_or_retired_number_is_refused_by_name(number: str) -> None:
    with pytest.raises(UnknownMunicipality, match=number):
        lookup(number)
