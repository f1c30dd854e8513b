"""The relay issues the document a letter announces before it sends the letter: from the read model's rows, written
in the same effects write as the letter; a letter whose document cannot be issued yet waits (a failed attempt of its
own, tried again), and a second delivery attempt issues nothing twice. An F gets its letter and no document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from temporalio.testing import ActivityEnvironment

from activities.document_issuing import issue_announced
from activities.documents import Documents, documents_key
from activities.effects import EffectsActivities
from activities.letters import Contact
from activities.models import GroupRow, ParticipantRow, ProjectInput, SendNoticeInput, WriteEffectsInput
from activities.relay import OutboxRelay, RelayPolicy
from domain.models import Grade
from store.outbox import Status
from tests.activities.outbox_helpers import KARI, Sessions, mailer_for, rows
from tests.activities.register import Register
from tests.activities.samples import samples
from tests.smtp_server import Inbox, body

GROUP = "kull-2022.gruppe-1804"
MEMBER = f"{GROUP}.deltaker-1"
RELEASED = datetime(2023, 6, 9, 12, 0, tzinfo=UTC)


def released(person_id: str, grade: str) -> ProjectInput:
    """The group's and the member's rows as the group workflow writes them at release."""
    group = GroupRow(
        group_id=GROUP,
        cohort="2022",
        application_id="1804",
        municipalities="1804",
        region="Nord-Norge",
        size="large",
        outcome="admitted",
        stage="published",
        published_at=RELEASED,
    )
    member = ParticipantRow(
        participant_id=MEMBER,
        group_id=GROUP,
        cohort="2022",
        sector="helse_omsorg",
        track="student",
        stage="ended",
        exam_eligible=True,
        final_grade=grade,
        credits=0 if grade == "F" else 30,
        person_id=person_id,
    )
    return ProjectInput(groups=[group], participants=[member])


def result_letter(person_id: str, grade: Grade = Grade.B) -> SendNoticeInput:
    notice = samples()["result_published"].model_copy(update={"grade": grade, "credits": 0 if grade == "F" else 30})
    return SendNoticeInput(key=f"{GROUP}:result:1", notice=notice, recipients=[person_id])


async def write(sessions: Sessions, notices: list[SendNoticeInput], project: ProjectInput | None = None) -> None:
    effects = WriteEffectsInput(notices=notices, rows=project or ProjectInput())
    await ActivityEnvironment().run(EffectsActivities(sessions).write, effects)


def relay(sessions: Sessions, register: Register, inbox: Inbox, documents: Documents) -> OutboxRelay:
    policy = RelayPolicy(retry=timedelta(0), poll=timedelta(seconds=0.05))
    return OutboxRelay(sessions, register, mailer_for(inbox), Contact("stab@example.no"), policy, documents)


async def test_the_transcript_is_issued_before_its_letter_and_never_twice(
    session_factory: Sessions, smtp_server: Inbox, tmp_path: Path
) -> None:
    register = Register()
    kari = register.add(*KARI)
    documents = Documents(session_factory, documents_key(b"k" * 32), tmp_path)
    sending = relay(session_factory, register, smtp_server, documents)

    await write(session_factory, [result_letter(kari)])  # a letter whose release is not in the read model
    assert await sending.deliver_due() == 0
    [waiting] = await rows(session_factory)
    assert (waiting.status, waiting.reason, waiting.attempts) == (Status.QUEUED, "DocumentNotIssued", 1)
    assert smtp_server.messages == [] and await documents.held(MEMBER) == []

    await write(session_factory, [], released(kari, "B"))  # the release's rows: now the letter goes, after its PDF
    assert await sending.deliver_due() == 1
    [held] = await documents.held(MEMBER)
    assert (held.kind, held.version, held.current) == ("karakterutskrift", 1, True)
    assert "Karakterutskriften din er utstedt" in body(smtp_server.to(KARI[1])[0])

    [sent] = await rows(session_factory)
    await issue_announced(documents, sent, register.people[kari])  # a second delivery of the same letter
    assert [d.version for d in await documents.held(MEMBER)] == [1]


async def test_an_f_gets_its_letter_and_no_document(
    session_factory: Sessions, smtp_server: Inbox, tmp_path: Path
) -> None:
    register = Register()
    kari = register.add(*KARI)
    documents = Documents(session_factory, documents_key(b"k" * 32), tmp_path)
    await write(session_factory, [result_letter(kari, Grade.F)], released(kari, "F"))
    assert await relay(session_factory, register, smtp_server, documents).deliver_due() == 1
    letter = body(smtp_server.to(KARI[1])[0])
    assert "eksamen ikke er bestått" in letter and "Karakterutskrift" not in letter
    assert await documents.held(MEMBER) == []
