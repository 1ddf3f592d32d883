"""Which unit an audited record concerns, so that the audit trail can be scoped like the pages.

The unit is resolved when the event is written (a deleted record keeps its unit). A model with a
``unit`` foreign key needs nothing; other models register a resolver in their app's
``AppConfig.ready()``::

    from giamsat.audit.units import register_unit_resolver
    register_unit_resolver(Case, "subject_unit_id")            # an attribute path
    register_unit_resolver(Finding, lambda f: f.case.unit_id)  # or a callable
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from django.db import models

Resolver = Callable[[models.Model], int | None]

_RESOLVERS: dict[type[models.Model], Resolver] = {}


def register_unit_resolver(model: type[models.Model], resolver: str | Resolver) -> None:
    """Declare how to find the unit of ``model`` rows: a dotted attribute path or a callable."""
    if isinstance(resolver, str):
        getter = operator.attrgetter(resolver)

        def resolve(instance: models.Model) -> int | None:
            try:
                value = getter(instance)
            except AttributeError:
                # A null link on the way ("case.unit_id" with no case).
                return None
            return getattr(value, "pk", value)

        _RESOLVERS[model] = resolve
    else:
        _RESOLVERS[model] = resolver


def unit_id_for(instance: models.Model | None) -> int | None:
    """The id of the unit ``instance`` concerns, or None when it belongs to no unit."""
    if instance is None:
        return None
    # ``__class__`` rather than type(): request.user is a lazy proxy of the real user.
    model = instance.__class__
    for cls in model.__mro__:
        resolver = _RESOLVERS.get(cls)
        if resolver is not None:
            try:
                return resolver(instance)
            except models.ObjectDoesNotExist:
                return None
    if model._meta.label == "units.Unit":
        return instance.pk
    value = getattr(instance, "unit_id", None)
    return value if isinstance(value, int) else None


def primary_unit_id(user) -> int | None:
    """The unit of a user's earliest current role (login events and account changes go there)."""
    from giamsat.accounts.models import RoleAssignment

    if user is None or getattr(user, "pk", None) is None:
        return None
    return (
        RoleAssignment.objects.valid_on()
        .filter(user_id=user.pk)
        .order_by("valid_from", "pk")
        .values_list("unit_id", flat=True)
        .first()
    )


def _person_unit(person) -> int | None:
    from giamsat.people.models import Membership

    unit_id = (
        Membership.objects.filter(person_id=person.pk)
        .order_by("-valid_from", "-pk")
        .values_list("unit_id", flat=True)
        .first()
    )
    return unit_id or person.affiliation_id


def _owner_unit(obj) -> int | None:
    """The unit of the record an attachment or a link hangs on."""
    owner_type = obj.content_type if hasattr(obj, "content_type") else obj.source_type
    owner_id = obj.object_id if hasattr(obj, "object_id") else obj.source_id
    model = owner_type.model_class()
    if model is None:
        return None
    owner = model._base_manager.filter(pk=owner_id).first()
    return unit_id_for(owner)


def register_foundation_resolvers() -> None:
    """Resolvers for the foundation's models (the other apps register their own)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from giamsat.accounts.models import ApiToken, User
    from giamsat.core.models import Attachment, RecordLink
    from giamsat.directives.models import Directive
    from giamsat.people.models import Person
    from giamsat.units.models import UnitLink

    register_unit_resolver(UnitLink, "unit_id")
    register_unit_resolver(Person, _person_unit)
    register_unit_resolver(Directive, "issuing_unit_id")
    register_unit_resolver(User, primary_unit_id)
    for model in (ApiToken, TOTPDevice, StaticDevice):
        register_unit_resolver(model, lambda obj: primary_unit_id(obj.user))
    register_unit_resolver(Attachment, _owner_unit)
    register_unit_resolver(RecordLink, _owner_unit)
