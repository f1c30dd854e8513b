"""What the cohort page's statistics cost at national size: a count from scratch (every row read, as the report file
and, before, every view after a change did) against the count the web app keeps (gateway/statistics.py's
StatisticsCache: the rows kept in memory, read again only where they changed), on a read model a national run left.

Runs on a copy of the read model: it writes a row to show what a change costs. Prints figures, not a test.

`python bench/statistics_count.py /tmp/bench-national-XXXX/readmodel.sqlite3 [--cohort 2022] [--rounds 20]`
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update

from gateway.statistics import StatisticsCache
from gateway.statistics import statistics as count_from_scratch
from store.db import make_engine, make_session_factory
from store.tables import ParticipantRecord


async def timed(rounds: int, step: Callable[[], Awaitable[object]]) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await step()
        times.append((time.perf_counter() - started) * 1000)
    return times


def said(name: str, times: list[float]) -> str:
    return f"{name:<66} median {statistics.median(times):6.1f} ms, max {max(times):6.1f} ms ({len(times)} rounds)"


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    copy = folder / "readmodel.sqlite3"
    for suffix in ("", "-wal"):  # with its write-ahead log, should the run have left one
        if (found := Path(f"{args.read_model}{suffix}")).exists():
            shutil.copy(found, f"{copy}{suffix}")
    engine = make_engine(f"sqlite+aiosqlite:///{copy}")
    sessions = make_session_factory(engine)
    kept = StatisticsCache()
    first = await timed(1, lambda: kept.get(sessions, args.cohort))
    figures = await kept.get(sessions, args.cohort)
    if figures is None:
        sys.exit(f"no cohort {args.cohort} in {args.read_model}")
    async with sessions() as session:
        participant = await session.scalar(
            select(ParticipantRecord.participant_id).where(ParticipantRecord.cohort == args.cohort).limit(1)
        )

    async def one_row_written() -> object:
        async with sessions() as session, session.begin():  # a participant's row written again, as a task does
            where = ParticipantRecord.participant_id == participant
            await session.execute(update(ParticipantRecord).where(where).values(updated_at=datetime.now(UTC)))
        return await kept.get(sessions, args.cohort)

    scratch = await timed(args.rounds, lambda: count_from_scratch(sessions, args.cohort))
    unchanged = await timed(args.rounds, lambda: kept.get(sessions, args.cohort))
    changed = await timed(args.rounds, one_row_written)
    assert await count_from_scratch(sessions, args.cohort) == await kept.get(sessions, args.cohort)
    print(f"cohort {args.cohort}: {figures.applications} applications, {figures.participants} participants")
    print(said("kept count, its first view (every row read)", first))
    print(said("count from scratch (every row read)", scratch))
    print(said("kept count, nothing written since", unchanged))
    print(said("kept count, one participant's row written since (and the write)", changed))
    print(f"from scratch / kept after one write: {statistics.median(scratch) / statistics.median(changed):.1f}")
    print(f"counts made by the kept count: {kept.computed}; the figures equal the count from scratch: yes")
    await engine.dispose()
    shutil.rmtree(folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("read_model", type=Path, help="a national run's readmodel.sqlite3")
    parser.add_argument("--cohort", default="2022")
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
