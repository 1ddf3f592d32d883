"""API of people: list and search (Vietnamese order, diacritics optional, filtered to a subtree
on a day) and detail with memberships and posts. Scoped like the pages (``Cap.VIEW_PEOPLE``);
a person or unit outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.people.models import Membership, MembershipKind, MemberStatus, Person
from giamsat.people.views import people_for
from giamsat.units.api import DateParams, PageParams, UnitRef, paginate, parse_as_of
from giamsat.units.models import Unit

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date | None
    gender: str
    status: str = Field(description="non_member, probationary, full, left or deceased.")
    category: str
    is_fictional: bool = Field(description="Generated demo data.")
    cell: UnitRef | None = Field(description="Cell of regular party activity on the day.")


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    as_of: dt.date
    items: list[PersonOut]


class MembershipOut(Schema):
    unit: UnitRef
    kind: str = Field(description="regular or temporary party activity.")
    valid_from: dt.date
    valid_to: dt.date | None
    note: str


class PostOut(Schema):
    unit: UnitRef
    kind: str
    title: str
    is_head: bool = Field(description="Head of the unit (người đứng đầu).")
    valid_from: dt.date
    valid_to: dt.date | None
    ended_by: str


class PersonDetail(PersonOut):
    party_card_number: str | None
    joined_on: dt.date | None
    official_on: dt.date | None
    left_on: dt.date | None
    memberships: list[MembershipOut] = Field(description="In the caller's scope, newest first.")
    posts: list[PostOut] = Field(description="In the caller's scope, newest first.")


def _ref(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _person_out(person: Person, cells: list[Membership]) -> dict:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "status": person.status,
        "category": person.category,
        "is_fictional": person.is_fictional,
        "cell": _ref(cells[0].unit) if cells else None,
    }


@router.get("/", response=PersonPage, summary="People in scope (search, subtree on a day)")
def list_people(
    request,
    dates: Query[DateParams],
    pages: Query[PageParams],
    q: str = Query(
        "",
        description="Name without diacritics if you like, card or identity number.",
        max_length=100,
    ),
    unit: int | None = Query(None, description="Only members of this unit's subtree on the day."),
    status: str = Query("", description="Only this party status."),
):
    user = request.user
    if status and status not in MemberStatus.values:
        raise HttpError(
            422, f"unknown status '{status}' (one of: {', '.join(MemberStatus.values)})"
        )
    filter_unit = None
    if unit is not None:
        filter_unit = get_in_scope_or_404(Unit.objects.all(), user, Cap.VIEW_PEOPLE, "pk", pk=unit)
    day = parse_as_of(dates.as_of, filter_unit.reference_date() if filter_unit else None)
    if not has_capability(user, Cap.VIEW_PEOPLE):
        people = Person.objects.none()
    else:
        people = people_for(user, text=q, unit=filter_unit, day=day, status=status)
    people = people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.valid_on(day)
            .filter(kind=MembershipKind.REGULAR)
            .filter(scope_q(user, Cap.VIEW_PEOPLE, "unit"))
            .select_related("unit"),
            to_attr="cells_on_day",
        )
    )
    page = paginate(people, pages)
    page["items"] = [_person_out(p, p.cells_on_day) for p in page["items"]]
    page["as_of"] = day
    return page


@router.get("/{person_id}", response=PersonDetail, summary="One person (404 out of scope)")
def get_person(request, person_id: int):
    user = request.user
    person = Person.objects.visible_to(user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    record_access(actor=user, kind=AccessKind.READ, obj=person, request=request, reason="API")
    in_scope = scope_q(user, Cap.VIEW_PEOPLE, "unit")
    memberships = list(
        person.memberships.filter(in_scope).select_related("unit").order_by("-valid_from")
    )
    posts = list(person.posts.filter(in_scope).select_related("unit").order_by("-valid_from"))
    today_cells = [m for m in memberships if m.kind == MembershipKind.REGULAR and m.is_valid_on()]
    return {
        **_person_out(person, today_cells),
        "party_card_number": person.party_card_number,
        "joined_on": person.joined_on,
        "official_on": person.official_on,
        "left_on": person.left_on,
        "memberships": [
            {
                "unit": _ref(m.unit),
                "kind": m.kind,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
                "note": m.note,
            }
            for m in memberships
        ],
        "posts": [
            {
                "unit": _ref(p.unit),
                "kind": p.kind,
                "title": p.title,
                "is_head": p.is_head,
                "valid_from": p.valid_from,
                "valid_to": p.valid_to,
                "ended_by": p.ended_by,
            }
            for p in posts
        ],
    }
