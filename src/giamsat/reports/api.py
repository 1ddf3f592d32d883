"""Reports API (/api/v1/reports): reports with their figures and the records behind them,
typed-in figures from systems of units not yet on giamsat, the workflow, completeness and
consistency, good practices, recommendations and their answers, and the synthesis.

Scoped exactly like the pages: what the caller may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.scoping import directives_in_scope
from giamsat.reports import permissions, services
from giamsat.reports.completeness import completeness, consistency
from giamsat.reports.content import content_of, render_plain, spec_for_report
from giamsat.reports.figures import Figure, find_indicator
from giamsat.reports.models import (
    GoodPractice,
    Recommendation,
    Report,
    ReportTemplate,
)
from giamsat.reports.synthesis import DEFAULT_THRESHOLD, synthesise
from giamsat.units.models import Unit, subtree_q

router = Router(tags=["reports"])


@contextmanager
def _service_errors():
    try:
        yield
    except services.ReportError as exc:
        raise HttpError(400, str(exc)) from None
    except ConcurrentEditError as exc:
        raise HttpError(409, str(exc)) from None
    except PermissionDenied:
        raise HttpError(403, "not allowed") from None


def _report(request, report_id: int) -> Report:
    report = (
        Report.objects.visible_to(request.user)
        .select_related("unit", "template")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


# --- schemas ------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class FigureOut(Schema):
    code: str
    label: str
    available: bool
    value: float | None = Field(None, description="the count, or the rate in percent")
    numerator: int | None = None
    denominator: int | None = None
    typed: bool = Field(False, description="typed in by hand (no records behind it)")
    record_model: str | None = Field(None, description="app_label.model of the records")
    record_count: int | None = Field(None, description="records behind it (frozen reports)")


class SectionOut(Schema):
    heading: str
    text: str = Field(description="narrative with {indicator.code} placeholders")
    rendered: str = Field(description="the text with every figure printed")


class ReportSummary(Schema):
    id: int
    unit: UnitRef
    period_start: dt.date
    period_end: dt.date
    status: str
    source: str
    subject: str
    symbol: str
    version: int
    delegation_id: int | None = None


class ReportOut(ReportSummary):
    directives: list[str]
    document_date: dt.date | None
    signer_name: str
    frozen_hash: str
    sections: list[SectionOut]
    figures: list[FigureOut]


class ReportIn(Schema):
    unit_id: int
    period_start: dt.date
    period_end: dt.date
    directive_ids: list[int] = []
    template: str | None = Field(None, description="template code (default: the built-in one)")
    delegation_id: int | None = None
    source: str = Field("generated", description="generated (from records) or typed")


class TypedFiguresIn(Schema):
    version: int
    figures: dict[str, str | None] = Field(
        description='{"study.attendances": "80412", "study.participation_rate": "96,2"}'
    )
    note: str = ""


class ActionIn(Schema):
    version: int
    comment: str = ""


class RecordsOut(Schema):
    code: str
    frozen: bool
    model: str | None
    ids: list[int]


class CompletenessRow(Schema):
    unit: UnitRef
    depth: int
    status: str
    report_id: int | None


class ConsistencyChild(Schema):
    unit: UnitRef
    value: float | None
    source: str


class ConsistencyOut(Schema):
    code: str
    label: str
    value: float | None
    children_sum: int | None
    difference: int | None
    consistent: bool
    children: list[ConsistencyChild]


class PracticeOut(Schema):
    id: int
    unit: UnitRef
    title: str
    description: str
    evidence: str
    period_start: dt.date
    period_end: dt.date | None


class PracticeIn(Schema):
    unit_id: int
    title: str
    description: str
    evidence: str = ""
    period_start: dt.date
    period_end: dt.date | None = None


class RecommendationOut(Schema):
    id: int
    unit: UnitRef
    report_id: int | None
    delegation_id: int | None
    session_id: int | None
    addressee_level: str
    addressee_body: str
    addressee_unit_id: int | None
    topic: str
    text: str
    made_on: dt.date
    due_on: dt.date
    status: str
    response: str
    responded_on: dt.date | None


class RecommendationIn(Schema):
    unit_id: int
    addressee_level: str = Field(description="level_above, province, centre, state or other")
    addressee_body: str
    topic: str
    text: str
    made_on: dt.date
    report_id: int | None = None
    due_on: dt.date | None = None


class AnswerIn(Schema):
    status: str = Field(description="accepted, under_study or answered")
    response: str
    responded_on: dt.date | None = None


class GroupOut(Schema):
    representative: str
    keywords: list[str]
    unit_count: int
    units: list[UnitRef]
    addressees: list[str]
    recommendation_ids: list[int]


# --- helpers ------------------------------------------------------------------------------


def _unit(u: Unit) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def _number(value) -> float | None:
    return None if value is None else float(Decimal(value))


def _figure(f: Figure) -> dict:
    return {
        "code": f.code,
        "label": f.label or f.code,
        "available": f.available,
        "value": _number(f.value) if f.available else None,
        "numerator": f.numerator,
        "denominator": f.denominator,
        "typed": f.typed,
        "record_model": f.records.model if f.records else None,
        "record_count": f.records.count if f.records else None,
    }


def _summary(r: Report) -> dict:
    return {
        "id": r.pk,
        "unit": _unit(r.unit),
        "period_start": r.period_start,
        "period_end": r.period_end,
        "status": r.status,
        "source": r.source,
        "subject": r.subject,
        "symbol": r.symbol,
        "version": r.version,
        "delegation_id": r.delegation_id,
    }


def _detail(r: Report) -> dict:
    content = content_of(r)
    return {
        **_summary(r),
        "directives": content.directives,
        "document_date": content.document_date,
        "signer_name": content.signer_name,
        "frozen_hash": r.frozen_hash,
        "sections": [
            {
                "heading": s.heading,
                "text": s.text,
                "rendered": render_plain(s.text, content.figures, content.fields),
            }
            for s in content.sections
        ],
        "figures": [_figure(f) for f in sorted(content.figures.values(), key=lambda f: f.code)],
    }


def _recommendation(r: Recommendation) -> dict:
    return {
        "id": r.pk,
        "unit": _unit(r.unit),
        "report_id": r.report_id,
        "delegation_id": r.delegation_id,
        "session_id": r.session_id,
        "addressee_level": r.addressee_level,
        "addressee_body": r.addressee_body,
        "addressee_unit_id": r.addressee_unit_id,
        "topic": r.topic,
        "text": r.text,
        "made_on": r.made_on,
        "due_on": r.due_on,
        "status": r.status,
        "response": r.response,
        "responded_on": r.responded_on,
    }


def _scoped_unit(request, unit_id: int, capability: Cap) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, capability, "pk", pk=unit_id)


# --- reports ------------------------------------------------------------------------------


@router.get("/", response=list[ReportSummary], summary="Reports in scope")
def list_reports(
    request,
    unit_id: int | None = None,
    status: str | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**9),
):
    reports = Report.objects.visible_to(request.user).select_related("unit")
    if unit_id is not None:
        reports = reports.filter(unit_id=unit_id)
    if status:
        reports = reports.filter(status=status)
    if period_start:
        reports = reports.filter(period_start=period_start)
    if period_end:
        reports = reports.filter(period_end=period_end)
    limit = max(1, min(limit, 500))
    return [_summary(r) for r in reports.order_by("-pk")[offset : offset + limit]]


@router.get("/completeness", response=list[CompletenessRow], summary="Who has reported")
def get_completeness(
    request, unit_id: int, period_start: dt.date, period_end: dt.date, all_levels: bool = False
):
    unit = _scoped_unit(request, unit_id, Cap.VIEW_REPORTS)
    if period_start > period_end:
        raise HttpError(400, "period_start is after period_end")
    rows = completeness(unit, period_start, period_end, all_levels=all_levels)
    return [
        {
            "unit": _unit(r.unit),
            "depth": r.depth,
            "status": r.status,
            "report_id": r.report.pk if r.report else None,
        }
        for r in rows
    ]


@router.get("/practices", response=list[PracticeOut], summary="Good practices in scope")
def list_practices(
    request,
    unit_id: int | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**9),
):
    items = GoodPractice.objects.visible_to(request.user).select_related("unit")
    if unit_id is not None:
        unit = _scoped_unit(request, unit_id, Cap.VIEW_REPORTS)
        items = items.filter(subtree_q("unit", unit, unit.reference_date()))
    limit = max(1, min(limit, 500))
    return [
        {
            "id": p.pk,
            "unit": _unit(p.unit),
            "title": p.title,
            "description": p.description,
            "evidence": p.evidence,
            "period_start": p.period_start,
            "period_end": p.period_end,
        }
        for p in items.order_by("pk")[offset : offset + limit]
    ]


@router.post("/practices", response={201: PracticeOut}, summary="Record a good practice")
def create_practice(request, payload: PracticeIn):
    unit = _scoped_unit(request, payload.unit_id, Cap.VIEW_REPORTS)
    with _service_errors():
        practice = services.record_good_practice(
            unit=unit,
            title=payload.title,
            description=payload.description,
            evidence=payload.evidence,
            period_start=payload.period_start,
            period_end=payload.period_end,
            acting_user=request.user,
        )
    return Status(
        201,
        {
            "id": practice.pk,
            "unit": _unit(unit),
            "title": practice.title,
            "description": practice.description,
            "evidence": practice.evidence,
            "period_start": practice.period_start,
            "period_end": practice.period_end,
        },
    )


@router.get(
    "/recommendations", response=list[RecommendationOut], summary="Recommendations in scope"
)
def list_recommendations(
    request,
    delegation_id: int | None = None,
    unit_id: int | None = None,
    status: str | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**9),
):
    items = Recommendation.objects.visible_to(request.user).select_related("unit")
    if delegation_id is not None:
        items = items.filter(delegation_id=delegation_id)
    if unit_id is not None:
        items = items.filter(Q(unit_id=unit_id) | Q(addressee_unit_id=unit_id))
    if status:
        items = items.filter(status=status)
    limit = max(1, min(limit, 500))
    return [_recommendation(r) for r in items.order_by("pk")[offset : offset + limit]]


@router.post(
    "/recommendations", response={201: RecommendationOut}, summary="Record a recommendation"
)
def create_recommendation(request, payload: RecommendationIn):
    unit = _scoped_unit(request, payload.unit_id, Cap.VIEW_REPORTS)
    report = _report(request, payload.report_id) if payload.report_id else None
    with _service_errors():
        item = services.record_recommendation(
            unit=unit,
            addressee_level=payload.addressee_level,
            addressee_body=payload.addressee_body,
            topic=payload.topic,
            text=payload.text,
            made_on=payload.made_on,
            due_on=payload.due_on,
            report=report,
            acting_user=request.user,
        )
    return Status(201, _recommendation(item))


def _recommendation_in_scope(request, pk: int) -> Recommendation:
    item = (
        Recommendation.objects.visible_to(request.user).select_related("unit").filter(pk=pk).first()
    )
    if item is None:
        raise Http404
    return item


@router.get("/recommendations/{rec_id}", response=RecommendationOut)
def get_recommendation(request, rec_id: int):
    return _recommendation(_recommendation_in_scope(request, rec_id))


@router.post(
    "/recommendations/{rec_id}/answer",
    response=RecommendationOut,
    summary="The addressee answers a recommendation",
)
def answer(request, rec_id: int, payload: AnswerIn):
    item = _recommendation_in_scope(request, rec_id)
    with _service_errors():
        services.answer_recommendation(
            recommendation=item,
            status=payload.status,
            response=payload.response,
            responded_on=payload.responded_on,
            acting_user=request.user,
        )
    return _recommendation(item)


@router.get("/synthesis", response=list[GroupOut], summary="Similar recommendations grouped")
def get_synthesis(
    request,
    delegation_id: int | None = None,
    unit_id: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    threshold: float = DEFAULT_THRESHOLD,
):
    from giamsat.delegations.models import Delegation

    items = Recommendation.objects.visible_to(request.user).select_related("unit")
    if delegation_id is not None:
        if not Delegation.objects.visible_to(request.user).filter(pk=delegation_id).exists():
            raise Http404
        items = items.filter(delegation_id=delegation_id)
    elif unit_id is not None and period_start and period_end:
        unit = _scoped_unit(request, unit_id, Cap.VIEW_REPORTS)
        items = items.filter(
            subtree_q("unit", unit, unit.reference_date(period_end)),
            made_on__gte=period_start,
            made_on__lte=period_end,
        )
    else:
        raise HttpError(400, "give delegation_id, or unit_id with period_start and period_end")
    groups = synthesise(list(items.order_by("pk")[:3000]), min(0.9, max(0.1, threshold)))
    return [
        {
            "representative": g.representative.text,
            "keywords": g.keywords,
            "unit_count": len(g.units),
            "units": [_unit(u) for u in g.units],
            "addressees": g.addressees,
            "recommendation_ids": [r.pk for r in g.items],
        }
        for g in groups
    ]


@router.post("/", response={201: ReportOut}, summary="Generate a draft report")
def create_report(request, payload: ReportIn):
    from giamsat.delegations.models import Delegation

    unit = _scoped_unit(request, payload.unit_id, Cap.VIEW_REPORTS)
    directives = list(directives_in_scope(request.user).filter(pk__in=payload.directive_ids))
    if len(directives) != len(set(payload.directive_ids)):
        raise HttpError(400, "unknown directive id")
    template = None
    if payload.template:
        template = ReportTemplate.objects.filter(code=payload.template).first()
        if template is None:
            raise HttpError(400, f"unknown template {payload.template}")
    delegation = None
    if payload.delegation_id:
        delegation = (
            Delegation.objects.visible_to(request.user).filter(pk=payload.delegation_id).first()
        )
        if delegation is None:
            raise Http404
    if payload.source not in ("generated", "typed"):
        raise HttpError(400, "source is generated or typed")
    with _service_errors():
        report = services.generate_report(
            unit=unit,
            start=payload.period_start,
            end=payload.period_end,
            directives=directives,
            template=template,
            delegation=delegation,
            source=payload.source,
            acting_user=request.user,
        )
    return Status(201, _detail(report))


@router.get("/{report_id}", response=ReportOut, summary="A report with its figures")
def get_report(request, report_id: int):
    return _detail(_report(request, report_id))


@router.put(
    "/{report_id}/figures",
    response=ReportOut,
    summary="Type in figures (units not yet on giamsat)",
)
def put_typed_figures(request, report_id: int, payload: TypedFiguresIn):
    report = _report(request, report_id)
    with _service_errors():
        services.set_typed_figures(
            report=report,
            expected_version=payload.version,
            acting_user=request.user,
            figures=payload.figures,
            note=payload.note,
        )
    report.refresh_from_db()
    return _detail(report)


@router.post("/{report_id}/actions/{action}", response=ReportOut, summary="Submit, return, accept")
def take_action(request, report_id: int, action: str, payload: ActionIn):
    report = _report(request, report_id)
    calls = {
        "submit": services.submit_report,
        "return": services.return_report,
        "accept": services.accept_report,
    }
    if action not in calls:
        raise HttpError(400, "action is submit, return or accept (signing is done in the UI)")
    with _service_errors():
        calls[action](
            report=report,
            expected_version=payload.version,
            acting_user=request.user,
            comment=payload.comment,
        )
    return _detail(report)


@router.get(
    "/{report_id}/figures/{code}/records",
    response=RecordsOut,
    summary="Ids of the records behind a figure (frozen at signature, or live)",
)
def figure_records(request, report_id: int, code: str):
    report = _report(request, report_id)
    content = content_of(report)
    fig = content.figures.get(code)
    if fig is None:
        raise Http404
    indicator = find_indicator(code)
    capability = str(indicator.capability) if indicator else ""
    if not permissions.can_see_records(request.user, capability, report.unit):
        raise Http404
    if report.is_frozen:
        return {
            "code": code,
            "frozen": True,
            "model": fig.records.model if fig.records else None,
            "ids": fig.records.ids() if fig.records else [],
        }
    if indicator is None or fig.typed:
        return {"code": code, "frozen": False, "model": None, "ids": []}
    records = indicator.records(spec_for_report(report).query)
    return {
        "code": code,
        "frozen": False,
        "model": records.model._meta.label_lower,
        "ids": sorted(records.values_list("pk", flat=True).distinct()),
    }


@router.get(
    "/{report_id}/consistency",
    response=list[ConsistencyOut],
    summary="Each figure against the sum of the sub-units'",
)
def get_consistency(request, report_id: int):
    report = _report(request, report_id)
    return [
        {
            "code": row.code,
            "label": row.label,
            "value": _number(row.parent.value) if row.parent and row.parent.available else None,
            "children_sum": row.children_sum,
            "difference": row.difference,
            "consistent": row.consistent,
            "children": [
                {
                    "unit": _unit(c.unit),
                    "value": _number(c.figure.value) if c.figure else None,
                    "source": c.source,
                }
                for c in row.children
            ],
        }
        for row in consistency(report)
    ]
