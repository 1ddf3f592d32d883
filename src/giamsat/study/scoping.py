"""Which study sessions and attendance rows a user sees or manages.

A session is visible to whoever may see its organising unit, and also to whoever may see
a unit whose people are on its list (a city sees the provincial conference its members
attended through a connected point) — but then only the rows of their own people.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, scope_q
from giamsat.study.models import Attendance, SessionTally, StudySession


def visible_sessions(user, capability: Cap | str = Cap.VIEW_INDICATORS) -> QuerySet[StudySession]:
    if is_unrestricted(user):
        return StudySession.objects.all()
    participating = SessionTally.objects.filter(scope_q(user, capability, "unit")).values(
        "session_id"
    )
    return StudySession.objects.filter(scope_q(user, capability, "unit") | Q(pk__in=participating))


def manageable_sessions(user) -> QuerySet[StudySession]:
    return StudySession.objects.filter(scope_q(user, Cap.MANAGE_STUDY, "unit"))


def can_manage(user, session: StudySession) -> bool:
    return manageable_sessions(user).filter(pk=session.pk).exists()


def organiser_visible(user, session: StudySession) -> bool:
    if is_unrestricted(user):
        return True
    return StudySession.objects.filter(
        scope_q(user, Cap.VIEW_INDICATORS, "unit"), pk=session.pk
    ).exists()


def visible_rows(user, session: StudySession, *, whole: bool | None = None) -> QuerySet[Attendance]:
    """The session's list as ``user`` may see it (only their people's rows if the session was
    organised outside their scope)."""
    rows = Attendance.objects.filter(session=session)
    if whole is None:
        whole = organiser_visible(user, session)
    if whole:
        return rows
    return rows.filter(scope_q(user, Cap.VIEW_INDICATORS, "unit"))
