"""The public verification page: a code from a real transcript shows that the document is genuine and whether a
newer version replaced it, and nothing about the person; wrong codes are refused and limited per address."""

from __future__ import annotations

from datetime import date

from activities.documents import DocumentFacts
from tests.web.conftest import World
from tests.web.test_pages import text

NAME = "Kari Verifisert Nordmann"


async def test_a_code_shows_the_document_is_genuine_and_nothing_about_the_person(world: World) -> None:
    documents = world.app.state.web.documents
    participant = world.members[0]
    facts = DocumentFacts(
        kind="transcript",
        participant_id=participant,
        cohort=world.cohort,
        credits=30,
        grade="C",
        result_date=date(2026, 6, 20),
    )
    first = await documents.issue("p" + "1" * 20, facts, NAME)
    second = await documents.issue("p" + "1" * 20, facts.model_copy(update={"grade": "B"}), NAME)  # after an appeal
    assert first.code != second.code and second.version == 2

    async with world.client() as client:  # no sign-in
        form = await client.get("/verifiser")
        assert form.status_code == 200 and "Verifikasjonskode" in text(form.text)

        current = await client.post("/verifiser", data={"kode": second.code.lower()})  # as typed, in lower case
        shown = text(current.text)
        assert current.status_code == 200 and "Dokumentet er ekte og gjeldende" in shown
        assert "Karakterutskrift" in shown and "Innovasjon" in shown
        for private in (NAME, "Kari", participant, "gruppe", " B ", " C ", "30"):
            assert private not in shown, private

        old = await client.post("/verifiser", data={"kode": first.code})
        assert old.status_code == 200 and "erstattet av en nyere versjon" in text(old.text)


async def test_a_wrong_code_is_refused_and_guessing_is_limited_per_address(world: World) -> None:
    attempts = world.app.state.web.limiter.limits["account"]
    async with world.client("10.9.8.7") as guesser, world.client("10.9.8.8") as other:
        for _ in range(attempts):
            wrong = await guesser.post("/verifiser", data={"kode": "AAAA-BBBB-CCCC-DDDD-EEEE"})
            assert wrong.status_code == 404 and "Ingen dokumenter har denne verifikasjonskoden" in text(wrong.text)
        blocked = await guesser.post("/verifiser", data={"kode": "AAAA-BBBB-CCCC-DDDD-EEEF"})
        assert blocked.status_code == 429 and "For mange ukjente koder" in text(blocked.text)
        assert (await other.post("/verifiser", data={"kode": "AAAA-BBBB-CCCC-DDDD-EEEE"})).status_code == 404
        too_long = await other.post("/verifiser", data={"kode": "A" * 65})
        assert too_long.status_code == 422
