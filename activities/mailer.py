"""Hands one letter to a real mail server: plain, STARTTLS or implicit TLS, with login, off the event loop.

The standard library's smtplib runs in a thread, so the worker's event loop (workflows, heartbeats) keeps going
while a slow server takes its time.
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Literal

from pydantic import SecretStr

from activities.letters import Letter

if TYPE_CHECKING:
    from runtime.settings import Settings

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int = 25
    sender: str = "innovasjonsskolen@example.no"
    sender_name: str = ""
    security: Security = "none"
    username: SecretStr | None = None
    password: SecretStr | None = None
    reply_to: str | None = None  # the study administration: "svar på denne e-posten" reaches them
    timeout: float = 30.0
    # the certificates to trust; None: the system's. Tests pass one that trusts their own certificate.
    tls: ssl.SSLContext | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer | None:
        """None when no SMTP host is set: letters then stay queued in the outbox."""
        if not settings.smtp_host:
            return None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            settings.smtp_sender_name,
            settings.smtp_security,
            settings.smtp_username,
            settings.smtp_password,
            settings.staff_email,
            settings.smtp_timeout,
        )

    async def send(self, recipient: str, letter: Letter, key: str) -> None:
        await asyncio.to_thread(self._deliver, self.message(recipient, letter, key))

    def message(self, recipient: str, letter: Letter, key: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = Address(self.sender_name, addr_spec=self.sender) if self.sender_name else self.sender
        message["To"] = recipient
        if self.reply_to:
            message["Reply-To"] = self.reply_to
        message["Subject"] = letter.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = message_id(key, self.sender)
        message.set_content(letter.body)
        return message

    def _deliver(self, message: EmailMessage) -> None:
        with self._connect() as smtp:
            if self.security == "starttls":
                smtp.starttls(context=self._context())
            if self.username and self.password:
                smtp.login(self.username.get_secret_value(), self.password.get_secret_value())
            smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def _context(self) -> ssl.SSLContext:
        return self.tls or ssl.create_default_context()


def message_id(key: str, sender: str) -> str:
    """The same for every attempt at one outbox letter, so a resend after a crash is recognisable as the same
    message (and dropped by clients that deduplicate); hashed, so it leaks nothing of the key."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
