"""A workflow ID is made from a cohort's name and a re-sit's attempt only when they can make one; else a refusal
by code, said in Norwegian."""

from __future__ import annotations

import pytest

from domain.refusals import Refusal
from workflows.ids import cohort_workflow_id, resit_workflow_id


def test_a_cohort_name_that_makes_no_workflow_id_is_refused_by_code() -> None:
    assert cohort_workflow_id("2022") == "kull-2022"
    with pytest.raises(Refusal) as refused:
        cohort_workflow_id("2022/høst")
    assert refused.value.dump() == [{"code": "ids.bad_cohort", "params": {"cohort": "2022/høst"}}]
    assert str(refused.value) == "Kull: '2022/høst' må være 1–32 bokstaver, sifre, '-' eller '_'"
    assert isinstance(refused.value, ValueError)  # callers that catch a ValueError still do


def test_a_resit_is_attempt_two_or_later() -> None:
    assert resit_workflow_id("kull-2022.gruppe-1833.deltaker-1", 2) == "kull-2022.gruppe-1833.deltaker-1.ny-eksamen-2"
    with pytest.raises(Refusal, match="^Forsøk: ny eksamen er forsøk 2 eller senere, ikke 1$"):
        resit_workflow_id("kull-2022.gruppe-1833.deltaker-1", 1)
