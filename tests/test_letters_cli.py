"""`starter.py letters`: what the study administration reads of a cohort's letters, rendered from the outbox and
the register, with each letter's delivery status."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import starter
from activities.letters import PeopleLookup
from cli.letters import run, show_letters
from runtime.settings import Settings
from store.db import create_schema, make_engine, make_session_factory
from tests.activities.outbox_helpers import KARI, OLA, mailer_for, people, queue_letters, relay_for, returned
from tests.activities.register import Register
from tests.smtp_server import Inbox


async def cohort_with_letters(settings: Settings, inbox: Inbox) -> tuple[Register, str, str]:
    """Three letters of cohort 2022: one sent, one refused by the mail server, one to the staff still queued."""
    register, kari, ola = people()
    inbox.refuse.add(OLA[1])
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    sessions = make_session_factory(engine)
    await queue_letters(sessions, returned(kari, ola))
    await relay_for(sessions, register, mailer_for(inbox)).deliver_due()
    await queue_letters(sessions, returned(staff=True, key="kull-2022:late"))
    await engine.dispose()
    return register, kari, ola


def opener(register: Register) -> Callable[[Settings, async_sessionmaker[AsyncSession]], PeopleLookup]:
    def open_register(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> PeopleLookup:
        return register

    return open_register


async def test_the_json_lists_every_letter_rendered_with_its_status(
    tmp_path: Path, smtp_server: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path, staff_email="stab@example.no")
    register, kari, ola = await cohort_with_letters(settings, smtp_server)
    capsys.readouterr()  # the relay's log lines
    code = await show_letters(argparse.Namespace(cohort="2022", json=True), settings, opener(register))
    letters = {letter["person"]: letter for letter in json.loads(capsys.readouterr().out)}
    assert code == 0 and set(letters) == {kari, ola, "staff"}
    assert all(set(letter) == {"kind", "person", "subject", "body", "status", "reason"} for letter in letters.values())
    assert letters[kari]["status"] == "sent" and letters[kari]["kind"] == "requirement_returned"
    assert (
        letters[kari]["subject"]
        == "Arbeidskrav 2 «Innsikt og brukerinvolvering» er ikke godkjent og må leveres på nytt"
    )
    assert letters[kari]["body"].startswith(
        "Hei Kari Nordmann,\n\nArbeidskrav 2 «Innsikt og brukerinvolvering» på kull 2022"
    )
    assert (letters[ola]["status"], letters[ola]["reason"]) == ("undelivered", "SMTPRecipientsRefused 550")
    assert letters["staff"]["status"] == "queued" and letters["staff"]["body"].startswith("Hei,\n")
    assert "skrive til studieadministrasjonen på stab@example.no." in letters[kari]["body"]  # from the settings


async def test_the_text_shows_the_counts_and_each_letter(
    tmp_path: Path, smtp_server: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path)
    register, kari, ola = await cohort_with_letters(settings, smtp_server)
    capsys.readouterr()
    await show_letters(argparse.Namespace(cohort="2022", json=False), settings, opener(register))
    out = capsys.readouterr().out
    assert out.startswith("Brev i kull 2022: 3 (1 sendt, 1 i kø, 1 ikke levert)\n")
    assert f"Arbeidskrav ikke godkjent til {ola}: ikke levert (SMTPRecipientsRefused 550)" in out
    assert f"Arbeidskrav ikke godkjent til {kari}: sendt\n  Emne: Arbeidskrav 2" in out
    assert "  Hei Kari Nordmann," in out and KARI[1] not in out


async def test_a_cohort_without_letters_lists_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = await show_letters(
        argparse.Namespace(cohort="2031", json=True), Settings(data_dir=tmp_path), opener(Register())
    )
    assert code == 0 and json.loads(capsys.readouterr().out) == []


async def test_an_empty_cohort_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = await show_letters(
        argparse.Namespace(cohort=" ", json=False), Settings(data_dir=tmp_path), opener(Register())
    )
    assert code == 2 and "--cohort" in capsys.readouterr().err


def test_starter_has_the_letters_command() -> None:
    args = starter.parser().parse_args(["letters", "--cohort", "2022", "--json"])
    assert (args.handler, args.cohort, args.json) == (run, "2022", True)
