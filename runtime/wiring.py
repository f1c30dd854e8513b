"""What the worker, the command line and the demo put together the same way: the client, the search
attributes a server must know, and a worker with every workflow and activity."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import cache

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import MetricMeter
from temporalio.converter import DataConverter
from temporalio.runtime import Runtime, TelemetryConfig
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker

from activities.documents import Documents, documents_key
from activities.effects import EffectsActivities
from activities.end_of_year import EndOfYearActivities
from activities.gathering_reminders import ReminderActivities
from activities.grades import compute_grades
from activities.letters import Contact, PeopleLookup
from activities.mailer import Mailer
from activities.relay import OutboxRelay, RelayPolicy
from activities.staff_reminders import StaffReaders, StaffReminderActivities
from domain.admission import preload
from gateway.inbox import ReadModelInbox
from runtime.codec import CodecKeys, data_converter, load_keys
from runtime.logs import core_logging
from runtime.metrics import EngineMetrics
from runtime.settings import MAX_CACHED_WORKFLOWS, STICKY_QUEUE_TIMEOUT_SECONDS, Settings
from store.db import make_engine
from store.people import People, register_key
from workflows import search
from workflows.answered import AnswerOnce
from workflows.cohort import CohortWorkflow
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.explanation import ExplanationWorkflow
from workflows.end_of_year.resit import ResitWorkflow
from workflows.group import GroupWorkflow
from workflows.participant import ParticipantWorkflow
from workflows.staff_reminders import StaffReminderWorkflow

GRACEFUL_SHUTDOWN = timedelta(seconds=10)
INDEXED = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "KeywordList": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}
WORKFLOWS: Sequence[type] = (
    CohortWorkflow,
    GroupWorkflow,
    ParticipantWorkflow,
    AppealWorkflow,
    ResitWorkflow,
    ExplanationWorkflow,
    StaffReminderWorkflow,
)
log = structlog.get_logger()


async def connect(settings: Settings, runtime: Runtime | None = None) -> Client:
    """The client; `runtime`, the worker's, serves metrics too. Without one (the web app, the command line, the
    demo), a runtime of the process's own that forwards the SDK core's logs into ours, so they are JSON too."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(load_keys(settings).keys),
        runtime=runtime or _logging_runtime(settings.log_level),
    )


@cache
def _logging_runtime(level: str) -> Runtime:
    return Runtime(telemetry=TelemetryConfig(logging=core_logging(level)))  # one per process: it runs threads


async def ensure_search_attributes(client: Client) -> None:
    """Register the search attributes the workflows set where the server lacks them: a new deployment's server
    knows none of them, and starting a workflow that sets an unknown one fails."""
    request = ListSearchAttributesRequest(namespace=client.namespace)
    known = (await client.operator_service.list_search_attributes(request)).custom_attributes
    missing = {name: INDEXED[kind] for name, kind in search.DEFINITIONS.items() if name not in known}
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing)
        )
        log.info("search attributes registered", names=sorted(missing))


def workflow_runner() -> UnsandboxedWorkflowRunner:
    """How every worker and replayer runs the workflows: without the SDK's sandbox, with the rules' data already read.

    The sandbox guarded nothing of ours. Its guard is a proxy of each module it re-imports per workflow, and our
    workflows, rules and models had to be passed through it (a sandbox's own copy of a model class fails an activity's
    validation as "not an instance of" it), so their calls of the clock, randomness or I/O were never stopped: ruff's
    banned-api on workflows/ refuses those in the code (tests/test_workflow_calls.py), and the recorded histories replay
    on every change (tests/test_replay.py). What it did cost: a compiled code string run for each activation, and a
    sandbox of its own kept for each cached workflow. Replaying the recorded cohort (bench/replay.py) took 0.69 of the
    sandbox's CPU (317 against 460 µs an event); the national cohort's 1,786 workflows held 118 KiB each in the worker
    against 133 (bench/worker_memory.py)."""
    preload()
    return UnsandboxedWorkflowRunner()


def replayer(converter: DataConverter) -> Replayer:
    """Replays histories as the worker runs them: the same workflows, runner and update answering."""
    return Replayer(
        workflows=list(WORKFLOWS),
        data_converter=converter,
        workflow_runner=workflow_runner(),
        interceptors=[AnswerOnce()],
    )


def build_worker(
    client: Client,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    relay: OutboxRelay | None = None,
    *,
    sticky_queue_timeout: timedelta = timedelta(seconds=STICKY_QUEUE_TIMEOUT_SECONDS),
    max_cached_workflows: int = MAX_CACHED_WORKFLOWS,
    max_concurrent_workflow_tasks: int | None = None,
    max_concurrent_activities: int | None = None,
) -> Worker:
    """Every workflow and activity. `relay`, when the worker runs one beside it, is woken as letters are queued."""
    effects = EffectsActivities(sessions, wake=relay.wake if relay else None)
    end_of_year = EndOfYearActivities(sessions)
    reminders = ReminderActivities(sessions, wake=relay.wake if relay else None)
    # the staff reminders read the inbox as the web app does (the read model; a cohort's plan from Temporal)
    staff = StaffReminderActivities(sessions, ReadModelInbox(client, sessions), wake=relay.wake if relay else None)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        workflow_runner=workflow_runner(),
        # a repeated update ID is answered from the workflow's state, across its runs (workflows/answered.py), before
        # it is counted; then letters queued and people's actions, on the client's runtime's meter
        interceptors=[AnswerOnce(), EngineMetrics()],
        activities=[
            effects.write,  # a workflow task's notices, audit entries and read-model rows, in one transaction
            reminders.write_gathering_reminders,  # a gathering's reminder to every group in the programme, at once
            compute_grades,
            end_of_year.record_appeal,
            end_of_year.record_resit,
            end_of_year.record_explanation,
            staff.sweep,  # the staff reminders' sweep (runtime/reminders.py schedules it)
        ],
        # on Ctrl-C or SIGTERM, running activities may finish before they are cancelled
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        # a worker killed outright never hands its cached workflows back: their next tasks go to any worker after this;
        # a live worker's that wait longer too, with their whole history (why the setting is 10 s: runtime/settings.py)
        sticky_queue_schedule_to_start_timeout=sticky_queue_timeout,
        # below a national cohort's ~1,800 open workflows, for memory: an evicted one replays its whole history
        # (runtime/settings.py says the measurements)
        max_cached_workflows=max_cached_workflows,
        max_concurrent_workflow_tasks=max_concurrent_workflow_tasks,
        max_concurrent_activities=max_concurrent_activities,
        # the SDK's pollers as they are (at most 5 for workflow tasks): its autoscaling pollers were no better in the
        # national year (bench/national.py: an admin update one at a time p99 315 ms, against 284 ms without them)
    )


def contact(settings: Settings) -> Contact:
    return Contact(email=settings.staff_email, phone=settings.staff_phone, web=settings.public_web_url)


def configured_worker(
    client: Client, settings: Settings, sessions: async_sessionmaker[AsyncSession], relay: OutboxRelay | None
) -> Worker:
    """The worker as the settings say (task queue, sticky-queue timeout, sizes): the one `worker.py` and the demo
    run."""
    return build_worker(
        client,
        settings.task_queue,
        sessions,
        relay,
        sticky_queue_timeout=timedelta(seconds=settings.sticky_queue_timeout_seconds),
        max_cached_workflows=settings.worker_max_cached_workflows,
        max_concurrent_workflow_tasks=settings.worker_max_concurrent_workflow_tasks,
        max_concurrent_activities=settings.worker_max_concurrent_activities,
    )


def database_engine(settings: Settings) -> AsyncEngine:
    """The read model's engine with the pool the settings size (PostgreSQL; SQLite keeps one writer)."""
    return make_engine(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


def build_relay(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    people: PeopleLookup | None = None,
    meter: MetricMeter | None = None,
) -> OutboxRelay | None:
    """The outbox relay for the configured mail server, reading the register of people (by default the one in
    the database), its metrics on `meter` (the worker's runtime's); None without a mail server: letters then stay
    queued in the outbox."""
    mailer = Mailer.from_settings(settings)
    if mailer is None:
        return None
    policy = RelayPolicy(
        max_attempts=settings.smtp_max_attempts,
        retry=timedelta(seconds=settings.smtp_retry_seconds),
        poll=timedelta(seconds=settings.outbox_poll_seconds),
    )
    documents = Documents(sessions, documents_key(load_keys(settings).identity), settings.data_dir)
    # the register of people, and the staff accounts' addresses for their reminders
    register = StaffReaders(people or people_register(settings, sessions), sessions)
    return OutboxRelay(sessions, register, mailer, contact(settings), policy, documents, meter)


def people_register(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> People:
    """The register of people (store/people.py), keyed from the codec's keys: for the gateway, the relay and
    the letters command alike."""
    return register_with(load_keys(settings), sessions)


def register_with(keys: CodecKeys, sessions: async_sessionmaker[AsyncSession]) -> People:
    """Person IDs from the identity key; data keys wrapped under the newest codec key, opened under any."""
    return People(sessions, register_key(keys.identity), wrapping=[register_key(key) for key in keys.keys])


@asynccontextmanager
async def relay_running(relay: OutboxRelay | None) -> AsyncIterator[None]:
    """Run the relay as a task for the duration of the block (beside `async with worker:`); on the way out it
    finishes the letter in hand, then stops."""
    if relay is None:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop), name="outbox-relay")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, GRACEFUL_SHUTDOWN.total_seconds())
        except TimeoutError:
            log.warning("outbox relay did not stop in time")
