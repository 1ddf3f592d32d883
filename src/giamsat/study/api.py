"""Study sessions and attendance over the API (``/api/v1/study``).

Reading follows the pages: sessions of units in the caller's scope (and sessions their people
attended, showing only those people's rows). Writing needs the "manage study" capability over
the organising unit: an integrating system (e.g. a video-conference platform or a party-member
handbook app) creates sessions and records attendance in batches — all or nothing, with the
errors of every entry in a 422 answer.
"""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.core.pagination import BoundedPageNumberPagination
from giamsat.directives.scoping import directives_in_scope
from giamsat.people.models import Person
from giamsat.study import services
from giamsat.study.models import Attendance, Mode, ScopeKind, StudySession
from giamsat.study.models import Status as AttendanceStatus
from giamsat.study.scoping import (
    can_manage,
    manageable_sessions,
    visible_rows,
    visible_sessions,
)
from giamsat.units.models import Unit, subtree_q

router = Router(tags=["study"])


# Record ids fit a 64-bit integer column: a larger number is refused (422), never sent to the
# database (SQLite raised on it: a server error found by schemathesis).
MAX_ID = 2**63 - 1


class SessionFilter(Schema):
    unit: int | None = Field(
        None, ge=1, le=MAX_ID, description="Sessions organised in this unit's subtree"
    )
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    directive: int | None = Field(None, ge=1, le=MAX_ID)
    makeup: bool | None = Field(None, description="true: make-up sessions only; false: regular")


class SessionOut(Schema):
    id: int
    title: str
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    date: dt.date
    end_date: dt.date | None
    mode: str
    venue: str
    makeup_of_id: int | None
    directive_ids: list[int]
    points: list[str]
    listed: int
    present: int
    excused: int
    absent: int
    pending: int
    non_members_present: int
    made_up: int
    participation_rate: float

    @staticmethod
    def resolve_directive_ids(obj: StudySession) -> list[int]:
        return [d.pk for d in obj.directives.all()]

    @staticmethod
    def resolve_points(obj: StudySession) -> list[str]:
        return [p.name for p in obj.points.all()]

    @staticmethod
    def resolve_participation_rate(obj: StudySession) -> float:
        return float(obj.participation_rate())


class SessionIn(Schema):
    unit_id: int
    title: str
    date: dt.date
    end_date: dt.date | None = None
    directive_ids: list[int]
    mode: Mode = Mode.IN_PERSON
    venue: str = ""
    points: list[str] = Field(default_factory=list, description="Connected points (điểm cầu)")
    scope_kind: ScopeKind = ScopeKind.SUBTREE
    cell_ids: list[int] = Field(default_factory=list)
    invite_affiliated: bool = False
    invitee_ids: list[int] = Field(default_factory=list, description="Invited people (ids)")
    makeup_of_id: int | None = None
    note: str = ""


class AttendanceOut(Schema):
    person_id: int
    full_name: str = Field(..., alias="person.full_name")
    birth_date: dt.date | None = Field(None, alias="person.birth_date")
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    is_member: bool
    source: str
    status: AttendanceStatus
    reason: str
    attended_on: dt.date | None
    made_up_on: dt.date | None
    made_up_in_id: int | None
    studied_on: dt.date | None


class AttendanceIn(Schema):
    person_id: int | None = Field(None, description="Person id, or give the card number")
    party_card_number: str | None = None
    status: AttendanceStatus
    reason: str = ""
    attended_on: dt.date | None = None


class AttendanceBatch(Schema):
    entries: list[AttendanceIn]
    add_to_list: bool = Field(True, description="Add people not yet on a regular session's list")


class EntryErrorOut(Schema):
    """One refused entry (``index`` in the request's list, ``field``, ``message``)."""

    index: int | None = None
    field: str = ""
    message: str = ""


class EntryErrorsOut(Schema):
    """A 422 answer: the refused entries, in the envelope of the API's validation errors
    (``{"detail": [...]}``); nothing was written."""

    detail: list[EntryErrorOut]


def _refused(errors: list[dict]) -> Reply:
    return Reply(422, {"detail": errors})


class RecordedOut(Schema):
    changed: int
    added: int
    session: SessionOut


def _session_or_404(request, pk: int, *, manage: bool = False) -> StudySession:
    base = manageable_sessions(request.auth) if manage else visible_sessions(request.auth)
    session = (
        base.filter(pk=pk).select_related("unit").prefetch_related("directives", "points").first()
    )
    if session is None:
        raise Http404
    return session


@router.get("/sessions", response=list[SessionOut], summary="Study sessions in scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_sessions(request, filters: Query[SessionFilter]):
    sessions = (
        visible_sessions(request.auth)
        .select_related("unit")
        .prefetch_related("directives", "points")
        .order_by("-date", "-pk")
    )
    if filters.unit is not None:
        unit = Unit.objects.filter(
            scope_q(request.auth, Cap.VIEW_INDICATORS), pk=filters.unit
        ).first()
        if unit is None:
            raise Http404
        sessions = sessions.filter(subtree_q("unit", unit, unit.reference_date()))
    if filters.date_from:
        sessions = sessions.filter(date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(date__lte=filters.date_to)
    if filters.directive:
        sessions = sessions.filter(directives=filters.directive)
    if filters.makeup is not None:
        sessions = sessions.filter(makeup_of__isnull=not filters.makeup)
    return sessions


@router.get("/sessions/{session_id}", response=SessionOut, summary="One study session")
def get_session(request, session_id: int):
    return _session_or_404(request, session_id)


@router.post(
    "/sessions",
    response={201: SessionOut, 422: EntryErrorsOut},
    summary="Create a session and its list",
)
def create_session(request, payload: SessionIn):
    user = request.auth
    unit = Unit.objects.filter(scope_q(user, Cap.MANAGE_STUDY), pk=payload.unit_id).first()
    if unit is None:
        raise Http404
    directives = list(directives_in_scope(user).filter(pk__in=payload.directive_ids))
    if len(directives) != len(set(payload.directive_ids)):
        return _refused([{"index": None, "field": "directive_ids", "message": "unknown directive"}])
    makeup_of = None
    if payload.makeup_of_id is not None:
        makeup_of = _session_or_404(request, payload.makeup_of_id, manage=True)
    cells = list(Unit.objects.filter(scope_q(user, Cap.MANAGE_STUDY), pk__in=payload.cell_ids))
    invitees = list(
        Person.objects.visible_to(user)
        .filter(pk__in=payload.invitee_ids)
        .values_list("pk", flat=True)
    )
    try:
        session = services.create_session(
            acting_user=user,
            unit=unit,
            title=payload.title,
            date=payload.date,
            end_date=payload.end_date,
            directives=directives,
            mode=payload.mode,
            venue=payload.venue,
            points=payload.points,
            scope_kind=payload.scope_kind,
            cells=cells,
            invite_affiliated=payload.invite_affiliated,
            invitees=invitees,
            makeup_of=makeup_of,
            note=payload.note,
        )
    except services.StudyError as exc:
        return _refused([e.__dict__ for e in exc.errors])
    return Reply(201, _session_or_404(request, session.pk))


@router.get(
    "/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="The list of a session and its attendance",
)
@paginate(BoundedPageNumberPagination, page_size=200)
def list_attendance(request, session_id: int, status: AttendanceStatus | None = None):
    session = _session_or_404(request, session_id)
    rows = visible_rows(request.auth, session).select_related("person", "unit")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("unit__name_sort", "person__name_sort", "pk")


@router.post(
    "/sessions/{session_id}/attendance",
    response={200: RecordedOut, 422: EntryErrorsOut},
    summary="Record attendance for many people (all or nothing)",
)
def record_attendance(request, session_id: int, payload: AttendanceBatch):
    session = _session_or_404(request, session_id, manage=True)
    if not can_manage(request.auth, session):
        raise Http404
    cards = [
        e.party_card_number for e in payload.entries if e.person_id is None and e.party_card_number
    ]
    by_card = dict(
        Person.objects.visible_to(request.auth)
        .filter(party_card_number__in=cards)
        .values_list("party_card_number", "pk")
    )
    ids = [e.person_id for e in payload.entries if e.person_id is not None]
    # People on the session's list, or visible to the caller (who may be added to it).
    visible_ids = set(
        Attendance.objects.filter(session=session, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    ) | set(Person.objects.visible_to(request.auth).filter(pk__in=ids).values_list("pk", flat=True))
    errors = []
    marks = []
    for index, entry in enumerate(payload.entries):
        person_id = (
            entry.person_id
            if entry.person_id is not None
            else by_card.get(entry.party_card_number or "")
        )
        if person_id is None or (entry.person_id is not None and person_id not in visible_ids):
            errors.append({"index": index, "field": "person", "message": "unknown person"})
            continue
        marks.append(
            services.Mark(
                person_id=person_id,
                status=entry.status,
                reason=entry.reason,
                attended_on=entry.attended_on,
                index=index,
            )
        )
    if errors:
        return _refused(errors)
    try:
        result = services.record_attendance(
            acting_user=request.auth,
            session=session,
            marks=marks,
            allow_additions=payload.add_to_list,
            source="api",
        )
    except services.StudyError as exc:
        return _refused([e.__dict__ for e in exc.errors])
    if not result.changed and not marks:
        return _refused([{"index": None, "field": "entries", "message": "no entries"}])
    return {
        "changed": result.changed,
        "added": result.added,
        "session": _session_or_404(request, session.pk),
    }
