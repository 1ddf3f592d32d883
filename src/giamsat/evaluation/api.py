"""REST API of the annual review (/api/v1/evaluation).

Scoped exactly like the pages: campaigns and subjects outside the caller's units answer 404;
a step the caller may not record answers 403; a rule the services refuse answers 400 with
``detail``; a stale ``version`` answers 409. The ``/rules`` endpoints expose the pure rule
functions of ``giamsat.evaluation.rules`` (levels, quota, caps) for integrating systems.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.core.models import ConcurrentEditError
from giamsat.evaluation import facts, rules, services
from giamsat.evaluation.models import Campaign, Evaluation, EvaluationStatus
from giamsat.evaluation.views.common import campaigns_for, can_view, evaluations_for
from giamsat.oversight.api import ErrorOut, FigureOut, figure_out
from giamsat.units.models import Unit

router = Router(tags=["evaluation"])

LevelSlug = rules.Level


# --- schemas ---------------------------------------------------------------------------------


class BandOut(Schema):
    level: LevelSlug
    min_score: Decimal


class QuotaRuleOut(Schema):
    share_pct: Decimal
    outstanding_max_pct: Decimal | None
    basis: str
    source: str
    unconfirmed: bool


class CapRuleOut(Schema):
    kind: rules.CapKind
    applies_to: rules.SubjectKind
    max_level: LevelSlug
    source: str
    exception: str
    min_form: str
    unconfirmed: bool


class RuleSetOut(Schema):
    code: str
    regulation: str
    guidance: str
    valid_from: dt.date
    valid_to: dt.date | None
    period_kinds: list[rules.PeriodKind]
    bands: list[BandOut]
    bands_official: bool
    bands_source: str
    quota: QuotaRuleOut
    caps: list[CapRuleOut]
    timeline_source: str
    timeline_unconfirmed: bool


class LevelOut(Schema):
    score: Decimal
    year: int
    level: LevelSlug
    rule_set: str
    bands_official: bool


class QuotaIn(Schema):
    year: int = Field(ge=2018, le=2100)
    counts: dict[LevelSlug, int] = Field(description="Number of subjects per level slug")
    share_pct: Decimal | None = Field(None, ge=0, le=100)


class QuotaOut(Schema):
    excellent: int
    good: int
    share_pct: Decimal
    allowed: int
    ok: bool
    excess: int
    source: str
    unconfirmed: bool


class DisciplineFactIn(Schema):
    case_id: int = 0
    form: str = Field(description="khien_trach, canh_cao, cach_chuc, khai_tru or giai_tan")
    decided_on: dt.date
    label: str = ""


class FindingFactIn(Schema):
    finding_id: int = 0
    case_id: int = 0
    concluded_on: dt.date
    code: str = ""
    label: str = ""


class SubjectRecordsIn(Schema):
    year: int = Field(ge=2018, le=2100)
    kind: rules.SubjectKind
    disciplines: list[DisciplineFactIn] = []
    degradation: list[FindingFactIn] = []
    prohibitions: list[FindingFactIn] = []
    subordinate_disciplines: list[DisciplineFactIn] = []
    leadership_disciplines: list[DisciplineFactIn] = []
    leadership_degradation: list[FindingFactIn] = []


class RecordRefOut(Schema):
    kind: str
    id: int
    label: str
    date: dt.date


class CapOut(Schema):
    kind: rules.CapKind
    max_level: LevelSlug
    source: str
    exception: str
    unconfirmed: bool
    explanation: str
    records: list[RecordRefOut]


class CampaignOut(Schema):
    id: int
    title: str
    organiser_id: int
    period_kind: str
    year: int
    quarter: int | None
    period_start: dt.date
    period_end: dt.date
    rule_set: str
    sessions_due: dt.date
    status: str
    version: int


class DeadlinesOut(Schema):
    plan_by: dt.date
    sessions_by: dt.date
    special_by: dt.date | None
    files_by: dt.date | None
    report_by: dt.date | None
    source: str
    unconfirmed: bool


class CampaignDetailOut(CampaignOut):
    plan_symbol: str
    plan_issued_on: dt.date | None
    deadlines: DeadlinesOut
    subjects: dict[str, int] = Field(description="Subjects in the caller's scope, by status")


class CampaignIn(Schema):
    organiser_id: int
    year: int = Field(ge=2018, le=2100)
    period_kind: rules.PeriodKind = rules.PeriodKind.ANNUAL
    quarter: int | None = Field(None, ge=1, le=4)
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    title: str = Field("", max_length=300)
    plan_symbol: str = Field("", max_length=60)
    plan_issued_on: dt.date | None = None
    special_units: bool = False


class EvaluationOut(Schema):
    id: int
    campaign_id: int
    subject_kind: str
    unit_id: int
    person_id: int | None
    subject: str
    collective_kind: str
    category: str
    deciding_unit_id: int | None
    quota_group_id: int | None
    status: str
    score_general: Decimal | None
    score_tasks: Decimal | None
    score: Decimal | None
    self_level: str
    proposed_level: str
    decided_level: str
    decided_on: dt.date | None
    cap_level: str
    version: int

    @staticmethod
    def resolve_subject(obj) -> str:
        return str(obj["subject"] if isinstance(obj, dict) else obj.subject)


class OpinionOut(Schema):
    source: str
    text: str
    received_on: dt.date | None


class ReviewPointOut(Schema):
    id: int
    session_id: int
    held_on: dt.date
    kind: str = Field(description="self_criticism or criticism")
    text: str
    raised_by: str
    catalogue_code: str = Field(description="Manifestation (27) or prohibition (19) concerned")
    commitment_id: int | None = Field(description="The remedial commitment (oversight)")


class EvaluationDetailOut(EvaluationOut):
    form: str
    tasks_total: int
    tasks_completed: int
    tasks_on_time: int
    tasks_exceeding: int
    shortcomings_before: int
    shortcomings_remedied: int
    self_note: str
    self_assessed_on: dt.date | None
    proposal_note: str
    proposal_reason: str
    proposed_on: dt.date | None
    opinions: list[OpinionOut]
    decision_symbol: str
    decision_reason: str
    caps_now: list[CapOut] = Field(description="Caps from the records as they stand now")
    order_problems: list[str] = Field(description="What must be decided first")
    points: list[ReviewPointOut] = Field(
        description="Self-criticism and criticism raised in the review sessions"
    )


class SelfAssessmentIn(Schema):
    version: int
    score_general: Decimal = Field(ge=0, le=30, decimal_places=1)
    score_tasks: Decimal = Field(ge=0, le=70, decimal_places=1)
    assessed_on: dt.date
    tasks_total: int = Field(0, ge=0, le=30000)
    tasks_completed: int = Field(0, ge=0, le=30000)
    tasks_on_time: int = Field(0, ge=0, le=30000)
    tasks_exceeding: int = Field(0, ge=0, le=30000)
    shortcomings_before: int = Field(0, ge=0, le=30000)
    shortcomings_remedied: int = Field(0, ge=0, le=30000)
    note: str = Field("", max_length=10000)
    category: rules.Category | None = None


class OpinionIn(Schema):
    source: str = Field(max_length=200)
    text: str = Field(max_length=2000)
    received_on: dt.date | None = None


class ProposalIn(Schema):
    version: int
    level: LevelSlug
    proposed_on: dt.date
    note: str = Field("", max_length=10000)
    reason: str = Field("", max_length=10000)
    opinions: list[OpinionIn] = []


class DecisionIn(Schema):
    version: int
    level: LevelSlug
    decided_on: dt.date
    decision_symbol: str = Field("", max_length=60)
    reason: str = Field("", max_length=10000)


class LevelQuery(Schema):
    score: Decimal = Field(ge=0, le=100)
    year: int = Field(ge=2018, le=2100)


class CampaignFilters(Schema):
    year: int | None = Field(None, ge=2018, le=2100)


class EvaluationFilters(Schema):
    subject_kind: rules.SubjectKind | None = None
    status: EvaluationStatus | None = None
    level: LevelSlug | None = Field(None, description="Decided level")
    unit_id: int | None = Field(None, ge=1, le=2**62)


class FigureQuery(Schema):
    unit_id: int = Field(ge=1, le=2**62)
    year: int = Field(ge=2018, le=2100)


# --- helpers ---------------------------------------------------------------------------------


def _require_view(request) -> None:
    if not can_view(request.user):
        raise Http404


def _campaign(request, pk: int) -> Campaign:
    _require_view(request)
    campaign = campaigns_for(request.user).select_related("organiser").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _evaluation(request, pk: int) -> Evaluation:
    _require_view(request)
    evaluation = (
        evaluations_for(request.user)
        .select_related("campaign", "campaign__organiser", "unit", "person", "deciding_unit")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def _cap_out(cap: rules.RatingCap) -> dict:
    return {
        "kind": cap.kind,
        "max_level": cap.max_level,
        "source": cap.source,
        "exception": str(cap.exception),
        "unconfirmed": cap.unconfirmed,
        "explanation": cap.explanation(),
        "records": [
            {"kind": r.kind, "id": r.id, "label": r.label, "date": r.date} for r in cap.records
        ],
    }


def _detail(evaluation: Evaluation) -> dict:
    campaign = evaluation.campaign
    caps = facts.caps_by_evaluation(campaign, [evaluation]).get(evaluation.pk, ())
    data = {f: getattr(evaluation, f) for f in EvaluationOut.model_fields if f != "subject"}
    data.update(
        subject=str(evaluation.subject),
        form=evaluation.form_name(),
        tasks_total=evaluation.tasks_total,
        tasks_completed=evaluation.tasks_completed,
        tasks_on_time=evaluation.tasks_on_time,
        tasks_exceeding=evaluation.tasks_exceeding,
        shortcomings_before=evaluation.shortcomings_before,
        shortcomings_remedied=evaluation.shortcomings_remedied,
        self_note=evaluation.self_note,
        self_assessed_on=evaluation.self_assessed_on,
        proposal_note=evaluation.proposal_note,
        proposal_reason=evaluation.proposal_reason,
        proposed_on=evaluation.proposed_on,
        opinions=list(evaluation.opinions.all()),
        decision_symbol=evaluation.decision_symbol,
        decision_reason=evaluation.decision_reason,
        caps_now=[_cap_out(c) for c in caps],
        order_problems=facts.order_problems(campaign, [evaluation]).get(evaluation.pk, []),
        points=[
            {
                "id": p.pk,
                "session_id": p.session_id,
                "held_on": p.session.held_on,
                "kind": p.kind,
                "text": p.text,
                "raised_by": p.raised_by,
                "catalogue_code": p.catalogue_item.code if p.catalogue_item else "",
                "commitment_id": p.commitment_id,
            }
            for p in evaluation.points.select_related("session", "catalogue_item").order_by(
                "session__held_on", "pk"
            )
        ],
    )
    return data


def _write(call):
    """Run a service call; map its refusals to 400/403/409."""
    try:
        return call()
    except services.NotAllowedError as exc:
        raise HttpError(403, str(exc)) from None
    except services.EvaluationError as exc:
        raise HttpError(400, str(exc)) from None
    except ConcurrentEditError:
        raise HttpError(
            409, "The record changed since you read it: read it again and resend."
        ) from None


# --- rules -----------------------------------------------------------------------------------


@router.get("/rules/sets", response=list[RuleSetOut], summary="Rule sets (dated, cited data)")
def list_rule_sets(request):
    _require_view(request)
    return [
        {
            "code": r.code,
            "regulation": r.regulation,
            "guidance": r.guidance,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "period_kinds": sorted(r.period_kinds),
            "bands": [{"level": level, "min_score": lowest} for level, lowest in r.bands],
            "bands_official": r.bands_official,
            "bands_source": r.bands_source,
            "quota": r.quota.__dict__,
            "caps": [{**c.__dict__, "exception": str(c.exception)} for c in r.caps],
            "timeline_source": r.timeline.source,
            "timeline_unconfirmed": r.timeline.unconfirmed,
        }
        for r in rules.RULE_SETS
    ]


@router.get(
    "/rules/level",
    response={200: LevelOut, 400: ErrorOut},
    summary="The level a total score implies in a year",
)
def get_level(request, query: Query[LevelQuery]):
    _require_view(request)
    score, year = query.score, query.year
    try:
        level = rules.level_for_score(score, year)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    chosen = rules.rule_set_for(year)
    return {
        "score": score,
        "year": year,
        "level": level,
        "rule_set": chosen.code,
        "bands_official": chosen.bands_official,
    }


@router.post(
    "/rules/quota",
    response={200: QuotaOut, 400: ErrorOut},
    summary="Check the “xuất sắc” quota of one group",
)
def post_quota(request, payload: QuotaIn):
    _require_view(request)
    if any(n < 0 or n > 10**7 for n in payload.counts.values()):
        return Status(400, {"detail": "Counts must lie between 0 and 10 000 000."})
    try:
        check = rules.check_quota(
            {k.value: v for k, v in payload.counts.items()},
            payload.year,
            share_pct=payload.share_pct,
        )
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return {**check.__dict__, "excess": check.excess}


@router.post(
    "/rules/caps",
    response={200: list[CapOut], 400: ErrorOut},
    summary="The caps plain facts put on a subject's level",
)
def post_caps(request, payload: SubjectRecordsIn):
    _require_view(request)
    try:
        subject = rules.SubjectRecords(
            kind=payload.kind,
            disciplines=tuple(rules.DisciplineFact(**d.dict()) for d in payload.disciplines),
            degradation=tuple(rules.FindingFact(**d.dict()) for d in payload.degradation),
            prohibitions=tuple(rules.FindingFact(**d.dict()) for d in payload.prohibitions),
            subordinate_disciplines=tuple(
                rules.DisciplineFact(**d.dict()) for d in payload.subordinate_disciplines
            ),
            leadership_disciplines=tuple(
                rules.DisciplineFact(**d.dict()) for d in payload.leadership_disciplines
            ),
            leadership_degradation=tuple(
                rules.FindingFact(**d.dict()) for d in payload.leadership_degradation
            ),
        )
        caps = rules.caps_for(subject, payload.year)
    except (ValueError, KeyError) as exc:
        return Status(400, {"detail": f"Cannot read the facts: {exc}"})
    return [_cap_out(c) for c in caps]


# --- campaigns -------------------------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut], summary="Review campaigns in scope")
@paginate
def list_campaigns(request, filters: Query[CampaignFilters]) -> QuerySet[Campaign]:
    _require_view(request)
    campaigns = campaigns_for(request.user).order_by("-period_end", "pk")
    return campaigns.filter(year=filters.year) if filters.year else campaigns


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut, summary="A campaign")
def get_campaign(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    counts = {s.value: 0 for s in EvaluationStatus}
    for status, n in (
        evaluations_for(request.user)
        .filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[status] = n
    data = {f: getattr(campaign, f) for f in CampaignOut.model_fields}
    data.update(
        plan_symbol=campaign.plan_symbol,
        plan_issued_on=campaign.plan_issued_on,
        deadlines=campaign.deadlines().__dict__,
        subjects=counts,
    )
    return data


@router.post(
    "/campaigns",
    response={201: CampaignOut, 400: ErrorOut, 403: ErrorOut},
    summary="Open a review campaign (lists its subjects)",
)
def create_campaign(request, payload: CampaignIn):
    _require_view(request)
    organiser = Unit.objects.filter(pk=payload.organiser_id).first()
    if organiser is None or not unit_in_scope(request.user, organiser, Cap.VIEW_UNITS):
        raise Http404
    campaign = _write(
        lambda: services.create_campaign(
            organiser=organiser,
            year=payload.year,
            period_kind=payload.period_kind,
            quarter=payload.quarter,
            term_start=payload.term_start,
            term_end=payload.term_end,
            title=payload.title,
            plan_symbol=payload.plan_symbol,
            plan_issued_on=payload.plan_issued_on,
            special_units=payload.special_units,
            acting_user=request.user,
        )
    )
    return Status(201, campaign)


@router.get(
    "/campaigns/{campaign_id}/evaluations",
    response=list[EvaluationOut],
    summary="Subjects of a campaign in scope",
)
@paginate
def list_evaluations(
    request, campaign_id: int, filters: Query[EvaluationFilters]
) -> QuerySet[Evaluation]:
    campaign = _campaign(request, campaign_id)
    subjects = (
        evaluations_for(request.user)
        .filter(campaign=campaign)
        .select_related("unit", "person")
        .order_by("subject_kind", "unit__name_sort", "person__name_sort", "pk")
    )
    if filters.subject_kind:
        subjects = subjects.filter(subject_kind=filters.subject_kind)
    if filters.status:
        subjects = subjects.filter(status=filters.status)
    if filters.level:
        subjects = subjects.filter(decided_level=filters.level)
    if filters.unit_id:
        subjects = subjects.filter(unit_id=filters.unit_id)
    return subjects


# --- subjects and their steps ----------------------------------------------------------------


@router.get(
    "/evaluations/{evaluation_id}",
    response=EvaluationDetailOut,
    summary="A subject, its three steps and the caps from records",
)
def get_evaluation(request, evaluation_id: int):
    return _detail(_evaluation(request, evaluation_id))


@router.post(
    "/evaluations/{evaluation_id}/self-assessment",
    response={200: EvaluationDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Submit the self-assessment (score on the 100-point frame)",
)
def post_self_assessment(request, evaluation_id: int, payload: SelfAssessmentIn):
    evaluation = _evaluation(request, evaluation_id)
    try:
        tasks = rules.Tasks(
            total=payload.tasks_total,
            completed=payload.tasks_completed,
            on_time=payload.tasks_on_time,
            exceeding=payload.tasks_exceeding,
            shortcomings_before=payload.shortcomings_before,
            shortcomings_remedied=payload.shortcomings_remedied,
        )
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    _write(
        lambda: services.record_self_assessment(
            evaluation=evaluation,
            expected_version=payload.version,
            score_general=payload.score_general,
            score_tasks=payload.score_tasks,
            tasks=tasks,
            assessed_on=payload.assessed_on,
            note=payload.note,
            category=payload.category,
            acting_user=request.user,
        )
    )
    return _detail(evaluation)


@router.post(
    "/evaluations/{evaluation_id}/proposal",
    response={200: EvaluationDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record the advisory body's proposal (with the opinions used)",
)
def post_proposal(request, evaluation_id: int, payload: ProposalIn):
    evaluation = _evaluation(request, evaluation_id)
    _write(
        lambda: services.propose(
            evaluation=evaluation,
            expected_version=payload.version,
            level=payload.level,
            proposed_on=payload.proposed_on,
            note=payload.note,
            reason=payload.reason,
            opinions=[
                services.OpinionSpec(o.source, o.text, o.received_on) for o in payload.opinions
            ],
            acting_user=request.user,
        )
    )
    return _detail(evaluation)


@router.post(
    "/evaluations/{evaluation_id}/decision",
    response={200: EvaluationDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record the competent level's decision",
)
def post_decision(request, evaluation_id: int, payload: DecisionIn):
    evaluation = _evaluation(request, evaluation_id)
    _write(
        lambda: services.decide(
            evaluation=evaluation,
            expected_version=payload.version,
            level=payload.level,
            decided_on=payload.decided_on,
            decision_symbol=payload.decision_symbol,
            reason=payload.reason,
            acting_user=request.user,
        )
    )
    return _detail(evaluation)


# --- figures ---------------------------------------------------------------------------------


@router.get(
    "/figures/{code}",
    response=FigureOut,
    summary="A figure of an annual review and the ids of its records",
)
def get_figure(request, code: str, query: Query[FigureQuery]):
    year = query.year
    return figure_out(
        request, code, query.unit_id, dt.date(year, 1, 1), dt.date(year, 12, 31), "evaluation"
    )
