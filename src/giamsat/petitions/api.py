"""Petitions API (``/api/v1/petitions``): scoped exactly like the pages, conflicts of interest
answer 404, and no response ever carries a petitioner's identity (it can be *written* by an
integrating system at intake and is sealed at once).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Respond
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.petitions import access, services
from giamsat.petitions.models import (
    AlertStatus,
    Channel,
    Complexity,
    HotSpotAlert,
    Matter,
    NotHandledReason,
    Outcome,
    Petition,
    PetitionClass,
    Status,
    Topic,
)
from giamsat.petitions.receipts import format_code
from giamsat.units.models import Unit

router = Router(tags=["petitions"])


class PetitionOut(Schema):
    """A petition as staff see it in lists: never the petitioner's identity."""

    id: int
    code: str
    received_on: dt.date
    channel: Channel
    received_by_id: int
    received_by: str
    unit_id: int = Field(description="the body that holds the petition now")
    unit: str
    declared_class: PetitionClass
    petition_class: PetitionClass
    matter: Matter
    topic: str
    summary: str
    subject_text: str = Field(description="the person or unit concerned, as written")
    place: str
    status: Status
    is_admissible: bool | None
    not_handled_reasons: list[str]
    is_group: bool
    signer_count: int
    representative_count: int
    is_anonymous: bool = Field(description="no name was given (the identity itself is sealed)")
    has_identity: bool
    due_on: dt.date | None
    deadline_state: str | None
    deadline_rule: str
    concluded_on: dt.date | None
    outcome: str
    answered_on: dt.date | None
    version: int

    @staticmethod
    def resolve_received_by(obj: Petition) -> str:
        return obj.received_by.name

    @staticmethod
    def resolve_unit(obj: Petition) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_has_identity(obj: Petition) -> bool:
        return obj.identity_id is not None

    @staticmethod
    def resolve_deadline_state(obj: Petition) -> str | None:
        state = obj.deadline_state(today())
        return str(state) if state else None


class TransferOut(Schema):
    slip_number: str
    slip_date: dt.date
    from_unit_id: int
    to_unit_id: int | None
    to_body: str
    reason: str
    received_on: dt.date | None


class EventOut(Schema):
    day: dt.date
    kind: str
    note: str


class PetitionDetailOut(PetitionOut):
    content: str
    deadline_explanation: list[str]
    conclusion: str
    answer_text: str
    transfers: list[TransferOut]
    events: list[EventOut]
    subject_person_ids: list[int]
    subject_unit_ids: list[int]

    @staticmethod
    def resolve_deadline_explanation(obj: Petition) -> list[str]:
        explanation = obj.explanation()
        return explanation.lines() if explanation else []

    @staticmethod
    def resolve_transfers(obj: Petition) -> list:
        return list(obj.transfers.all())

    @staticmethod
    def resolve_events(obj: Petition) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_subject_person_ids(obj: Petition) -> list[int]:
        return list(obj.subject_people.values_list("pk", flat=True))

    @staticmethod
    def resolve_subject_unit_ids(obj: Petition) -> list[int]:
        return list(obj.subject_units.values_list("pk", flat=True))


class IdentityIn(Schema):
    """Write-only: sealed on receipt, never returned by any endpoint."""

    full_name: str = Field("", max_length=120)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=200)
    id_number: str = Field("", max_length=20)
    representatives: list[str] = Field(default_factory=list, max_length=50)


class PetitionIn(Schema):
    unit_id: int = Field(description="the receiving unit (must be in the caller's scope)")
    channel: Channel = Channel.ELECTRONIC
    received_on: dt.date
    content: str = Field(min_length=1, max_length=100000)
    declared_class: PetitionClass = PetitionClass.UNCLASSIFIED
    summary: str = Field("", max_length=300)
    subject_text: str = Field("", max_length=500)
    place: str = Field("", max_length=255)
    topic: Topic = Topic.UNSPECIFIED
    signer_count: int = Field(1, ge=1, le=100000)
    representative_count: int = Field(0, ge=0, le=1000)
    sender_body: str = Field("", max_length=255)
    sender_reference: str = Field("", max_length=100)
    identity: IdentityIn | None = None


class CreatedOut(Schema):
    id: int
    code: str
    receipt_code: str = Field(description="give it to the petitioner; it is not stored")


class VersionIn(Schema):
    version: int = Field(ge=1, description="the version read; a stale version answers 409")


class ClassifyIn(VersionIn):
    petition_class: PetitionClass
    matter: Matter
    admissible: bool
    reasons: list[NotHandledReason] = Field(default_factory=list)
    note: str = Field("", max_length=2000)
    topic: Topic = Topic.UNSPECIFIED
    summary: str = Field("", max_length=300)
    subject_person_ids: list[int] = Field(default_factory=list, max_length=200)
    subject_unit_ids: list[int] = Field(default_factory=list, max_length=200)
    complexity: Complexity = Complexity.ORDINARY
    remote_area: bool = False


class AcceptIn(VersionIn):
    accepted_on: dt.date


class TransferIn(VersionIn):
    slip_date: dt.date
    to_unit_id: int | None = None
    to_body: str = Field("", max_length=255)
    slip_number: str = Field("", max_length=60)
    reason: str = Field("", max_length=500)


class ConcludeIn(VersionIn):
    concluded_on: dt.date
    outcome: Outcome
    conclusion: str = Field(min_length=1, max_length=20000)


class AnswerIn(VersionIn):
    answered_on: dt.date
    text: str = Field(min_length=1, max_length=20000)


class AlertOut(Schema):
    id: int
    kind: str
    label: str
    unit_id: int
    window_start: dt.date
    window_end: dt.date
    petition_count: int
    status: str
    is_hot_spot: bool
    petition_ids: list[int]

    @staticmethod
    def resolve_label(obj: HotSpotAlert) -> str:
        return obj.display_label

    @staticmethod
    def resolve_petition_ids(obj: HotSpotAlert, context) -> list[int]:
        user = context["request"].auth
        return list(access.petitions_for(user).filter(alerts=obj).values_list("pk", flat=True))


class PetitionFilters(Schema):
    status: Status | None = None
    petition_class: PetitionClass | None = None
    channel: Channel | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    group: bool | None = None
    q: str | None = Field(None, max_length=100, description="reference or words of the letter")


def _user(request: HttpRequest):
    return request.auth


def _get(request: HttpRequest, petition_id: int, capability: Cap = Cap.VIEW_PETITIONS) -> Petition:
    petition = (
        access.petitions_for(_user(request), capability)
        .select_related("unit", "received_by")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise HttpError(404, "Not Found")
    return petition


def _run(call):
    try:
        return call()
    except ConcurrentEditError as exc:
        raise HttpError(409, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    except PermissionDenied:
        raise HttpError(404, "Not Found") from None


@router.get("/", response=list[PetitionOut], summary="List petitions in scope")
@paginate(PageNumberPagination, page_size=50)
def list_petitions(request: HttpRequest, filters: Query[PetitionFilters]):
    """Petitions held or first received by units in the caller's scope, minus those the caller
    is conflicted on (as a person concerned or a member of a unit concerned)."""
    items = access.petitions_for(_user(request)).select_related("unit", "received_by")
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.petition_class:
        items = items.filter(petition_class=filters.petition_class)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.received_from:
        items = items.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        items = items.filter(received_on__lte=filters.received_to)
    if filters.group is not None:
        items = items.filter(is_group=filters.group)
    if filters.q:
        items = items.search(filters.q)
    return items.order_by("-received_on", "-pk")


@router.get("/alerts", response=list[AlertOut], summary="Hot-spot alerts in scope")
@paginate(PageNumberPagination, page_size=50)
def list_alerts(request: HttpRequest, active: bool = True):
    items = access.alerts_for(_user(request))
    if active:
        items = items.filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
    return items.order_by("-window_end", "-pk")


@router.get("/{int:petition_id}", response=PetitionDetailOut, summary="One petition")
def get_petition(request: HttpRequest, petition_id: int):
    petition = _get(request, petition_id)
    record_access(
        actor=_user(request),
        kind=AccessKind.READ,
        obj=petition,
        unit=petition.unit,
        request=request,
        reason="api",
    )
    return petition


@router.post("/", response={201: CreatedOut}, summary="Record a letter (integrating systems)")
def create_petition(request: HttpRequest, payload: PetitionIn):
    """Record a letter received electronically (e.g. from another system). The identity, if
    given, is sealed at once; the receipt code is returned once and not stored."""
    user = _user(request)
    unit = Unit.objects.filter(scope_q(user, Cap.HANDLE_PETITIONS), pk=payload.unit_id).first()
    if unit is None or not has_capability(user, Cap.HANDLE_PETITIONS):
        raise HttpError(404, "Not Found")
    identity = services.IdentityData()
    if payload.identity is not None:
        given = payload.identity
        identity = services.IdentityData(
            full_name=given.full_name,
            address=given.address,
            phone=given.phone,
            email=given.email,
            id_number=given.id_number,
            representatives=tuple(given.representatives),
        )
    spec = services.NewPetition(
        unit=unit,
        channel=payload.channel,
        content=payload.content,
        received_on=payload.received_on,
        declared_class=payload.declared_class,
        summary=payload.summary,
        subject_text=payload.subject_text,
        place=payload.place,
        topic=payload.topic,
        signer_count=payload.signer_count,
        representative_count=payload.representative_count,
        sender_body=payload.sender_body,
        sender_reference=payload.sender_reference,
        identity=identity,
    )
    if payload.channel == Channel.HOTLINE_WEB:
        raise HttpError(400, "hotline_web letters come only through the public hotline")
    petition, code = _run(lambda: services.record_intake(spec=spec, acting_user=user))
    return Respond(
        201, {"id": petition.pk, "code": petition.code, "receipt_code": format_code(code)}
    )


@router.post("/{int:petition_id}/classify", response=PetitionDetailOut, summary="Classify")
def classify(request: HttpRequest, petition_id: int, payload: ClassifyIn):
    user = _user(request)
    petition = _get(request, petition_id, Cap.HANDLE_PETITIONS)
    from giamsat.people.models import Person

    people = list(
        Person.objects.visible_to(user, Cap.VIEW_PETITIONS).filter(
            pk__in=payload.subject_person_ids
        )
    )
    units = list(
        Unit.objects.filter(scope_q(user, Cap.VIEW_PETITIONS), pk__in=payload.subject_unit_ids)
    )
    if len(people) != len(set(payload.subject_person_ids)) or len(units) != len(
        set(payload.subject_unit_ids)
    ):
        raise HttpError(400, "unknown person or unit concerned")
    _run(
        lambda: services.classify(
            petition=petition,
            acting_user=user,
            expected_version=payload.version,
            petition_class=payload.petition_class,
            matter=payload.matter,
            admissible=payload.admissible,
            reasons=[str(r) for r in payload.reasons],
            note=payload.note,
            topic=payload.topic,
            summary=payload.summary,
            subject_people=people,
            subject_units=units,
            complexity=payload.complexity,
            remote_area=payload.remote_area,
        )
    )
    return _get(request, petition_id)


@router.post("/{int:petition_id}/accept", response=PetitionDetailOut, summary="Accept")
def accept(request: HttpRequest, petition_id: int, payload: AcceptIn):
    petition = _get(request, petition_id, Cap.HANDLE_PETITIONS)
    _run(
        lambda: services.accept(
            petition=petition,
            acting_user=_user(request),
            expected_version=payload.version,
            accepted_on=payload.accepted_on,
        )
    )
    return _get(request, petition_id)


@router.post("/{int:petition_id}/transfer", response=PetitionDetailOut, summary="Transfer")
def transfer(request: HttpRequest, petition_id: int, payload: TransferIn):
    petition = _get(request, petition_id, Cap.HANDLE_PETITIONS)
    to_unit = None
    if payload.to_unit_id is not None:
        to_unit = Unit.objects.valid_on(today()).filter(pk=payload.to_unit_id).first()
        if to_unit is None:
            raise HttpError(400, "unknown unit")
    _run(
        lambda: services.transfer(
            petition=petition,
            acting_user=_user(request),
            expected_version=payload.version,
            slip_date=payload.slip_date,
            to_unit=to_unit,
            to_body=payload.to_body,
            slip_number=payload.slip_number,
            reason=payload.reason,
        )
    )
    visible = access.petitions_for(_user(request)).filter(pk=petition_id).exists()
    if not visible:
        raise HttpError(404, "Not Found")
    return _get(request, petition_id)


@router.post("/{int:petition_id}/conclude", response=PetitionDetailOut, summary="Conclude")
def conclude(request: HttpRequest, petition_id: int, payload: ConcludeIn):
    petition = _get(request, petition_id, Cap.HANDLE_PETITIONS)
    _run(
        lambda: services.conclude(
            petition=petition,
            acting_user=_user(request),
            expected_version=payload.version,
            concluded_on=payload.concluded_on,
            outcome=payload.outcome,
            conclusion=payload.conclusion,
        )
    )
    return _get(request, petition_id)


@router.post("/{int:petition_id}/answer", response=PetitionDetailOut, summary="Answer")
def answer(request: HttpRequest, petition_id: int, payload: AnswerIn):
    petition = _get(request, petition_id, Cap.HANDLE_PETITIONS)
    _run(
        lambda: services.answer(
            petition=petition,
            acting_user=_user(request),
            expected_version=payload.version,
            answered_on=payload.answered_on,
            text=payload.text,
        )
    )
    return _get(request, petition_id)
