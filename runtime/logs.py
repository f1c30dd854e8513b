"""structlog set up once at start-up: console lines for a person at a terminal, JSON lines otherwise. The SDK
core's own logs (Rust) are forwarded to the `temporalio.core` logger and come out in the same format."""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger
from temporalio.runtime import LogForwardingConfig, LoggingConfig, TelemetryFilter

CORE_LOGGER = "temporalio.core"


def core_logging(level: str = "INFO") -> LoggingConfig:
    """The SDK core's logs to the `temporalio.core` logger, their fields as the line's own keys: its warnings and
    errors, and at DEBUG its debug lines too (its INFO is for the SDK's developers)."""
    forwarding = LogForwardingConfig(
        logger=logging.getLogger(CORE_LOGGER),
        append_target_to_name=False,
        prepend_target_on_message=False,
        append_log_fields_to_message=False,
    )
    core_level = {"DEBUG": "DEBUG", "ERROR": "ERROR", "CRITICAL": "ERROR"}.get(level.upper(), "WARN")
    return LoggingConfig(filter=TelemetryFilter(core_level=core_level, other_level="ERROR"), forwarding=forwarding)


def _core_fields(logger: WrappedLogger, name: str, event: EventDict) -> EventDict:
    """A forwarded core record's fields (task queue, workflow type, error...) as keys of the line."""
    entry = getattr(event.get("_record"), "temporal_log", None)
    if entry is not None:
        event.setdefault("target", entry.target)
        fields = entry.fields  # converted on each read
        for key, value in (fields or {}).items():
            event.setdefault(key, value)
    return event


def configure_logging(log_format: str = "auto", level: str = "INFO") -> None:
    use_console = log_format == "console" or (log_format == "auto" and sys.stderr.isatty())
    renderer = structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    foreign: list[Processor] = [*shared, _core_fields]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=foreign,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
