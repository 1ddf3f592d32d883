"""Property: every study figure equals the number of records its drill-down lists, and its
breakdown by child unit equals the figure computed for each child — over generated data
(sessions at any level, lists, make-ups, members who moved, non-members)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.indicators.registry import IndicatorQuery, indicators
from giamsat.people.models import Membership
from giamsat.study import services
from giamsat.study.models import Status
from tests.factories import make_member
from tests.study.factories import make_directive, make_non_member, make_session

START = dt.date(2021, 1, 1)
STATUSES = [Status.PRESENT, Status.EXCUSED, Status.ABSENT, Status.PENDING]


class RollbackError(Exception):
    pass


days = st.integers(min_value=0, max_value=600).map(lambda n: START + dt.timedelta(days=n))
session_plan = st.fixed_dictionaries(
    {
        "organiser": st.sampled_from(
            ["cell_a1", "cell_a2", "ward_a", "ward_b", "city", "other", "province"]
        ),
        "day": days,
        "directives": st.sets(st.sampled_from([0, 1]), min_size=1),
        "invite": st.booleans(),
        "statuses": st.lists(st.sampled_from(STATUSES), min_size=12, max_size=12),
        "makeup": st.one_of(st.none(), st.lists(st.booleans(), min_size=12, max_size=12)),
    }
)
query_plan = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(
            ["central", "province", "city", "ward_a", "ward_b", "cell_a1", "other"]
        ),
        "start": days,
        "length": st.integers(min_value=0, max_value=700),
        "directives": st.sets(st.sampled_from([0, 1]), max_size=2),
    }
)


def _apply(tree, directives, plan) -> None:
    organiser = getattr(tree, plan["organiser"])
    session = make_session(
        organiser,
        plan["day"],
        [directives[i] for i in sorted(plan["directives"])],
        invite_affiliated=plan["invite"],
    )
    rows = list(session.attendances.order_by("person_id").values_list("person_id", flat=True))
    marks = [
        services.Mark(person_id=p, status=s, reason="Ốm" if s == Status.EXCUSED else "")
        for p, s in zip(rows, plan["statuses"], strict=False)
    ]
    if marks:
        services.record_attendance(acting_user=None, session=session, marks=marks)
    if plan["makeup"] is not None:
        makeup = make_session(organiser, plan["day"] + dt.timedelta(days=10), [], makeup_of=session)
        missed = list(makeup.attendances.order_by("person_id").values_list("person_id", flat=True))
        present = [
            services.Mark(person_id=p, status=Status.PRESENT)
            for p, go in zip(missed, plan["makeup"], strict=False)
            if go
        ]
        if present:
            services.record_attendance(acting_user=None, session=makeup, marks=present)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(session_plan, min_size=1, max_size=5),
    queries=st.lists(query_plan, min_size=1, max_size=3),
)
def test_every_study_figure_is_the_count_of_its_records(tree, members, plans, queries):
    try:
        with transaction.atomic():
            directives = [make_directive(), make_directive()]
            make_non_member(tree.ward_a)
            make_non_member(tree.ward_b)
            mover = make_member(tree.cell_a1)
            Membership.objects.filter(person=mover).update(valid_to=dt.date(2021, 12, 31))
            Membership.objects.create(
                person=mover, unit=tree.cell_b1, valid_from=dt.date(2022, 1, 1)
            )
            for plan in plans:
                _apply(tree, directives, plan)
            for q in queries:
                unit = getattr(tree, q["unit"])
                end = q["start"] + dt.timedelta(days=q["length"])
                query = IndicatorQuery(
                    unit, q["start"], end, frozenset(directives[i].pk for i in q["directives"])
                )
                children = [
                    getattr(tree, n)
                    for n in (
                        "city",
                        "ward_a",
                        "ward_b",
                        "cell_a1",
                        "cell_a2",
                        "cell_b1",
                        "other",
                        "province",
                    )
                    if getattr(tree, n) in list(type(unit).objects.children_of(unit, query.as_of))
                ]
                for indicator in indicators("study"):
                    value = indicator.compute(query)
                    if indicator.is_rate:
                        assert value.numerator == indicator.records(query).count(), indicator.code
                        assert value.denominator == indicator.denominator(query).count(), (
                            indicator.code
                        )
                    else:
                        assert value.value == indicator.records(query).count(), indicator.code
                    by_child = indicator.breakdown(query, children)
                    for child in children:
                        expected = indicator.compute(query.for_unit(child))
                        assert by_child[child.pk] == expected, (indicator.code, child)
            raise RollbackError
    except RollbackError:
        pass
