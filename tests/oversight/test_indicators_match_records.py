"""Each oversight figure equals the number of records its drill-down lists; collectives and
individuals count once; cancelled cases, other periods and other subtrees are left out."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.indicators.registry import IndicatorQuery, indicators
from giamsat.oversight import services as s
from giamsat.oversight.models import CaseKind
from tests.oversight.conftest import make_case

D = dt.date

case_specs = st.lists(
    st.tuples(
        st.sampled_from(list(CaseKind)),
        st.integers(min_value=0, max_value=4),  # which conducting body
        st.dates(min_value=D(2018, 6, 1), max_value=D(2023, 6, 1)),
        st.lists(st.integers(min_value=0, max_value=5), max_size=3, unique=True),  # subjects
        st.booleans(),  # cancelled
    ),
    max_size=8,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=case_specs)
def test_every_oversight_value_equals_its_drilldown(tree, members, specs):
    """For random cases, the value of every oversight figure is the number of its records and
    the records are distinct."""
    bodies = [tree.city_inspection, tree.city, tree.ward_a, tree.cell_a1, tree.other]
    people = [p for ps in members.values() for p in ps]
    subjects = [tree.ward_a, tree.ward_b, tree.cell_b1, people[0], people[1], people[2]]
    with transaction.atomic():
        for kind, body, day, picks, cancelled in specs:
            state = kind == CaseKind.STATE_INSPECTION
            case = make_case(
                bodies[body],
                kind=kind,
                decided_on=day,
                state_body="Thanh tra" if state else "",
                subjects=[subjects[i] for i in picks],
            )
            if cancelled:
                s.cancel_case(
                    case=case, expected_version=case.version, reason="x", acting_user=None
                )
        query = IndicatorQuery(tree.city, D(2019, 1, 1), D(2022, 9, 30))
        for indicator in indicators("oversight"):
            records = list(indicator.records(query))
            assert indicator.compute(query).value == len(records), indicator.code
            assert len({r.pk for r in records}) == len(records), indicator.code
        transaction.set_rollback(True)


def test_counting_rules_of_thematic_supervision(tree, members, standing):
    """Collectives and individuals count once however often supervised; the period, the
    subtree and cancellation decide what counts."""
    a, b = members[tree.cell_a1.code]
    make_case(standing, decided_on=D(2019, 5, 1), subjects=[tree.ward_a, a, b])
    make_case(tree.city_inspection, decided_on=D(2021, 5, 1), subjects=[tree.ward_a, a])  # again
    make_case(standing, decided_on=D(2018, 12, 31), subjects=[tree.ward_b])  # before
    make_case(standing, decided_on=D(2022, 10, 1), subjects=[tree.ward_b])  # after
    make_case(tree.other, decided_on=D(2020, 5, 1), subjects=[tree.cell_o1])  # elsewhere
    cancelled = make_case(standing, decided_on=D(2020, 5, 1), subjects=[tree.cell_b1])
    s.cancel_case(case=cancelled, expected_version=cancelled.version, reason="x", acting_user=None)
    query = IndicatorQuery(tree.city, D(2019, 1, 1), D(2022, 9, 30))
    by_code = {i.code: i for i in indicators("oversight")}
    collectives = by_code["oversight.thematic_supervision.collectives"]
    individuals = by_code["oversight.thematic_supervision.individuals"]
    assert [r.unit for r in collectives.records(query)] == [tree.ward_a]
    assert sorted(r.person_id for r in individuals.records(query)) == sorted([a.pk, b.pk])
    assert by_code["oversight.thematic_supervision.cases"].compute(query).value == 2
    # The breakdown by child unit follows the conducting body (one grouped query): the
    # collective is counted under the body whose supervision came first.
    children = [standing, tree.city_inspection, tree.ward_a]
    values = {pk: v.value for pk, v in collectives.breakdown(query, children).items()}
    assert values == {standing.pk: 1, tree.city_inspection.pk: 0, tree.ward_a.pk: 0}


def test_inspections_count_party_and_state_inspections(tree):
    """'Inspections' = the four party kinds + state inspections, not supervision."""
    for kind in (
        CaseKind.VIOLATION_SIGNS,
        CaseKind.TASK_PERFORMANCE,
        CaseKind.FINANCE,
        CaseKind.COMPLIANCE,
    ):
        make_case(tree.city_inspection, kind=kind, subjects=[tree.ward_a])
    make_case(tree.city, kind=CaseKind.STATE_INSPECTION, state_body="Thanh tra thành phố")
    make_case(tree.city_inspection, kind=CaseKind.THEMATIC_SUPERVISION, subjects=[tree.ward_a])
    make_case(tree.cell_a1, kind=CaseKind.COMPLIANCE, subjects=[tree.cell_a1])
    query = IndicatorQuery(tree.city, D(2019, 1, 1), D(2022, 9, 30))
    values = {i.code: i.compute(query).value for i in indicators("oversight")}
    assert values["oversight.inspections"] == 6
    assert values["oversight.party_inspections"] == 5
    assert values["oversight.state_inspections"] == 1
    assert values["oversight.inspections.by_body.inspection_commission"] == 4
    assert values["oversight.inspections.by_body.cell"] == 1
    assert values["oversight.inspections.by_body.committee"] == 0


def test_criticised_collectives_and_heads(tree, members, standing):
    """A criticism of a collective and its head counts one collective and one person."""
    head = members[tree.cell_a1.code][0]
    for day in (D(2020, 1, 5), D(2021, 1, 5)):
        s.record_criticism(
            by_unit=standing,
            date=day,
            subject_unit=tree.ward_a,
            subject_person=head,
            reason="x",
            acting_user=None,
        )
    s.record_criticism(
        by_unit=standing, date=D(2021, 2, 1), subject_unit=tree.ward_b, reason="y", acting_user=None
    )
    query = IndicatorQuery(tree.city, D(2019, 1, 1), D(2022, 9, 30))
    values = {i.code: i.compute(query).value for i in indicators("oversight")}
    assert values["oversight.criticism.collectives"] == 2
    assert values["oversight.criticism.heads"] == 1
