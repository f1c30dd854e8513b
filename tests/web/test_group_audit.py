"""The group page's audit trail is the group's entries and those of the workflows under it, read as an index range
(not LIKE, which read the whole log at national size): a sibling whose ID only starts the same is not among them."""

from __future__ import annotations

from sqlalchemy import select

from store.tables import AuditRecord
from tests.store.test_db import NOW, Sessions
from web.state import of_group

GROUP = "kull-2022.gruppe-1804"


def entry(workflow_id: str) -> AuditRecord:
    return AuditRecord(
        idempotency_key=f"key:{workflow_id}", workflow_id=workflow_id, actor="kari", action="x", outcome="ok", at=NOW
    )


async def test_the_trail_holds_the_group_and_its_members_and_no_sibling(session_factory: Sessions) -> None:
    ours = [GROUP, f"{GROUP}.deltaker-1", f"{GROUP}.deltaker-2.klage", f"{GROUP}.deltaker-3.ny-eksamen-2"]
    others = [f"{GROUP}+1805", f"{GROUP}0", "kull-2022.gruppe-180", "kull-2022"]
    async with session_factory() as session, session.begin():
        session.add_all(entry(w) for w in ours + others)
    async with session_factory() as session:
        found = await session.scalars(select(AuditRecord.workflow_id).where(of_group(GROUP)))
        assert sorted(found.all()) == sorted(ours)
