"""Writers of people, memberships and posts. Each function is one transaction; a refusal raises
``PeopleError`` with a message for the user (field, reason) and writes nothing.

Dates follow the tree's convention: ``date`` is the first day of the new state and whatever it
replaces ends on the day before.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.people.models import (
    MEMBER_STATUSES,
    Membership,
    MembershipKind,
    Person,
    Post,
)
from giamsat.units.models import CELL_KINDS, Unit

if TYPE_CHECKING:
    from giamsat.accounts.models import User

ONE_DAY = dt.timedelta(days=1)

# Fields a person form may set (name parts and search keys are derived on save).
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "party_card_number",
    "identity_number",
    "category",
    "status",
    "joined_on",
    "official_on",
    "left_on",
    "affiliation",
)


class PeopleError(ValueError):
    """A change to people, memberships or posts that cannot be applied; the message says why."""


def _day(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def _clean_person(person: Person) -> None:
    if not " ".join(person.full_name.split()):
        raise PeopleError(_("The full name is empty"))
    # Empty strings would collide on the unique constraints: store "no number" as NULL.
    person.party_card_number = (person.party_card_number or "").strip() or None
    person.identity_number = (person.identity_number or "").strip() or None
    for field, label in (
        ("party_card_number", _("party card number")),
        ("identity_number", _("identity number")),
    ):
        value = getattr(person, field)
        if value and Person.objects.filter(**{field: value}).exclude(pk=person.pk).exists():
            raise PeopleError(
                _("Another person already has the %(field)s %(value)s")
                % {"field": label, "value": value}
            )
    if person.joined_on and person.official_on and person.official_on < person.joined_on:
        raise PeopleError(_("The full-member date is before the date of joining the Party"))
    if person.birth_date and person.joined_on and person.joined_on <= person.birth_date:
        raise PeopleError(_("The date of joining the Party is before the birth date"))


def _check_cell(unit: Unit, date: dt.date) -> None:
    if unit.kind not in CELL_KINDS:
        raise PeopleError(
            _("%(unit)s is not a cell: members belong to a cell (chi bộ)") % {"unit": unit}
        )
    if not unit.is_valid_on(date):
        raise PeopleError(
            _("%(unit)s does not exist on %(date)s") % {"unit": unit, "date": _day(date)}
        )


@transaction.atomic
def create_person(
    *,
    data: dict[str, Any],
    acting_user: User | None,
    cell: Unit | None = None,
    member_from: dt.date | None = None,
) -> Person:
    """Create a person; a party member may be placed in ``cell`` from ``member_from``."""
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    _clean_person(person)
    person.save()
    if cell is not None:
        if person.status not in MEMBER_STATUSES:
            raise PeopleError(_("Only a party member can be placed in a cell"))
        start = member_from or person.joined_on
        if start is None:
            raise PeopleError(_("Give the date from which the person is a member of the cell"))
        _check_cell(cell, start)
        Membership.objects.create(person=person, unit=cell, valid_from=start)
    return person


@transaction.atomic
def update_person(*, person: Person, data: dict[str, Any], acting_user: User | None) -> Person:
    """Change a person's details (not their memberships or posts)."""
    for key, value in data.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    _clean_person(person)
    person.save()
    return person


@transaction.atomic
def transfer_membership(
    *,
    person: Person,
    to_unit: Unit,
    date: dt.date,
    acting_user: User | None,
    kind: str = MembershipKind.REGULAR,
    note: str = "",
) -> Membership:
    """Move ``person``'s party activity to ``to_unit`` from ``date`` (chuyển sinh hoạt đảng).

    A regular transfer ends the current regular membership on the eve; a temporary one
    (sinh hoạt tạm thời) ends only a current temporary membership and keeps the regular one.
    """
    if person.status not in MEMBER_STATUSES:
        raise PeopleError(_("%(person)s is not a party member") % {"person": person})
    _check_cell(to_unit, date)
    current = (
        Membership.objects.select_for_update()
        .filter(person=person, kind=kind)
        .valid_on(date - ONE_DAY)
        .first()
    )
    if Membership.objects.filter(person=person, kind=kind, valid_from__gte=date).exists():
        raise PeopleError(
            _("%(person)s already has a transfer on or after %(date)s")
            % {"person": person, "date": _day(date)}
        )
    end = None
    if current is not None:
        if current.unit_id == to_unit.pk:
            raise PeopleError(
                _("%(person)s is already a member of %(unit)s")
                % {"person": person, "unit": to_unit}
            )
        end = current.valid_to
        current.valid_to = date - ONE_DAY
        current.save(update_fields=["valid_to", "updated_at"])
    return Membership.objects.create(
        person=person, unit=to_unit, kind=kind, valid_from=date, valid_to=end, note=note.strip()
    )


@transaction.atomic
def end_membership(
    *, membership: Membership, last_day: dt.date, acting_user: User | None, note: str = ""
) -> Membership:
    """End a membership on ``last_day`` (e.g. the person left the Party or died)."""
    if last_day < membership.valid_from:
        raise PeopleError(_("The last day is before the membership began"))
    if membership.valid_to is not None and membership.valid_to < last_day:
        raise PeopleError(_("This membership had already ended"))
    membership.valid_to = last_day
    if note:
        membership.note = note.strip()[:255]
    membership.save(update_fields=["valid_to", "note", "updated_at"])
    return membership


@transaction.atomic
def add_post(
    *,
    person: Person,
    unit: Unit,
    title: str,
    date: dt.date,
    acting_user: User | None,
    kind: str = "other",
    is_head: bool = False,
    until: dt.date | None = None,
) -> Post:
    """Record that ``person`` holds a post in ``unit`` from ``date`` (optionally until a day)."""
    title = " ".join(title.split())
    if not title:
        raise PeopleError(_("The title of the post is empty"))
    if not unit.is_valid_on(date):
        raise PeopleError(
            _("%(unit)s does not exist on %(date)s") % {"unit": unit, "date": _day(date)}
        )
    if until is not None and until < date:
        raise PeopleError(_("The post ends before it begins"))
    if is_head:
        # One head (người đứng đầu) of a unit at a time.
        clash = (
            Post.objects.filter(unit=unit, is_head=True)
            .overlapping(date, until)
            .select_related("person")
            .first()
        )
        if clash is not None:
            raise PeopleError(
                _("%(person)s already heads %(unit)s from %(date)s: end that post first")
                % {"person": clash.person, "unit": unit, "date": _day(clash.valid_from)}
            )
    return Post.objects.create(
        person=person,
        unit=unit,
        title=title,
        kind=kind,
        is_head=is_head,
        valid_from=date,
        valid_to=until,
    )


@transaction.atomic
def end_post(*, post: Post, last_day: dt.date, acting_user: User | None, reason: str = "") -> Post:
    """End ``post`` on ``last_day`` with the reason (e.g. "retired", "transferred")."""
    if last_day < post.valid_from:
        raise PeopleError(_("The last day is before the post began"))
    if post.valid_to is not None and post.valid_to < last_day:
        raise PeopleError(_("This post had already ended"))
    post.valid_to = last_day
    post.ended_by = reason.strip()[:200]
    post.save(update_fields=["valid_to", "ended_by", "updated_at"])
    return post
