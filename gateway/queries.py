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
APPEAL_DETAIL = AppealWorkflow.detail
RESIT_DETAIL = ResitWorkflow.detail
