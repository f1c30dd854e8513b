"""The cohort page lists its applications a page at a time, narrowed by region, outcome and the group's stage: at
national size (357 applications) the whole list was most of a view."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from tests.web.conftest import World, sign_in
from tests.web.test_pages import text
from web.cohort_list import APPLICATIONS_PER_PAGE, application_list
from workflows.state import ApplicationRecord

NONE = {"region": "", "utfall": "", "fase": ""}


def national(count: int = 120) -> list[ApplicationRecord]:
    regions = ["Trøndelag", "Nord-Norge", "Østlandet"]
    return [
        ApplicationRecord(
            id=f"{1000 + i}",
            municipalities=[f"{1000 + i}"],
            region=regions[i % 3],
            outcome="admitted" if i % 4 else "waitlist",
            group_stage="programme" if i % 4 else "waitlist",
        )
        for i in range(count)
    ]


def test_a_long_list_is_shown_a_page_at_a_time_with_links_either_way() -> None:
    first = application_list(national(), NONE, 1)
    assert [a.id for a in first.shown] == [f"{1000 + i}" for i in range(APPLICATIONS_PER_PAGE)]
    assert (first.matched, first.last, first.previous, first.next) == (120, 3, None, "side=2")
    last = application_list(national(), NONE, 3)
    assert len(last.shown) == 20 and last.first_shown == 101 and last.previous == "side=2" and last.next is None
    assert application_list(national(), NONE, 99).side == 3  # past the end: the last page


def test_filters_narrow_the_list_and_the_links_keep_them() -> None:
    listed = application_list(national(), {"region": "Trøndelag", "utfall": "admitted", "fase": ""}, 1)
    assert listed.matched == 30 and {(a.region, a.outcome) for a in listed.shown} == {("Trøndelag", "admitted")}
    assert listed.options["region"] == ["Nord-Norge", "Trøndelag", "Østlandet"]
    assert application_list(national(), NONE | {"fase": "waitlist"}, 1).matched == 30
    assert application_list(national(300), NONE | {"region": "Nord-Norge"}, 1).next == "region=Nord-Norge&side=2"


def test_an_unknown_filter_value_is_a_404_that_names_it() -> None:
    with pytest.raises(HTTPException) as raised:
        application_list(national(), NONE | {"region": "Atlantis"}, 1)
    assert (raised.value.status_code, raised.value.detail) == (404, "Ukjent region: Atlantis")


async def test_the_cohort_page_filters_its_applications_by_region(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = text((await client.get(f"/kull/{world.cohort}", params={"region": "Trøndelag"})).text)
        assert "Viser 1–1 av 1 søknader (side 1 av 1)." in page
        listed = page.split("Gruppens fase Feil ")[1]
        assert listed.startswith("Trondheim (5001) Trøndelag") and "Oslo (0301)" not in listed
        unknown = await client.get(f"/kull/{world.cohort}", params={"region": "Atlantis"})
        assert unknown.status_code == 404 and "Ukjent region: Atlantis" in text(unknown.text)
        whole = text((await client.get(f"/kull/{world.cohort}")).text)
        assert "Oslo (0301)" in whole and "Trondheim (5001)" in whole and "Viser" not in whole  # one page: no paging
