"""Another process's writer on the worker's SQLite file, for the tests that the worker's writes do not hold its lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


def other_process_writes(database: Path, timeout: float, stop: threading.Event) -> list[str]:
    """Take SQLite's write lock every 20 ms until `stop`, waiting up to `timeout` seconds for it each time, as the web
    app's write does; returns the refusals ("database is locked")."""
    refused: list[str] = []
    with sqlite3.connect(database, timeout=timeout, isolation_level=None) as other:
        while not stop.wait(0.02):
            try:
                other.execute("BEGIN IMMEDIATE")  # takes the write lock, or waits for it up to the timeout
                other.execute("COMMIT")
            except sqlite3.OperationalError as error:
                refused.append(str(error))
    return refused
