"""The demo's city report (30/09/2022), generated from records through the whole workflow and
signed, prints the seed's figures — more than 80,000 attendances at 96 %, thematic supervision
of 6 collectives and 12 individuals, 38 inspections, 4 criticised grassroots committees,
1 organisation reprimanded (khiển trách), 29 members for ethics and lifestyle — and every
figure keeps the records it counted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from giamsat.core.demo import REPORT_END, REPORT_START, DemoContext, load_demo
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.reports.content import frozen_content
from giamsat.reports.models import Report, ReportStatus

SEED_COUNTS = {
    "oversight.thematic_supervision.collectives": 6,
    "oversight.thematic_supervision.individuals": 12,
    "oversight.inspections": 38,
    "oversight.criticism.collectives": 4,
    "discipline.organisations.khien_trach": 1,
    "discipline.members.group.ethics_lifestyle": 29,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        ctx = DemoContext(verbose=False)
        with transaction.atomic():
            load_demo(ctx)
            yield ctx
            transaction.set_rollback(True)


@pytest.fixture
def city_report(demo):
    return Report.objects.get(
        unit=demo.units["TP"],
        period_start=REPORT_START,
        period_end=REPORT_END,
        status=ReportStatus.SIGNED,
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_the_signed_city_report_carries_the_seed_figures(city_report):
    figures = {f.code: f for f in city_report.figures.all()}
    assert figures["study.attendances"].value > 80_000
    rate = figures["study.participation_rate"]
    assert Decimal("95.5") <= rate.value < Decimal("96.5"), rate
    for code, expected in SEED_COUNTS.items():
        assert figures[code].value == expected, code
        # the figure is its records: as many frozen ids as the value
        assert figures[code].record_count == expected, code
        assert sum(b - a + 1 for a, b in figures[code].record_ids) == expected, code


@pytest.mark.slow
@pytest.mark.django_db
def test_the_document_text_prints_the_seed_sentences(city_report):
    content = frozen_content(city_report)
    text = "\n".join(p for _heading, paras in content.rendered_sections() for p in paras)
    assert "giám sát chuyên đề với 6 tập thể và 12 cá nhân; 38 cuộc" in text
    assert "phê bình đối với 4 tổ chức đảng và người đứng đầu" in text
    assert "1 bằng hình thức khiển trách" in text
    assert "29 đảng viên do vi phạm đạo đức, lối sống" in text
    assert "chưa có số liệu" not in text


@pytest.mark.slow
@pytest.mark.django_db
def test_the_frozen_figures_equal_the_live_ones_at_signing(demo, city_report):
    """Nothing changed since the demo signed it: live figures equal the frozen ones."""
    directive_ids = frozenset(city_report.directives.values_list("pk", flat=True))
    query = IndicatorQuery(demo.units["TP"], REPORT_START, REPORT_END, directive_ids)
    for code, figure in ((f.code, f) for f in city_report.figures.all()):
        if code in SEED_COUNTS:
            assert get_indicator(code).compute(query).value == figure.value, code
