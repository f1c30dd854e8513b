"""Documents issued as their letters go out, on the dev server with no command: a group is released and the outbox
relay issues each passed student's transcript and the course participant's certificate before it sends the letter
that announces it; an appeal that changes the grade gets a new version the same way; the administration's command
(`starter.py documents`) then finds them all current and issues nothing twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from activities.documents import Documents, Held, documents_key
from activities.letters import Contact
from activities.relay import OutboxRelay, RelayPolicy
from domain.ids import AppealId
from domain.models import Grade
from gateway import commands
from gateway.end_of_year.appeal import register_appeal
from gateway.results import group_results, issue_documents
from runtime.wiring import relay_running
from tests.activities.outbox_helpers import mailer_for
from tests.activities.register import Register
from tests.conftest import Harness
from tests.smtp_server import Inbox, body
from tests.workflows.commission import EXAMINER, OFFICE, commission_decides, schedule_new_oral
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import acting, admin, graded_group, publish
from workflows.end_of_year.messages import NewOralAdjustmentInput

NAMES = ["Åse Ødegård", "Bjørn Færøy", "Cecilie Dahl", "Dag Løvås"]  # the factory's members of 5001, in order
WEB = "https://innovasjonsskolen.example.no"


@dataclass
class World:
    harness: Harness
    register: Register
    documents: Documents
    inbox: Inbox


@pytest.fixture
async def world(harness: Harness, smtp_server: Inbox, tmp_path: Path) -> AsyncIterator[World]:
    """The harness's worker, and beside it a relay with the documents, as runtime/wiring.build_relay makes it."""
    register = Register()
    for number, name in enumerate(NAMES):
        register.add(name, f"p{number}@5001.no")
    documents = Documents(harness.sessions, documents_key(b"k" * 32), tmp_path)
    policy = RelayPolicy(poll=timedelta(seconds=0.1), retry=timedelta(seconds=0.2))
    contact = Contact("stab@example.no", web=WEB)
    relay = OutboxRelay(harness.sessions, register, mailer_for(smtp_server), contact, policy, documents)
    async with relay_running(relay):
        yield World(harness, register, documents, smtp_server)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def letter_to(inbox: Inbox, number: int, subject: str) -> str:
    found = [body(m) for m in inbox.to(f"p{number}@5001.no") if subject in str(m["Subject"])]
    assert found, f"no letter «{subject}» to member {number + 1}"
    return found[-1]


async def test_release_issues_the_documents_before_their_letters_with_no_command(world: World) -> None:
    handle, ids = await graded_group(world.harness)  # B, D, one who took no part, a course participant
    await publish(handle)

    async def announced() -> dict[str, list[Held]]:
        result = letter_to(world.inbox, 0, "Resultatet av eksamen")
        assert "Karakterutskriften din er utstedt" in result and f"logg inn på {WEB}/" in result
        assert "kursbeviset som PDF" in letter_to(world.inbox, 3, "Kursbevis for")
        letter_to(world.inbox, 1, "Resultatet av eksamen")
        return {i: await world.documents.held(i) for i in ids}

    held = await eventually(announced)
    assert [(d.kind, d.version, d.current) for d in held[ids[0]]] == [("karakterutskrift", 1, True)]
    assert [(d.kind, d.version) for d in held[ids[3]]] == [("kursbevis", 1)]
    assert held[ids[2]] == []  # took no part: no result, no document
    transcript = await world.documents.download(ids[1], 1)
    assert transcript is not None and transcript.filename.startswith("karakterutskrift-")
    text = pdf_text(transcript.path)
    assert "Navn: Bjørn Færøy" in text and "Karakter: D" in text
    assert "Dag Løvås har gjennomført kurset" in pdf_text((await world.documents.download(ids[3], 1)).path)  # type: ignore[union-attr]

    # the administration's command afterwards: the same documents, nothing issued twice
    gateway = admin(world.harness)
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    again = await issue_documents(
        gateway, world.documents, world.register, cohort, await group_results(gateway, cohort, [handle.id])
    )
    assert sorted((d.participant_id, d.version) for d in again) == sorted([(ids[0], 1), (ids[1], 1), (ids[3], 1)])

    # an appeal that changes the grade: its letter comes with version 2, and version 1 is superseded
    appeal = AppealId.parse((await register_appeal(gateway, ids[1], acting(OFFICE))).appeal_workflow_id)
    await commission_decides(gateway, appeal, Grade.B)
    await schedule_new_oral(gateway, appeal)
    oral = NewOralAdjustmentInput(actor=EXAMINER, adjustment=0)
    await gateway.perform(commands.APPEAL_ORAL, appeal, oral, acting(EXAMINER))

    async def reissued() -> list[Held]:
        assert "Karakterutskriften din viser nå resultatet av klagen" in letter_to(world.inbox, 1, "Klagen din")
        return await world.documents.held(ids[1])

    versions = await eventually(reissued)
    assert [(d.version, d.current) for d in versions] == [(2, True), (1, False)]
    assert "Karakter: B" in pdf_text((await world.documents.download(ids[1], 2)).path)  # type: ignore[union-attr]
