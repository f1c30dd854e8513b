"""The worker's metrics: the SDK's own (Prometheus, at NIS_METRICS_ADDRESS) and the engine's beside them, through
the same runtime's meter, so one scrape of `/metrics` has both.

The engine's counters come from a worker interceptor, not from workflow code: the letters an activity queued (its
result's `queued`), and the people's actions (updates) accepted or refused, by action and refusal code. The
workflow's meter records nothing while a workflow replays, so a replayed update is not counted twice. Labels are
names of actions, activities and refusal codes: never a person, an address or a workflow ID.

Timer lateness is not here: when a timer fires is known only inside workflow code. The SDK's
`temporal_workflow_task_schedule_to_start_latency` measures what makes one late (a fired timer's task waiting for
a worker).
"""

from __future__ import annotations

from typing import Any

from temporalio import activity, workflow
from temporalio.exceptions import ApplicationError
from temporalio.runtime import LoggingConfig, PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

LETTERS_QUEUED = "nis_letters_queued"
ACTIONS = "nis_admin_actions"


class MetricsUnavailable(Exception):
    """The metrics address cannot be served (not host:port, or taken): the worker does not start without them."""


def worker_runtime(metrics_address: str | None, logging: LoggingConfig) -> Runtime:
    """A runtime that serves Prometheus metrics at `metrics_address` (none: no metrics) and forwards the SDK
    core's logs as `logging` says. One per process: it binds the address."""
    metrics = PrometheusConfig(bind_address=metrics_address) if metrics_address else None
    try:
        return Runtime(telemetry=TelemetryConfig(metrics=metrics, logging=logging))
    except ValueError as error:  # the SDK's "Invalid Prometheus address", "Failed starting Prometheus exporter"
        raise MetricsUnavailable(f"NIS_METRICS_ADDRESS '{metrics_address}': {error}") from None


class EngineMetrics(Interceptor):
    """Counts letters queued and people's actions on the worker it is given to."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _CountLetters(next)

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _CountActions


class _CountLetters(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        result = await super().execute_activity(input)
        queued = getattr(result, "queued", None)
        if isinstance(queued, int) and queued:
            activity.metric_meter().create_counter(LETTERS_QUEUED, "Letters queued in the outbox", "letters").add(
                queued
            )
        return result


class _CountActions(WorkflowInboundInterceptor):
    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        try:
            super().handle_update_validator(input)
        except Exception as refusal:
            _count(input.update, refusal)
            raise

    async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
        try:
            result = await super().handle_update_handler(input)
        except Exception as refusal:
            _count(input.update, refusal)
            raise
        _count(input.update, None)
        return result


def _count(action: str, refusal: Exception | None) -> None:
    """One action's outcome; a refusal by its code (the ApplicationError's type), anything else by its class."""
    if refusal is None:
        labels = {"action": action, "outcome": "accepted"}
    else:
        code = refusal.type if isinstance(refusal, ApplicationError) and refusal.type else type(refusal).__name__
        labels = {"action": action, "outcome": "refused", "code": code}
    counter = workflow.metric_meter().create_counter(ACTIONS, "People's actions (updates), by outcome", "actions")
    counter.add(1, labels)
