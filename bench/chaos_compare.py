"""The fault test's findings (bench/chaos.py): every difference between the undisturbed and the chaos run in the
report, the letters (per kind and recipient, per event, each once), the audit entries (each once), and whether every
history of the chaos run replays on the current code."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaos_runs import Run
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory

from runtime.codec import data_converter
from runtime.wiring import replayer

MOMENT = re.compile(r"(?<![0-9a-f])\d{9,11}(?![0-9a-f])")  # a Unix timestamp in a key or reason, not in a hash


def compare_reports(calm: dict[str, Any], chaos: dict[str, Any]) -> list[str]:
    differences = []
    for name in ("cohort", "seed", "places", "notices_sent", "admin_actions", "refused_actions"):
        if calm.get(name) != chaos.get(name):
            differences.append(f"report {name}: undisturbed {calm.get(name)!r}, chaos {chaos.get(name)!r}")
    for section in ("applications", "participants"):
        differences += _compare_by_id(section, calm.get(section, []), chaos.get(section, []))
    return differences


def _compare_by_id(section: str, calm: list[dict[str, Any]], chaos: list[dict[str, Any]]) -> list[str]:
    before, after = {row["id"]: row for row in calm}, {row["id"]: row for row in chaos}
    differences = [f"{section}: {key} only in the undisturbed run" for key in sorted(before.keys() - after.keys())]
    differences += [f"{section}: {key} only in the chaos run" for key in sorted(after.keys() - before.keys())]
    for key in sorted(before.keys() & after.keys()):
        for name in sorted(before[key].keys() | after[key].keys()):
            if before[key].get(name) != after[key].get(name):
                differences.append(
                    f"{section}: {key} {name}: undisturbed {before[key].get(name)!r}, chaos {after[key].get(name)!r}"
                )
    return differences


def _rows(database: Path, table: str) -> list[dict[str, Any]]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]
        except sqlite3.OperationalError:
            return []


def _pick(row: dict[str, Any], *names: str) -> Any:
    """The first column of these the read model has: the outbox and audit columns are being reshaped."""
    return next((row[name] for name in names if name in row), None)


def _stable(text: object) -> str:
    """A key or reason with the run's own moments taken out: the two runs' calendars start at different times."""
    value = re.sub(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?", "<time>", str(text))
    value = re.sub(r"\d{2}\.\d{2}\.\d{4}( \d{2}:\d{2})?", "<time>", value)
    return MOMENT.sub("<time>", value)


def _person(recipient: object) -> str:
    """Recipients as they appear in the read model, without printing an e-mail address."""
    text = str(recipient)
    return f"address#{hashlib.sha256(text.encode()).hexdigest()[:8]}" if "@" in text else text


def _event_keys(keys: Iterable[str]) -> list[tuple[str, str]]:
    """(event, recipient) of outbox keys `<workflow id>:<event>:<recipient>`, with each moment in an event (a
    deadline's timestamp) replaced by its rank among that event's moments: the runs' calendars start at different
    times, but the first and the second deadline of a requirement are two events in both."""
    parts = [(key.rpartition(":")[0], key.rpartition(":")[2]) for key in keys]
    moments: dict[str, set[str]] = {}
    for event, _ in parts:
        moments.setdefault(MOMENT.sub("@", event), set()).update(MOMENT.findall(event))
    rank = {
        masked: {moment: f"moment{i}" for i, moment in enumerate(sorted(found, key=int), 1)}
        for masked, found in moments.items()
    }
    return [
        (MOMENT.sub(lambda m: rank[MOMENT.sub("@", m.string)][m.group(0)], event), recipient)
        for event, recipient in parts
    ]


@dataclass(frozen=True)
class Letters:
    per_kind_and_person: Counter[tuple[str, str]]
    per_event: dict[str, Counter[str]]  # event -> letters per recipient

    @classmethod
    def read(cls, database: Path) -> Letters:
        rows = _rows(database, "outbox")
        kinds = Counter((str(_pick(r, "kind", "template")), _person(_pick(r, "person_id", "recipient"))) for r in rows)
        events: dict[str, Counter[str]] = {}
        for event, recipient in _event_keys(str(_pick(r, "idempotency_key", "key")) for r in rows):
            events.setdefault(event, Counter())[recipient] += 1
        return cls(kinds, events)


def compare_letters(calm: Letters, chaos: Letters) -> list[str]:
    differences = [
        f"letters: {event} to {recipient} written {n} times in the {name} run"
        for name, letters in (("undisturbed", calm), ("chaos", chaos))
        for event, recipients in sorted(letters.per_event.items())
        for recipient, n in sorted(recipients.items())
        if n > 1
    ]
    for kind, person in sorted(calm.per_kind_and_person.keys() | chaos.per_kind_and_person.keys()):
        before, after = calm.per_kind_and_person[kind, person], chaos.per_kind_and_person[kind, person]
        if before != after:
            differences.append(f"letters {kind} to {person}: undisturbed {before}, chaos {after}")
    for event in sorted(calm.per_event.keys() | chaos.per_event.keys()):
        sent, also = calm.per_event.get(event, Counter()), chaos.per_event.get(event, Counter())
        if sent != also:
            differences.append(f"letter event {event}: undisturbed {sent.total()} letters, chaos {also.total()}")
    return differences


def audit_entries(database: Path) -> tuple[Counter[tuple[str, str, str, str, str]], list[str]]:
    """Entries without their moments, counted; and the entries written more than once within the run."""
    rows = _rows(database, "audit")
    entries = Counter(
        (str(r["workflow_id"]), str(r["action"]), str(r["outcome"]), str(r["actor"]), _stable(r["reason"]))
        for r in rows
    )
    exact = Counter((r["workflow_id"], r["action"], r["outcome"], r["actor"], r["reason"], r["at"]) for r in rows)
    doubled = [
        f"{w} {a} {o} at {at}: {n} times" for (w, a, o, _actor, _reason, at), n in sorted(exact.items()) if n > 1
    ]
    keys = Counter(r["idempotency_key"] for r in rows if r.get("idempotency_key"))
    doubled += [f"key {key}: {n} times" for key, n in sorted(keys.items()) if n > 1]
    return entries, doubled


def compare_audit(calm: Path, chaos: Path) -> list[str]:
    (before, doubled_before), (after, doubled_after) = audit_entries(calm), audit_entries(chaos)
    differences = [f"audit entry doubled in the undisturbed run: {d}" for d in doubled_before]
    differences += [f"audit entry doubled in the chaos run: {d}" for d in doubled_after]
    for entry in sorted(before.keys() | after.keys()):
        if before[entry] != after[entry]:
            differences.append(f"audit {' | '.join(entry)}: undisturbed {before[entry]}, chaos {after[entry]}")
    return differences


async def histories(client: Client, cohort: str) -> list[WorkflowHistory]:
    """Every run of every workflow of the cohort, continued-as-new ones included."""
    found = [execution async for execution in client.list_workflows(f"NisCohort = '{cohort}'")]
    return [await client.get_workflow_handle(e.id, run_id=e.run_id).fetch_history() for e in found]


async def replay(found: Iterable[WorkflowHistory], key: bytes) -> list[str]:
    replaying = replayer(data_converter(key))
    failures = []
    for history in found:
        result = await replaying.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            failures.append(f"{history.workflow_id}: {str(result.replay_failure).splitlines()[0][:300]}")
    return failures


def task_failures(found: Iterable[WorkflowHistory]) -> Counter[str]:
    """Failed workflow tasks by workflow and cause: a nondeterminism error here is a wedged workflow."""
    failed: Counter[str] = Counter()
    for history in found:
        for event in history.events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
                cause = event.workflow_task_failed_event_attributes
                failed[f"{history.workflow_id}: {cause.failure.message[:160] or cause.cause}"] += 1
    return failed


async def compare(calm: Run, chaos: Run, cohort: str) -> list[str]:
    differences = [f"{run.name} run: {run.failure}" for run in (calm, chaos) if run.failure]
    if calm.report is None or chaos.report is None:
        differences += [f"{run.name} run: no final report" for run in (calm, chaos) if run.report is None]
    else:
        differences += compare_reports(calm.report, chaos.report)
    differences += compare_letters(Letters.read(calm.readmodel), Letters.read(chaos.readmodel))
    differences += compare_audit(calm.readmodel, chaos.readmodel)
    assert chaos.client is not None
    recorded = await asyncio.wait_for(histories(chaos.client, cohort), 120)
    failed = await replay(recorded, base64.b64decode(chaos.key))
    print(f"Replay: {len(recorded) - len(failed)} of {len(recorded)} histories of the chaos run replay")
    differences += [f"replay fails: {failure}" for failure in failed]
    for what, n in sorted(task_failures(recorded).items()):
        line = f"workflow task failed {n}x in the chaos run: {what}"
        if "nondetermin" in what.lower() or "TMPRL1100" in what:
            differences.append(line)
        else:
            print(f"  (noted) {line}")
    return differences
