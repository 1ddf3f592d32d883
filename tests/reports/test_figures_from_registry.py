"""Report text takes its figures from the indicator registry by code: a known code prints its
value and links to its records; an unknown or failing code prints a clear marker, never a
number and never an exception."""

from django.utils import translation

from giamsat.indicators.registry import IndicatorQuery
from giamsat.reports.content import live_content, render_html, render_plain
from giamsat.reports.figures import NOT_FOUND, compute_figure
from tests.reports.conftest import END, START, make_report


def test_a_registered_code_gives_the_count_of_its_records(tree, joined, test_indicators):
    query = IndicatorQuery(tree.city, START, END)
    figure = compute_figure("test.joined", query, with_records=True)
    assert figure.available and figure.value == 3
    assert figure.records.model == "people.membership"
    assert sorted(figure.records.ids()) == sorted(m.pk for p in joined for m in p.memberships.all())


def test_a_rate_carries_its_numerator_and_denominator(tree, joined, test_indicators):
    figure = compute_figure("test.joined_rate", IndicatorQuery(tree.city, START, END))
    # 3 joined in the period; 2 members in each of the city's 3 cells + the 3 = 9
    assert (figure.numerator, figure.denominator) == (3, 9)
    assert figure.display() == "33,3%"


def test_an_unknown_code_is_unavailable_not_zero(tree, test_indicators):
    figure = compute_figure("absent.inspections", IndicatorQuery(tree.city, START, END))
    assert not figure.available
    assert figure.value is None
    assert figure.reason == NOT_FOUND


def test_a_failing_indicator_is_unavailable_and_does_not_crash(tree, test_indicators):
    figure = compute_figure("test.broken", IndicatorQuery(tree.city, START, END))
    assert not figure.available
    assert figure.reason == "error"


def test_the_text_prints_values_and_markers(tree, joined, test_indicators, template):
    report = make_report(tree.city, template)
    content = live_content(report)
    with translation.override("vi"):
        text = render_plain(content.sections[0].text, content.figures, content.fields)
    assert "Từ 01/01/2019 đến 30/09/2022 có 3 đảng viên mới chuyển đến, đạt 33,3%." in text
    assert "absent.inspections" in text
    assert "cuộc thanh tra" in text
    assert "None" not in text and " 0 cuộc" not in text


def test_every_figure_in_the_html_links_to_its_records(tree, joined, test_indicators, template):
    report = make_report(tree.city, template)
    content = live_content(report)
    html = render_html(
        content.sections[0].text,
        content.figures,
        content.fields,
        lambda code: f"/records/{code}/",
    )
    assert '<a class="gs-fig" href="/records/test.joined/"' in html
    assert '<a class="gs-fig" href="/records/test.joined_rate/"' in html
    assert '<span class="gs-fig-missing">' in html
    # narrative is escaped
    report.sections.filter(order=0).update(text="<script>x</script> {test.joined}")
    content = live_content(report)
    html = render_html(content.sections[0].text, content.figures, content.fields)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_appendix_by_sub_unit_breaks_figures_down_per_child(
    tree, joined, test_indicators, template, django_assert_max_num_queries
):
    report = make_report(tree.city, template)
    content = live_content(report)
    appendix = next(a for a in content.appendices if a.code == "figures_by_child")
    rows = {row[1]: row[2:] for row in appendix.parts[0].rows}
    assert rows["Đảng bộ phường Trường Thi"][0] == "2"
    assert rows["Đảng bộ phường Điện Biên"][0] == "1"
    # the missing code shows a dash, not a number
    assert rows["Đảng bộ phường Trường Thi"][1] == "—"
    total = appendix.parts[0].rows[-1]
    assert total[2] == "3"


def test_the_breakdown_costs_the_same_queries_whatever_the_number_of_children(
    tree, joined, test_indicators, template, django_assert_max_num_queries
):
    from giamsat.reports.appendices import AppendixContext, build_appendix
    from tests.factories import make_unit

    query = IndicatorQuery(tree.city, START, END)
    ctx = AppendixContext(query, ["test.joined"])
    with django_assert_max_num_queries(12):
        build_appendix("figures_by_child", ctx)
    for i in range(15):
        make_unit(f"Đảng bộ phường Thử {i}", "grassroots_org", tree.city)
    with django_assert_max_num_queries(12):
        appendix = build_appendix("figures_by_child", ctx)
    assert len(appendix.parts[0].rows) == 2 + 15 + 1


def test_record_appendices_list_the_records_tagged_with_their_capability(
    tree, joined, test_indicators, template, monkeypatch
):
    from giamsat.reports import appendices

    monkeypatch.setitem(appendices.RECORD_APPENDIX_CODES, "discipline", ["test.discipline_like"])
    report = make_report(tree.city, template)
    content = live_content(report)
    part = next(a for a in content.appendices if a.code == "discipline").parts[0]
    assert part.capability == "view_discipline"
    assert {row[1] for row in part.rows} == {
        "Trần Thị Ánh @ Chi bộ khu phố 1",
        "Lê Văn Đức @ Chi bộ khu phố 2",
        "Phạm Ngọc Ấn @ Chi bộ khu phố 3",
    }
