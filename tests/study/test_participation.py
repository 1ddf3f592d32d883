"""Participation: distinct persons who studied (make-ups included) over persons expected."""

import datetime as dt
from decimal import Decimal

from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.people.models import Membership
from giamsat.study.models import Status
from tests.factories import make_member
from tests.study.factories import make_non_member, make_session, mark

Y2019 = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def value(code, unit, start, end, directives=()):
    query = IndicatorQuery(unit, start, end, frozenset(d.pk for d in directives))
    return get_indicator(code).compute(query)


def test_members_of_the_cells_in_scope_on_the_date_are_expected(tree, members, nq04):
    """A ward's session expects the members of its cells on its date, not other wards'."""
    session = make_session(tree.ward_a, dt.date(2019, 4, 10), [nq04])
    expected = {p.pk for code in (tree.cell_a1.code, tree.cell_a2.code) for p in members[code]}
    assert set(session.attendances.values_list("person_id", flat=True)) == expected
    assert session.listed == 4
    assert session.pending == 4


def test_rate_counts_make_ups_and_not_excused_absences(tree, members, nq04):
    """Present 2 of 4, one excused then made up, one absent: 3 of 4 studied = 75 %."""
    a1, a1b = members[tree.cell_a1.code]
    a2, a2b = members[tree.cell_a2.code]
    session = make_session(tree.ward_a, dt.date(2019, 4, 10), [nq04])
    mark(session, a1)
    mark(session, a1b)
    mark(session, a2, Status.EXCUSED, reason="Công tác xa")
    mark(session, a2b, Status.ABSENT)
    assert value("study.participation_rate", tree.city, *Y2019).value == Decimal("50.0")
    makeup = make_session(tree.ward_a, dt.date(2019, 4, 25), [], makeup_of=session)
    assert set(makeup.attendances.values_list("person_id", flat=True)) == {a2.pk, a2b.pk}
    mark(makeup, a2)
    result = value("study.participation_rate", tree.city, *Y2019)
    assert (result.value, result.numerator, result.denominator) == (Decimal("75.0"), 3, 4)
    # Attendances (lượt) count the make-up too; excused absences stay recorded.
    assert value("study.attendances", tree.city, *Y2019).value == 3
    assert value("study.makeup_attendances", tree.city, *Y2019).value == 1
    assert value("study.excused_absences", tree.city, *Y2019).value == 1
    session.refresh_from_db()
    assert (session.present, session.excused, session.absent, session.made_up) == (2, 1, 1, 1)


def test_a_make_up_after_the_period_does_not_count_in_it(tree, members, nq04):
    """Studied by the end of the period: a make-up in January counts for the next year."""
    a1, a1b = members[tree.cell_a1.code]
    session = make_session(tree.cell_a1, dt.date(2019, 12, 20), [nq04])
    mark(session, a1)
    mark(session, a1b, Status.ABSENT)
    makeup = make_session(tree.cell_a1, dt.date(2020, 1, 8), [], makeup_of=session)
    mark(makeup, a1b)
    assert value("study.persons_studied", tree.city, *Y2019).value == 1
    assert (
        value("study.persons_studied", tree.city, dt.date(2019, 1, 1), dt.date(2020, 1, 31)).value
        == 2
    )


def test_a_person_at_several_sessions_counts_once(tree, members, nq04, qd08):
    """Distinct persons: two sessions of the same cell, one person present at both."""
    a1, a1b = members[tree.cell_a1.code]
    first = make_session(tree.cell_a1, dt.date(2019, 4, 10), [nq04])
    second = make_session(tree.cell_a1, dt.date(2019, 9, 10), [qd08])
    mark(first, a1)
    mark(second, a1)
    mark(first, a1b, Status.ABSENT)
    mark(second, a1b, Status.ABSENT)
    assert value("study.attendances", tree.city, *Y2019).value == 2
    assert value("study.persons_studied", tree.city, *Y2019).value == 1
    assert value("study.persons_expected", tree.city, *Y2019).value == 2
    assert value("study.persons_not_studied", tree.city, *Y2019).value == 1
    # Per directive: QĐ 08 alone.
    assert value("study.attendances", tree.city, *Y2019, [qd08]).value == 1
    assert value("study.sessions", tree.city, *Y2019, [qd08]).value == 1
    assert value("study.sessions", tree.city, *Y2019).value == 2


def test_a_member_who_moved_cell_counts_where_they_were_each_time(tree, members, nq04, qd08):
    """Moved from ward A to ward B mid-2019: expected in both wards, once for the city."""
    mover = make_member(tree.cell_a1)
    Membership.objects.filter(person=mover).update(valid_to=dt.date(2019, 6, 30))
    Membership.objects.create(person=mover, unit=tree.cell_b1, valid_from=dt.date(2019, 7, 1))
    spring = make_session(tree.city, dt.date(2019, 4, 10), [nq04])
    autumn = make_session(tree.city, dt.date(2019, 9, 10), [qd08])
    assert spring.attendances.get(person=mover).unit == tree.cell_a1
    assert autumn.attendances.get(person=mover).unit == tree.cell_b1
    mark(spring, mover, Status.ABSENT)
    mark(autumn, mover)
    assert value("study.persons_expected", tree.ward_a, *Y2019).value == 5
    assert value("study.persons_studied", tree.ward_a, *Y2019).value == 0
    assert value("study.persons_studied", tree.ward_b, *Y2019).value == 1
    city = value("study.participation_rate", tree.city, *Y2019)
    assert (city.numerator, city.denominator) == (1, 7)


def test_invited_non_members_count_in_attendances_and_rate(tree, members, nq04):
    """Cadres and civil servants of a ward are invited with the ward's members."""
    clerk = make_non_member(tree.ward_b)
    session = make_session(tree.ward_b, dt.date(2019, 5, 5), [nq04], invite_affiliated=True)
    row = session.attendances.get(person=clerk)
    assert (row.is_member, row.unit) == (False, tree.ward_b)
    mark(session, clerk)
    assert value("study.non_member_attendances", tree.city, *Y2019).value == 1
    assert value("study.persons_expected", tree.ward_b, *Y2019).value == 3


def test_participants_count_for_their_own_unit_not_the_organiser(tree, members, nq04):
    """A city conference: ward A's members who attended count for ward A."""
    session = make_session(
        tree.city,
        dt.date(2019, 4, 10),
        [nq04],
        mode="both",
        points=["Phường Trường Thi", "Phường Điện Biên"],
    )
    for person in members[tree.cell_a1.code]:
        mark(session, person)
    assert value("study.attendances", tree.ward_a, *Y2019).value == 2
    assert value("study.attendances", tree.ward_b, *Y2019).value == 0
    assert value("study.sessions", tree.ward_a, *Y2019).value == 0
    assert value("study.sessions", tree.city, *Y2019).value == 1


def test_person_figures_share_one_read_in_a_dashboard_and_stay_live_outside(
    tree, members, nq04, django_assert_num_queries
):
    """Four figures count distinct persons: inside ``shared_reads`` (a dashboard, a report)
    the persons are counted in one query; outside, each read is fresh (staleness 0)."""
    from giamsat.indicators.registry import shared_reads

    a1, a1b = members[tree.cell_a1.code]
    session = make_session(tree.cell_a1, dt.date(2019, 4, 10), [nq04])
    mark(session, a1)
    mark(session, a1b, Status.ABSENT)
    query = IndicatorQuery(tree.city, *Y2019)
    codes = (
        "study.persons_expected",
        "study.persons_studied",
        "study.persons_not_studied",
        "study.participation_rate",
    )
    with shared_reads():
        get_indicator(codes[0]).compute(query)  # the subtree and the persons, read once
        with django_assert_num_queries(0):
            found = [get_indicator(code).compute(query) for code in codes]
    assert [f.value for f in found] == [2, 1, 1, Decimal("50.0")]
    mark(session, a1b)
    assert value("study.persons_studied", tree.city, *Y2019).value == 2
    assert value("study.participation_rate", tree.city, *Y2019).value == Decimal("100.0")
