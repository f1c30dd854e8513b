"""A participant whose appeal is decided reads the appeal's grade on their page, with the grade it replaced; the
page takes it from the read model's appeal row, as the appeal workflow writes it."""

from __future__ import annotations

from datetime import UTC, datetime

from store.end_of_year import AppealRecord
from tests.web.conftest import World, appeal_row, sign_in
from tests.web.test_pages import text


async def test_the_participant_page_shows_a_decided_appeal(world: World) -> None:
    participant = world.members[0]
    now = datetime.now(UTC)
    row = appeal_row(world, participant, appeal_id=f"{participant}.klage-1", registered_at=now, updated_at=now)
    async with world.harness.sessions() as session, session.begin():
        session.add(row)
    try:
        async with world.client() as client:
            await sign_in(client, world, "participant")
            page = text((await client.get(f"/deltaker/{participant}")).text)
            assert "Klage Registrert, ny sensur pågår" in page
            async with world.harness.sessions() as session, session.begin():
                decided = await session.get(AppealRecord, row.appeal_id)
                assert decided is not None
                decided.stage, decided.written_after, decided.final_after = "decided", "B", "B"
                decided.oral_adjustment_after, decided.credits_after, decided.decided_at = 0, 30, now
            page = text((await client.get(f"/deltaker/{participant}")).text)
            assert "Endelig karakter B (etter klage; før klagen C) Studiepoeng 30" in page
            assert "Klage Avgjort: ny skriftlig karakter B, endelig karakter B." in page
    finally:
        async with world.harness.sessions() as session, session.begin():
            await session.delete(await session.get(AppealRecord, row.appeal_id))
