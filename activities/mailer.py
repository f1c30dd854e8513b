"""Hands one e-mail to an SMTP server with the standard library, off the event loop."""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config import Settings


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int = 25
    sender: str = "innovasjonsskolen@example.no"
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer | None:
        """None when no SMTP host is set: notices then stay in the outbox, which is the delivery record."""
        if not settings.smtp_host:
            return None
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_sender)

    async def send(self, recipient: str, subject: str, body: str, key: str) -> None:
        # smtplib blocks; a thread keeps the worker's event loop (and its heartbeats) running
        await asyncio.to_thread(self._deliver, self.message(recipient, subject, body, key))

    def message(self, recipient: str, subject: str, body: str, key: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        # the same Message-ID on a resend lets mail clients drop a duplicate; hashed so it leaks nothing
        domain = self.sender.rpartition("@")[2] or "localhost"
        message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
        message.set_content(body)
        return message

    def _deliver(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)
