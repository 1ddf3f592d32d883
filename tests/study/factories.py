"""Helpers to build study sessions and attendance in tests (through the real services)."""

from __future__ import annotations

import datetime as dt
import itertools

from giamsat.directives.models import Directive
from giamsat.people.models import MemberStatus, Person, PersonCategory
from giamsat.study import services
from giamsat.study.models import Status, StudySession

_numbers = itertools.count(100)


def make_directive(
    symbol_number: int | None = None, *, doc_type: str = "NQ", issued_on=dt.date(2016, 10, 30)
) -> Directive:
    return Directive.objects.create(
        doc_type=doc_type,
        number=symbol_number or next(_numbers),
        issuer_code="TW",
        issued_on=issued_on,
        title="Nghị quyết thử nghiệm",
    )


def make_non_member(affiliation, **fields) -> Person:
    defaults = {
        "full_name": f"Lê Thị Công Chức{next(_numbers)}",
        "category": PersonCategory.CIVIL_SERVANT,
        "status": MemberStatus.NON_MEMBER,
        "birth_date": dt.date(1990, 5, 5),
    }
    defaults.update(fields)
    return Person.objects.create(affiliation=affiliation, **defaults)


def make_session(unit, date, directives, *, user=None, **kwargs) -> StudySession:
    return services.create_session(
        acting_user=user,
        unit=unit,
        title=kwargs.pop("title", f"Hội nghị học tập {date:%d/%m/%Y}"),
        date=date,
        directives=directives,
        **kwargs,
    )


def mark(session, person, status=Status.PRESENT, *, reason="", user=None, attended_on=None):
    if status == Status.EXCUSED and not reason:
        reason = "Ốm"
    return services.record_attendance(
        acting_user=user,
        session=session,
        marks=[
            services.Mark(
                person_id=person.pk, status=status, reason=reason, attended_on=attended_on
            )
        ],
    )
