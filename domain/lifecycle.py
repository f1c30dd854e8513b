"""Where a cohort, an application and a group stand in the year: the stages the workflows report and decide on."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """An application's outcome, as the cohort decides it and tells the group."""

    APPLIED = "applied"
    ADMITTED = "admitted"
    WAITLIST = "waitlist"
    MOVED_UP = "moved_up"
    GAVE_UP = "gave_up"
    NOT_SELECTED = "not_selected"
    REFUSED = "refused"


IN_PROGRAMME = frozenset({Outcome.ADMITTED, Outcome.MOVED_UP})
ENDED = frozenset({Outcome.NOT_SELECTED, Outcome.GAVE_UP, Outcome.REFUSED})


class CohortStage(StrEnum):
    INTAKE = "intake"
    SELECTION_DRAWN = "selection_drawn"
    RUNNING = "running"
    PUBLISHED = "published"
    CLOSED = "closed"


class GroupStage(StrEnum):
    APPLIED = "applied"
    WAITLIST = "waitlist"
    NOT_SELECTED = "not_selected"
    GAVE_UP = "gave_up"
    PROGRAMME = "programme"  # gatherings and work requirements
    WRITTEN = "written"  # written assignment due or submitted
    GRADING = "grading"  # written graded, oral adjustments due
    GRADED = "graded"  # combined grades computed, waiting for publication
    NO_EXAM = "no_exam"  # requirements failed or written deadline missed; waiting for publication
    WITHDRAWN = "withdrawn"
    PUBLISHED = "published"


OUTCOME_STAGE = {
    Outcome.APPLIED: GroupStage.APPLIED,
    Outcome.WAITLIST: GroupStage.WAITLIST,
    Outcome.NOT_SELECTED: GroupStage.NOT_SELECTED,
    Outcome.GAVE_UP: GroupStage.GAVE_UP,
    Outcome.REFUSED: GroupStage.NOT_SELECTED,
}
