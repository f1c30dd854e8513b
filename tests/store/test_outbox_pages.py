"""The letters page's reads: a page of a cohort's letters newest first, narrowed by kind and status, with counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import outbox as store
from store.tables import OutboxRecord
from tests.store.test_db import NOW, outbox


async def test_a_page_is_the_newest_letters_matching_the_filters_with_the_counts(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session, session.begin():
        for i in range(120):
            row = outbox(f"n{i:03}:staff") | {"created_at": NOW + timedelta(minutes=i)}
            row |= {
                "kind": "admitted" if i % 2 else "gathering_ahead",
                "status": "undelivered" if i % 10 == 0 else "sent",
            }
            session.add(OutboxRecord(**row))
        session.add(OutboxRecord(**(outbox("other:staff") | {"cohort": "2023"})))
    async with session_factory() as session:
        first, matched, per_status = await store.page_of_cohort(session, "2022", None, None, 0, 50)
        assert matched == 120 and per_status == {"sent": 108, "undelivered": 12}
        assert [r.idempotency_key for r in first[:2]] == ["n119:staff", "n118:staff"] and len(first) == 50
        last, _, _ = await store.page_of_cohort(session, "2022", None, None, 100, 50)
        assert len(last) == 20 and last[-1].idempotency_key == "n000:staff"
        narrowed, matched, _ = await store.page_of_cohort(session, "2022", "gathering_ahead", "undelivered", 0, 50)
        assert matched == 12 and {r.idempotency_key for r in narrowed} == {f"n{i:03}:staff" for i in range(0, 120, 10)}
        assert await store.kinds_of_cohort(session, "2022") == ["admitted", "gathering_ahead"]
