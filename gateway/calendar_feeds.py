"""Each account's secret calendar-feed address (its token's hash in the store). The web app takes it from here, not
from the store (tests/test_imports.py)."""

from __future__ import annotations

from store.calendar_feeds import CalendarFeeds

__all__ = ["CalendarFeeds"]
