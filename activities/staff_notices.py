"""The letter the staff reminders' sweep queues, outside any lifecycle workflow: to one staff account, the tasks of
its inbox that fall due within a day or are overdue. It holds the tasks' words as the inbox shows them (where they
belong names cohorts and municipalities, never a person) and the inbox's address."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RemindedTask(_Model):
    title: str = Field(min_length=1)  # "Sett karakter på den skriftlige oppgaven"
    where: str  # "Kull 2022, gruppe Bodø (1804)"
    due: AwareDatetime
    overdue: bool


class StaffReminder(_Model):
    kind: Literal["staff_reminder"] = "staff_reminder"
    tasks: list[RemindedTask] = Field(min_length=1)  # soonest due first
    link: str = Field(min_length=1)  # the inbox page: the web app's address and /oppgaver


class SweepInput(_Model):
    """The schedule's settings: the inbox's address for the letters, and how far ahead a task counts as due soon."""

    link: str = Field(min_length=1)
    ahead_seconds: float = Field(default=86_400.0, gt=0)


class SweepResult(_Model):
    accounts: int  # staff accounts with an e-mail address
    letters: int  # reminder letters queued by this sweep
    tasks: int  # tasks they name
