"""The mailer against a real SMTP server: STARTTLS and implicit TLS with a certificate made here, login, and the
headers a mail client relies on."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from pydantic import SecretStr

from activities.letters import Letter
from activities.mailer import Mailer, Security, message_id
from activities.relay import MailServerUnreachable
from runtime.settings import Settings
from runtime.wiring import build_relay
from tests.activities.outbox_helpers import (
    STAFF_EMAIL,
    Sessions,
    mailer_for,
    people,
    queue_letters,
    relay_for,
    returned,
    rows,
)
from tests.activities.register import Register
from tests.smtp_server import PASSWORD, USER, Certificate, Inbox, MailServer, body, free_port

LETTER = Letter(subject="Tilbud om plass på kull 2022", body="Hei Kari,\n\nGratulerer!\n")
KEY = "kull-2022.gruppe-0301:outcome:admitted:p0123456789abcdef0123"


def secure_server(security: Security, certificate: Certificate) -> Iterator[MailServer]:
    server = MailServer(Inbox("127.0.0.1", free_port()), security, certificate, login=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["starttls", "tls"])
def secure(request: pytest.FixtureRequest, certificate: Certificate) -> Iterator[MailServer]:
    yield from secure_server(request.param, certificate)


def login_mailer(server: MailServer, certificate: Certificate, password: str = PASSWORD) -> Mailer:
    return mailer_for(
        server.inbox,
        security=server.security,
        username=SecretStr(USER),
        password=SecretStr(password),
        tls=certificate.client_context(),
    )


async def test_a_letter_goes_over_tls_after_login(secure: MailServer, certificate: Certificate) -> None:
    await login_mailer(secure, certificate).send("kari@kommune.no", LETTER, KEY)
    [message] = secure.inbox.messages
    assert secure.inbox.logins == [USER]
    assert message["Subject"] == "Tilbud om plass på kull 2022" and body(message) == LETTER.body
    assert message["From"] == "Nasjonal innovasjonsskole for kommunesektoren <innovasjonsskolen@example.no>"
    assert message["Reply-To"] == STAFF_EMAIL
    assert message["Message-ID"] == message_id(KEY, "innovasjonsskolen@example.no")
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None


async def test_a_wrong_password_is_refused(secure: MailServer, certificate: Certificate) -> None:
    with pytest.raises(smtplib.SMTPAuthenticationError):
        await login_mailer(secure, certificate, password="wrong").send("kari@kommune.no", LETTER, KEY)
    assert secure.inbox.messages == []


async def test_a_certificate_the_client_does_not_trust_is_refused(certificate: Certificate) -> None:
    for server in secure_server("tls", certificate):
        with pytest.raises(ssl.SSLCertVerificationError):
            await mailer_for(server.inbox, security="tls").send("kari@kommune.no", LETTER, KEY)


def test_a_resend_carries_the_same_message_id_and_another_letter_another() -> None:
    mailer = Mailer("localhost")
    first, again = (mailer.message("kari@kommune.no", LETTER, KEY) for _ in range(2))
    other = mailer.message("kari@kommune.no", LETTER, KEY.replace("admitted", "waitlist"))
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert "kari" not in first["Message-ID"] and "0301" not in first["Message-ID"]


def test_the_mailer_comes_from_the_settings_with_its_secrets() -> None:
    settings = Settings(
        smtp_host="smtp.example.no",
        smtp_port=587,
        smtp_security="starttls",
        smtp_username=SecretStr("nis"),
        smtp_password=SecretStr("hemmelig"),
    )
    mailer = Mailer.from_settings(settings)
    assert mailer is not None and (mailer.host, mailer.port, mailer.security) == ("smtp.example.no", 587, "starttls")
    assert mailer.password is not None and mailer.password.get_secret_value() == "hemmelig"
    assert "hemmelig" not in repr(mailer) and "hemmelig" not in repr(settings)
    assert Mailer.from_settings(Settings(smtp_host=None)) is None


async def test_a_refused_login_keeps_the_letters_queued_without_spending_attempts(
    session_factory: Sessions, certificate: Certificate
) -> None:
    """A wrong password is the server's set-up, not the letter's: nothing is marked undelivered."""
    for server in secure_server("starttls", certificate):
        register, kari, _ = people()
        await queue_letters(session_factory, returned(kari))
        relay = relay_for(session_factory, register, login_mailer(server, certificate, password="wrong"))
        with pytest.raises(MailServerUnreachable, match="SMTPAuthenticationError 535"):
            await relay.deliver_due()
        [row] = await rows(session_factory)
        assert (row.status, row.attempts) == ("queued", 0)


def test_the_worker_runs_a_relay_only_with_a_mail_server(session_factory: Sessions) -> None:
    assert build_relay(Settings(smtp_host=None), session_factory) is None
    relay = build_relay(
        Settings(smtp_host="smtp.example.no", smtp_max_attempts=3, smtp_retry_seconds=30), session_factory, Register()
    )
    assert relay is not None and (relay.policy.max_attempts, relay.policy.retry) == (3, timedelta(seconds=30))
