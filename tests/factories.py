"""Factories shared by every test suite (factory-boy) and small helpers for trees and users."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.scoping import clear_role_cache
from giamsat.people.models import Membership, MemberStatus, Person
from giamsat.units.models import Unit, UnitKind
from giamsat.units.services import NewUnit, establish_unit

DEFAULT_START = dt.date(2015, 1, 1)
_codes = itertools.count(1)


def make_unit(
    name: str,
    kind: str = UnitKind.CELL,
    parent: Unit | None = None,
    *,
    valid_from: dt.date = DEFAULT_START,
    code: str | None = None,
    organ_kind: str = "",
    issuer_code: str = "",
) -> Unit:
    """Create a unit (with its link and closure rows) through the real service."""
    spec = NewUnit(
        code=code or f"T{next(_codes):05d}",
        name=name,
        kind=kind,
        organ_kind=organ_kind,
        issuer_code=issuer_code,
    )
    return establish_unit(spec=spec, parent=parent, date=valid_from)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Người{n}")
    birth_date = dt.date(1980, 1, 1)
    gender = "male"
    status = MemberStatus.FULL
    joined_on = dt.date(2005, 5, 19)
    official_on = dt.date(2006, 5, 19)
    party_card_number = factory.Sequence(lambda n: f"{10000000 + n}")


def make_member(unit: Unit, *, valid_from: dt.date = DEFAULT_START, **person_fields) -> Person:
    person = PersonFactory(**person_fields)
    Membership.objects.create(person=person, unit=unit, valid_from=valid_from)
    return person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


PASSWORD = "correct horse battery"


def make_user(role: str | None = None, unit: Unit | None = None, **fields) -> User:
    """A user holding ``role`` at ``unit`` (from 2000, open-ended)."""
    user = UserFactory(**fields)
    user.save()  # persist the password hash set after generation
    if role is not None and unit is not None:
        RoleAssignment.objects.create(
            user=user, role=role, unit=unit, valid_from=dt.date(2000, 1, 1)
        )
    clear_role_cache(user)
    return user


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
