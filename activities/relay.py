"""The outbox relay: an asyncio task beside the worker that delivers queued letters, each once.

Each pass reads the due letters and looks their readers up in the register; then, letter by letter, it claims the
letter (so no other relay sends it), renders it, hands it to the mail server and records the outcome (a letter sent
is recorded at once, so a later failure cannot undo it). What goes wrong is sorted by whose problem it is:

- the mail server cannot be reached or will not let us in (connection refused, timeout, TLS, login, sender
  refused): the letters stay queued without spending an attempt, and the relay waits longer each time (up to
  `outage_max`). An outage of a day delays letters; it does not lose them.
- the server refuses this letter: for good (5xx) it is marked undelivered at once; for now (4xx) or for a reason
  of our own (say a template error) it is tried again later, up to `max_attempts`, then marked undelivered.
- the reader is not in the register (erased): undelivered.

The reason recorded and logged is an error type and an SMTP code, never an address or a server's text (which
quotes addresses).
"""

from __future__ import annotations

import asyncio
import contextlib
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.common import MetricMeter

from activities.document_issuing import issue_announced
from activities.documents import Documents
from activities.letters import NOTICE, Contact, PeopleLookup, Person, render_letter
from activities.mailer import Mailer
from store import outbox
from store.db import write_whole
from store.tables import OutboxRecord

log = structlog.get_logger()
# the relay's metrics; their labels are the letter's kind and the recorded reason, never a person or an address
SENT, UNDELIVERED, BACKLOG = "nis_letters_sent", "nis_letters_undelivered", "nis_outbox_backlog"

# the server, not this letter: nothing about the letter would change on another try, so no attempt is counted
_SERVER_PROBLEMS = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPSenderRefused,
)


@dataclass(frozen=True)
class RelayPolicy:
    max_attempts: int = 5
    retry: timedelta = timedelta(seconds=60)  # after a letter's failed attempt; doubled after each
    outage_max: timedelta = timedelta(minutes=10)  # the longest wait while the server cannot be reached
    poll: timedelta = timedelta(seconds=2)
    # a letter claimed (just before it is sent) is left alone by other relays this long: far above one send, which
    # the mailer's timeout bounds (NIS_SMTP_TIMEOUT, 30 s a step)
    lease: timedelta = timedelta(minutes=5)
    batch: int = 50


class MailServerUnreachable(Exception):
    """The mail server cannot be reached or will not take mail from us; the letters stay queued."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Outcome(Enum):
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class _Failure:
    reason: str
    final: bool  # the server refused this letter for good


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        people: PeopleLookup,
        mailer: Mailer,
        contact: Contact,
        policy: RelayPolicy | None = None,
        documents: Documents | None = None,  # issues the document a letter announces before it is sent
        meter: MetricMeter | None = None,
    ) -> None:
        self._sessions = sessions
        self._people = people
        self._mailer = mailer
        self._contact = contact  # also the staff letters' address
        self._documents = documents
        self.policy = policy or RelayPolicy()
        self._woken = asyncio.Event()
        self._outages = 0  # passes in a row that found the server unreachable
        self._claimed = 0  # letters the last pass took on
        meter = meter or MetricMeter.noop  # the worker's runtime's meter: these go out beside the SDK's metrics
        self._sent = meter.create_counter(SENT, "Letters handed to the mail server", "letters")
        self._undelivered = meter.create_counter(
            UNDELIVERED, "Letters given up on (refused for good, or too many attempts)", "letters"
        )
        self._backlog = meter.create_gauge(BACKLOG, "Letters queued in the outbox, due or waiting to retry", "letters")

    def wake(self) -> None:
        """Letters were queued: deliver them now rather than at the next poll (unless the server is down)."""
        self._woken.set()

    async def run(self, stop: asyncio.Event) -> None:
        log.info("outbox relay started", server=f"{self._mailer.host}:{self._mailer.port}")
        while not stop.is_set():
            self._woken.clear()
            await self._wait(stop, await self._pass())
        log.info("outbox relay stopped")

    async def _pass(self) -> timedelta:
        """One pass; returns how long to wait before the next."""
        try:
            await self.deliver_due()
        except MailServerUnreachable as down:
            self._outages += 1
            pause = self._outage_pause(self._outages)
            log.warning(
                "mail server unreachable, letters stay queued",
                reason=down.reason,
                retry_in_seconds=pause.total_seconds(),
            )
            return pause
        except Exception as error:  # noqa: BLE001 - the database or the register failing must not end the relay
            log.error("outbox relay pass failed", error=type(error).__name__)
            return self.policy.poll
        if self._outages and self._claimed:  # a pass with nothing due has not heard from the server
            log.info("mail server reachable again", after_passes=self._outages)
            self._outages = 0
        return self.policy.poll

    async def _wait(self, stop: asyncio.Event, pause: timedelta) -> None:
        waits = [asyncio.ensure_future(stop.wait())]
        if not self._outages:
            waits.append(asyncio.ensure_future(self._woken.wait()))
        try:
            await asyncio.wait(waits, timeout=pause.total_seconds(), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    def _outage_pause(self, outages: int) -> timedelta:
        pause: timedelta = self.policy.retry * 2 ** (outages - 1)
        return min(pause, self.policy.outage_max)

    async def deliver_due(self) -> int:
        """Deliver the letters due now; returns how many were sent. Raises MailServerUnreachable for a server down.

        Each letter is claimed just before it is sent, not the batch at once: a batch that outlasts the lease
        (a slow server) must not let another relay claim and send its last letters again."""
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            rows = await outbox.due(session, now, self.policy.batch)
            self._backlog.set(await outbox.backlog(session))
        self._claimed = 0
        if not rows:
            return 0
        readers = await self._people.get_many({row.person_id for row in rows if row.person_id != outbox.STAFF})
        sent = 0
        for row in rows:
            if not await self._claim(row):
                continue  # another relay took it, sent it or failed it since the query
            self._claimed += 1
            try:
                # shielded: a letter handed to the server is recorded as sent even if the relay is cancelled
                outcome = await asyncio.shield(self._deliver(row, readers))
            except MailServerUnreachable:
                await self._release([row], now + self._outage_pause(self._outages + 1))
                raise
            sent += outcome is _Outcome.SENT
        return sent

    async def _claim(self, row: OutboxRecord) -> bool:
        now = datetime.now(UTC)
        return await write_whole(self._sessions, lambda session: outbox.claim(session, row, now, self.policy.lease))

    async def _deliver(self, row: OutboxRecord, readers: Mapping[str, Person]) -> _Outcome:
        reader = readers.get(row.person_id)
        if row.person_id != outbox.STAFF and reader is None:
            await self._failed(row, _Failure("recipient not in the register", final=True))
            return _Outcome.FAILED
        address = reader.email if reader else self._contact.email
        try:
            await issue_announced(self._documents, row, reader)
            letter = render_letter(NOTICE.validate_json(row.notice), reader.name if reader else None, self._contact)
            await self._mailer.send(address, letter, row.idempotency_key)
        except Exception as error:  # noqa: BLE001 - sorted by `_classify`; anything else is this letter's problem
            await self._failed(row, _classify(error))
            return _Outcome.FAILED
        sent_at = datetime.now(UTC)
        await write_whole(self._sessions, lambda session: outbox.mark_sent(session, row.idempotency_key, sent_at))
        self._sent.add(1, {"kind": row.kind})
        log.info("letter sent", key=row.idempotency_key, kind=row.kind)
        return _Outcome.SENT

    async def _failed(self, row: OutboxRecord, failure: _Failure) -> None:
        attempts = row.attempts + 1
        final = failure.final or attempts >= self.policy.max_attempts
        retry_at = None if final else datetime.now(UTC) + self.policy.retry * 2 ** (attempts - 1)
        await write_whole(
            self._sessions, lambda session: outbox.mark_failed(session, row.idempotency_key, failure.reason, retry_at)
        )
        if final:
            self._undelivered.add(1, {"kind": row.kind, "reason": failure.reason})
        event = "letter undelivered" if final else "letter not delivered, will retry"
        log.warning(event, key=row.idempotency_key, kind=row.kind, reason=failure.reason, attempts=attempts)

    async def _release(self, rows: Sequence[OutboxRecord], retry_at: datetime) -> None:
        with contextlib.suppress(Exception):  # a failed release only means the lease runs out first
            keys = [row.idempotency_key for row in rows]
            await write_whole(self._sessions, lambda session: outbox.release(session, keys, retry_at))


def _classify(error: Exception) -> _Failure:
    """Raises `MailServerUnreachable` for the server's problems; otherwise what to record for this letter."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return _Failure(f"SMTPRecipientsRefused {'/'.join(map(str, codes))}", final=all(c >= 500 for c in codes))
    if isinstance(error, _SERVER_PROBLEMS):
        raise MailServerUnreachable(_reason(error)) from error
    if isinstance(error, smtplib.SMTPResponseException):
        return _Failure(_reason(error), final=error.smtp_code >= 500)
    if isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException):
        raise MailServerUnreachable(_reason(error)) from error  # refused, reset, timed out, TLS handshake
    return _Failure(type(error).__name__, final=False)


def _reason(error: Exception) -> str:
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
