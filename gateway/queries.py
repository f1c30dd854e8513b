"""The queries the web app and the command line ask a workflow (`Admin.query(workflow_id, COHORT_OVERVIEW)`), named
here so that neither imports the workflows (tests/test_imports.py)."""

from __future__ import annotations

from workflows.cohort import CohortWorkflow
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.resit import ResitWorkflow
from workflows.group import GroupWorkflow
from workflows.participant import ParticipantWorkflow

COHORT_OVERVIEW = CohortWorkflow.overview
GROUP_DETAIL = GroupWorkflow.detail
PARTICIPANT_DETAIL = ParticipantWorkflow.detail

# The end of the year's updates and queries, until its commands join gateway.commands (web/end_of_year.py and
# cli/end_of_year.py name them through these two classes).
__all__ = ["COHORT_OVERVIEW", "GROUP_DETAIL", "PARTICIPANT_DETAIL", "AppealWorkflow", "ResitWorkflow"]
