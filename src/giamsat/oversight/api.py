"""REST API of inspection, supervision, criticism and commitments (/api/v1/oversight).

Scoped exactly like the pages: a record outside the caller's scope answers 404; a record the
caller may read but not change answers 403 to a write. Writes go through the same services
as the pages; a rule they refuse answers 400 with ``detail``, a stale ``version`` 409.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, unit_in_scope
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.scoping import directives_in_scope
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.oversight import services
from giamsat.oversight.access import (
    cases_for,
    commitment_items_for,
    commitments_for,
    criticisms_for,
    programmes_for,
)
from giamsat.oversight.models import (
    Case,
    CaseKind,
    CaseStatus,
    Catalogue,
    CatalogueItem,
    Commitment,
    CommitmentItem,
    Criticism,
    Programme,
    ProgrammeItem,
)
from giamsat.people.models import Person
from giamsat.units.models import Unit

router = Router(tags=["oversight"])


class ErrorOut(Schema):
    detail: str


# --- schemas ---------------------------------------------------------------------------------


class SubjectOut(Schema):
    id: int
    unit_id: int | None
    person_id: int | None
    name: str = Field(description="Collective, individual or outside agency, as displayed")
    position: str


class TeamOut(Schema):
    name: str = Field(alias="display_name")
    role: str
    agency: str


class StepOut(Schema):
    kind: str
    date: dt.date
    document_symbol: str
    note: str


class FindingOut(Schema):
    id: int
    kind: str
    text: str
    subject_id: int | None
    catalogue_item_id: int | None


class CaseOut(Schema):
    id: int
    kind: str
    title: str
    conducting_unit_id: int
    state_body: str
    decided_on: dt.date
    decision_symbol: str
    status: str
    concluded_on: dt.date | None
    version: int


class CaseDetailOut(CaseOut):
    content: str
    period_from: dt.date | None
    period_to: dt.date | None
    phase: str
    programme_item_id: int | None
    reinspection_of_id: int | None
    directive_ids: list[int]
    subjects: list[SubjectOut]
    team: list[TeamOut]
    steps: list[StepOut]
    findings: list[FindingOut]
    strengths: str
    shortcomings: str
    violations: str
    recommendations: str
    conclusion_symbol: str


class SubjectIn(Schema):
    unit_id: int | None = None
    person_id: int | None = None
    name: str = Field("", description="An agency outside the party tree (state inspections)")
    position: str = ""


class CaseIn(Schema):
    kind: CaseKind
    conducting_unit_id: int
    title: str
    decided_on: dt.date
    content: str = ""
    state_body: str = ""
    decision_symbol: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    programme_item_id: int | None = None
    reinspection_of_id: int | None = None
    directive_ids: list[int] = []
    subjects: list[SubjectIn] = []


class StepIn(Schema):
    kind: str
    date: dt.date
    document_symbol: str = ""
    note: str = ""


class FindingIn(Schema):
    kind: str
    text: str
    subject_id: int | None = None
    catalogue_item_id: int | None = None


class ConclusionIn(Schema):
    version: int = Field(description="The version read; a stale one answers 409")
    concluded_on: dt.date
    strengths: str = ""
    shortcomings: str = ""
    violations: str = ""
    recommendations: str = ""
    conclusion_symbol: str = ""


class ProgrammeItemOut(Schema):
    id: int
    kind: str
    content: str
    planned_start: dt.date
    planned_end: dt.date
    ad_hoc: bool
    subject_unit_id: int | None
    subject_person_id: int | None
    progress: str


class ProgrammeOut(Schema):
    id: int
    conducting_unit_id: int
    year: int
    title: str
    document_symbol: str


class ProgrammeDetailOut(ProgrammeOut):
    items: list[ProgrammeItemOut]


class CriticismOut(Schema):
    id: int
    by_unit_id: int
    date: dt.date
    subject_unit_id: int | None
    subject_person_id: int | None
    subject_position: str
    reason: str
    document_symbol: str
    case_id: int | None


class CriticismIn(Schema):
    by_unit_id: int
    date: dt.date
    reason: str
    subject_unit_id: int | None = None
    subject_person_id: int | None = None
    subject_position: str = ""
    case_id: int | None = None
    directive_ids: list[int] = []
    document_symbol: str = ""


class ItemOut(Schema):
    id: int
    commitment_id: int
    text: str
    due_on: dt.date
    status: str
    closed_on: dt.date | None
    justification: str


class FollowUpOut(Schema):
    date: dt.date
    kind: str
    by_unit_id: int
    assessment: str
    note: str
    item_id: int | None
    case_id: int | None


class CommitmentOut(Schema):
    id: int
    subject_unit_id: int | None
    subject_person_id: int | None
    supervising_unit_id: int
    origin_kind: str
    origin_type: str | None = Field(None, description="app_label.model of the origin record")
    origin_id: int | None
    origin_label: str
    signed_on: dt.date
    summary: str
    items: list[ItemOut]

    @staticmethod
    def resolve_origin_type(obj: Commitment | dict) -> str | None:
        if isinstance(obj, dict):
            return obj.get("origin_type")
        if obj.origin_type_id is None:
            return None
        return f"{obj.origin_type.app_label}.{obj.origin_type.model}"


class CommitmentDetailOut(CommitmentOut):
    follow_ups: list[FollowUpOut]


class ItemIn(Schema):
    text: str
    due_on: dt.date


class CommitmentIn(Schema):
    supervising_unit_id: int
    origin_kind: str
    signed_on: dt.date
    items: list[ItemIn]
    subject_unit_id: int | None = None
    subject_person_id: int | None = None
    origin_criticism_id: int | None = None
    origin_case_id: int | None = None
    summary: str = ""


class FollowUpIn(Schema):
    date: dt.date
    kind: str
    by_unit_id: int
    assessment: str
    note: str = ""
    item_id: int | None = None
    case_id: int | None = None


class CatalogueItemOut(Schema):
    id: int
    code: str
    group: str
    label: str
    text: str
    status: str
    topic: str
    source: str


class CatalogueOut(Schema):
    code: str
    kind: str
    title: str
    source_document: str
    valid_from: dt.date
    valid_to: dt.date | None
    unconfirmed: bool
    note: str


class CatalogueDetailOut(CatalogueOut):
    items: list[CatalogueItemOut]


class FigureOut(Schema):
    code: str
    label: str
    unit_id: int
    start: dt.date
    end: dt.date
    value: float
    record_ids: list[int] = Field(description="The records behind the value (the drill-down)")


# --- helpers ---------------------------------------------------------------------------------


def _unit(request, pk: int, capability: Cap = Cap.MANAGE_OVERSIGHT) -> Unit:
    """A unit the caller may write for (404 when out of scope, 403 when only readable)."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not unit_in_scope(request.user, unit, Cap.VIEW_UNITS):
        raise Http404
    if not unit_in_scope(request.user, unit, capability):
        raise HttpError(403, "You may not record oversight for this unit.")
    return unit


def _person(request, pk: int | None) -> Person | None:
    if pk is None:
        return None
    person = Person.objects.visible_to(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _case(request, pk: int) -> Case:
    return get_in_scope_or_404(
        Case.objects.select_related("conducting_unit"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "conducting_unit",
        pk=pk,
    )


def _writable_case(request, pk: int) -> Case:
    case = _case(request, pk)
    if not services.can_manage(request.user, case.conducting_unit):
        raise HttpError(403, "You may read this case but not change it.")
    return case


def _guard(call):
    try:
        return call()
    except services.OversightError as exc:
        raise HttpError(400, str(exc)) from None
    except ConcurrentEditError:
        raise HttpError(
            409, "The record changed since you read it; read it again and retry."
        ) from None


def _case_detail(case: Case) -> dict:
    return {
        **{f: getattr(case, f) for f in CaseOut.model_fields},
        "content": case.content,
        "period_from": case.period_from,
        "period_to": case.period_to,
        "phase": case.phase().value,
        "programme_item_id": case.programme_item_id,
        "reinspection_of_id": case.reinspection_of_id,
        "directive_ids": list(case.directives.values_list("pk", flat=True)),
        "subjects": [
            {
                "id": s.pk,
                "unit_id": s.unit_id,
                "person_id": s.person_id,
                "name": str(s),
                "position": s.position,
            }
            for s in case.subjects.select_related("unit", "person")
        ],
        "team": list(case.team.select_related("person")),
        "steps": list(case.steps.all()),
        "findings": list(case.findings.all()),
        "strengths": case.strengths,
        "shortcomings": case.shortcomings,
        "violations": case.violations,
        "recommendations": case.recommendations,
        "conclusion_symbol": case.conclusion_symbol,
    }


# --- cases -----------------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], summary="Inspections and supervisions in scope")
@paginate
def list_cases(
    request,
    kind: CaseKind | None = None,
    status: CaseStatus | None = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
) -> QuerySet[Case]:
    cases = cases_for(request.user).order_by("-decided_on", "-pk")
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if decided_from:
        cases = cases.filter(decided_on__gte=decided_from)
    if decided_to:
        cases = cases.filter(decided_on__lte=decided_to)
    return cases


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case with its steps")
def get_case(request, case_id: int):
    return _case_detail(_case(request, case_id))


@router.post(
    "/cases",
    response={201: CaseDetailOut, 400: ErrorOut, 403: ErrorOut},
    summary="Open a case (its decision is the first step)",
)
def create_case(request, payload: CaseIn):
    unit = _unit(request, payload.conducting_unit_id)
    subjects = []
    for s in payload.subjects:
        subject_unit = None
        if s.unit_id is not None:
            subject_unit = Unit.objects.filter(pk=s.unit_id).first()
            if subject_unit is None or not unit_in_scope(
                request.user, subject_unit, Cap.VIEW_UNITS
            ):
                raise Http404
        subjects.append(
            services.SubjectSpec(
                unit=subject_unit,
                person=_person(request, s.person_id),
                name=s.name,
                position=s.position,
            )
        )
    directives = directives_in_scope(request.user).filter(pk__in=payload.directive_ids)
    item = None
    if payload.programme_item_id:
        item = ProgrammeItem.objects.filter(
            pk=payload.programme_item_id, programme__in=programmes_for(request.user)
        ).first()
        if item is None:
            raise Http404
    previous = _case(request, payload.reinspection_of_id) if payload.reinspection_of_id else None
    case = _guard(
        lambda: services.open_case(
            kind=payload.kind,
            conducting_unit=unit,
            title=payload.title,
            decided_on=payload.decided_on,
            content=payload.content,
            state_body=payload.state_body,
            decision_symbol=payload.decision_symbol,
            period_from=payload.period_from,
            period_to=payload.period_to,
            programme_item=item,
            reinspection_of=previous,
            subjects=subjects,
            directives=directives,
            acting_user=request.user,
        )
    )
    return Status(201, _case_detail(case))


@router.post(
    "/cases/{case_id}/steps",
    response={201: StepOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record a dated step of a phase",
)
def add_step(request, case_id: int, payload: StepIn):
    case = _writable_case(request, case_id)
    step = _guard(
        lambda: services.record_step(
            case=case,
            kind=payload.kind,
            date=payload.date,
            document_symbol=payload.document_symbol,
            note=payload.note,
            acting_user=request.user,
        )
    )
    return Status(201, step)


@router.post(
    "/cases/{case_id}/findings",
    response={201: FindingOut, 400: ErrorOut, 403: ErrorOut},
    summary="Add a finding, optionally coded on a catalogue item",
)
def add_finding(request, case_id: int, payload: FindingIn):
    case = _writable_case(request, case_id)
    subject = None
    if payload.subject_id is not None:
        subject = get_object_or_404(case.subjects, pk=payload.subject_id)
    item = None
    if payload.catalogue_item_id is not None:
        item = get_object_or_404(CatalogueItem, pk=payload.catalogue_item_id)
    finding = _guard(
        lambda: services.add_finding(
            case=case,
            kind=payload.kind,
            text=payload.text,
            subject=subject,
            catalogue_item=item,
            acting_user=request.user,
        )
    )
    return Status(201, finding)


@router.post(
    "/cases/{case_id}/conclusion",
    response={200: CaseDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record the conclusion (optimistic locking on version)",
)
def conclude(request, case_id: int, payload: ConclusionIn):
    case = _writable_case(request, case_id)
    _guard(
        lambda: services.conclude_case(
            case=case,
            expected_version=payload.version,
            concluded_on=payload.concluded_on,
            strengths=payload.strengths,
            shortcomings=payload.shortcomings,
            violations=payload.violations,
            recommendations=payload.recommendations,
            conclusion_symbol=payload.conclusion_symbol,
            acting_user=request.user,
        )
    )
    case.refresh_from_db()
    return Status(200, _case_detail(case))


# --- programmes ------------------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut], summary="Annual programmes in scope")
@paginate
def list_programmes(request, year: int | None = None) -> QuerySet[Programme]:
    programmes = programmes_for(request.user).order_by("-year", "pk")
    return programmes.filter(year=year) if year else programmes


@router.get(
    "/programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="A programme and the progress of its items",
)
def get_programme(request, programme_id: int):
    programme = get_in_scope_or_404(
        Programme.objects.all(),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "conducting_unit",
        pk=programme_id,
    )
    items = [
        {
            **{f: getattr(i, f) for f in ProgrammeItemOut.model_fields if f != "progress"},
            "progress": i.progress().value,
        }
        for i in programme.items.prefetch_related("cases")
    ]
    return {**{f: getattr(programme, f) for f in ProgrammeOut.model_fields}, "items": items}


# --- criticism -------------------------------------------------------------------------------


@router.get("/criticisms", response=list[CriticismOut], summary="Criticisms in scope")
@paginate
def list_criticisms(request) -> QuerySet[Criticism]:
    return criticisms_for(request.user).order_by("-date", "-pk")


@router.post(
    "/criticisms",
    response={201: CriticismOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record a criticism of a collective and/or its head",
)
def create_criticism(request, payload: CriticismIn):
    by_unit = _unit(request, payload.by_unit_id)
    subject_unit = None
    if payload.subject_unit_id is not None:
        subject_unit = Unit.objects.filter(pk=payload.subject_unit_id).first()
        if subject_unit is None or not unit_in_scope(request.user, subject_unit, Cap.VIEW_UNITS):
            raise Http404
    criticism = _guard(
        lambda: services.record_criticism(
            by_unit=by_unit,
            date=payload.date,
            reason=payload.reason,
            subject_unit=subject_unit,
            subject_person=_person(request, payload.subject_person_id),
            subject_position=payload.subject_position,
            case=_case(request, payload.case_id) if payload.case_id else None,
            directives=directives_in_scope(request.user).filter(pk__in=payload.directive_ids),
            document_symbol=payload.document_symbol,
            acting_user=request.user,
        )
    )
    return Status(201, criticism)


# --- commitments -----------------------------------------------------------------------------


def _commitment(request, pk: int) -> Commitment:
    return get_in_scope_or_404(
        Commitment.objects.select_related("origin_type"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "supervising_unit",
        pk=pk,
    )


def _commitment_detail(commitment: Commitment) -> dict:
    return {
        **{
            f: getattr(commitment, f)
            for f in CommitmentOut.model_fields
            if f not in ("items", "origin_type")
        },
        "origin_type": CommitmentOut.resolve_origin_type(commitment),
        "items": list(commitment.items.all()),
        "follow_ups": list(commitment.follow_ups.all()),
    }


@router.get("/commitments", response=list[CommitmentOut], summary="Remedial commitments in scope")
@paginate
def list_commitments(request) -> QuerySet[Commitment]:
    return (
        commitments_for(request.user)
        .select_related("origin_type")
        .prefetch_related("items")
        .order_by("-signed_on", "-pk")
    )


@router.get(
    "/commitments/{commitment_id}",
    response=CommitmentDetailOut,
    summary="A commitment with its items and follow-ups",
)
def get_commitment(request, commitment_id: int):
    return _commitment_detail(_commitment(request, commitment_id))


@router.post(
    "/commitments",
    response={201: CommitmentDetailOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record a commitment after a criticism, a conclusion or an annual review",
)
def create_commitment(request, payload: CommitmentIn):
    supervising = _unit(request, payload.supervising_unit_id)
    origin = None
    if payload.origin_criticism_id:
        origin = get_in_scope_or_404(
            Criticism.objects.all(),
            request.user,
            Cap.VIEW_OVERSIGHT,
            "by_unit",
            pk=payload.origin_criticism_id,
        )
    elif payload.origin_case_id:
        origin = _case(request, payload.origin_case_id)
    subject_unit = None
    if payload.subject_unit_id is not None:
        subject_unit = Unit.objects.filter(pk=payload.subject_unit_id).first()
        if subject_unit is None or not unit_in_scope(request.user, subject_unit, Cap.VIEW_UNITS):
            raise Http404
    commitment = _guard(
        lambda: services.create_commitment(
            supervising_unit=supervising,
            origin_kind=payload.origin_kind,
            signed_on=payload.signed_on,
            items=[services.ItemSpec(i.text, i.due_on) for i in payload.items],
            subject_unit=subject_unit,
            subject_person=_person(request, payload.subject_person_id),
            origin=origin,
            summary=payload.summary,
            acting_user=request.user,
        )
    )
    return Status(201, _commitment_detail(commitment))


@router.post(
    "/commitments/{commitment_id}/follow-ups",
    response={201: FollowUpOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record a follow-up supervision, a verification or a re-inspection",
)
def add_follow_up(request, commitment_id: int, payload: FollowUpIn):
    commitment = _commitment(request, commitment_id)
    if not services.can_manage(request.user, commitment.supervising_unit):
        raise HttpError(403, "You may read this commitment but not change it.")
    item = get_object_or_404(commitment.items, pk=payload.item_id) if payload.item_id else None
    follow = _guard(
        lambda: services.record_follow_up(
            commitment=commitment,
            date=payload.date,
            kind=payload.kind,
            by_unit=_unit(request, payload.by_unit_id),
            assessment=payload.assessment,
            note=payload.note,
            item=item,
            case=_case(request, payload.case_id) if payload.case_id else None,
            acting_user=request.user,
        )
    )
    return Status(201, follow)


class ItemsQuery(Schema):
    state: str = Field("overdue", description="open, overdue or closed")
    on: dt.date | None = Field(None, description="As of this day (default today)")
    unit_id: int | None = Field(None, description="Only commitments supervised under this unit")


@router.get(
    "/commitment-items", response=list[ItemOut], summary="Open, overdue or closed items (per unit)"
)
@paginate
def list_items(request, filters: Query[ItemsQuery]) -> QuerySet[CommitmentItem]:
    day = filters.on or today()
    items = commitment_items_for(request.user)
    if filters.unit_id is not None:
        unit = Unit.objects.filter(pk=filters.unit_id).first()
        if unit is None or not unit_in_scope(request.user, unit, Cap.VIEW_OVERSIGHT):
            raise Http404
        from giamsat.units.models import subtree_q

        items = items.filter(
            subtree_q("commitment__supervising_unit", unit, unit.reference_date(day))
        )
    if filters.state == "open":
        items = items.open_on(day)
    elif filters.state == "closed":
        items = items.closed_by(day)
    else:
        items = items.overdue_on(day)
    return items.order_by("due_on", "pk")


# --- catalogues and figures ------------------------------------------------------------------


@router.get("/catalogues", response=list[CatalogueOut], summary="Catalogues (dated, cited)")
def list_catalogues(request):
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    return Catalogue.objects.order_by("kind", "valid_from")


@router.get("/catalogues/{code}", response=CatalogueDetailOut, summary="A catalogue and its items")
def get_catalogue(request, code: str):
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    catalogue = get_object_or_404(Catalogue, code=code)
    return {
        **{f: getattr(catalogue, f) for f in CatalogueOut.model_fields},
        "items": list(catalogue.items.all()),
    }


def figure_out(request, code: str, unit_id: int, start: dt.date, end: dt.date, domain: str) -> dict:
    try:
        indicator = get_indicator(code)
    except KeyError:
        raise Http404 from None
    if indicator.domain != domain:
        raise Http404
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not unit_in_scope(request.user, unit, indicator.capability):
        raise Http404
    if start > end:
        raise HttpError(400, "The period ends before it starts.")
    query = IndicatorQuery(unit, start, end)
    value = indicator.compute(query)
    return {
        "code": code,
        "label": str(indicator.label),
        "unit_id": unit.pk,
        "start": start,
        "end": end,
        "value": float(value.value),
        "record_ids": list(indicator.records(query).values_list("pk", flat=True)),
    }


@router.get("/figures/{code}", response=FigureOut, summary="A figure and the ids of its records")
def get_figure(request, code: str, unit_id: int, start: dt.date, end: dt.date):
    return figure_out(request, code, unit_id, start, end, "oversight")
