"""The only writers of study sessions and attendance.

Every function is atomic and recounts the sessions it touched (``recount``) in the same
transaction, so the counters behind the figures can never disagree with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.core.dates import today
from giamsat.people.models import Membership, MembershipKind, Person, PersonCategory
from giamsat.study import bulk, rules
from giamsat.study.models import (
    Attendance,
    ConnectionPoint,
    Mode,
    ScopeKind,
    SessionTally,
    Source,
    Status,
    StudySession,
)
from giamsat.units.models import Unit

if TYPE_CHECKING:
    from giamsat.accounts.models import User

CHUNK = 5000


class StudyError(ValueError):
    """A request that cannot be carried out; ``errors`` name each problem (Vietnamese)."""

    def __init__(self, errors: Sequence[EntryError] | str) -> None:
        if isinstance(errors, str):
            errors = [EntryError(None, "", errors)]
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors[:5]))


@dataclass(frozen=True)
class EntryError:
    index: int | None  # position of the entry (or spreadsheet row number) it concerns
    field: str
    message: str


@dataclass(frozen=True)
class Mark:
    """An attendance to record for one person at one session."""

    person_id: int
    status: Status
    reason: str = ""
    attended_on: dt.date | None = None  # defaults to the session's first day when present
    point_id: int | None = None
    index: int | None = None  # where the mark came from (row number), for error messages


@dataclass
class RecordResult:
    changed: int = 0
    added: int = 0
    sessions: list[int] = field(default_factory=list)


def _lock(*session_ids: int | None) -> None:
    """Lock sessions (pk order) so that concurrent recordings recount one after the other.

    Without it, two transactions marking different people of one session could each recount
    from a snapshot without the other's change, and the last to commit would win.
    """
    ids = sorted({i for i in session_ids if i is not None})
    list(StudySession.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


# --- the list of a session --------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    person_id: int
    unit_id: int
    is_member: bool
    source: Source


def _scope_unit_ids(session: StudySession) -> list[int]:
    """Units whose members (and, if invited, affiliated non-members) the session expects."""
    day = session.date
    if session.scope_kind == ScopeKind.LIST:
        return []
    if session.scope_kind == ScopeKind.CELLS:
        roots = list(session.cells.all())
        ids: set[int] = set()
        for root in roots:
            ids.update(Unit.objects.subtree_of(root, day).values_list("pk", flat=True))
        return sorted(ids)
    return list(Unit.objects.subtree_of(session.unit, day).values_list("pk", flat=True))


def _membership_units(person_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """Each person's cell on ``day`` (regular party activity first)."""
    found: dict[int, int] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Membership.objects.valid_on(day)
            .filter(person_id__in=ids[start : start + CHUNK])
            .order_by("person_id", "-kind")  # "temporary" < "regular": regular wins below
            .values_list("person_id", "unit_id", "kind")
        )
        for person_id, unit_id, kind in rows:
            if person_id not in found or kind == MembershipKind.REGULAR:
                found[person_id] = unit_id
    return found


def derive_list(session: StudySession) -> list[Listed]:
    """Who a session expects: members of the cells in scope on its date, plus invitations.

    A make-up session expects the people of its original session who did not attend it.
    """
    if session.makeup_of_id is not None:
        missed = (
            Attendance.objects.filter(session_id=session.makeup_of_id)
            .exclude(status=Status.PRESENT)
            .filter(made_up_on__isnull=True)
            .values_list("person_id", "unit_id", "is_member")
        )
        return [Listed(p, u, m, Source.MAKEUP) for p, u, m in missed]
    unit_ids = _scope_unit_ids(session)
    listed: dict[int, Listed] = {}
    for start in range(0, len(unit_ids), CHUNK):
        rows = (
            Membership.objects.valid_on(session.date)
            .filter(unit_id__in=unit_ids[start : start + CHUNK])
            .order_by("person_id", "-kind")
            .values_list("person_id", "unit_id", "kind")
        )
        for person_id, unit_id, kind in rows:
            if person_id not in listed or kind == MembershipKind.REGULAR:
                listed[person_id] = Listed(person_id, unit_id, True, Source.MEMBERSHIP)
    if session.invite_affiliated and unit_ids:
        for start in range(0, len(unit_ids), CHUNK):
            guests = (
                Person.objects.exclude(category=PersonCategory.MEMBER)
                .filter(affiliation_id__in=unit_ids[start : start + CHUNK])
                .values_list("pk", "affiliation_id")
            )
            for person_id, affiliation_id in guests:
                if affiliation_id is not None:
                    listed.setdefault(
                        person_id, Listed(person_id, affiliation_id, False, Source.INVITED)
                    )
    return list(listed.values())


def _listed_for_people(
    session: StudySession, person_ids: Iterable[int], source: Source
) -> list[Listed]:
    """How named people go on a session's list: their cell that day, else their affiliation."""
    ids = list(dict.fromkeys(person_ids))
    cells = _membership_units(ids, session.date)
    affiliations = dict(Person.objects.filter(pk__in=ids).values_list("pk", "affiliation_id"))
    result = []
    for person_id in ids:
        if person_id not in affiliations:
            continue
        if person_id in cells:
            result.append(Listed(person_id, cells[person_id], True, source))
        else:
            unit_id = affiliations[person_id] or session.unit_id
            result.append(Listed(person_id, unit_id, False, source))
    return result


def _insert_listed(session: StudySession, listed: Iterable[Listed]) -> int:
    existing = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    rows = (
        bulk.row(
            session_id=session.pk,
            person_id=item.person_id,
            unit_id=item.unit_id,
            session_date=session.date,
            is_makeup=session.is_makeup,
            is_member=item.is_member,
            source=item.source,
        )
        for item in listed
        if item.person_id not in existing
    )
    return bulk.insert_rows(rows)


# --- sessions -----------------------------------------------------------------------------


@transaction.atomic
def create_session(
    *,
    acting_user: User | None,
    unit: Unit,
    title: str,
    date: dt.date,
    directives: Iterable[Any],
    end_date: dt.date | None = None,
    mode: str = Mode.IN_PERSON,
    venue: str = "",
    scope_kind: str = ScopeKind.SUBTREE,
    cells: Iterable[Unit] = (),
    invite_affiliated: bool = False,
    invitees: Iterable[int] = (),
    points: Iterable[str] = (),
    makeup_of: StudySession | None = None,
    note: str = "",
) -> StudySession:
    """Create a session and its list (derived from memberships on its date, plus invitees)."""
    if makeup_of is not None:
        if makeup_of.is_makeup:
            raise StudyError(_("A make-up session must be for a regular session."))
        if date < makeup_of.date:
            raise StudyError(
                _("A make-up session cannot take place before the session it makes up.")
            )
    session = StudySession.objects.create(
        unit=unit,
        title=title.strip(),
        date=date,
        end_date=end_date if end_date and end_date != date else None,
        mode=mode,
        venue=venue,
        scope_kind=scope_kind if makeup_of is None else ScopeKind.LIST,
        invite_affiliated=invite_affiliated and makeup_of is None,
        makeup_of=makeup_of,
        note=note,
        created_by=acting_user,
    )
    directive_list = list(directives)
    if makeup_of is not None and not directive_list:
        directive_list = list(makeup_of.directives.all())
    session.directives.set(directive_list)
    if scope_kind == ScopeKind.CELLS and makeup_of is None:
        session.cells.set(list(cells))
    _set_points(session, points)
    _insert_listed(session, derive_list(session))
    invitee_ids = list(invitees)
    if invitee_ids and makeup_of is None:
        _insert_listed(session, _listed_for_people(session, invitee_ids, Source.INVITED))
    recount([session.pk])
    session.refresh_from_db()
    return session


def _set_points(session: StudySession, points: Iterable[str]) -> None:
    names = [p.strip() for p in points if p and p.strip()]
    ConnectionPoint.objects.filter(session=session).delete()
    ConnectionPoint.objects.bulk_create(
        [ConnectionPoint(session=session, name=name[:200], order=i) for i, name in enumerate(names)]
    )


@transaction.atomic
def update_session(
    *,
    acting_user: User | None,
    session: StudySession,
    title: str,
    date: dt.date,
    directives: Iterable[Any],
    end_date: dt.date | None = None,
    mode: str = Mode.IN_PERSON,
    venue: str = "",
    points: Iterable[str] = (),
    note: str = "",
) -> StudySession:
    """Change a session's details; a new date re-derives the not-yet-recorded part of its list."""
    _lock(session.pk)
    old_date = session.date
    session.title = title.strip()
    session.date = date
    session.end_date = end_date if end_date and end_date != date else None
    session.mode = mode
    session.venue = venue
    session.note = note
    session.save()
    session.directives.set(list(directives))
    _set_points(session, points)
    if date != old_date:
        Attendance.objects.filter(session=session).update(session_date=date)
        outside = Attendance.objects.filter(session=session, attended_on__isnull=False).exclude(
            attended_on__gte=date, attended_on__lte=session.last_day
        )
        if outside.exists():
            raise StudyError(
                _(
                    "Attendance was recorded on days outside the new dates; correct it before "
                    "moving the session."
                )
            )
        refresh_list(acting_user=acting_user, session=session)
    recount([session.pk])
    return session


@transaction.atomic
def refresh_list(*, acting_user: User | None, session: StudySession) -> tuple[int, int]:
    """Bring the list up to date with memberships: add newcomers, drop unrecorded leavers.

    Rows already recorded (present, excused, absent) and hand-made entries are kept.
    Returns (added, removed).
    """
    _lock(session.pk)
    derived = {item.person_id: item for item in derive_list(session)}
    derived_sources = (Source.MEMBERSHIP, Source.MAKEUP) + (
        (Source.INVITED,) if session.invite_affiliated else ()
    )
    stale = (
        Attendance.objects.filter(
            session=session, status=Status.PENDING, source__in=derived_sources
        )
        .exclude(person_id__in=list(derived))
        .filter(made_up_on__isnull=True)
    )
    removed, _detail = stale.delete()
    added = _insert_listed(session, derived.values())
    recount([session.pk])
    return added, removed


@transaction.atomic
def add_to_list(
    *, acting_user: User | None, session: StudySession, person_ids: Iterable[int]
) -> int:
    """Put named people (e.g. invited cadres, civil servants) on a regular session's list."""
    _lock(session.pk)
    if session.is_makeup:
        raise StudyError(_("The list of a make-up session comes from the original session."))
    added = _insert_listed(session, _listed_for_people(session, person_ids, Source.INVITED))
    recount([session.pk])
    return added


@transaction.atomic
def remove_from_list(*, acting_user: User | None, session: StudySession, person_id: int) -> None:
    """Take a person off a session's list (only while nothing is recorded for them)."""
    _lock(session.pk)
    row = Attendance.objects.filter(session=session, person_id=person_id).first()
    if row is None:
        return
    if row.status != Status.PENDING or row.made_up_on is not None:
        raise StudyError(
            _("Attendance is already recorded for %(name)s; change it instead of removing them.")
            % {"name": row.person.full_name}
        )
    row.delete()
    recount([session.pk])


@transaction.atomic
def delete_session(*, acting_user: User | None, session: StudySession) -> None:
    """Delete a session with nothing recorded yet."""
    _lock(session.pk)
    if Attendance.objects.filter(session=session).exclude(status=Status.PENDING).exists():
        raise StudyError(_("Attendance is recorded for this session; it cannot be deleted."))
    if session.makeups.exists():
        raise StudyError(_("This session has make-up sessions; delete them first."))
    session.delete()


# --- attendance ---------------------------------------------------------------------------


def validate_marks(session: StudySession, marks: Sequence[Mark]) -> list[EntryError]:
    """Check marks against the session without writing anything."""
    errors: list[EntryError] = []
    seen: dict[int, int | None] = {}
    first, last = session.date, session.last_day
    if first > today():
        errors.append(
            EntryError(
                None,
                "date",
                _("The session on %(date)s has not taken place yet.")
                % {"date": f"{first:%d/%m/%Y}"},
            )
        )
    for position, mark in enumerate(marks):
        where = mark.index if mark.index is not None else position
        if mark.person_id in seen:
            errors.append(
                EntryError(
                    where,
                    "person",
                    _("The same person appears twice (also at %(other)s).")
                    % {"other": seen[mark.person_id]},
                )
            )
            continue
        seen[mark.person_id] = where
        if rules.needs_reason(mark.status) and not mark.reason.strip():
            errors.append(EntryError(where, "reason", _("An excused absence needs its reason.")))
        if mark.attended_on is not None and not rules.day_in_session(mark.attended_on, first, last):
            errors.append(
                EntryError(
                    where,
                    "date",
                    _("%(day)s is outside the session (%(first)s–%(last)s).")
                    % {
                        "day": f"{mark.attended_on:%d/%m/%Y}",
                        "first": f"{first:%d/%m/%Y}",
                        "last": f"{last:%d/%m/%Y}",
                    },
                )
            )
    return errors


@transaction.atomic
def record_attendance(
    *,
    acting_user: User | None,
    session: StudySession,
    marks: Sequence[Mark],
    allow_additions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    source: str = "",
) -> RecordResult:
    """Record attendance for many people at once; all or nothing.

    People not yet on a regular session's list are added to it (``allow_additions``); a
    make-up session only accepts the people on its list. Attending a make-up session counts
    for the person's row of the original session.
    """
    _lock(session.pk, session.makeup_of_id)
    errors = validate_marks(session, marks)
    positions = {m.person_id: (m.index if m.index is not None else i) for i, m in enumerate(marks)}
    on_list = dict(
        Attendance.objects.filter(session=session)
        .values_list("person_id", "pk")
        .iterator(chunk_size=CHUNK)
    )
    missing = [m for m in marks if m.person_id not in on_list]
    if missing and (session.is_makeup or not allow_additions):
        names = dict(
            Person.objects.filter(pk__in=[m.person_id for m in missing[:50]]).values_list(
                "pk", "full_name"
            )
        )
        message = (
            _("%(name)s is not on the list of this make-up session.")
            if session.is_makeup
            else _("%(name)s is not on the list of this session.")
        )
        errors.extend(
            EntryError(
                positions[m.person_id],
                "person",
                message % {"name": names.get(m.person_id, m.person_id)},
            )
            for m in missing
        )
    if errors:
        raise StudyError(errors)
    result = RecordResult(sessions=[session.pk])
    if missing:
        result.added = _insert_listed(
            session, _listed_for_people(session, [m.person_id for m in missing], Source.ADDED)
        )
    now = timezone.now()
    groups: dict[tuple, list[int]] = defaultdict(list)
    for mark in marks:
        attended = (mark.attended_on or session.date) if mark.status == Status.PRESENT else None
        reason = mark.reason.strip()[:300] if mark.status in (Status.EXCUSED, Status.ABSENT) else ""
        groups[(mark.status, reason, attended, mark.point_id)].append(mark.person_id)
    done = 0
    for (status, reason, attended, point_id), person_ids in groups.items():
        for start in range(0, len(person_ids), CHUNK):
            chunk = person_ids[start : start + CHUNK]
            studied = attended if attended is not None else F("made_up_on")
            result.changed += Attendance.objects.filter(
                session=session, person_id__in=chunk
            ).update(
                status=status,
                reason=reason,
                attended_on=attended,
                studied_on=studied,
                point_id=point_id,
                recorded_at=now,
                recorded_by=acting_user,
            )
            done += len(chunk)
            if progress is not None:
                progress(done, len(marks))
    if session.makeup_of_id is not None:
        _carry_makeups(session, groups)
        result.sessions.append(session.makeup_of_id)
    recount(result.sessions)
    _audit(session, acting_user, marks, source)
    return result


def _audit(
    session: StudySession, acting_user: User | None, marks: Sequence[Mark], source: str
) -> None:
    """One audit entry per recording (rows are written in bulk, without model signals)."""
    from auditlog.models import LogEntry

    counts: dict[str, int] = defaultdict(int)
    for mark in marks:
        counts[str(mark.status)] += 1
    summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    LogEntry.objects.log_create(
        session,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"attendance": ["", f"{len(marks)}: {summary}"]},
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        additional_data={
            "source": source,
            "marks": [
                [m.person_id, str(m.status), m.reason, m.attended_on and m.attended_on.isoformat()]
                for m in marks[:50]
            ],
        },
    )


def _carry_makeups(session: StudySession, groups: dict[tuple, list[int]]) -> None:
    """Attending a make-up counts on the original session's row; un-attending undoes it."""
    original = Attendance.objects.filter(session_id=session.makeup_of_id)
    for (status, _reason, attended, _point), person_ids in groups.items():
        for start in range(0, len(person_ids), CHUNK):
            chunk = person_ids[start : start + CHUNK]
            if status == Status.PRESENT:
                original.filter(person_id__in=chunk).exclude(status=Status.PRESENT).update(
                    made_up_in=session, made_up_on=attended, studied_on=attended
                )
            else:
                original.filter(person_id__in=chunk, made_up_in=session).update(
                    made_up_in=None, made_up_on=None, studied_on=F("attended_on")
                )


@transaction.atomic
def mark_pending(
    *, acting_user: User | None, session: StudySession, status: Status = Status.PRESENT
) -> int:
    """Mark everyone not yet recorded as present (after a roll call) — or absent."""
    person_ids = list(
        Attendance.objects.filter(session=session, status=Status.PENDING).values_list(
            "person_id", flat=True
        )
    )
    if not person_ids:
        return 0
    marks = [Mark(person_id=p, status=status) for p in person_ids]
    return record_attendance(acting_user=acting_user, session=session, marks=marks).changed


# --- counters -----------------------------------------------------------------------------

# The counters a session stores (and each of its tallies per participant unit).
COUNTERS = (
    "listed",
    "present",
    "excused",
    "absent",
    "pending",
    "non_members_listed",
    "non_members_present",
    "made_up",
)


def recount(session_ids: Iterable[int]) -> None:
    """Rewrite the tallies and counters of sessions from their rows (one grouped query)."""
    ids = sorted({i for i in session_ids if i is not None})
    if not ids:
        return
    present = Q(status=Status.PRESENT)
    rows: Any = (
        Attendance.objects.filter(session_id__in=ids)
        .order_by()
        .values("session_id", "unit_id")
        .annotate(
            listed=Count("pk"),
            present=Count("pk", filter=present),
            excused=Count("pk", filter=Q(status=Status.EXCUSED)),
            absent=Count("pk", filter=Q(status=Status.ABSENT)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            non_members_listed=Count("pk", filter=Q(is_member=False)),
            non_members_present=Count("pk", filter=Q(is_member=False) & present),
            made_up=Count("pk", filter=Q(made_up_on__isnull=False) & ~present),
        )
    )
    sessions = {
        s.pk: s for s in StudySession.objects.filter(pk__in=ids).only("pk", "date", "makeup_of")
    }
    totals: dict[int, dict[str, int]] = {pk: dict.fromkeys(COUNTERS, 0) for pk in sessions}
    tallies = []
    for row in rows:
        session = sessions[row["session_id"]]
        tallies.append(
            SessionTally(
                session_id=session.pk,
                unit_id=row["unit_id"],
                session_date=session.date,
                is_makeup=session.makeup_of_id is not None,
                **{name: row[name] for name in COUNTERS},
            )
        )
        for name in COUNTERS:
            totals[session.pk][name] += row[name]
    SessionTally.objects.filter(session_id__in=ids).delete()
    SessionTally.objects.bulk_create(tallies, batch_size=2000)
    updated = []
    for pk, counters in totals.items():
        session = sessions[pk]
        for name, value in counters.items():
            setattr(session, name, value)
        updated.append(session)
    StudySession.objects.bulk_update(updated, list(COUNTERS), batch_size=500)
