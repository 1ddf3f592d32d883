"""Figures of this app: good practices recorded and recommendations made (and still awaiting
an answer) in a unit's subtree over a period."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.indicators.registry import Column, Indicator, IndicatorQuery, register
from giamsat.reports.models import GoodPractice, Recommendation, RecommendationStatus


def _practices(query: IndicatorQuery):
    return GoodPractice.objects.filter(
        query.in_subtree("unit"),
        Q(period_end__isnull=True) | Q(period_end__gte=query.start),
        period_start__lte=query.end,
    ).select_related("unit")


def _recommendations(query: IndicatorQuery):
    return Recommendation.objects.filter(
        query.in_subtree("unit"), query.in_period("made_on")
    ).select_related("unit")


def _pending(query: IndicatorQuery):
    return _recommendations(query).filter(status=RecommendationStatus.PENDING)


_RECOMMENDATION_COLUMNS = (
    Column(_("Unit"), lambda r: r.unit.name),
    Column(_("Date"), lambda r: r.made_on),
    Column(_("Addressed to"), lambda r: r.addressee_body),
    Column(_("Topic"), lambda r: r.topic),
    Column(_("Status"), lambda r: r.get_status_display()),
)

register(
    Indicator(
        code="reports.good_practices",
        label=_("good practices recorded"),
        definition=_("Good practices of units in the subtree whose period overlaps the period."),
        unit_of_measure=_("practices"),
        domain="reports",
        capability=Cap.VIEW_REPORTS,
        records=_practices,
        columns=(
            Column(_("Unit"), lambda p: p.unit.name),
            Column(_("Good practice"), lambda p: p.title),
            Column(_("From"), lambda p: p.period_start),
        ),
        order=10,
    )
)
register(
    Indicator(
        code="reports.recommendations",
        label=_("recommendations made"),
        definition=_("Recommendations made by units in the subtree during the period."),
        unit_of_measure=_("recommendations"),
        domain="reports",
        capability=Cap.VIEW_REPORTS,
        records=_recommendations,
        columns=_RECOMMENDATION_COLUMNS,
        order=20,
    )
)
register(
    Indicator(
        code="reports.recommendations.pending",
        label=_("recommendations awaiting an answer"),
        definition=_("Recommendations made during the period that have not been answered yet."),
        unit_of_measure=_("recommendations"),
        domain="reports",
        capability=Cap.VIEW_REPORTS,
        records=_pending,
        columns=_RECOMMENDATION_COLUMNS,
        order=30,
    )
)
