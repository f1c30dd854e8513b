"""A notice as letters: one queued row in the outbox per reader, and that is all. The effects write
(activities/effects.py) queues them in the same transaction as the workflow task's audit entries and rows.

Delivery is the outbox relay's job (activities/relay.py), outside any workflow: a mail server that is down or slow
never holds up a timer, an admin action or the rest of a cohort. The rows hold the notice's facts and the person
ID only; the letter is rendered from the register when it is delivered or shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from activities.models import SendNoticeInput
from store import outbox

__all__ = ["outbox_rows"]


def outbox_rows(input: SendNoticeInput, now: datetime) -> list[dict[str, Any]]:
    readers = dict.fromkeys([*input.recipients, *([outbox.STAFF] if input.staff else [])])  # each once, in order
    notice = input.notice.model_dump_json()
    return [
        outbox.queued(f"{input.key}:{reader}", input.notice.cohort, input.notice.kind, notice, reader, now)
        for reader in readers
    ]
