"""`starter.py web`: the app on uvicorn at NIS_WEB_ADDRESS, with its own client and read-model engine. starter.py
calls it directly: cli/ does not import the web app."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp

from gateway.storage import create_schema, make_session_factory
from runtime.logs import configure_logging
from runtime.settings import Settings, get_settings
from runtime.wiring import connect, database_engine
from web.app import create_app

CONNECT_SECONDS = 10.0


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
    engine = database_engine(settings)  # its own pool: pages do not queue behind the worker's connection
    try:
        await create_schema(engine)  # first: a database behind refuses the start before Temporal is asked
        try:
            client = await asyncio.wait_for(connect(settings), CONNECT_SECONDS)
        except TimeoutError:
            raise RuntimeError(f"Temporal at {settings.temporal_address} does not answer") from None
        app = create_app(settings, client, make_session_factory(engine))
        settle_heap(app)
        server = http_server(app, host, port)
        announce(f"http://{host}:{port}/")
        await server.serve()
    finally:
        await engine.dispose()


def settle_heap(app: FastAPI) -> None:
    """Compile every page's template, then move what the app holds from its start (~200,000 objects: modules,
    routes, models, templates) out of the garbage collector's sight. It lives as long as the app, and a full
    collection that walked it took ~100 ms in the middle of a view: the national year's slowest pages had 150-270 ms
    of it (bench/national.py)."""
    templates: Jinja2Templates = app.state.web.templates
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)
    gc.collect()
    gc.freeze()


def web(args: argparse.Namespace) -> int:
    """`starter.py web`: 0 stopped, 2 a bad address or codec key, 3 Temporal or the database cannot be used."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    try:
        _ = settings.web_host_port  # checked before anything starts
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        started = "webappen kjører på {} (Ctrl-C stopper den)"
        asyncio.run(serve(settings, lambda address: print(started.format(address), flush=True)))
    except KeyboardInterrupt:
        pass
    except ValueError as error:  # the codec key
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (RuntimeError, OSError, SQLAlchemyError) as error:
        print(f"kan ikke starte webappen: {error}", file=sys.stderr)
        return 3
    return 0
