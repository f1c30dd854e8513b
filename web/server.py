"""`starter.py web`: the app on uvicorn at NIS_WEB_ADDRESS, with its own client and read-model engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from runtime.settings import Settings
from runtime.wiring import connect
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from web.app import create_app

CONNECT_SECONDS = 10.0


async def prepare(settings: Settings) -> AsyncEngine:
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    await Accounts.create_table(engine)
    return engine


def http_server(app: ASGIApp, host: str, port: int, log_level: str | None = None) -> uvicorn.Server:
    """uvicorn as every entry point runs it. proxy_headers=False: uvicorn would believe X-Forwarded-For from
    127.0.0.1 and give every spoofed address its own sign-in limit; the app decides (NIS_WEB_TRUSTED_PROXIES)."""
    # log_config=None: uvicorn's records go through the logging set up once by the caller
    return uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_config=None, log_level=log_level, proxy_headers=False)
    )


async def serve(settings: Settings, announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn handles both and finishes open requests); `announce` is told the
    address once Temporal and the database answer."""
    host, port = settings.web_host_port
    try:
        client = await asyncio.wait_for(connect(settings), CONNECT_SECONDS)
    except TimeoutError:
        raise RuntimeError(f"Temporal at {settings.temporal_address} does not answer") from None
    engine = await prepare(settings)
    try:
        app = create_app(settings, client, make_session_factory(engine))
        server = http_server(app, host, port)
        announce(f"http://{host}:{port}/")
        await server.serve()
    finally:
        await engine.dispose()
