"""The largest joint application the rules accept (issue 20, item 8): MUNICIPALITIES_MAX municipalities, one more
is refused; its ID is one every layer takes (the group's, its participants', appeals' and re-sits' workflow IDs, the
web's and the command line's parser, the messages' ApplicationId) even under the longest cohort name. A pattern of
its own in a layer once cut the ID at four kommunenumre and answered 404 for a group of five."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from domain.admission import parse_application
from domain.ids import AppealId, GroupId, ParticipantId, ResitId
from domain.municipalities import register
from domain.refusals import Refusal
from domain.text import MUNICIPALITIES_MAX, ApplicationId, WorkflowId
from tests.factories import application

NUMBERS = sorted(register())[: MUNICIPALITIES_MAX + 1]
LONGEST_COHORT = "k" * 32


def test_the_rules_accept_a_joint_application_of_up_to_the_limit_and_name_the_limit_beyond_it() -> None:
    for size in (2, 5, MUNICIPALITIES_MAX):
        found, errors = parse_application(application(NUMBERS[:size]))
        assert found is not None and errors == [], (size, errors)
    found, errors = parse_application(application(NUMBERS))
    assert found is None and errors == [f"municipalities: høyst {MUNICIPALITIES_MAX} i listen, her 21"]


@pytest.mark.parametrize("size", [1, 5, MUNICIPALITIES_MAX])
def test_every_id_of_an_accepted_joint_application_is_taken_by_every_layer(size: int) -> None:
    application_id = "+".join(NUMBERS[:size])
    assert TypeAdapter(ApplicationId).validate_python(application_id) == application_id
    group = GroupId.of(LONGEST_COHORT, application_id)
    assert GroupId.parse(group.workflow_id) == group
    member = ParticipantId.parse(f"{group.workflow_id}.deltaker-9999")
    assert member.group == group
    longest = [group.workflow_id, member.workflow_id, AppealId(member, 99).workflow_id, ResitId(member, 99).workflow_id]
    assert [TypeAdapter(WorkflowId).validate_python(i) for i in longest] == longest  # what the messages carry


def test_an_id_beyond_the_limit_is_refused_as_an_application_id_by_the_one_parser() -> None:
    too_many = "+".join(NUMBERS)
    with pytest.raises(Refusal) as refused:
        GroupId.of("2022", too_many)
    assert refused.value.problems[0].code == "ids.bad_application"
    with pytest.raises(Refusal):
        GroupId.parse(f"kull-2022.gruppe-{too_many}")
    with pytest.raises(Refusal):
        ParticipantId.parse(f"kull-2022.gruppe-{too_many}.deltaker-1")
