"""Who has reported for a period, and whether a parent's typed-in figures equal the sum of
its children's."""

from giamsat.reports import services
from giamsat.reports.completeness import completeness, consistency
from giamsat.reports.models import ReportSource
from tests.conftest import client_for
from tests.reports.conftest import END, START, make_report


def _typed(unit, template, figures):
    report = make_report(unit, template, source=ReportSource.TYPED)
    services.set_typed_figures(
        report=report, expected_version=report.version, acting_user=None, figures=figures
    )
    report.refresh_from_db()
    return report


def test_units_that_have_not_submitted_come_first(tree, template, django_assert_max_num_queries):
    submitted = make_report(tree.ward_a, template)
    services.submit_report(report=submitted, expected_version=submitted.version, acting_user=None)
    make_report(tree.ward_b, template)  # a draft only
    make_report(tree.ward_b, template, start=START.replace(year=2018))  # another period
    with django_assert_max_num_queries(4):
        rows = completeness(tree.city, START, END)
    by_unit = {r.unit: r for r in rows}
    assert set(by_unit) == {tree.ward_a, tree.ward_b}  # organisations only, no organs
    assert by_unit[tree.ward_a].status == "submitted" and by_unit[tree.ward_a].has_submitted
    assert by_unit[tree.ward_b].status == "draft" and not by_unit[tree.ward_b].has_submitted
    assert rows[0].unit == tree.ward_b


def test_all_levels_reach_grassroots_but_not_plain_cells(tree):
    rows = completeness(tree.province, START, END, all_levels=True)
    units = {r.unit for r in rows}
    assert {tree.city, tree.ward_a, tree.ward_b, tree.other, tree.cell_o1} <= units
    assert tree.cell_a1 not in units  # a cell inside a ward does not report on its own
    assert all(r.status == "missing" for r in rows)


def test_a_parent_figure_that_is_not_the_sum_of_its_children_is_listed(tree, template):
    parent = _typed(tree.city, template, {"test.count": "10", "test.rate_rate": "50"})
    _typed(tree.ward_a, template, {"test.count": "4"})
    _typed(tree.ward_b, template, {"test.count": "5"})
    rows = consistency(parent)
    assert [r.code for r in rows] == ["test.count"]  # rates are not summed
    row = rows[0]
    assert (row.children_sum, row.difference, row.consistent) == (9, 1, False)
    assert {c.source for c in row.children} == {"typed"}


def test_consistent_figures_pass_and_missing_children_are_named(tree, template):
    parent = _typed(tree.city, template, {"test.count": "9"})
    _typed(tree.ward_a, template, {"test.count": "4"})
    _typed(tree.ward_b, template, {"test.count": "5"})
    assert consistency(parent)[0].consistent
    other = _typed(tree.province, template, {"test.count": "9"})
    row = consistency(other)[0]
    assert tree.other in row.missing_children and not row.consistent


def test_the_pages(tree, template, report_users):
    parent = _typed(tree.city, template, {"test.count": "10"})
    _typed(tree.ward_a, template, {"test.count": "4"})
    client = client_for(report_users.city_leader)
    response = client.get(f"/reports/{parent.pk}/consistency/")
    assert response.status_code == 404  # a draft: the leader does not edit reports
    client = client_for(report_users.office)
    response = client.get(f"/reports/{parent.pk}/consistency/")
    assert response.context["inconsistent"] == 1
    response = client.get(
        f"/reports/completeness/?unit={tree.city.pk}&from=01/01/2019&to=30/09/2022"
    )
    assert response.context["missing"] == 2
    outsider = client_for(report_users.outsider)
    url = f"/reports/completeness/?unit={tree.city.pk}&from=01/01/2019&to=30/09/2022"
    assert outsider.get(url).status_code == 404
