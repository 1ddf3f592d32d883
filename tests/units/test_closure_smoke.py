"""The closure table answers subtree queries in one query."""

import datetime as dt

from giamsat.units.models import Unit
from giamsat.units.services import move_unit


def test_subtree_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Unit.objects.subtree_of(tree.city).values_list("name", flat=True))
    assert "Chi bộ khu phố 1" in names
    assert "Chi bộ Sầm Sơn 1" not in names


def test_a_move_changes_the_subtree_from_its_date_only(tree):
    move_unit(unit=tree.ward_a, parent=tree.province, date=dt.date(2025, 7, 1))
    before = Unit.objects.subtree_of(tree.city, dt.date(2025, 6, 30))
    after = Unit.objects.subtree_of(tree.city, dt.date(2025, 7, 1))
    assert before.filter(pk=tree.cell_a1.pk).exists()
    assert not after.filter(pk=tree.cell_a1.pk).exists()
    assert (
        Unit.objects.subtree_of(tree.province, dt.date(2025, 7, 1))
        .filter(pk=tree.cell_a1.pk)
        .exists()
    )
