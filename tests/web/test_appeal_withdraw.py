"""An appeal on the participant's page, on a real worker and dev server: the administration registers it with the
day it was received (a bad day is refused with its reason), the person withdraws it with the page's button and
reads that the grade stands; a person appeals on their own page, received today."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from domain.end_of_year.appeals import oslo_date
from store.accounts import Account, Role
from tests.conftest import Harness
from tests.web.conftest import csrf_of
from tests.web.test_end_of_year import ADMIN, app_with, bearer, client, sign_in
from tests.web.test_pages import text
from tests.workflows.helpers import eventually, only_letter
from tests.workflows.test_appeal import graded_group, publish
from workflows.group import GroupWorkflow


async def test_received_on_the_form_then_withdrawn_by_the_person(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    day = oslo_date(released)
    person = Account(username="kari", role=Role.PARTICIPANT, participant=ids[0])
    app = await app_with(harness, tmp_path, handle, ADMIN, person)
    page_of = f"/deltaker/{ids[0]}"

    async with client(app) as office:
        await sign_in(office, "ada")
        page = (await office.get(page_of)).text
        assert "Mottatt (dagen klagen kom inn)" in text(page)
        bad = await office.post(f"{page_of}/appeal", data={"csrf": csrf_of(page), "received": "2023-13-01"})
        assert bad.status_code >= 400 and "Mottatt: '2023-13-01' er ikke en dato (åååå-mm-dd)" in text(bad.text)
        answer = await office.post(f"{page_of}/appeal", data={"csrf": csrf_of(page), "received": f"{day}"})
        assert answer.status_code == 303, text(answer.text)

    async with client(app) as own:
        await sign_in(own, "kari")

        async def registered() -> str:
            words = text((await own.get(page_of)).text)
            assert f"Klage Registrert, ny sensur pågår (mottatt {day:%d.%m.%Y})" in words, words
            return words

        await eventually(registered)
        page = (await own.get(page_of)).text
        answer = await own.post(f"{page_of}/appeal-withdraw", data={"csrf": csrf_of(page)})
        assert answer.status_code == 303, text(answer.text)

        async def withdrawn() -> str:
            words = text((await own.get(page_of)).text)
            assert "karakteren står som før." in words, words
            return words

        words = await eventually(withdrawn)
        today = oslo_date(datetime.now(UTC))
        assert f"Klage Trukket tilbake {today:%d.%m.%Y}; karakteren står som før. (mottatt {day:%d.%m.%Y})" in words
        assert "Endelig karakter B" in words and "Trekk klagen tilbake" not in words
    assert "Vi bekrefter at du har trukket tilbake klagen din" in await only_letter(
        harness.sessions, "appeal_withdrawn"
    )


async def test_a_person_appeals_on_their_own_page_received_today(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    app = await app_with(harness, tmp_path, handle, Account(username="kari", role=Role.PARTICIPANT, participant=ids[0]))
    page_of = f"/deltaker/{ids[0]}"
    async with client(app) as own:
        await sign_in(own, "kari")
        page = (await own.get(page_of)).text
        assert "Klag på den skriftlige delen" in text(page) and "Mottatt (dagen" not in text(page)
        answer = await own.post(f"{page_of}/appeal", data={"csrf": csrf_of(page), "received": "2020-01-01"})
        assert answer.status_code == 303, text(answer.text)  # their own is received now, whatever the form says

        async def registered() -> None:
            words = text((await own.get(page_of)).text)
            assert f"(mottatt {oslo_date(datetime.now(UTC)):%d.%m.%Y})" in words, words

        await eventually(registered)
        other = await own.post(f"/deltaker/{ids[1]}/appeal", data={"csrf": csrf_of(page)})
        assert other.status_code == 404  # another person's page: nothing leaks


async def test_the_api_registers_with_the_received_day_and_withdraws(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    app = await app_with(harness, tmp_path, handle, ADMIN)
    person = f"/api/participants/{ids[1]}"
    async with client(app) as http:
        office = await bearer(http, "ada")
        future = await http.post(f"{person}/appeal", json={"received": "2999-01-01"}, headers=office)
        assert future.status_code == 409 and future.json()["problems"] == [
            {"code": "appeal.received_in_future", "params": {"received": "2999-01-01"}}
        ]
        day = f"{oslo_date(released)}"
        registered = await http.post(f"{person}/appeal", json={"received": day}, headers=office)
        assert registered.status_code == 200 and registered.json()["received"] == day, registered.text
        withdrawn = await http.post(f"{person}/appeal/withdraw", headers=office)
        assert withdrawn.json() == {"stage": "withdrawn"}
        again = await http.post(f"{person}/appeal/withdraw", headers=office)
        assert again.status_code == 409 and again.json() == {
            "detail": "Klagen er trukket tilbake; karakteren står som før",
            "problems": [{"code": "appeal.withdrawn", "params": {}}],
        }
