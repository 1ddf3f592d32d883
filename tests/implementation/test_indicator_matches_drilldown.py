"""Every implementation figure equals the number of its drill-down records, for generated data:
any unit, period and directive filter; a breakdown by child equals each child's own value; and
the SQL status equals the status rule."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.implementation.models import (
    Assignment,
    Fulfilment,
    Implementation,
    KeyTask,
    Requirement,
    RequirementKind,
    TaskKind,
    TaskStatus,
)
from giamsat.implementation.queries import ItemFilter, counts, items
from giamsat.implementation.rules import requirement_status
from giamsat.indicators.registry import IndicatorQuery, indicators
from giamsat.units.models import Unit
from tests.implementation.factories import make_directive

D = dt.date
TODAY = D(2022, 10, 1)
START = D(2016, 1, 1)
DAYS = (TODAY - START).days


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def build(data, tree, directives) -> None:
    """Assignments, requirements, fulfilments and key tasks drawn by hypothesis (ORM only)."""
    numbers = itertools.count(1)
    issuers = {"city": [tree.ward_a, tree.ward_b], "province": [tree.city, tree.ward_a, tree.other]}
    for _ in range(data.draw(st.integers(1, 3), label="assignments")):
        issuer_key = data.draw(st.sampled_from(sorted(issuers)))
        issuer = tree.city if issuer_key == "city" else tree.province
        assigned = day(data.draw(st.integers(0, DAYS - 30)))
        assignment = Assignment.objects.create(
            directive=data.draw(st.sampled_from(directives)),
            issuing_unit=issuer,
            assigned_on=assigned,
        )
        reqs = [
            Requirement.objects.create(
                assignment=assignment,
                kind=data.draw(st.sampled_from(RequirementKind.values)),
                due_on=assigned + dt.timedelta(days=data.draw(st.integers(0, 500))),
                order=i,
            )
            for i in range(data.draw(st.integers(1, 3)))
        ]
        for unit in issuers[issuer_key]:
            record = Implementation.objects.create(assignment=assignment, unit=unit)
            for req in reqs:
                done = data.draw(st.one_of(st.none(), st.integers(-40, 200)))
                done_on = None
                if done is not None:
                    done_on = min(max(req.due_on + dt.timedelta(days=done), assigned), TODAY)
                document = None
                if done_on and req.kind == RequirementKind.ISSUE_DOCUMENT:
                    document = make_directive(
                        unit,
                        # unique: a unit never issues two documents of one symbol on a day
                        number=next(numbers),
                        issuer_code="ĐU",
                        issued_on=done_on,
                        implements=assignment.directive,
                    )
                Fulfilment.objects.create(
                    implementation=record, requirement=req, done_on=done_on, document=document
                )
    for unit in (tree.city, tree.ward_a, tree.ward_b, tree.other):
        for _ in range(data.draw(st.integers(0, 2))):
            opened = day(data.draw(st.integers(0, DAYS)))
            closed = data.draw(st.one_of(st.none(), st.integers(0, 600)))
            closed_on = (
                min(opened + dt.timedelta(days=closed), TODAY) if closed is not None else None
            )
            KeyTask.objects.create(
                unit=unit,
                kind=data.draw(st.sampled_from(TaskKind.values)),
                title="Nhiệm vụ",
                opened_on=opened,
                deadline=data.draw(
                    st.one_of(
                        st.none(),
                        st.integers(0, 400).map(lambda n, o=opened: o + dt.timedelta(days=n)),
                    )
                ),
                status=data.draw(st.sampled_from([TaskStatus.DONE, TaskStatus.DROPPED]))
                if closed_on
                else TaskStatus.OPEN,
                closed_on=closed_on,
                directive=data.draw(st.sampled_from([None, *directives])),
            )


@pytest.mark.usefixtures("frozen")
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_figure_equals_its_drilldown_and_its_breakdown(tree, data):
    with transaction.atomic():
        directives = [
            make_directive(tree.central, number=n, issued_on=D(2015, 6, 1)) for n in (4, 21)
        ]
        build(data, tree, directives)
        unit = data.draw(st.sampled_from([tree.province, tree.city, tree.ward_a]), label="unit")
        a, b = sorted(
            [data.draw(st.integers(0, DAYS + 400)), data.draw(st.integers(0, DAYS + 400))]
        )
        chosen = data.draw(st.sets(st.sampled_from([d.pk for d in directives]), max_size=1))
        query = IndicatorQuery(unit, day(a), day(b), frozenset(chosen))
        children = list(Unit.objects.children_of(unit, query.as_of).organisations())
        for indicator in indicators("implementation"):
            value = indicator.compute(query)
            records = indicator.records(query)
            if indicator.is_rate:
                assert value.numerator == len(list(records)), indicator.code
                assert value.denominator == indicator.denominator(query).count(), indicator.code
                assert value.numerator <= value.denominator, indicator.code
            else:
                assert value.value == len(list(records)), indicator.code
            per_child = indicator.breakdown(query, children)
            for child in children:
                own = indicator.compute(query.for_unit(child))
                assert per_child[child.pk] == own, (indicator.code, child.name)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("frozen")
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), on=st.integers(0, DAYS + 400))
def test_the_sql_status_is_the_status_rule(tree, data, on):
    with transaction.atomic():
        directives = [make_directive(tree.central, number=9, issued_on=D(2015, 6, 1))]
        build(data, tree, directives)
        judged = day(on)
        rows = items(tree.province, as_of=TODAY, on=judged).select_related("requirement")
        for item in rows:
            expected = requirement_status(
                due_on=item.requirement.due_on, done_on=item.done_on, on=judged
            )
            assert item.status == expected.value
        total = counts(items(tree.province, as_of=TODAY, on=judged, f=ItemFilter()))
        assert (
            total.total
            == Fulfilment.objects.filter(
                implementation__unit__in=[tree.city, tree.ward_a, tree.ward_b, tree.other]
            ).count()
        )
        transaction.set_rollback(True)


def test_a_breakdown_takes_the_same_number_of_queries_for_any_number_of_children(
    tree, frozen, django_assert_max_num_queries
):
    from tests.factories import make_unit

    for i in range(12):
        make_unit(f"Đảng bộ phường {i}", "grassroots_org", tree.city)
    query = IndicatorQuery(tree.city, D(2016, 1, 1), D(2022, 9, 30))
    children = list(Unit.objects.children_of(tree.city, query.as_of).organisations())
    assert len(children) == 14
    for indicator in indicators("implementation"):
        with django_assert_max_num_queries(2):
            indicator.breakdown(query, children)


def test_drilldown_columns_read_the_judging_day_of_the_query(tree, office, directive, frozen):
    """A 2022 report's list shows days overdue up to the period's end, not up to today."""
    from tests.implementation.factories import assign

    assign(directive=directive, unit=tree.city, user=office)
    indicator = next(i for i in indicators("implementation") if i.code.endswith("missing_units"))
    query = IndicatorQuery(tree.city, D(2022, 1, 1), D(2022, 1, 31))
    [first, *_] = indicator.records(query)
    by_label = {str(c.label): c.get(first) for c in indicator.columns}
    assert first.judged_on == D(2022, 1, 31)
    assert by_label["Số ngày quá hạn"] == 16  # due 15/01/2022, judged on 31/01/2022
    assert by_label["Tình trạng"] == "chưa thực hiện (quá hạn)"
