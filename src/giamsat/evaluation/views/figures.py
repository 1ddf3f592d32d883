"""Figures of the annual review (rolled up by child unit), their drill-downs, and the page of
the rule sets with the quota settings."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, unit_in_scope
from giamsat.evaluation import forms as f
from giamsat.evaluation import rules, services
from giamsat.evaluation.models import CategoryChoice, QuotaSetting
from giamsat.evaluation.views.common import (
    default_unit,
    default_year,
    require_view,
    show_error,
    viewable_units,
)
from giamsat.indicators.reading import records_paginator
from giamsat.indicators.registry import IndicatorQuery, get_indicator, indicators
from giamsat.units.models import Unit

CATEGORY_LABELS = {rules.Category(c.value): c.label for c in CategoryChoice}
CAP_KIND_LABELS = {
    rules.CapKind.DISCIPLINED: gettext_lazy("disciplined in the period"),
    rules.CapKind.DEGRADATION: gettext_lazy("concluded to show degradation (27 manifestations)"),
    rules.CapKind.PROHIBITION: gettext_lazy("concluded to violate the 19 prohibitions"),
    rules.CapKind.SUBORDINATE_DISCIPLINED: gettext_lazy("a directly subordinate unit disciplined"),
    rules.CapKind.LEADERSHIP_DISCIPLINED: gettext_lazy(
        "a member of the leadership collective disciplined"
    ),
    rules.CapKind.LEADERSHIP_DEGRADATION: gettext_lazy(
        "a leadership member concluded to show degradation"
    ),
}
CARD_CODES = [
    "evaluation.members.rated",
    "evaluation.members.hoan_thanh_xuat_sac.share",
    "evaluation.members.hoan_thanh_tot.share",
    "evaluation.members.hoan_thanh.share",
    "evaluation.members.khong_hoan_thanh.share",
    "evaluation.collectives.rated",
    "evaluation.collectives.hoan_thanh_xuat_sac.share",
    "evaluation.collectives.khong_hoan_thanh.share",
    "evaluation.contradictions",
    "evaluation.contradictions.unexplained",
    "evaluation.quota_breaches",
    "evaluation.undecided",
]
COUNT_CODES = [f"evaluation.members.{level.value}" for level in rules.LEVELS_BEST_FIRST]


def figure_query(request: HttpRequest) -> tuple[f.FigureForm, IndicatorQuery | None]:
    """The unit and year of the figures, from GET (defaults: the user's first unit, last year)."""
    units = viewable_units(request.user)
    unit = default_unit(request.user)
    data = {
        "unit": request.GET.get("unit") or (unit.pk if unit else ""),
        "year": request.GET.get("year") or default_year(),
    }
    form = f.FigureForm(data, units=units)
    if not form.is_valid():
        return form, None
    year = form.cleaned_data["year"]
    return form, IndicatorQuery(
        form.cleaned_data["unit"], dt.date(year, 1, 1), dt.date(year, 12, 31)
    )


def _visible(user, indicator, unit: Unit) -> bool:
    return unit_in_scope(user, unit, indicator.capability)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    require_view(request.user)
    form, query = figure_query(request)
    cards: list[dict] = []
    table: list[dict] = []
    chart = ""
    if query is not None:
        for code in CARD_CODES:
            indicator = get_indicator(code)
            if _visible(request.user, indicator, query.unit):
                cards.append({"indicator": indicator, "value": indicator.compute(query)})
        children = list(
            Unit.objects.children_of(query.unit, query.as_of).organisations().order_vi()
        )
        counts = {code: get_indicator(code).breakdown(query, children) for code in COUNT_CODES}
        for child in children:
            values = [counts[code][child.pk].value for code in COUNT_CODES]
            total = sum(values)
            if not total:
                continue
            table.append(
                {
                    "unit": child,
                    "cells": list(zip(values, COUNT_CODES, strict=True)),
                    "total": total,
                    "shares": [round(100 * v / total, 1) for v in values],
                }
            )
        if table:
            chart = json.dumps(
                {
                    "type": "bar",
                    "data": {
                        "labels": [str(r["unit"].short_name or r["unit"].name) for r in table],
                        "datasets": [
                            {
                                "label": rules.level_label(level),
                                "data": [r["shares"][i] for r in table],
                            }
                            for i, level in enumerate(rules.LEVELS_BEST_FIRST)
                        ],
                    },
                    "options": {
                        "indexAxis": "y",
                        "responsive": True,
                        "maintainAspectRatio": False,
                        "scales": {"x": {"stacked": True, "max": 100}, "y": {"stacked": True}},
                    },
                },
                ensure_ascii=False,
            )
    return render(
        request,
        "evaluation/figures.html",
        {
            "form": form,
            "query": query,
            "cards": cards,
            "table": table,
            "level_names": [rules.level_label(level) for level in rules.LEVELS_BEST_FIRST],
            "count_codes": COUNT_CODES,
            "chart": chart,
            "all": indicators("evaluation"),
        },
    )


@login_required
def figure(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one figure (rõ người, rõ việc): the same query as the value."""
    try:
        indicator = get_indicator(code)
    except KeyError:
        raise Http404 from None
    if indicator.domain != "evaluation":
        raise Http404
    form, query = figure_query(request)
    if query is None or not _visible(request.user, indicator, query.unit):
        raise Http404
    records = indicator.records(query)
    value = indicator.compute(query)
    page = records_paginator(indicator, records, value, 100).get_page(request.GET.get("page"))
    rows = [(record, [c.get(record) for c in indicator.columns]) for record in page]
    return render(
        request,
        "evaluation/figure.html",
        {
            "indicator": indicator,
            "value": value,
            "query": query,
            "form": form,
            "page": page,
            "rows": rows,
            "columns": indicator.columns,
        },
    )


@login_required
def rule_sets(request: HttpRequest) -> HttpResponse:
    """The rule sets as dated, cited data, and the administrator's quota settings."""
    require_view(request.user)
    is_admin = has_capability(request.user, Cap.ADMIN)
    form = f.QuotaSettingForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.set_quota(
                    rule_set=d["rule_set"],
                    share_pct=d["share_pct"],
                    source=d["source"],
                    unconfirmed=d["unconfirmed"],
                    note=d["note"],
                    acting_user=request.user,
                )
            except services.EvaluationError as exc:
                show_error(request, exc)
            else:
                messages.success(request, _("Quota setting saved."))
                return redirect("evaluation:rules")
    settings = {s.rule_set: s for s in QuotaSetting.objects.all()}
    sets = [
        {
            "rules": r,
            "setting": settings.get(r.code),
            "timeline": _timeline(r.timeline),
            "bands": [
                {"level": rules.level_label(level), "from": lowest} for level, lowest in r.bands
            ],
            "conditions": [
                {"level": rules.level_label(level), "cond": cond}
                for level, cond in r.conditions.items()
            ],
            "caps": [
                {
                    "cap": cap,
                    "level": rules.level_label(cap.max_level),
                    "kind": CAP_KIND_LABELS[cap.kind],
                }
                for cap in r.caps
            ],
            "forms": [(CATEGORY_LABELS[c], name) for c, name in r.individual_forms.items()],
        }
        for r in reversed(rules.RULE_SETS)
    ]
    return render(
        request, "evaluation/rules.html", {"sets": sets, "form": form, "is_admin": is_admin}
    )


def _when(spec: tuple[int, int, int] | None) -> str:
    if spec is None:
        return ""
    month, day, offset = spec
    text = f"{day:02d}/{month:02d}"
    return text + (" " + _("(the next year)") if offset else "")


def _timeline(t: rules.Timeline) -> list[tuple[str, str]]:
    rows = [
        (_("Plan issued in"), _("month %(m)s") % {"m": t.plan_month}),
        (_("Review sessions and ratings finished before"), _when(t.sessions_due)),
        (_("Units with a special calendar finish before"), _when(t.special_due)),
        (_("Files sent to the Central Organisation Commission before"), _when(t.files_due)),
        (_("Central Organisation Commission reports to the Politburo before"), _when(t.report_due)),
    ]
    return [(label, when) for label, when in rows if when]
