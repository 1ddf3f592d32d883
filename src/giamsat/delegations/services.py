"""The only writers of working delegations and their records.

Keyword-only arguments, an ``acting_user`` (``None`` = the system: demo, command line), one
transaction each; refusals raise ``DelegationError`` (a message for the user) or
``PermissionDenied``. ``sync_member_access`` keeps the members' ``delegation_member`` role
assignments in line with the targets and the working period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.accounts.models import RoleAssignment
from giamsat.accounts.roles import Role
from giamsat.accounts.scoping import clear_role_cache
from giamsat.core.dates import today
from giamsat.delegations import permissions
from giamsat.delegations.models import (
    Delegation,
    DelegationAccessGrant,
    DelegationMember,
    DelegationTarget,
    NewsItem,
    NewsStatus,
    RequestKind,
    RequestStatus,
    SessionParticipant,
    Side,
    UnitConclusion,
    UnitRequest,
    WorkingSession,
)
from giamsat.directives.models import Directive
from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol
from giamsat.units.models import Unit


class DelegationError(ValueError):
    """Something the delegation's records do not allow; the message says why."""


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def normalise_decision_symbol(text: str) -> str:
    """ "Số 75 -QĐ/TƯ" → "75-QĐ/TW" (directives.symbols); a clear error otherwise."""
    try:
        return format_symbol(parse_symbol(text))
    except SymbolError as exc:
        raise DelegationError(
            _("The decision's number and symbol cannot be read: %(reason)s") % {"reason": exc}
        ) from None


def _check_dates(
    review_start: dt.date, review_end: dt.date, work_start: dt.date, work_end: dt.date
) -> None:
    if review_start > review_end:
        raise DelegationError(_("The period under review ends before it starts."))
    if work_start > work_end:
        raise DelegationError(_("The working period ends before it starts."))


def _require_manage(user: Any, delegation: Delegation) -> None:
    if not permissions.can_manage(user, delegation):
        raise PermissionDenied


def _require_work(user: Any, delegation: Delegation) -> None:
    if not permissions.can_work(user, delegation):
        raise PermissionDenied


# --- the delegation -----------------------------------------------------------------------


@transaction.atomic
def create_delegation(
    *,
    name: str,
    deciding_body: Unit,
    decision_symbol: str,
    decision_date: dt.date,
    review_start: dt.date,
    review_end: dt.date,
    work_start: dt.date,
    work_end: dt.date,
    acting_user: Any,
    number: str = "",
    purpose: str = "",
    directives: Iterable[Directive] = (),
    targets: Iterable[Unit] = (),
) -> Delegation:
    """Establish a delegation by the deciding body's decision, with its targets and scope."""
    if not permissions.can_create(acting_user, deciding_body):
        raise PermissionDenied
    if not name.strip():
        raise DelegationError(_("Name the delegation."))
    _check_dates(review_start, review_end, work_start, work_end)
    symbol = normalise_decision_symbol(decision_symbol)
    registered = Directive.objects.filter(symbol=symbol, issued_on=decision_date).first()
    delegation = Delegation.objects.create(
        number=number.strip(),
        name=name.strip(),
        deciding_body=deciding_body,
        decision_symbol=symbol,
        decision_date=decision_date,
        decision=registered,
        purpose=purpose.strip(),
        review_start=review_start,
        review_end=review_end,
        work_start=work_start,
        work_end=work_end,
        created_by=acting_user,
    )
    delegation.directives.set(list(directives))
    for i, unit in enumerate(targets):
        DelegationTarget.objects.create(delegation=delegation, unit=unit, order=i)
    return delegation


@transaction.atomic
def update_delegation(*, delegation: Delegation, acting_user: Any, **fields: Any) -> Delegation:
    """Change the delegation's decision, periods, purpose or directives; re-sync access."""
    _require_manage(acting_user, delegation)
    allowed = {
        "number",
        "name",
        "decision_symbol",
        "decision_date",
        "purpose",
        "review_start",
        "review_end",
        "work_start",
        "work_end",
        "directives",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown delegation fields: {sorted(unknown)}")
    directives = fields.pop("directives", None)
    if "decision_symbol" in fields:
        fields["decision_symbol"] = normalise_decision_symbol(fields["decision_symbol"])
    for key, value in fields.items():
        setattr(delegation, key, value)
    _check_dates(
        delegation.review_start, delegation.review_end, delegation.work_start, delegation.work_end
    )
    delegation.save()
    if directives is not None:
        delegation.directives.set(list(directives))
    sync_member_access(delegation=delegation, acting_user=acting_user)
    return delegation


@transaction.atomic
def add_target(*, delegation: Delegation, unit: Unit, acting_user: Any) -> DelegationTarget:
    _require_manage(acting_user, delegation)
    target, _created = DelegationTarget.objects.get_or_create(
        delegation=delegation, unit=unit, defaults={"order": delegation.targets.count()}
    )
    sync_member_access(delegation=delegation, acting_user=acting_user)
    return target


@transaction.atomic
def remove_target(*, target: DelegationTarget, acting_user: Any) -> None:
    delegation = target.delegation
    _require_manage(acting_user, delegation)
    if delegation.sessions.filter(unit=target.unit).exists():
        raise DelegationError(
            _("%(unit)s already has working sessions; remove them first.") % {"unit": target.unit}
        )
    for grant in target.access_grants.select_related("role_assignment"):
        grant.role_assignment.delete()
    target.delete()


@transaction.atomic
def add_member(
    *,
    delegation: Delegation,
    role: str,
    acting_user: Any,
    full_name: str = "",
    person: Any = None,
    post_title: str = "",
    agency: str = "",
    user: Any = None,
) -> DelegationMember:
    """Add a person to the delegation (a Person or a free-text name) and grant their user
    access to the target units for the working period."""
    _require_manage(acting_user, delegation)
    name = (full_name or (person.full_name if person else "")).strip()
    if not name:
        raise DelegationError(_("Name the member or choose a person."))
    member = DelegationMember.objects.create(
        delegation=delegation,
        role=role,
        person=person,
        full_name=name,
        post_title=post_title.strip(),
        agency=agency.strip(),
        user=user,
        order=delegation.members.count(),
    )
    sync_member_access(delegation=delegation, acting_user=acting_user)
    return member


@transaction.atomic
def remove_member(*, member: DelegationMember, acting_user: Any) -> None:
    _require_manage(acting_user, member.delegation)
    user = member.user
    for grant in member.access_grants.select_related("role_assignment"):
        grant.role_assignment.delete()
    member.delete()
    if user is not None:
        clear_role_cache(user)


@transaction.atomic
def sync_member_access(*, delegation: Delegation, acting_user: Any = None) -> int:
    """Give every member linked to a user a ``delegation_member`` role at every target unit for
    the working period; remove grants that no longer apply. Returns the number of grants."""
    wanted: set[tuple[int, int]] = set()
    members = list(delegation.members.exclude(user=None).select_related("user"))
    targets = list(delegation.targets.select_related("unit"))
    for member in members:
        for target in targets:
            wanted.add((member.pk, target.pk))
    existing = {
        (g.member_id, g.target_id): g
        for g in DelegationAccessGrant.objects.filter(member__delegation=delegation).select_related(
            "role_assignment"
        )
    }
    for key, grant in existing.items():
        if key not in wanted or grant.role_assignment.user_id != grant.member.user_id:
            grant.role_assignment.delete()
    note = f"{delegation.name} ({delegation.decision_symbol})"[:255]
    by_member = {m.pk: m for m in members}
    by_target = {t.pk: t for t in targets}
    for member_id, target_id in sorted(wanted):
        member, target = by_member[member_id], by_target[target_id]
        current = existing.get((member_id, target_id))
        if current is not None and current.role_assignment.user_id == member.user_id:
            assignment = current.role_assignment
            if (assignment.valid_from, assignment.valid_to) != (
                delegation.work_start,
                delegation.work_end,
            ):
                assignment.valid_from = delegation.work_start
                assignment.valid_to = delegation.work_end
                assignment.save(update_fields=["valid_from", "valid_to"])
            continue
        assert member.user is not None  # only members linked to a user are in ``wanted``
        assignment = RoleAssignment.objects.create(
            user=member.user,
            role=Role.DELEGATION_MEMBER,
            unit=target.unit,
            valid_from=delegation.work_start,
            valid_to=delegation.work_end,
            granted_by=acting_user,
            note=note,
        )
        DelegationAccessGrant.objects.create(
            member=member, target=target, role_assignment=assignment
        )
    for member in members:
        clear_role_cache(member.user)
    return len(wanted)


# --- the work -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HostParticipant:
    full_name: str
    post_title: str = ""
    person: Any = None


def _require_target(delegation: Delegation, unit: Unit) -> None:
    if not delegation.targets.filter(unit=unit).exists():
        raise DelegationError(
            _("%(unit)s is not a target of this delegation.") % {"unit": unit.name}
        )


@transaction.atomic
def schedule_session(
    *,
    delegation: Delegation,
    unit: Unit,
    date: dt.date,
    acting_user: Any,
    place: str = "",
    content: str = "",
    members: Sequence[DelegationMember] = (),
    hosts: Sequence[HostParticipant] = (),
) -> WorkingSession:
    """Schedule a working session with a target unit and its participants on both sides."""
    _require_work(acting_user, delegation)
    _require_target(delegation, unit)
    if not delegation.work_start <= date <= delegation.work_end:
        raise DelegationError(
            _("The session date %(date)s is outside the working period %(start)s–%(end)s.")
            % {
                "date": _fmt(date),
                "start": _fmt(delegation.work_start),
                "end": _fmt(delegation.work_end),
            }
        )
    session = WorkingSession.objects.create(
        delegation=delegation, unit=unit, date=date, place=place.strip(), content=content.strip()
    )
    set_participants(session=session, members=members, hosts=hosts, acting_user=acting_user)
    return session


@transaction.atomic
def set_participants(
    *,
    session: WorkingSession,
    acting_user: Any,
    members: Sequence[DelegationMember] = (),
    hosts: Sequence[HostParticipant] = (),
) -> WorkingSession:
    _require_work(acting_user, session.delegation)
    for member in members:
        if member.delegation_id != session.delegation_id:
            raise DelegationError(_("%(name)s is not in this delegation.") % {"name": member})
    session.participants.all().delete()
    rows = [
        SessionParticipant(
            session=session,
            side=Side.DELEGATION,
            member=m,
            person=m.person,
            full_name=m.full_name,
            post_title=m.post_title,
        )
        for m in members
    ]
    rows += [
        SessionParticipant(
            session=session,
            side=Side.HOST,
            person=h.person,
            full_name=h.full_name.strip(),
            post_title=h.post_title.strip(),
        )
        for h in hosts
        if h.full_name.strip()
    ]
    SessionParticipant.objects.bulk_create(rows)
    return session


@transaction.atomic
def record_minutes(
    *, session: WorkingSession, acting_user: Any, minutes: str, content: str | None = None
) -> WorkingSession:
    _require_work(acting_user, session.delegation)
    session.minutes = minutes.strip()
    if content is not None:
        session.content = content.strip()
    session.save(update_fields=["minutes", "content", "updated_at"])
    return session


@transaction.atomic
def make_request(
    *,
    delegation: Delegation,
    unit: Unit,
    kind: str,
    text: str,
    deadline: dt.date,
    acting_user: Any,
    session: WorkingSession | None = None,
) -> UnitRequest:
    """Ask a target unit for something by a deadline (e.g. "bổ sung số liệu thực tế")."""
    _require_work(acting_user, delegation)
    _require_target(delegation, unit)
    if kind not in RequestKind.values:
        raise DelegationError(_("Choose a kind of request."))
    if not text.strip():
        raise DelegationError(_("Write the request."))
    if session is not None and session.delegation_id != delegation.pk:
        raise DelegationError(_("The session belongs to another delegation."))
    made_on = session.date if session is not None else today()
    if deadline < made_on:
        raise DelegationError(_("The deadline is before the request was made."))
    return UnitRequest.objects.create(
        delegation=delegation,
        unit=unit,
        session=session,
        kind=kind,
        text=text.strip(),
        deadline=deadline,
    )


@transaction.atomic
def answer_request(
    *,
    request: UnitRequest,
    answer: str,
    acting_user: Any,
    answered_on: dt.date | None = None,
) -> UnitRequest:
    """The unit answers a request of the delegation."""
    if not permissions.can_answer_request(acting_user, request):
        raise PermissionDenied
    if not answer.strip():
        raise DelegationError(_("Write the answer."))
    request.answer = answer.strip()
    request.answered_on = answered_on or today()
    request.answered_by = acting_user
    request.status = RequestStatus.ANSWERED
    request.save()
    return request


@transaction.atomic
def record_conclusion(
    *,
    delegation: Delegation,
    unit: Unit,
    concluded_on: dt.date,
    acting_user: Any,
    strengths: str = "",
    limitations: str = "",
    requests: str = "",
) -> UnitConclusion:
    """Record (or revise) the delegation's conclusion about a target unit."""
    _require_work(acting_user, delegation)
    _require_target(delegation, unit)
    if not (strengths.strip() or limitations.strip() or requests.strip()):
        raise DelegationError(_("A conclusion needs strengths, limitations or requests."))
    conclusion, _created = UnitConclusion.objects.update_or_create(
        delegation=delegation,
        unit=unit,
        defaults={
            "strengths": strengths.strip(),
            "limitations": limitations.strip(),
            "requests": requests.strip(),
            "concluded_on": concluded_on,
        },
    )
    return conclusion


@transaction.atomic
def write_summary(
    *,
    delegation: Delegation,
    summary: str,
    acting_user: Any,
    submitted_on: dt.date | None = None,
) -> Delegation:
    """Write the delegation's summary to its deciding body; a date marks it as submitted."""
    _require_manage(acting_user, delegation)
    if submitted_on is not None and not summary.strip():
        raise DelegationError(_("An empty summary cannot be submitted."))
    delegation.summary = summary.strip()
    delegation.summary_submitted_on = submitted_on
    delegation.save(update_fields=["summary", "summary_submitted_on", "updated_at"])
    return delegation


# --- news brief ---------------------------------------------------------------------------


@transaction.atomic
def draft_news_item(*, session: WorkingSession, acting_user: Any) -> NewsItem:
    """Draft the news brief of a working session from its records (see ``news.py``)."""
    from giamsat.delegations.news import compose_news

    _require_work(acting_user, session.delegation)
    title, lead, body = compose_news(session)
    return NewsItem.objects.create(
        session=session, title=title, lead=lead, body=body, created_by=acting_user
    )


@transaction.atomic
def update_news_item(
    *,
    item: NewsItem,
    acting_user: Any,
    title: str,
    lead: str,
    body: str,
    approve: bool = False,
) -> NewsItem:
    _require_work(acting_user, item.session.delegation)
    if not title.strip() or not body.strip():
        raise DelegationError(_("A news item needs a title and a body."))
    item.title, item.lead, item.body = title.strip(), lead.strip(), body.strip()
    if approve:
        item.status = NewsStatus.APPROVED
    item.save()
    return item
