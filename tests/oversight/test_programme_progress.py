"""The annual programme shows the progress of its items: done, in progress, not started, and
those added during the year."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.oversight import services as s
from giamsat.oversight.models import CaseKind, ItemProgress
from tests.oversight.conftest import make_case

D = dt.date


def test_progress_follows_the_cases_of_each_item(tree):
    """An item is done when its case is concluded, in progress while open, else not started."""
    programme = s.create_programme(
        conducting_unit=tree.city_inspection, year=2021, title="CTr 2021", acting_user=None
    )
    items = [
        s.add_programme_item(
            programme=programme,
            kind=CaseKind.TASK_PERFORMANCE,
            content=f"Kiểm tra {n}",
            planned_start=D(2021, m, 1),
            planned_end=D(2021, m, 28),
            subject_unit=tree.ward_a,
            ad_hoc=n == 3,
            acting_user=None,
        )
        for n, m in ((1, 3), (2, 6), (3, 9))
    ]
    done = make_case(
        tree.city_inspection,
        kind=CaseKind.TASK_PERFORMANCE,
        subjects=[tree.ward_a],
        programme_item=items[0],
    )
    s.conclude_case(
        case=done,
        expected_version=done.version,
        concluded_on=D(2021, 4, 1),
        strengths="Tốt",
        acting_user=None,
    )
    make_case(
        tree.city_inspection,
        kind=CaseKind.TASK_PERFORMANCE,
        subjects=[tree.ward_a],
        programme_item=items[1],
        decided_on=D(2021, 6, 2),
    )
    assert [i.progress() for i in items] == [
        ItemProgress.DONE,
        ItemProgress.IN_PROGRESS,
        ItemProgress.NOT_STARTED,
    ]
    assert programme.items.filter(ad_hoc=True).count() == 1


def test_a_body_has_one_programme_a_year_and_items_fall_in_that_year(tree):
    """The same body cannot have two programmes for one year; items must be in the year."""
    programme = s.create_programme(
        conducting_unit=tree.city_inspection, year=2021, title="CTr", acting_user=None
    )
    with pytest.raises(s.OversightError, match="already has a programme"):
        s.create_programme(
            conducting_unit=tree.city_inspection, year=2021, title="CTr", acting_user=None
        )
    with pytest.raises(s.OversightError, match="must fall in 2021"):
        s.add_programme_item(
            programme=programme,
            kind=CaseKind.FINANCE,
            content="x",
            planned_start=D(2022, 1, 1),
            planned_end=D(2022, 2, 1),
            subject_unit=tree.ward_a,
            acting_user=None,
        )
    with pytest.raises(s.OversightError, match="subject"):
        s.add_programme_item(
            programme=programme,
            kind=CaseKind.FINANCE,
            content="x",
            planned_start=D(2021, 1, 1),
            planned_end=D(2021, 2, 1),
            acting_user=None,
        )


def test_a_case_cannot_use_another_bodys_programme_item(tree, standing):
    """Programme items belong to their body."""
    programme = s.create_programme(
        conducting_unit=tree.city_inspection, year=2021, title="CTr", acting_user=None
    )
    item = s.add_programme_item(
        programme=programme,
        kind=CaseKind.FINANCE,
        content="x",
        planned_start=D(2021, 1, 1),
        planned_end=D(2021, 2, 1),
        subject_unit=tree.ward_a,
        acting_user=None,
    )
    with pytest.raises(s.OversightError, match="another body"):
        make_case(standing, programme_item=item)
