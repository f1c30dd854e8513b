"""A cohort's statistics from rows, without Temporal or a database."""

from __future__ import annotations

from domain.statistics import (
    AppealRow,
    GroupRow,
    ParticipantRow,
    ProjectRow,
    RequirementEvent,
    ResitRow,
    cohort_statistics,
)


def group(group_id: str, outcome: str, region: str = "Vestlandet", size: str = "small") -> GroupRow:
    return GroupRow(group_id=group_id, region=region, size=size, outcome=outcome, requirements_approved=0)


def member(participant_id: str, group_id: str, **facts: object) -> ParticipantRow:
    values: dict[str, object] = {
        "sector": "helse_omsorg",
        "track": "student",
        "attendance_days": 14,
        "withdrawn": False,
        "final_grade": "C",
        "certificate": "transcript",
    }
    return ParticipantRow(participant_id=participant_id, group_id=group_id, **(values | facts))


def test_the_figures_count_groups_in_the_programme_and_grades_on_both_sides_of_an_appeal() -> None:
    groups = [group("g1", "admitted", "Nord-Norge", "large"), group("g2", "moved_up"), group("g3", "not_selected")]
    members = [
        member("g1.1", "g1", final_grade="B"),
        member("g1.2", "g1", attendance_days=12, final_grade="F", certificate=None),
        member("g1.3", "g1", track="course", final_grade=None, certificate="course_certificate"),
        member("g2.1", "g2", withdrawn=True, final_grade=None, certificate=None, attendance_days=3),
        member("g2.2", "g2", sector="politisk"),
        member("g3.1", "g3"),  # a group without a place has no members in the programme
    ]
    events = [
        RequirementEvent(group_id="g1", number=1, action="submit_requirement"),
        RequirementEvent(group_id="g1", number=1, action="return_requirement"),
        RequirementEvent(group_id="g1", number=1, action="submit_requirement"),
        RequirementEvent(group_id="g1", number=1, action="approve_requirement"),
        RequirementEvent(group_id="g2", number=1, action="submit_requirement"),
        RequirementEvent(group_id="g3", number=1, action="approve_requirement"),  # not in the programme
    ]
    appeals = [
        AppealRow(participant_id="g1.1", final_before="C", final_after="B"),  # the row may already say B
        AppealRow(participant_id="g2.2", final_before="C", final_after=None),  # not decided yet
    ]
    projects = [
        ProjectRow(group_id="g1", partner_kinds="research,ngo,research"),
        ProjectRow(group_id="g3", partner_kinds="business"),  # not in the programme: not counted
    ]
    resits = [
        ResitRow(participant_id="g1.2", attempt=3, grade_after="D"),  # passed at the second re-sit
        ResitRow(participant_id="g1.2", attempt=2, grade_after="F"),
    ]
    s = cohort_statistics("2022", groups, 2, members, events, appeals, projects, resits)

    assert (s.applications, s.refused) == (5, 2)
    assert s.by_outcome == {"admitted": 1, "moved_up": 1, "not_selected": 1, "refused": 2}
    assert s.by_region == {"Vestlandet": 2, "Nord-Norge": 1}
    assert (s.participants, s.withdrawn) == (5, 1)
    assert s.by_sector == {"helse_omsorg": 4, "politisk": 1}
    assert s.attendance_mean_days == 13.5 and (s.attendance_full.count, s.attendance_full.of) == (3, 4)
    passed, returned, again = s.requirements_passed[1], s.returned[1], s.resubmitted[1]
    assert (passed.count, passed.of, returned.count, again.count) == (1, 2, 1, 1) and passed.percent == 50
    assert s.requirements_passed[2].count == 0
    assert s.grades_before_appeals == {"A": 0, "B": 0, "C": 2, "D": 0, "E": 0, "F": 1}
    assert s.grades_after_appeals == {"A": 0, "B": 1, "C": 1, "D": 0, "E": 0, "F": 1}
    assert (s.appeals, s.appeals_changed) == (2, 1)
    assert s.grades_after_resits == {"A": 0, "B": 1, "C": 1, "D": 1, "E": 0, "F": 0}
    assert (s.resits, s.resits_passed) == (2, 1)
    assert s.completion == {"transcript": 3, "course_certificate": 1}
    assert (s.projects.count, s.projects.of) == (1, 2) and s.partners_by_kind == {"research": 2, "ngo": 1}


def test_an_empty_cohort_has_zeros_not_errors() -> None:
    s = cohort_statistics("2023", [], 0, [], [], [])
    assert s.applications == 0 and s.attendance_mean_days == 0.0 and s.requirements_passed[4].percent == 0


def test_roles_are_counted_for_the_programme_and_rare_ones_together() -> None:
    groups = [group("g1", "admitted"), group("g2", "not_selected")]
    members = [member(f"g1.{n}", "g1") for n in range(1, 7)] + [member("g2.1", "g2")]
    roles = {
        "g1.1": "Rådgiver",
        "g1.2": " rådgiver ",
        "g1.3": "RÅDGIVER",
        "g1.4": "Rektor",  # one rektor and one kommunalsjef: each would name its holder
        "g1.5": "kommunalsjef",
        "g2.1": "rådgiver",  # not in the programme
    }  # g1.6: erased from the register, so no role
    s = cohort_statistics("2022", groups, 0, members, [], [], roles=roles)
    assert s.by_role == {"rådgiver": 3, "other": 2}
    assert cohort_statistics("2022", groups, 0, members, [], []).by_role == {}
