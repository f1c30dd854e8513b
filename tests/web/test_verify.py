"""The public verification page: a code from a real transcript shows that the document is genuine, what it says
(name, course, credits, grade, date, version) and whether a newer version replaced it, and nothing else about the
person; wrong codes are refused and limited per address."""

from __future__ import annotations

from tests.web.conftest import World
from tests.web.test_documents import issue_transcript
from tests.web.test_pages import text

MEMBER = 2  # this file's member of group 5001 (test_documents.py issues the participant account's)


async def test_a_code_shows_what_the_document_says_and_nothing_else_about_the_person(world: World) -> None:
    first, name = await issue_transcript(world, "C", MEMBER)
    second, _ = await issue_transcript(world, "B", MEMBER)  # after an appeal
    assert first.code != second.code and second.version == first.version + 1
    participant = world.members[MEMBER]

    async with world.client() as client:  # no sign-in
        form = await client.get("/verifiser")
        assert form.status_code == 200 and "Verifikasjonskode" in text(form.text)

        current = await client.post("/verifiser", data={"kode": second.code.lower()})  # as typed, in lower case
        shown = text(current.text)
        assert current.status_code == 200 and "Dokumentet er ekte og gjeldende" in shown
        assert "Karakterutskrift" in shown and "Innovasjon" in shown
        assert f"Navn {name}" in shown and "Studiepoeng 30" in shown and "Karakter B" in shown
        assert "Dato for resultatet 20.06.2026" in shown and f"Versjon {second.version} (nyeste versjon)" in shown
        for private in (participant, "gruppe", "@", "5001", "Karakter C"):  # no ID, e-mail, municipality, old grade
            assert private not in shown, private

        old = await client.post("/verifiser", data={"kode": first.code})
        shown = text(old.text)
        assert old.status_code == 200 and "erstattet av en nyere versjon" in shown
        assert "Karakter C" in shown and f"Versjon {first.version} (ikke nyeste versjon)" in shown


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
