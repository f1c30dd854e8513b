"""The task inbox: what waits on the signed-in account across the running cohorts, soonest due first (the tasks
themselves are the gateway's, gateway/inbox.py: the staff reminders' sweep reads the same ones)."""

from __future__ import annotations

from gateway.inbox import Task, group_tasks, tasks

__all__ = ["Task", "group_tasks", "tasks"]
