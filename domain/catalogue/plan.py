"""The cohort plan's refusals: what a plan handed in as a file breaks (domain/plan.py)."""

REFUSALS: dict[str, str] = {}
