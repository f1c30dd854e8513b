"""The effects write queues a notice's letters and returns; the relay delivers each once, records why one was not
delivered, and never writes a name or an address where it keeps or logs anything."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from activities.letters import Contact, cohort_letters, person_letters
from tests.activities.outbox_helpers import (
    KARI,
    OLA,
    STAFF_EMAIL,
    Sessions,
    mailer_for,
    people,
    queue_letters,
    relay_for,
    returned,
    rows,
)
from tests.smtp_server import Inbox, MailServer, body
from tests.workflows.helpers import eventually


async def test_a_notice_is_queued_once_per_reader_and_holds_no_personal_data(session_factory: Sessions) -> None:
    _, kari, ola = people()
    first = await queue_letters(session_factory, returned(kari, ola, kari, staff=True))
    again = await queue_letters(session_factory, returned(kari, ola, staff=True))
    stored = await rows(session_factory)
    assert (first, again) == (3, 0)
    assert sorted(r.person_id for r in stored) == sorted([kari, ola, "staff"])
    assert {(r.cohort, r.kind, r.status, r.attempts) for r in stored} == {("2022", "requirement_returned", "queued", 0)}
    assert stored[0].idempotency_key == f"kull-2022.gruppe-1804:requirement:2:returned:1:{stored[0].person_id}"
    everything = " ".join(str(value) for row in stored for value in vars(row).values())
    assert "Nordmann" not in everything and "@" not in everything


async def test_the_relay_delivers_each_letter_once_with_its_reader_named(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    register, kari, ola = people()
    await queue_letters(session_factory, returned(kari, ola, staff=True))
    relay = relay_for(session_factory, register, mailer_for(smtp_server))
    assert (await relay.deliver_due(), await relay.deliver_due()) == (3, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([KARI[1], OLA[1], STAFF_EMAIL])
    to_kari = smtp_server.to(KARI[1])[0]
    assert to_kari["Subject"] == "Arbeidskrav 2 «Innsikt og brukerinvolvering» er ikke godkjent og må leveres på nytt"
    assert body(to_kari).startswith("Hei Kari Nordmann,\n\nArbeidskrav 2 «Innsikt og brukerinvolvering»")
    assert body(smtp_server.to(STAFF_EMAIL)[0]).startswith("Hei,\n\n")
    assert all(r.status == "sent" and r.attempts == 1 and r.sent_at for r in await rows(session_factory))


async def test_a_refused_address_is_undelivered_at_once_with_the_code_and_no_address(
    session_factory: Sessions, smtp_server: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    register, kari, ola = people()
    smtp_server.refuse.add(OLA[1])
    await queue_letters(session_factory, returned(kari, ola))
    relay = relay_for(session_factory, register, mailer_for(smtp_server))
    assert await relay.deliver_due() == 1
    stored = {r.person_id: r for r in await rows(session_factory)}
    assert (stored[ola].status, stored[ola].reason, stored[ola].attempts) == (
        "undelivered",
        "SMTPRecipientsRefused 550",
        1,
    )
    assert stored[kari].status == "sent"
    assert await relay.deliver_due() == 0  # not tried again
    logged = capsys.readouterr()
    assert "letter undelivered" in logged.out + logged.err
    assert OLA[1] not in logged.out + logged.err and "Nordmann" not in logged.out + logged.err


async def test_a_deferred_letter_is_tried_a_bounded_number_of_times(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    register, kari, ola = people()
    smtp_server.defer.add(OLA[1])
    await queue_letters(session_factory, returned(kari, ola))
    relay = relay_for(session_factory, register, mailer_for(smtp_server), max_attempts=3)
    for _ in range(5):
        await relay.deliver_due()
    stored = {r.person_id: r for r in await rows(session_factory)}
    assert (stored[ola].status, stored[ola].reason, stored[ola].attempts) == (
        "undelivered",
        "SMTPRecipientsRefused 451",
        3,
    )
    assert [m["To"] for m in smtp_server.messages] == [KARI[1]]


async def test_a_deferred_letter_waits_before_its_next_attempt(session_factory: Sessions, smtp_server: Inbox) -> None:
    register, _, ola = people()
    smtp_server.defer.add(OLA[1])
    await queue_letters(session_factory, returned(ola))
    relay = relay_for(session_factory, register, mailer_for(smtp_server), retry=timedelta(hours=1))
    await relay.deliver_due()
    smtp_server.defer.clear()
    assert await relay.deliver_due() == 0  # not due for an hour
    [row] = await rows(session_factory)
    assert (row.status, row.attempts, row.reason) == ("queued", 1, "SMTPRecipientsRefused 451")


async def test_a_reader_erased_from_the_register_gets_no_letter(session_factory: Sessions, smtp_server: Inbox) -> None:
    register, kari, ola = people()
    await queue_letters(session_factory, returned(kari, ola))
    register.erase(ola)
    await relay_for(session_factory, register, mailer_for(smtp_server)).deliver_due()
    stored = {r.person_id: r for r in await rows(session_factory)}
    assert (stored[ola].status, stored[ola].reason) == ("undelivered", "recipient not in the register")
    assert [m["To"] for m in smtp_server.messages] == [KARI[1]]


async def test_letters_wait_out_a_mail_server_outage_and_go_out_once_when_it_is_back(
    session_factory: Sessions, mail_server: MailServer
) -> None:
    """The server is down when the letters are queued: the activity returns at once, the relay keeps them queued
    without spending their attempts, and once the server is up each goes out exactly once."""
    register, kari, ola = people()
    relay = relay_for(
        session_factory,
        register,
        mailer_for(mail_server.inbox),
        max_attempts=2,
        retry=timedelta(seconds=0.05),
        outage_max=timedelta(seconds=0.2),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        assert await asyncio.wait_for(queue_letters(session_factory, returned(kari, ola)), 2) == 2
        await asyncio.sleep(1.0)  # several passes find the server down
        assert {(r.status, r.attempts) for r in await rows(session_factory)} == {("queued", 0)}
        mail_server.start()
        await eventually(lambda: _all_sent(session_factory), timeout=10)
        await asyncio.sleep(0.5)  # nothing more goes out
    finally:
        stop.set()
        await running
    assert sorted(m["To"] for m in mail_server.inbox.messages) == [KARI[1], OLA[1]]


async def _all_sent(sessions: Sessions) -> None:
    assert all(r.status == "sent" for r in await rows(sessions))


async def test_the_letters_of_a_cohort_are_listed_as_their_readers_got_them(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    register, kari, ola = people()
    smtp_server.refuse.add(OLA[1])
    await queue_letters(session_factory, returned(kari, ola, staff=True))
    await relay_for(session_factory, register, mailer_for(smtp_server)).deliver_due()
    letters = {v.person: v for v in await cohort_letters(session_factory, register, Contact(STAFF_EMAIL), "2022")}
    assert (letters[kari].status, letters[ola].status, letters["staff"].status) == ("sent", "undelivered", "sent")
    assert letters[ola].reason == "SMTPRecipientsRefused 550"
    assert letters[kari].body.startswith("Hei Kari Nordmann,") and letters["staff"].body.startswith("Hei,")
    assert letters[kari].kind == "requirement_returned"
    assert await cohort_letters(session_factory, register, Contact(STAFF_EMAIL), "2023") == []


async def test_the_letters_of_one_person_are_listed_for_their_export(session_factory: Sessions) -> None:
    register, kari, ola = people()
    await queue_letters(session_factory, returned(kari, ola))
    await queue_letters(session_factory, returned(kari, key="kull-2022:other"))
    letters = await person_letters(session_factory, register, Contact(STAFF_EMAIL), kari)
    assert [(v.person, v.status) for v in letters] == [(kari, "queued"), (kari, "queued")]
    assert all(v.body.startswith("Hei Kari Nordmann,") for v in letters)
