"""The figures pages list whatever is registered, each value opening to its records."""

import datetime as dt

from giamsat.indicators.registry import indicators
from tests.conftest import client_for
from tests.study.factories import make_directive, make_session, mark


def params(unit, **extra):
    return {"unit": unit.pk, "from": "01/01/2022", "to": "31/10/2022", **extra}


def test_home_lists_every_visible_indicator_with_links(tree, users, foreign_indicators):
    page = client_for(users.read_only).get("/figures/", params(tree.city))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Units counted" in html and "/figures/zz_test.units/records/?unit=" in html
    assert "/figures/study.participation_rate/by-unit/" in html
    # The leader lacks the petitions capability: that figure is not shown.
    assert "Secret count" not in html
    assert (
        "Secret count"
        in client_for(users.authorised).get("/figures/", params(tree.city)).content.decode()
    )


def test_home_defaults_to_the_users_unit_and_this_year(tree, users):
    page = client_for(users.read_only).get("/figures/")
    html = page.content.decode()
    assert tree.city.name in html and "01/01/2022" in html and "01/11/2022" in html


def test_a_unit_outside_scope_is_404_everywhere(tree, users, foreign_indicators):
    client = client_for(users.read_only)
    assert client.get("/figures/", params(tree.other)).status_code == 404
    assert client.get("/figures/zz_test.units/records/", params(tree.other)).status_code == 404
    assert client.get("/figures/zz_test.units/by-unit/", params(tree.other)).status_code == 404
    assert client.get("/figures/zz_test.secret/records/", params(tree.city)).status_code == 404
    assert client.get("/figures/no.such/records/", params(tree.city)).status_code == 404


def test_the_drill_down_lists_the_records_with_columns_and_links(tree, users, members):
    nq04 = make_directive(4)
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    person = members[tree.cell_a1.code][0]
    mark(session, person)
    page = client_for(users.read_only).get("/figures/study.attendances/records/", params(tree.city))
    html = page.content.decode()
    assert page.status_code == 200
    assert person.get_absolute_url() in html and session.get_absolute_url() in html
    assert person.full_name in html
    # The same list for a rate's denominator.
    rate = client_for(users.read_only).get(
        "/figures/study.participation_rate/records/", params(tree.city, side="denominator")
    )
    assert rate.content.decode().count("/people/") >= 4


def test_the_drill_down_is_paginated_and_exports(tree, users, foreign_indicators):
    client = client_for(users.read_only)
    page = client.get("/figures/zz_test.units/records/", params(tree.city))
    assert "Đảng bộ phường Trường Thi" in page.content.decode()
    export = client.get("/figures/zz_test.units/records/", params(tree.city, format="xlsx"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_breakdown_takes_one_query_per_indicator(
    tree, users, foreign_indicators, django_assert_max_num_queries
):
    client = client_for(users.read_only)
    client.get("/figures/", params(tree.city))
    with django_assert_max_num_queries(25):
        page = client.get("/figures/zz_test.units/by-unit/", params(tree.city))
    html = page.content.decode()
    assert "Đảng bộ phường Trường Thi" in html and "data-chart=" in html


def test_home_queries_grow_with_indicators_not_units(
    tree, users, foreign_indicators, django_assert_max_num_queries
):
    client = client_for(users.authorised)
    client.get("/figures/", params(tree.city))
    budget = 2 * len(indicators()) + 25
    with django_assert_max_num_queries(budget):
        assert client.get("/figures/", params(tree.city)).status_code == 200


def test_a_unit_can_be_found_by_name_without_diacritics(tree, users):
    page = client_for(users.read_only).get("/figures/", params(tree.city, unit_q="truong thi"))
    html = page.content.decode()
    assert f"unit={tree.ward_a.pk}" in html


def test_the_drill_down_counts_its_records_from_the_figure(tree, users, members):
    """The list's total is the figure (figure = drill-down): no COUNT over the records, and
    the total, the pages and the rows agree with the records themselves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nq04 = make_directive(4)
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    people = [p for code in (tree.cell_a1.code, tree.cell_a2.code) for p in members[code]]
    for person in people:
        mark(session, person)
    client = client_for(users.read_only)
    url = "/figures/study.attendances/records/"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, params(tree.city))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == len(people)
    assert len(page.context["rows"]) == len(people)
    counts = [q["sql"] for q in queries if "study_attendance" in q["sql"] and "COUNT(" in q["sql"]]
    assert counts == []
    # A rate: the numerator's records, and the denominator's on the other side.
    rate = client.get("/figures/study.participation_rate/records/", params(tree.city))
    value = rate.context["value"]
    assert rate.context["page"].paginator.count == value.numerator == len(people)
    side = client.get(
        "/figures/study.participation_rate/records/", params(tree.city, side="denominator")
    )
    assert side.context["page"].paginator.count == value.denominator


def test_the_drill_down_api_counts_from_the_figure_too(tree, users, members):
    from giamsat.indicators.reading import record_total
    from giamsat.indicators.registry import IndicatorQuery, get_indicator

    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [make_directive(4)])
    mark(session, members[tree.cell_a1.code][0])
    query = IndicatorQuery(tree.city, dt.date(2022, 1, 1), dt.date(2022, 10, 31))
    for code in ("study.attendances", "study.participation_rate", "study.persons_not_studied"):
        indicator = get_indicator(code)
        value = indicator.compute(query)
        assert record_total(indicator, value) == indicator.records(query).count()
        if indicator.denominator is not None:
            assert record_total(indicator, value, "denominator") == (
                indicator.denominator(query).count()
            )
