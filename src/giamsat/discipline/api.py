"""REST API of party discipline (/api/v1/discipline).

Scoped like the pages (the subject's unit; out of scope → 404, readable but not writable →
403 on writes); every read of a case or a history is recorded (``record_access``). The rule
endpoints under ``/rules`` expose the pure functions of ``giamsat.discipline.rules``.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, scope, unit_in_scope
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.models import ConcurrentEditError
from giamsat.discipline import rules, services
from giamsat.discipline.models import (
    AppealOutcome,
    AuthorityRule,
    CaseStatus,
    DecisionStatus,
    DisciplineAppeal,
    DisciplineCase,
)
from giamsat.oversight.api import ErrorOut, FigureOut, figure_out
from giamsat.oversight.models import CatalogueItem
from giamsat.people.models import Person, Post
from giamsat.units.models import Unit

router = Router(tags=["discipline"])


# --- schemas ---------------------------------------------------------------------------------


class ViolationOut(Schema):
    id: int
    group_id: int
    group_code: str = Field(alias="group.code")
    group_topic: str = Field(alias="group.topic")
    catalogue: str = Field(alias="group.catalogue.code")
    description: str
    started_on: dt.date
    ended_on: dt.date | None
    is_repeat: bool


class BallotOut(Schema):
    id: int
    body_id: int
    held_on: dt.date
    purpose: str
    total_members: int
    present: int
    votes: dict[str, int]
    votes_none: int
    result_form: str
    limitation_expiry: dt.date | None
    time_barred: bool

    @staticmethod
    def resolve_votes(obj) -> dict[str, int]:
        return {f.value: n for f, n in obj.votes().items() if n}


class DecisionOut(Schema):
    id: int
    form: str
    deciding_unit_id: int
    symbol: str
    symbol_as_written: str
    decided_on: dt.date
    announced_on: dt.date | None
    received_on: dt.date | None
    status: str
    replaces_id: int | None
    effect_note: str


class AppealOut(Schema):
    id: int
    decision_id: int
    filed_on: dt.date
    received_on: dt.date
    resolving_unit_id: int
    level: str
    filing_due: dt.date
    filed_in_time: bool
    resolution_due: dt.date
    outcome: str
    resolved_on: dt.date | None
    new_form: str
    deadline_explanation: str


class CaseOut(Schema):
    id: int
    subject_kind: str
    person_id: int | None
    organisation_id: int | None
    unit_id: int
    opened_on: dt.date
    status: str
    no_discipline_reason: str
    proposed_form: str
    current_form: str
    decided_on: dt.date | None
    deciding_unit_id: int | None
    origin_case_id: int | None
    version: int


class CaseDetailOut(CaseOut):
    summary: str
    post_id: int | None
    scope: str
    exempt_from_limitation: bool
    allowed_forms: list[str]
    violations: list[ViolationOut]
    ballots: list[BallotOut]
    decisions: list[DecisionOut]
    appeals: list[AppealOut]


class CaseIn(Schema):
    opened_on: dt.date
    summary: str
    person_id: int | None = None
    organisation_id: int | None = None
    scope: rules.Scope | None = None
    post_id: int | None = None
    origin_case_id: int | None = None
    origin_note: str = ""
    exempt_from_limitation: bool = False
    exemption_reason: str = ""


class ViolationIn(Schema):
    group_id: int = Field(description="A violation-group catalogue item")
    description: str
    started_on: dt.date
    ended_on: dt.date | None = None
    is_repeat: bool = False
    provision_ids: list[int] = []


class BallotIn(Schema):
    version: int
    body_id: int
    held_on: dt.date
    purpose: str = Field(description="decide or propose")
    total_members: int = Field(description="All members of the body, not those present")
    present: int
    votes: dict[rules.Form, int]
    votes_none: int = 0


class DecisionIn(Schema):
    version: int
    form: rules.Form
    deciding_unit_id: int
    decided_on: dt.date
    symbol: str = Field(description="Number and symbol, e.g. 'Số 12-QĐ/UBKTTU'")
    announced_on: dt.date | None = None
    received_on: dt.date | None = None


class AppealIn(Schema):
    filed_on: dt.date
    received_on: dt.date
    resolving_unit_id: int
    level: str
    grounds: str
    central: bool = False


class AnswerIn(Schema):
    outcome: AppealOutcome
    resolved_on: dt.date
    note: str
    new_form: rules.Form | None = None
    new_symbol: str = ""


class AuthorityOut(Schema):
    subject_kind: str
    scope: str
    form: str
    proposing_body: str
    deciding_body: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    unconfirmed: bool
    note: str


class LimitationQuery(Schema):
    form: rules.Form
    subject_kind: rules.SubjectKind
    violation_end: dt.date
    reoffence_dates: list[dt.date] = Field([], description="Later violations")
    exempt: bool = False


class LimitationOut(Schema):
    expiry: dt.date | None = Field(
        description="Last day it may be disciplined; null: no limitation"
    )
    source: str


class TallyIn(Schema):
    votes_by_form: dict[rules.Form, int]
    total_members: int
    subject_kind: rules.SubjectKind
    has_post: bool | None = None
    confirming_proposal: bool = False


class TallyOut(Schema):
    form: rules.Form | None


# --- helpers ---------------------------------------------------------------------------------


def _guard(call):
    try:
        return call()
    except services.DisciplineError as exc:
        raise HttpError(400, str(exc)) from None
    except ConcurrentEditError:
        raise HttpError(
            409, "The case changed since you read it; read it again and retry."
        ) from None


def _case(request, pk: int) -> DisciplineCase:
    case = get_in_scope_or_404(
        DisciplineCase.objects.select_related("unit"),
        request.user,
        Cap.VIEW_DISCIPLINE,
        "unit",
        pk=pk,
    )
    return case


def _writable(request, pk: int) -> DisciplineCase:
    case = _case(request, pk)
    if not services.can_manage(request.user, case.unit):
        raise HttpError(403, "You may read this case but not change it.")
    return case


def _unit(request, pk: int) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not unit_in_scope(request.user, unit, Cap.VIEW_UNITS):
        raise Http404
    return unit


def _detail(request, case: DisciplineCase) -> dict:
    record_access(
        actor=request.user,
        kind=AccessKind.READ,
        obj=case,
        unit=case.unit,
        request=request,
        reason="api",
    )
    return {
        **{f: getattr(case, f) for f in CaseOut.model_fields},
        "summary": case.summary,
        "post_id": case.post_id,
        "scope": case.scope,
        "exempt_from_limitation": case.exempt_from_limitation,
        "allowed_forms": [f.value for f in rules.allowed_forms(case.subject_kind, case.has_post)],
        "violations": list(case.violations.select_related("group__catalogue")),
        "ballots": list(case.ballots.all()),
        "decisions": list(case.decisions.all()),
        "appeals": list(DisciplineAppeal.objects.filter(decision__case=case).order_by("filed_on")),
    }


# --- cases -----------------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], summary="Discipline cases in scope (reads recorded)")
@paginate
def list_cases(
    request,
    status: CaseStatus | None = None,
    form: rules.Form | None = None,
    person_id: int | None = None,
) -> QuerySet[DisciplineCase]:
    if not has_capability(request.user, Cap.VIEW_DISCIPLINE):
        raise Http404
    cases = scope(DisciplineCase.objects.all(), request.user, Cap.VIEW_DISCIPLINE, "unit")
    if status:
        cases = cases.filter(status=status)
    if form:
        cases = cases.filter(current_form=form)
    if person_id:
        cases = cases.filter(person_id=person_id)
    record_access(actor=request.user, kind=AccessKind.READ, request=request, reason="api list")
    return cases.order_by("-opened_on", "-pk")


@router.get(
    "/cases/{case_id}",
    response=CaseDetailOut,
    summary="A case with violations, ballots, decisions, complaints",
)
def get_case(request, case_id: int):
    return _detail(request, _case(request, case_id))


@router.post(
    "/cases",
    response={201: CaseDetailOut, 400: ErrorOut, 403: ErrorOut},
    summary="Open a discipline case",
)
def create_case(request, payload: CaseIn):
    if not has_capability(request.user, Cap.MANAGE_DISCIPLINE):
        raise HttpError(403, "You may not open discipline cases.")
    person = organisation = post = None
    if payload.person_id is not None:
        person = Person.objects.visible_to(request.user).filter(pk=payload.person_id).first()
        if person is None:
            raise Http404
    if payload.organisation_id is not None:
        organisation = _unit(request, payload.organisation_id)
    if payload.post_id is not None:
        post = Post.objects.filter(pk=payload.post_id, person=person).first()
        if post is None:
            raise Http404
    origin = None
    if payload.origin_case_id is not None:
        from giamsat.oversight.access import cases_for

        origin = cases_for(request.user).filter(pk=payload.origin_case_id).first()
        if origin is None:
            raise Http404
    case = _guard(lambda: _create_checked(request, payload, person, organisation, post, origin))
    return Status(201, _detail(request, case))


def _create_checked(request, payload: CaseIn, person, organisation, post, origin) -> DisciplineCase:
    from django.db import transaction

    with transaction.atomic():
        case = services.open_discipline_case(
            person=person,
            organisation=organisation,
            scope=payload.scope,
            post=post,
            opened_on=payload.opened_on,
            summary=payload.summary,
            origin_case=origin,
            origin_note=payload.origin_note,
            exempt_from_limitation=payload.exempt_from_limitation,
            exemption_reason=payload.exemption_reason,
            acting_user=request.user,
        )
        if not services.can_manage(request.user, case.unit):
            transaction.set_rollback(True)
            raise HttpError(403, "You may not open a case for a subject outside your units.")
    return case


@router.post(
    "/cases/{case_id}/violations",
    response={201: ViolationOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record a violation",
)
def add_violation(request, case_id: int, payload: ViolationIn):
    case = _writable(request, case_id)
    group = CatalogueItem.objects.filter(pk=payload.group_id).select_related("catalogue").first()
    if group is None:
        raise Http404
    provisions = CatalogueItem.objects.filter(pk__in=payload.provision_ids)
    violation = _guard(
        lambda: services.add_violation(
            case=case,
            group=group,
            description=payload.description,
            started_on=payload.started_on,
            ended_on=payload.ended_on,
            is_repeat=payload.is_repeat,
            provisions=provisions,
            acting_user=request.user,
        )
    )
    return Status(201, violation)


@router.post(
    "/cases/{case_id}/ballots",
    response={201: BallotOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record and tally a secret ballot",
)
def add_ballot(request, case_id: int, payload: BallotIn):
    case = _writable(request, case_id)
    ballot = _guard(
        lambda: services.record_ballot(
            case=case,
            expected_version=payload.version,
            body=_unit(request, payload.body_id),
            held_on=payload.held_on,
            purpose=payload.purpose,
            total_members=payload.total_members,
            present=payload.present,
            votes=payload.votes,
            votes_none=payload.votes_none,
            acting_user=request.user,
        )
    )
    return Status(201, ballot)


@router.post(
    "/cases/{case_id}/decision",
    response={201: DecisionOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record the decision and apply its effect",
)
def add_decision(request, case_id: int, payload: DecisionIn):
    case = _writable(request, case_id)
    decision = _guard(
        lambda: services.record_decision(
            case=case,
            expected_version=payload.version,
            form=payload.form,
            deciding_unit=_unit(request, payload.deciding_unit_id),
            decided_on=payload.decided_on,
            symbol=payload.symbol,
            announced_on=payload.announced_on,
            received_on=payload.received_on,
            acting_user=request.user,
        )
    )
    return Status(201, decision)


@router.post(
    "/cases/{case_id}/complaints",
    response={201: AppealOut, 400: ErrorOut, 403: ErrorOut},
    summary="Register a complaint against the decision in force",
)
def add_complaint(request, case_id: int, payload: AppealIn):
    case = _writable(request, case_id)
    decision = case.decisions.filter(status=DecisionStatus.IN_FORCE).first()
    if decision is None:
        raise HttpError(400, "The case has no decision in force.")
    appeal = _guard(
        lambda: services.file_appeal(
            decision=decision,
            filed_on=payload.filed_on,
            received_on=payload.received_on,
            resolving_unit=_unit(request, payload.resolving_unit_id),
            level=payload.level,
            grounds=payload.grounds,
            central=payload.central,
            acting_user=request.user,
        )
    )
    return Status(201, appeal)


@router.post(
    "/complaints/{appeal_id}/answer",
    response={200: AppealOut, 400: ErrorOut, 403: ErrorOut},
    summary="Answer a complaint",
)
def answer_complaint(request, appeal_id: int, payload: AnswerIn):
    appeal = get_in_scope_or_404(
        DisciplineAppeal.objects.select_related("decision__case__unit"),
        request.user,
        Cap.VIEW_DISCIPLINE,
        "decision__case__unit",
        pk=appeal_id,
    )
    if not services.can_manage(request.user, appeal.decision.case.unit):
        raise HttpError(403, "You may read this complaint but not answer it.")
    return Status(
        200,
        _guard(
            lambda: services.resolve_appeal(
                appeal=appeal,
                outcome=payload.outcome,
                resolved_on=payload.resolved_on,
                note=payload.note,
                new_form=payload.new_form,
                new_symbol=payload.new_symbol,
                acting_user=request.user,
            )
        ),
    )


@router.get(
    "/people/{person_id}/history",
    response=list[CaseOut],
    summary="A person's disciplinary history (reads recorded)",
)
def person_history(request, person_id: int):
    if not has_capability(request.user, Cap.VIEW_DISCIPLINE):
        raise Http404
    person = Person.objects.visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    record_access(
        actor=request.user, kind=AccessKind.READ, obj=person, request=request, reason="api history"
    )
    return list(
        scope(DisciplineCase.objects.all(), request.user, Cap.VIEW_DISCIPLINE, "unit")
        .filter(person=person)
        .order_by("-opened_on")
    )


@router.get("/authority-matrix", response=list[AuthorityOut], summary="The dated authority matrix")
def authority_matrix(request):
    if not has_capability(request.user, Cap.VIEW_DISCIPLINE):
        raise Http404
    return AuthorityRule.objects.order_by("-valid_from", "subject_kind", "scope", "form")


@router.get("/figures/{code}", response=FigureOut, summary="A figure and the ids of its records")
def get_figure(request, code: str, unit_id: int, start: dt.date, end: dt.date):
    result = figure_out(request, code, unit_id, start, end, "discipline")
    record_access(
        actor=request.user, kind=AccessKind.READ, request=request, reason=f"api figure {code}"
    )
    return result


# --- the pure rules --------------------------------------------------------------------------


@router.get(
    "/rules/allowed-forms",
    response=list[rules.Form],
    summary="Forms allowed for a subject (QĐ 69 Điều 7)",
)
def allowed_forms(request, subject_kind: rules.SubjectKind, has_post: bool = False):
    return list(rules.allowed_forms(subject_kind, has_post))


@router.get(
    "/rules/limitation",
    response={200: LimitationOut, 400: ErrorOut},
    summary="Limitation expiry (QĐ 69 Điều 4)",
)
def limitation(request, query: Query[LimitationQuery]):
    try:
        expiry = rules.limitation_expiry(
            query.form, query.subject_kind, query.violation_end, query.reoffence_dates, query.exempt
        )
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    return {"expiry": expiry, "source": rules.limitation_rule_on(query.violation_end).source}


@router.post(
    "/rules/tally",
    response={200: TallyOut, 400: ErrorOut},
    summary="Tally a secret ballot (QĐ 69 Điều 15)",
)
def tally(request, payload: TallyIn):
    try:
        form = rules.tally(
            payload.votes_by_form,
            payload.total_members,
            payload.subject_kind,
            has_post=payload.has_post,
            confirming_proposal=payload.confirming_proposal,
        )
    except rules.BallotError as exc:
        raise HttpError(400, str(exc)) from None
    return {"form": form}
