"""``subtree_q(..., ended_since=...)``: a unit that ended inside a subtree during the period
keeps its facts with the organisation it ended under."""

import datetime as dt

from giamsat.units.models import Unit, UnitKind, subtree_q
from giamsat.units.services import dissolve_unit
from tests.factories import make_unit


def test_a_dissolved_district_counts_for_its_province_from_a_day_before_its_end(db):
    province = make_unit("Tỉnh", UnitKind.UNDER_CENTRE, valid_from=dt.date(2015, 1, 1))
    district = make_unit(
        "Huyện", UnitKind.UPPER_GRASSROOTS, province, valid_from=dt.date(2015, 1, 1)
    )
    commune = make_unit("Xã", UnitKind.UPPER_GRASSROOTS, province, valid_from=dt.date(2025, 7, 1))
    dissolve_unit(unit=district, date=dt.date(2025, 7, 1))
    end = dt.date(2026, 10, 31)

    def under(**kwargs) -> set[int]:
        found = Unit.objects.filter(subtree_q("pk", province, end, **kwargs))
        return set(found.values_list("pk", flat=True))

    assert under() == {province.pk, commune.pk}
    # A period from 2023 sees the district, which ended in it; one from 01/07/2025 does not.
    assert under(ended_since=dt.date(2023, 1, 1)) == {province.pk, commune.pk, district.pk}
    assert under(ended_since=dt.date(2025, 7, 1)) == {province.pk, commune.pk}
