"""The read model's writes as the effects activity makes them (activities/effects.py): one transaction a workflow task,
here a group's attendance (the group's row, its four participants', an audit entry and a letter), through the same
helpers (`write_whole`, `upsert_row_sync`, `record_audit_sync`, `outbox.queue_sync`). Prints the time a transaction
takes and the process CPU a row costs; in the national year this was a third of the worker's Python time.

    .venv/bin/python bench/store_writes.py [--writes 2000] [--database-url URL]

Without --database-url it writes a SQLite file in a fresh temporary folder (the default deployment's)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from store import outbox
from store.db import create_schema, make_engine, make_session_factory, record_audit_sync, upsert_row_sync, write_whole
from store.tables import GroupRecord, ParticipantRecord

GROUPS = 357
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


class Audit:
    def __init__(self, n: int, group: str) -> None:
        self.key, self.workflow_id = f"{group}:audit:{n}", group
        self.actor, self.action, self.outcome, self.reason = "ole.faglaerer", "register_attendance", "accepted", None
        self.at, self.params = NOW, {"gathering": 2, "present_day_1": 4}
        self.problems: list[dict[str, Any]] = []


def group_row(group: str, n: int) -> dict[str, Any]:
    requirements = [
        {"number": i, "status": "approved" if i <= n % 4 else "open", "deadline": NOW.isoformat()} for i in range(1, 5)
    ]
    return {
        "group_id": group, "cohort": "2022", "application_id": group[-4:], "municipalities": group[-4:],
        "region": "Østlandet", "size": "medium", "outcome": "admitted", "stage": "programme",
        "requirements_approved": n % 4, "written_grade": None, "written_submitted": False, "published_at": None,
        "requirements": requirements, "pending": [{"code": "group.attendance_due", "params": {"gathering": 2}}],
        "updated_at": NOW,
    }  # fmt: skip


def participant_row(group: str, member: int, n: int) -> dict[str, Any]:
    return {
        "participant_id": f"{group}.deltaker-{member}", "group_id": group, "cohort": "2022", "sector": "kommune",
        "track": "credits", "stage": "programme", "attendance_days": n % 12, "requirements_approved": n % 4,
        "withdrawn": False, "non_participating": False, "exam_eligible": False, "written_grade": None,
        "oral_adjustment": None, "final_grade": None, "credits": 0, "certificate": None, "updated_at": NOW,
    }  # fmt: skip


def letter(group: str, n: int) -> dict[str, Any]:
    return {
        "idempotency_key": f"{group}:notice:{n}", "cohort": "2022", "kind": "attendance_registered", "notice": "{}",
        "person_id": "staff", "status": "queued", "reason": None, "attempts": 0, "next_attempt_at": NOW,
        "created_at": NOW, "sent_at": None,
    }  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    url = args.database_url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='bench-writes-')) / 'rm.sqlite3'}"
    engine = make_engine(url)
    await create_schema(engine)
    sessions = make_session_factory(engine)
    took: list[float] = []
    cpu_started = time.process_time()
    for n in range(args.writes):
        group = f"kull-2022.gruppe-{1000 + n % GROUPS}"

        def attendance(session: Session, n: int = n, group: str = group) -> None:
            outbox.queue_sync(session, [letter(group, n)])
            record_audit_sync(session, Audit(n, group))
            upsert_row_sync(session, GroupRecord, group_row(group, n))
            for member in range(1, 5):
                upsert_row_sync(session, ParticipantRecord, participant_row(group, member, n))

        started = time.perf_counter()
        await write_whole(sessions, attendance)
        took.append((time.perf_counter() - started) * 1000)
    cpu = time.process_time() - cpu_started
    await engine.dispose()
    rows = args.writes * 7
    quantiles = statistics.quantiles(took, n=100)
    print(f"database: {engine.url.get_backend_name()}; {args.writes} transactions of 7 rows each")
    print(f"transaction: p50 {quantiles[49]:.2f} ms, p99 {quantiles[98]:.2f} ms, mean {statistics.mean(took):.2f} ms")
    print(f"process CPU: {cpu:.2f} s, {cpu / rows * 1e6:.0f} µs a row")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    asyncio.run(main(parser.parse_args()))
