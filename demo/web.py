"""The web app for the length of the demo: served at NIS_WEB_ADDRESS in the demo's own process, with one account
per role written to .data/demo-accounts.json (mode 600) once an admitted group and its participants exist."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client

from runtime.settings import Settings
from store.accounts import Accounts
from web.app import create_app
from web.demo_accounts import create_demo_accounts
from web.server import http_server

ACCOUNTS_FILE = "demo-accounts.json"
START_SECONDS = 15.0


def codec_endpoint(settings: Settings) -> str:
    """Where the Temporal UI asks the web app's codec server to decode payloads (admins only)."""
    host, port = settings.web_host_port
    return f"http://{host}:{port}/codec"


def free(settings: Settings) -> bool:
    host, port = settings.web_host_port
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class DemoWeb:
    def __init__(
        self, settings: Settings, client: Client, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        self.settings, self.client, self.engine, self.sessions = settings, client, engine, sessions
        self.accounts = Accounts(sessions)
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def accounts_file(self) -> Path:
        return self.settings.data_dir / ACCOUNTS_FILE

    async def start(self) -> str | None:
        """The app's address once it serves; None (and why, printed) when its address is taken."""
        host, port = self.settings.web_host_port
        if not free(self.settings):
            print(f"The web app is not started: {host}:{port} is in use (set NIS_WEB_ADDRESS).")
            return None
        await Accounts.create_table(self.engine)
        app = create_app(self.settings, self.client, self.sessions)
        self.server = http_server(app, host, port, log_level="warning")
        self.task = asyncio.create_task(self.server.serve(), name="demo-web")
        for _ in range(int(START_SECONDS / 0.1)):
            if self.server.started:
                return f"http://{host}:{port}/"
            await asyncio.sleep(0.1)
        print("The web app did not start in time; the demo goes on without it.")
        return None

    async def create_accounts(
        self, municipality: str, participant: str, examiner_groups: list[str], appeal_examiner: str | None = None
    ) -> None:
        """One account per role: the municipality contact of an admitted group and a participant of it included, and
        an examiner on the appeals' commission."""
        if self.task is None:
            return
        made = await create_demo_accounts(
            self.accounts, self.accounts_file, municipality, participant, examiner_groups, appeal_examiner
        )
        names = ", ".join(f"{role} {account['username']}" for role, account in made.written.items())
        if names:
            print(f"Web accounts ({names}) with their passwords in {self.accounts_file}", flush=True)
        for username in made.untouched:
            print(
                f"The demo does not reset the existing account '{username}': the database has it and the demo did "
                "not make it (or its password has changed since). The demo goes on without it.",
                flush=True,
            )

    async def serve_until_stopped(self) -> None:
        if self.task is not None:
            await self.task

    async def stop(self) -> None:
        if self.server is not None and self.task is not None:
            self.server.should_exit = True
            await self.task
