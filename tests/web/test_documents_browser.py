"""In headless Chromium (the fixtures of test_browser.py): a participant signs in, lands on their page, clicks the
download of their transcript, and the browser saves a PDF whose text gives their name and grade in Norwegian; on the
same page they open and read their letters (issue 20's "Done when")."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from store import documents as documents_store
from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot, sign_in
from tests.web.test_documents import issue_transcript

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect


async def test_a_participant_downloads_their_transcript_from_their_page(page: Page, world: World) -> None:
    issued, name = await issue_transcript(world, "A")
    await sign_in(page, world, "participant")  # a participant lands on their own page
    documents = page.locator("#dokumenter")
    await expect(documents.get_by_role("heading", name="Dokumenter")).to_be_visible()
    link = documents.get_by_role("link", name=f"Last ned karakterutskrift versjon {issued.version}")
    await expect(link).to_be_visible()
    await shot(page, "participant-documents")
    async with page.expect_download(timeout=10_000) as saving:
        await link.click()
    download = await saving.value
    assert download.suggested_filename == f"karakterutskrift-{world.cohort}-v{issued.version}.pdf"
    pdf = PdfReader(Path(await download.path()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert text.startswith("Karakterutskrift")
    assert f"Navn: {name}" in text and "Karakter: A (karakterskala A–F" in text and "Studiepoeng: 30" in text
    async with world.harness.sessions() as session:  # the holder has it: their first download is noted
        record = await documents_store.version_of(session, issued.participant_id, issued.version)
        assert record is not None and record.downloaded_at is not None

    letters = page.locator("section#brev")  # and their letters, as sent, on the page they downloaded it from
    await expect(letters.get_by_role("heading", name="Mine brev")).to_be_visible()
    offer = f"Gratulerer! Trondheim har fått plass på kull {world.cohort}"
    await expect(letters.get_by_text(offer)).to_be_hidden()  # closed until opened
    await letters.get_by_text(f"Tilbud om plass på kull {world.cohort}").click()
    await expect(letters.get_by_text(offer)).to_be_visible()
    await shot(page, "participant-documents-and-letters")
