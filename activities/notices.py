"""Notices to users in Norwegian bokmål: written to the outbox once, sent once.

Each template is filled from the input's `context` plus the recipient's `name`. Keys a template uses:
`cohort`, `municipalities`, `errors`, `deadline`, `selection_date`, `first_gathering`, `position`,
`number`, `theme`, `start`, `end`, `requirement`, `feedback`, `time`, `place`, `grade`, `appeal_deadline`,
`certificate`, `group`, `since`. A key the workflow leaves out is shown as "(ikke oppgitt)".
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.mailer import Mailer
from activities.models import NoticeKind, Recipient, SendNoticeInput, SendNoticeResult
from store.db import insert_if_absent
from store.tables import OutboxRecord

__all__ = ["TEMPLATES", "Mailer", "NoticeActivities", "outbox_key", "render_notice"]

# an unsent outbox row: idempotency key, recipient, subject, body
Pending = Row[str, str, str, str]

MISSING = "(ikke oppgitt)"
SCHOOL = "Nasjonal innovasjonsskole for kommunesektoren"
CONTACT = "Ta kontakt med studieadministrasjonen snarest."

TEMPLATES: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.APPLICATION_RECEIVED: (
        "Søknaden er mottatt - kull {cohort}",
        "Vi har mottatt søknaden fra {municipalities} til kull {cohort}. Dere får svar etter utvelgelsen "
        "{selection_date}.",
    ),
    NoticeKind.APPLICATION_INCOMPLETE: (
        "Søknaden er ufullstendig - kull {cohort}",
        "Søknaden fra {municipalities} til kull {cohort} kan ikke behandles slik den er. Dette må rettes:\n"
        "{errors}\n\nSend en rettet søknad innen søknadsfristen {deadline}.",
    ),
    NoticeKind.ADMITTED: (
        "Tilbud om plass - kull {cohort}",
        "{municipalities} har fått plass på kull {cohort}. Første samling starter {first_gathering}.",
    ),
    NoticeKind.WAITLISTED: (
        "Venteliste - kull {cohort}",
        "{municipalities} har ikke fått plass på kull {cohort} nå, men står som nummer {position} på "
        "ventelisten. Blir en plass ledig før første samling, får dere beskjed.",
    ),
    NoticeKind.NOT_SELECTED: (
        "Svar på søknaden - kull {cohort}",
        "Vi har dessverre ikke plass til {municipalities} på kull {cohort}. Plassene er fordelt slik at alle "
        "landsdeler og både små og store kommuner er med, og resten ved loddtrekning. Velkommen til å søke igjen.",
    ),
    NoticeKind.MOVED_UP: (
        "Plass fra ventelisten - kull {cohort}",
        "En plass er blitt ledig, og {municipalities} har fått plass på kull {cohort}. Første samling starter "
        "{first_gathering}.",
    ),
    NoticeKind.GATHERING_AHEAD: (
        "Påminnelse: samling {number} - {theme}",
        "Samling {number}, «{theme}», varer fra {start} til {end}. Velkommen!",
    ),
    NoticeKind.REQUIREMENT_DEADLINE_AHEAD: (
        "Påminnelse: frist for arbeidskrav «{requirement}»",
        "Fristen for arbeidskrav «{requirement}» er {deadline}. Gruppen leverer samlet.",
    ),
    NoticeKind.REQUIREMENT_DEADLINE_PASSED: (
        "Fristen for arbeidskrav «{requirement}» er passert",
        "Fristen for arbeidskrav «{requirement}» gikk ut {deadline} uten at vi har mottatt noen innlevering. "
        + CONTACT,
    ),
    NoticeKind.REQUIREMENT_RETURNED: (
        "Arbeidskrav «{requirement}» er ikke godkjent",
        "Arbeidskrav «{requirement}» er sendt tilbake med denne tilbakemeldingen:\n\n{feedback}\n\n"
        "Gruppen kan levere på nytt én gang, innen {deadline}.",
    ),
    NoticeKind.REQUIREMENT_APPROVED: (
        "Arbeidskrav «{requirement}» er godkjent",
        "Arbeidskrav «{requirement}» er godkjent.",
    ),
    NoticeKind.REQUIREMENT_FAILED: (
        "Arbeidskrav «{requirement}» er ikke bestått",
        "Arbeidskrav «{requirement}» er ikke godkjent etter ny innlevering, og du kan derfor ikke ta eksamen "
        "i kull {cohort}. " + CONTACT,
    ),
    NoticeKind.WRITTEN_DEADLINE_AHEAD: (
        "Påminnelse: frist for skriftlig eksamen",
        "Fristen for å levere den skriftlige gruppeoppgaven er {deadline}.",
    ),
    NoticeKind.WRITTEN_DEADLINE_MISSED: (
        "Skriftlig eksamen er ikke levert",
        "Fristen for den skriftlige gruppeoppgaven gikk ut {deadline} uten at vi har mottatt noen besvarelse. "
        + CONTACT,
    ),
    NoticeKind.ORAL_EXAM_TIME: (
        "Tidspunkt for muntlig eksamen",
        "Gruppen har muntlig eksamen {time}, sted: {place}. Den muntlige eksamenen brukes til å justere "
        "karakteren på den skriftlige oppgaven.",
    ),
    NoticeKind.RESULT_PUBLISHED: (
        "Resultatet er klart - kull {cohort}",
        "Du har fått karakteren {grade} på eksamen i kull {cohort}. Klagefristen er {appeal_deadline}.",
    ),
    NoticeKind.CERTIFICATE_ISSUED: (
        "Kursbevis - kull {cohort}",
        "Du har fullført kull {cohort} og får kursbevis (nummer {certificate}). Gratulerer!",
    ),
    NoticeKind.APPROVAL_WAITING: (
        "Venter på vurdering: arbeidskrav «{requirement}»",
        "Arbeidskrav «{requirement}» fra gruppe {group} i kull {cohort} har ventet på vurdering siden {since}.",
    ),
    NoticeKind.PLACE_GIVEN_UP: (
        "Bekreftelse: plassen er gitt fra seg - kull {cohort}",
        "Vi bekrefter at {municipalities} har gitt fra seg plassen på kull {cohort}. Plassen går videre til "
        "neste på ventelisten.",
    ),
    NoticeKind.WITHDRAWN: (
        "Bekreftelse: du er meldt ut - kull {cohort}",
        "Vi bekrefter at du er meldt ut av kull {cohort}.",
    ),
}


class _Context(dict[str, str]):
    # format_map asks __missing__ for absent keys, so a forgotten key degrades the text instead of failing
    def __missing__(self, key: str) -> str:
        return MISSING


def render_notice(kind: NoticeKind, name: str, context: Mapping[str, str]) -> tuple[str, str]:
    """The subject and body of one notice to one person."""
    subject, text = TEMPLATES[kind]
    values = _Context({**context, "name": name})
    body = f"Hei {{name}},\n\n{text}\n\nVennlig hilsen\n{SCHOOL}\n"
    return subject.format_map(values), body.format_map(values)


def outbox_key(notice_key: str, email: str) -> str:
    # per recipient, without putting the address itself into a key that may be logged
    return f"{notice_key}:{hashlib.sha256(email.encode()).hexdigest()[:12]}"


class NoticeActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], mailer: Mailer | None) -> None:
        self._sessions = session_factory
        self._mailer = mailer

    @activity.defn
    async def send_notice(self, input: SendNoticeInput) -> SendNoticeResult:
        pending, created = await self._enqueue(input)
        sent = await self._deliver(self._mailer, pending) if self._mailer else 0
        activity.logger.info("notice %s %s: %d new, %d sent", input.kind.value, input.key, created, sent)
        return SendNoticeResult(created=created, sent=sent)

    async def _enqueue(self, input: SendNoticeInput) -> tuple[Sequence[Pending], int]:
        """Writes the rows that are missing; returns the unsent ones of this notice and the count of new rows."""
        rows = {outbox_key(input.key, r.email): self._row(input, r) for r in input.recipients}
        async with self._sessions() as session, session.begin():
            created = sum([await insert_if_absent(session, OutboxRecord, row) for row in rows.values()])
            unsent = await session.execute(
                select(OutboxRecord.idempotency_key, OutboxRecord.recipient, OutboxRecord.subject, OutboxRecord.body)
                .where(OutboxRecord.idempotency_key.in_(rows), OutboxRecord.sent_at.is_(None))
                .order_by(OutboxRecord.idempotency_key)
            )
            return unsent.all(), created

    @staticmethod
    def _row(input: SendNoticeInput, recipient: Recipient) -> dict[str, object]:
        subject, body = render_notice(input.kind, recipient.name, input.context)
        return {
            "idempotency_key": outbox_key(input.key, recipient.email),
            "recipient": recipient.email,
            "template": input.kind.value,
            "subject": subject,
            "body": body,
            "created_at": datetime.now(UTC),
            "sent_at": None,
            "attempts": 0,
        }

    async def _deliver(self, mailer: Mailer, pending: Sequence[Pending]) -> int:
        failures: list[Exception] = []
        for key, recipient, subject, body in pending:
            one = asyncio.ensure_future(self._send_one(mailer, key, recipient, subject, body))
            try:
                error = await asyncio.shield(one)
            except asyncio.CancelledError:
                # The worker is stopping or the activity timed out. A message handed to SMTP must still be
                # recorded as sent, or the retry would send it a second time.
                await one
                raise
            if error is not None:
                failures.append(error)
        if failures:
            raise _delivery_error(failures, len(pending))
        return len(pending)

    async def _send_one(self, mailer: Mailer, key: str, recipient: str, subject: str, body: str) -> Exception | None:
        try:
            await mailer.send(recipient, subject, body, key)
        except (smtplib.SMTPException, OSError) as error:
            await self._mark(key, sent=False)
            return error
        # committed per message, so a later failure cannot undo the record of one already sent
        await self._mark(key, sent=True)
        return None

    async def _mark(self, key: str, *, sent: bool) -> None:
        values: dict[str, object] = {"attempts": OutboxRecord.attempts + 1}
        if sent:
            values["sent_at"] = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            await session.execute(update(OutboxRecord).where(OutboxRecord.idempotency_key == key).values(values))


def _delivery_error(failures: list[Exception], total: int) -> ApplicationError:
    # only exception types: SMTP error texts quote addresses, and failures are stored in workflow history
    kinds = sorted({type(error).__name__ for error in failures})
    refused_only = all(isinstance(e, smtplib.SMTPRecipientsRefused) for e in failures)
    return ApplicationError(
        f"{len(failures)} of {total} notices not delivered ({', '.join(kinds)})",
        type="NoticeNotDelivered",
        # a refused address will be refused again; anything else (server down, timeout) may pass on retry
        non_retryable=refused_only,
    )
