"""One settings class, read from the environment; defaults make the embedded set-up work untouched."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    codec_key: SecretStr | None = None  # base64 AES-256 key; default: a generated key file in data_dir
    smtp_host: str | None = None  # no host: notices stay in the outbox table, unsent
    smtp_port: int = 25
    smtp_sender: str = "innovasjonsskolen@example.no"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'readmodel.sqlite3'}"


@cache
def get_settings() -> Settings:
    return Settings()
