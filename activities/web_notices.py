"""Letters the web app queues itself, outside any workflow: the outbox and relay deliver them as the workflows'.

A registration's confirmation link is the only one: its token is in the letter (so in the outbox row, which the
relay renders at delivery); it works once and expires, and the registrations table keeps only its hash.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.models import Kommunenummer


class RegistrationLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["registration_link"] = "registration_link"
    cohort: str = Field(min_length=1)
    municipality: Kommunenummer
    link: str = Field(min_length=1)  # the web app's address and the token, nothing about the person
    expires_at: AwareDatetime
