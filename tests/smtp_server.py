"""A real SMTP server on 127.0.0.1 (aiosmtpd), so mail tests exercise smtplib end to end: plain, STARTTLS or
implicit TLS with a certificate made here, login, and a server that can be stopped and started again."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "relay-user", "relay-secret"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in `refuse`."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()  # addresses refused for good (550)
        self.defer: set[str] = set()  # addresses refused for now (451)
        self.delay = 0.0  # seconds before a message is accepted: a slow server
        self.logins: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if address in self.defer:
            return f"451 4.3.0 <{address}>: try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def body(message: EmailMessage) -> str:
    """The text as the reader sees it (the wire's CRLF line ends as newlines)."""
    return str(message.get_content()).replace("\r\n", "\n")


def free_port() -> int:
    # aiosmtpd cannot be told port 0, so ask the OS for a free one first
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """Trusts this certificate only, with the host name checked, as a client should."""
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    files = Certificate(folder / "smtp.crt", folder / "smtp.key")
    files.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files


Security = Literal["none", "starttls", "tls"]


class MailServer:
    """aiosmtpd on a fixed port that a test can stop (a mail server down) and start again."""

    def __init__(
        self, inbox: Inbox, security: Security = "none", certificate: Certificate | None = None, login: bool = False
    ) -> None:
        self.inbox, self.security, self.certificate, self.login = inbox, security, certificate, login
        self._controller: Controller | None = None

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        if ok:
            self.inbox.logins.append(USER)
        return AuthResult(success=ok, handled=False)  # handled=True would leave the client without a reply

    def start(self) -> None:
        kwargs: dict[str, Any] = {}
        if self.security != "none":
            assert self.certificate is not None
            context = self.certificate.server_context()
            kwargs["ssl_context" if self.security == "tls" else "tls_context"] = context
            kwargs["require_starttls"] = self.security == "starttls"
        if self.login:
            # aiosmtpd knows TLS only from STARTTLS; with implicit TLS the whole connection is encrypted anyway
            kwargs.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=self.security == "starttls"
            )
        # with implicit TLS aiosmtpd warns that AUTH does not require TLS (pyproject.toml ignores it): it cannot
        # tell that the whole connection is encrypted
        self._controller = Controller(
            self.inbox, hostname=self.inbox.host, port=self.inbox.port, server_hostname="localhost", **kwargs
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox("127.0.0.1", free_port())
    server = MailServer(inbox)
    server.start()
    yield inbox
    server.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A plain server, stopped: the test starts (and stops) it."""
    server = MailServer(Inbox("127.0.0.1", free_port()))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))
