"""One settings class, read from the environment; defaults make the embedded set-up work untouched."""

from __future__ import annotations

import ipaddress
import json
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self, get_args

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

RoleName = Literal["admin", "teacher", "examiner", "municipality", "participant"]  # store.accounts.Role's values

# A national cohort has ~1,800 open workflows (357 groups of 4, their participants, the cohort); an evicted one (the
# least recently used) replays its run's history on its next task, a cached one costs the worker memory (~200 KiB,
# bench/worker_memory.py), the more the longer its run (the SDK keeps each command a run gave, with its input, until
# the run ends: a participant has 9 events on average, a group ~320 a year in runs of ~100, workflows/group.py).
# Since a group's run is bounded, an evicted group replays at most ~100 events: 400 holds the busy groups and the
# cohort, and what leaves the cache replays cheaply. The national year on one worker (bench/national.py, bounded runs,
# one run each): RSS peak 322 MiB at 550, 308 at 400 and 298 at 300, with the worker's CPU 279, 267 and 388 s and
# the year's wall time 1031, 909 and 1014 s. At 300 the replays cost CPU and the admin updates time (the script's
# p50 518 ms, against 426 and 364). glibc's arenas are not the cause of the rest: MALLOC_ARENA_MAX=2 made the start
# of a year 324 MiB, against 310 (before the bound).
MAX_CACHED_WORKFLOWS = 400

# How long a workflow task waits for the worker that has the workflow cached before any worker may take it (Temporal's
# default). Shorter hands a killed worker's workflows on sooner, but on a busy machine (load 25 on two cores) a live
# worker polls later than 3 s: the task then goes to the shared queue and the workflow replays its whole history.
STICKY_QUEUE_TIMEOUT_SECONDS = 10.0

# How long a worker has for one workflow task (Temporal's default is 10 s, its most 120 s). At load 25 on two cores a
# task took 6-9 s; one that times out is run again from the whole history, which makes the next one slower still.
# A task in hand on a killed worker waits this long before another worker takes it.
WORKFLOW_TASK_TIMEOUT_SECONDS = 20.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIS_", extra="ignore")

    # Temporal's own variables keep working: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE
    temporal_address: str = Field(default="127.0.0.1:7233", validation_alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", validation_alias="TEMPORAL_NAMESPACE")
    task_queue: str = "innovasjonsskole"
    ui_port: int = 8233  # web UI of the embedded server
    data_dir: Path = Path(".data")
    database_url: str | None = None  # default: SQLite file in data_dir
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: str = "INFO"
    # the worker's Prometheus metrics (the SDK's and the engine's), served at http://ADDRESS/metrics; empty: none
    metrics_address: str = "127.0.0.1:9464"
    codec_key: SecretStr | None = None  # base64 AES-256 key; default: a generated key file in data_dir
    # the codec's older keys (base64, newest first, a JSON list or comma-separated): payloads under them still read
    codec_old_keys: Annotated[list[SecretStr], NoDecode] = []
    # base64 HMAC key of person IDs and verification codes, which never rotates; default: the oldest codec key
    id_key: SecretStr | None = None
    # mail: the outbox relay delivers letters through this server; no host: letters stay queued in the outbox
    smtp_host: str | None = None
    smtp_port: int = 25  # 587 with starttls, 465 with tls
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: SecretStr | None = None  # login when both are set
    smtp_password: SecretStr | None = None
    smtp_sender: str = "innovasjonsskolen@example.no"
    smtp_sender_name: str = "Nasjonal innovasjonsskole for kommunesektoren"
    smtp_timeout: float = Field(default=30.0, gt=0)
    smtp_max_attempts: int = Field(default=5, ge=1)  # per letter, for refusals the server may lift (4xx)
    smtp_retry_seconds: float = Field(default=60.0, gt=0)  # the first wait; doubled after each failed attempt
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    # the study administration: receives staff notices, and every letter tells readers how to reach it
    staff_email: str = "studieadministrasjonen@innovasjonsskolen.no"
    staff_phone: str | None = None
    # the staff reminders (a Temporal schedule the worker keeps): how often staff accounts with an e-mail address are
    # told of their tasks due within `ahead` or overdue
    staff_reminder_interval_seconds: float = Field(default=3600.0, gt=0)
    staff_reminder_ahead_seconds: float = Field(default=86_400.0, gt=0)
    # how long the demo asks again a query that fails (a server restarting, a worker replaying after a restart)
    demo_query_patience_seconds: float = Field(default=120.0, ge=0)
    # how long a workflow task waits for the worker that has the workflow cached before any worker may take it
    sticky_queue_timeout_seconds: float = Field(default=STICKY_QUEUE_TIMEOUT_SECONDS, gt=0)
    # how long a worker has for one workflow task; set where a workflow starts, and its children inherit it
    workflow_task_timeout_seconds: float = Field(default=WORKFLOW_TASK_TIMEOUT_SECONDS, gt=0, le=120)
    # the worker's sizes: workflows kept in memory between tasks, and tasks run at once (unset: Temporal's default)
    worker_max_cached_workflows: int = Field(default=MAX_CACHED_WORKFLOWS, ge=0)
    worker_max_concurrent_workflow_tasks: int | None = Field(default=None, ge=1)
    worker_max_concurrent_activities: int | None = Field(default=None, ge=1)
    # the read model's connection pool on PostgreSQL (per process); SQLite keeps one writer connection per process
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    # the account the command line acts as (starter.py's admin commands; --as overrides it)
    account: str | None = None
    # the web app (starter.py web)
    web_address: str = "127.0.0.1:8000"  # host:port
    web_url: str | None = None  # the address people open (behind a proxy: https://...); default http://web_address
    web_secret: SecretStr | None = None  # signs session cookies and API tokens; default: a generated file in data_dir
    # cookies only over HTTPS; unset: yes, unless the app serves plain HTTP on loopback (the embedded default)
    web_secure_cookies: bool | None = None
    web_session_minutes: int = Field(default=480, gt=0)  # a session ends this long after sign-in ...
    web_session_idle_minutes: int = Field(default=60, gt=0)  # ... or after this long without a request
    web_token_minutes: int = Field(default=60, gt=0)
    web_login_attempts: int = Field(default=5, ge=1)  # failed sign-ins per account (from any address) ...
    web_login_address_attempts: int = Field(default=20, ge=1)  # ... and per address (for any names) ...
    web_login_window_seconds: int = Field(default=60, gt=0)  # ... within this window, then 429 until it has passed
    # the proxies whose X-Forwarded-For names the client (addresses or networks); empty: the peer is the client
    web_trusted_proxies: list[str] = []
    web_cors_origins: list[str] = ["http://127.0.0.1:8233", "http://localhost:8233"]  # the Temporal UI (codec)
    # sign-in with OpenID Connect (production); no issuer: local accounts only, and no button on the sign-in page
    oidc_issuer: str | None = None  # e.g. https://auth.example.no; its discovery document gives every endpoint
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None  # none: a public client (PKCE alone)
    oidc_scopes: str = "openid profile"  # add the scope under which the provider releases the role claims
    oidc_redirect_url: str | None = None  # the callback's public address; default from the request (behind a proxy)
    oidc_provider_name: str = "Logg inn med organisasjonskonto"  # the button's text
    oidc_role_claim: str = "nis_role"  # a string or a list; the most privileged value that maps wins
    oidc_role_map: dict[str, RoleName] = {role: role for role in get_args(RoleName)}  # claim value -> role
    oidc_municipality_claim: str = "nis_municipality"  # the kommunenummer of a municipality contact
    oidc_participant_claim: str = "nis_participant"  # the participant workflow id of a participant
    oidc_username_claim: str = "preferred_username"  # used when it is a valid handle, else a hash of the subject

    @field_validator("codec_old_keys", mode="before")
    @classmethod
    def _listed_keys(cls, value: object) -> object:
        if isinstance(value, str):  # from the environment: '["a", "b"]' or 'a,b'
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [part for part in text.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _oidc_complete(self) -> Self:
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("NIS_OIDC_CLIENT_ID is required when NIS_OIDC_ISSUER is set")
        if self.oidc_issuer and "openid" not in self.oidc_scopes.split():
            raise ValueError(f"NIS_OIDC_SCOPES '{self.oidc_scopes}' must include openid (no ID token without it)")
        for proxy in self.web_trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"NIS_WEB_TRUSTED_PROXIES: '{proxy}' is not an IP address or network") from None
        return self

    @property
    def web_host_port(self) -> tuple[str, int]:
        host, _, port = self.web_address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"NIS_WEB_ADDRESS: '{self.web_address}' is not host:port, e.g. 127.0.0.1:8000")
        return host, int(port)

    @property
    def public_web_url(self) -> str:
        """The web app's address as the letters give it, without a trailing slash."""
        return (self.web_url or f"http://{self.web_address}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        if self.web_secure_cookies is not None:
            return self.web_secure_cookies
        host = self.web_address.rpartition(":")[0].strip("[]")
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host != "localhost"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'readmodel.sqlite3'}"


@cache
def get_settings() -> Settings:
    return Settings()
