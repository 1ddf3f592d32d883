"""Frozen record ids are stored as sorted inclusive ranges and read back exactly."""

from hypothesis import given
from hypothesis import strategies as st

from giamsat.reports.figures import RecordSet, encode_ranges


@given(st.sets(st.integers(min_value=1, max_value=5000), max_size=300))
def test_ranges_round_trip(ids):
    records = RecordSet("people.membership", encode_ranges(ids))
    assert records.ids() == sorted(ids)
    assert records.count == len(ids)
    assert RecordSet.from_json(records.as_json()) == records


def test_dense_ids_take_one_range():
    assert encode_ranges(range(1, 80_001)) == ((1, 80_000),)
    assert encode_ranges([7, 3, 4, 5, 9]) == ((3, 5), (7, 7), (9, 9))
