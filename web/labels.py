"""The words and dates a person reads: Norwegian labels for the workflows' codes, times in Europe/Oslo."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.labels import LABELS, label

__all__ = ["LABELS", "OSLO", "day", "label", "when"]

OSLO = ZoneInfo("Europe/Oslo")


def when(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    return moment.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")


def day(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%d.%m.%Y")
