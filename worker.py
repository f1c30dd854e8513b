"""The worker: settings, logging, client (pydantic converter + encrypting codec), read model, every workflow."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.worker import Worker

from activities.grades import compute_grades
from activities.mailer import Mailer
from activities.notices import NoticeActivities
from activities.projection import ProjectionActivities
from codec import data_converter, load_or_create_key
from config import Settings, get_settings
from logs import configure_logging
from store.db import create_schema, make_engine, make_session_factory
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.participant import ParticipantWorkflow

GRACEFUL_SHUTDOWN = timedelta(seconds=10)
INDEXED = {"Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
           "KeywordList": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST}
WORKFLOWS: Sequence[type] = (CohortWorkflow, GroupWorkflow, ParticipantWorkflow)
log = structlog.get_logger()


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace,
        data_converter=data_converter(load_or_create_key(settings)))


async def ensure_search_attributes(client: Client) -> None:
    """Register the search attributes the workflows set where the server lacks them: a new deployment's server
    knows none of them, and starting a workflow that sets an unknown one fails."""
    request = ListSearchAttributesRequest(namespace=client.namespace)
    known = (await client.operator_service.list_search_attributes(request)).custom_attributes
    missing = {name: INDEXED[kind] for name, kind in search.DEFINITIONS.items() if name not in known}
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing))
        log.info("search attributes registered", names=sorted(missing))


def build_worker(client: Client, task_queue: str, sessions: async_sessionmaker[AsyncSession], mailer: Mailer | None) -> Worker:
    notices = NoticeActivities(sessions, mailer)
    projection = ProjectionActivities(sessions)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=[notices.send_notice, projection.project, projection.record_audit, compute_grades],
        # on Ctrl-C or SIGTERM, running activities may finish (a mail being sent is recorded as sent) before cancel
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


async def run_worker(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    client = await connect(settings)
    await ensure_search_attributes(client)
    worker = build_worker(client, settings.task_queue, make_session_factory(engine), Mailer.from_settings(settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info("worker started", task_queue=settings.task_queue, address=settings.temporal_address)
    async with worker:
        await stop.wait()
        log.info("worker stopping")
    await engine.dispose()


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    asyncio.run(run_worker(settings))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
