"""The cohort's refusals: applications, the selection, giving up a place, releasing results
(workflows/cohort.py, domain/selection.py)."""

REFUSALS: dict[str, str] = {}
