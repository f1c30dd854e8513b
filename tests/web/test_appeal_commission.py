"""The appeal's commission on the web, on a real worker and dev server: blind. A member reaches the appealed person
through the appeal's own page and API only (the person's and the group's pages, which show the first grades, are
404 to them); the page and the API carry the work, the plan and the criteria, never the first grade, the oral or the
final grade, until a further assessment opens them. In Chromium, the member gives their grade on the page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from domain.ids import AppealId
from domain.models import Grade
from gateway.admin import Admin
from gateway.end_of_year.appeal import assign_examiners, register_appeal
from store.accounts import Account, Role
from tests.conftest import Harness
from tests.web.conftest import PASSWORD, csrf_of, serving
from tests.web.test_browser import CHROMIUM, FLAGS
from tests.web.test_end_of_year import ADMIN, app_with, bearer, client, sign_in
from tests.web.test_pages import text
from tests.workflows.commission import EXAMINER, EXTERNAL, decide, grade
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import graded_group, publish
from workflows.end_of_year.messages import AssignExaminersInput

if CHROMIUM.exists():
    from playwright.async_api import async_playwright, expect

# what the first assessment looks like wherever it is shown: on the person's page, in a further assessment
FIRST_WORDS = ("Skriftlig karakter", "Muntlig justering", "Endelig karakter", "Første sensur", "før klagen")


async def commission_app(harness: Harness, tmp_path: Path) -> tuple[FastAPI, list[str], Any]:
    """Member 1 (written C, +1: B) appeals; the commission of two (one external) is appointed through the gateway."""
    handle, ids = await graded_group(harness)
    await publish(handle)
    app = await app_with(harness, tmp_path, handle, ADMIN)
    accounts = app.state.web.accounts
    await accounts.add(Account(username=EXAMINER, role=Role.EXAMINER), PASSWORD)
    await accounts.add(Account(username=EXTERNAL, role=Role.EXAMINER, external=True), PASSWORD)
    gateway = Admin(harness.client, harness.sessions, harness.task_queue)
    appeal = await register_appeal(gateway, ids[0], ADMIN)
    named = AssignExaminersInput(actor=ADMIN.username, examiners=[EXAMINER, EXTERNAL])
    await assign_examiners(gateway, AppealId.parse(appeal.appeal_workflow_id), named, ADMIN)
    return app, ids, gateway


async def test_the_commission_reads_the_appeal_blind_until_the_further_assessment(
    harness: Harness, tmp_path: Path
) -> None:
    app, ids, gateway = await commission_app(harness, tmp_path)
    person = ids[0]
    group = "/kull/" + person.split(".")[0].removeprefix("kull-") + "/grupper/" + person.split(".")[1][7:]
    async with client(app) as http:
        await sign_in(http, EXAMINER)

        async def in_the_inbox() -> str:  # the members' inbox leads to the appeal's own page
            inbox = (await http.get("/oppgaver")).text
            assert f'href="/klage/{person}"' in inbox and "Klage til ny sensur" in text(inbox), text(inbox)
            return inbox

        await eventually(in_the_inbox)
        assert (await http.get(f"/deltaker/{person}")).status_code == 404  # the person's page shows the first grades
        assert (await http.get(group)).status_code == 404
        page = await http.get(f"/klage/{person}")
        assert page.status_code == 200
        words = text(page.text)
        assert "Klage til ny sensur" in words and "Emnet og vurderingskriteriene" in words
        assert f"{EXTERNAL} (ekstern)" in words and "Gi karakteren din" in words
        for first in FIRST_WORDS:
            assert first not in words, first
        headers = await bearer(http, EXAMINER)
        for url in (f"/api/participants/{person}", f"/api/participants/{person}/appeal"):
            answer = await http.get(url, headers=headers)
            assert answer.status_code == 200, url
            body = answer.json()
            assert body["first"] is None and body["stage"] == "awaiting_commission"
            assert not {"written_before", "oral_before", "final_before", "final_grade", "oral_adjustment"} & set(body)
            assert "Fremragende" in body["criteria"]["A"]
        other = await http.get(f"/api/participants/{ids[1]}", headers=headers)
        assert other.status_code == 404  # not on that person's commission, and not the group's examiner
    async with client(app) as http:  # nor may a member become the group's examiner, who sees the first grades
        await sign_in(http, ADMIN.username)
        page = await http.get(group)
        refused = await http.post(group + "/assign-examiner", data={"username": EXAMINER, "csrf": csrf_of(page.text)})
        assert refused.status_code == 409
        assert f"Avvist: '{EXAMINER}' sitter i klagekommisjonen for et medlem av gruppen" in text(refused.text)

    appeal = AppealId.parse(f"{person}.klage")
    await grade(gateway, appeal, EXAMINER, Grade.A)
    await grade(gateway, appeal, EXTERNAL, Grade.A)
    await decide(gateway, appeal, Grade.A)  # C to A: two grades, assessed further with all documents
    async with client(app) as http:
        await sign_in(http, EXTERNAL)

        async def opened() -> str:
            words = text((await http.get(f"/klage/{person}")).text)
            assert "Videre vurdering" in words, words
            return words

        words = await eventually(opened)
        assert "Første sensur, skriftlig C" in words and "Samlet karakter før klagen B" in words
        body = (await http.get(f"/api/participants/{person}/appeal", headers=await bearer(http, EXTERNAL))).json()
        assert body["first"] == {"written_grade": "C", "oral_adjustment": 1, "final_grade": "B"}


@pytest.fixture
async def served(harness: Harness, tmp_path: Path) -> AsyncIterator[tuple[str, list[str]]]:
    app, ids, _ = await commission_app(harness, tmp_path)
    async with serving(app) as address:
        yield address, ids


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
async def test_a_commission_member_grades_on_the_appeal_page_without_seeing_the_first_grade(
    served: tuple[str, list[str]],
) -> None:
    address, ids = served
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = await browser.new_context(base_url=address, locale="nb-NO")
        page = await context.new_page()
        await page.goto("/")
        await page.get_by_label("Brukernavn").fill(EXTERNAL)
        await page.get_by_label("Passord").fill(PASSWORD)
        await page.get_by_role("button", name="Logg inn").click()
        await expect(page.get_by_role("button", name="Logg ut")).to_be_visible(timeout=15_000)
        await page.goto(f"/klage/{ids[0]}")
        await expect(page.get_by_role("heading", name="Klage til ny sensur")).to_be_visible()
        await expect(page.get_by_role("heading", name="Emnet og vurderingskriteriene")).to_be_visible()
        body = await page.locator("main").inner_text()
        for first in FIRST_WORDS:
            assert first not in body, first
        await page.get_by_label("Din karakter").select_option("B")
        await page.get_by_role("button", name="Gi karakteren din").click()
        await expect(page.get_by_text("Karakteren din er registrert.")).to_be_visible(timeout=15_000)
        await page.reload()
        await expect(page.locator("dd", has_text="B").first).to_be_visible()
        assert "Første sensur" not in await page.locator("main").inner_text()
        await context.close()
        await browser.close()
