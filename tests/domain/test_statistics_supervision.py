"""Supervision in a cohort's statistics: meetings per group in the programme, a date recorded again counted once,
and how many groups had any (domain/statistics.py, without Temporal or a database)."""

from __future__ import annotations

from domain.statistics import GroupRow, SupervisionEvent, cohort_statistics


def test_meetings_are_counted_per_group_in_the_programme_each_date_once() -> None:
    groups = [
        GroupRow(
            group_id=f"kull-2022.gruppe-{n}",
            application_id=n,
            region="Sørlandet",
            size="small",
            outcome=o,
            requirements_approved=0,
        )
        for n, o in (("4204", "admitted"), ("0301", "moved_up"), ("5001", "admitted"), ("1804", "not_selected"))
    ]
    meetings = [
        SupervisionEvent(group_id="kull-2022.gruppe-4204", meeting=day)
        for day in ("03.10.2022", "07.11.2022", "07.11.2022")  # the second recorded again: a correction
    ] + [SupervisionEvent(group_id="kull-2022.gruppe-0301", meeting="04.10.2022")]
    figures = cohort_statistics("2022", groups, 0, [], [], [], meetings=meetings)
    assert figures.meetings_by_group == {"0301": 1, "4204": 2, "5001": 0}  # not the group without a place
    assert (figures.supervised.count, figures.supervised.of, figures.supervised.percent) == (2, 3, 67)
