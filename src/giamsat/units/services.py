"""Reorganisations of the party tree: the only writers of units, links and lineage.

Every event has an effective ``date``: the first day of the new state. Whatever ends because of
it (a unit, a parent link, a name, a membership) gets ``valid_to = date - 1 day``. Each
function runs in one transaction, records a ``ReorgEvent`` with the deciding document, and
rebuilds the closure rows of the affected subtree before returning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from giamsat.units.models import (
    OrganKind,
    ReorgEvent,
    ReorgEventUnit,
    ReorgKind,
    ReorgRole,
    Unit,
    UnitKind,
    UnitLink,
    UnitName,
)
from giamsat.units.tree import TreeCycleError, rebuild_ancestry

ONE_DAY = dt.timedelta(days=1)


class ReorgError(ValueError):
    """A reorganisation that cannot be applied; the message says why (shown to the user)."""


@dataclass(frozen=True)
class Decision:
    """The document that decided a reorganisation."""

    symbol: str = ""
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class NewUnit:
    """What is needed to create a unit in a merge or a split."""

    code: str
    name: str
    kind: str
    organ_kind: str = ""
    issuer_code: str = ""
    place_name: str = ""
    grassroots_type: str = ""


def _event(kind: ReorgKind, date: dt.date, decision: Decision | None) -> ReorgEvent:
    decision = decision or Decision()
    return ReorgEvent.objects.create(
        kind=kind,
        date=date,
        decision_symbol=decision.symbol,
        decision_date=decision.date,
        note=decision.note,
    )


def _attach(event: ReorgEvent, units: Iterable[Unit], role: ReorgRole) -> None:
    ReorgEventUnit.objects.bulk_create(
        [ReorgEventUnit(event=event, unit=u, role=role) for u in units], ignore_conflicts=True
    )


def _check_alive(unit: Unit, date: dt.date) -> None:
    if not unit.is_valid_on(date):
        raise ReorgError(
            _("%(unit)s does not exist on %(date)s") % {"unit": unit, "date": f"{date:%d/%m/%Y}"}
        )


def _check_alive_until(unit: Unit, date: dt.date) -> None:
    """The unit exists the day before ``date`` (so it can end, move or rename on ``date``)."""
    if not unit.is_valid_on(date - ONE_DAY) or unit.valid_from >= date:
        raise ReorgError(
            _("%(unit)s must exist before %(date)s to be reorganised on that date")
            % {"unit": unit, "date": f"{date:%d/%m/%Y}"}
        )


def _create(spec: NewUnit, parent: Unit | None, date: dt.date, event: ReorgEvent) -> Unit:
    if Unit.objects.filter(code=spec.code).exists():
        raise ReorgError(_("The code %(code)s is already used") % {"code": spec.code})
    if spec.kind == UnitKind.ORGAN and not spec.organ_kind:
        raise ReorgError(_("A committee organ needs its organ kind"))
    if spec.kind == UnitKind.ORGAN and parent is None:
        raise ReorgError(_("A committee organ must belong to a committee"))
    if parent is not None:
        _check_alive(parent, date)
        if parent.kind == UnitKind.ORGAN and parent.organ_kind not in (
            OrganKind.EXECUTIVE_COMMITTEE,
        ):
            raise ReorgError(_("%(parent)s is an organ and cannot hold units") % {"parent": parent})
    unit = Unit.objects.create(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        organ_kind=spec.organ_kind,
        issuer_code=spec.issuer_code,
        place_name=spec.place_name,
        grassroots_type=spec.grassroots_type,
        valid_from=date,
    )
    UnitName.objects.create(unit=unit, name=spec.name, valid_from=date, event=event)
    if parent is not None:
        UnitLink.objects.create(unit=unit, parent=parent, valid_from=date, event=event)
    return unit


def _end_unit(unit: Unit, date: dt.date, event: ReorgEvent, reason: str) -> None:
    """Close the unit, its current link, name and posts on the day before ``date``."""
    from giamsat.people.models import Post

    last_day = date - ONE_DAY
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to", "updated_at"])
    UnitLink.objects.filter(unit=unit).valid_on(last_day).update(valid_to=last_day)
    UnitName.objects.filter(unit=unit).valid_on(last_day).update(valid_to=last_day)
    Post.objects.filter(unit=unit).valid_on(last_day).update(valid_to=last_day, ended_by=reason)


def _reparent(unit: Unit, parent: Unit, date: dt.date, event: ReorgEvent) -> None:
    last_day = date - ONE_DAY
    UnitLink.objects.filter(unit=unit).valid_on(date).update(valid_to=last_day)
    UnitLink.objects.create(unit=unit, parent=parent, valid_from=date, event=event)


def _children_on(unit: Unit, date: dt.date) -> list[Unit]:
    """Sub-units alive on ``date`` whose link to ``unit`` still holds on ``date``."""
    return list(Unit.objects.children_of(unit, date))


def _transfer_memberships(source: Unit, target: Unit, date: dt.date, note: str) -> int:
    """Members of a closing cell continue in ``target`` from ``date`` (history kept)."""
    from giamsat.people.models import Membership

    last_day = date - ONE_DAY
    current = list(Membership.objects.filter(unit=source).valid_on(last_day))
    for m in current:
        end = m.valid_to
        m.valid_to = last_day
        m.save(update_fields=["valid_to", "updated_at"])
        Membership.objects.create(
            person=m.person, unit=target, kind=m.kind, valid_from=date, valid_to=end, note=note
        )
    return len(current)


def _rebuild(units: Iterable[Unit]) -> None:
    try:
        rebuild_ancestry([u.pk for u in units])
    except TreeCycleError as exc:
        raise ReorgError(_("This change would put a unit under itself.")) from exc


@transaction.atomic
def establish_unit(
    *, spec: NewUnit, parent: Unit | None, date: dt.date, decision: Decision | None = None
) -> Unit:
    """Create a unit under ``parent`` from ``date``."""
    event = _event(ReorgKind.ESTABLISH, date, decision)
    unit = _create(spec, parent, date, event)
    _attach(event, [unit], ReorgRole.TARGET)
    _rebuild([unit])
    return unit


@transaction.atomic
def establish_units(
    *, items: Sequence[tuple[NewUnit, Unit | None, dt.date]], decision: Decision | None = None
) -> list[Unit]:
    """Create many units (each under its parent from its date), rebuilding the closure once.

    Items are created in order, so a parent may be a unit created earlier in ``items``. Each
    unit gets its own establishment event, exactly as ``establish_unit`` would record it.
    """
    units: list[Unit] = []
    for spec, parent, date in items:
        event = _event(ReorgKind.ESTABLISH, date, decision)
        unit = _create(spec, parent, date, event)
        _attach(event, [unit], ReorgRole.TARGET)
        units.append(unit)
    if units:
        _rebuild(units)
    return units


@transaction.atomic
def rename_unit(*, unit: Unit, name: str, date: dt.date, decision: Decision | None = None) -> Unit:
    """Give ``unit`` a new name from ``date``; the old name stays in its history."""
    name = name.strip()
    if not name:
        raise ReorgError(_("The new name is empty"))
    _check_alive_until(unit, date)
    _check_alive(unit, date)
    event = _event(ReorgKind.RENAME, date, decision)
    UnitName.objects.filter(unit=unit).valid_on(date).update(valid_to=date - ONE_DAY)
    later = UnitName.objects.filter(unit=unit, valid_from__gt=date).order_by("valid_from").first()
    UnitName.objects.create(
        unit=unit,
        name=name,
        valid_from=date,
        valid_to=later.valid_from - ONE_DAY if later else None,
        event=event,
    )
    current = UnitName.objects.filter(unit=unit).valid_on(unit.reference_date()).first()
    unit.name = current.name if current else name
    unit.save(update_fields=["name", "updated_at"])
    _attach(event, [unit], ReorgRole.SUBJECT)
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, parent: Unit, date: dt.date, decision: Decision | None = None) -> Unit:
    """Put ``unit`` (with its subtree) under ``parent`` from ``date``."""
    _check_alive(unit, date)
    _check_alive(parent, date)
    if unit.valid_from >= date:
        raise ReorgError(_("A unit can only move after the day it was established"))
    if parent.pk == unit.pk or Unit.objects.subtree_of(unit, date).filter(pk=parent.pk).exists():
        raise ReorgError(_("%(unit)s cannot move under its own sub-unit") % {"unit": unit})
    if UnitLink.objects.filter(unit=unit, valid_from__gt=date).exists():
        raise ReorgError(_("%(unit)s already has a later move recorded") % {"unit": unit})
    event = _event(ReorgKind.MOVE, date, decision)
    old_parent = unit.parent_on(date)
    _reparent(unit, parent, date, event)
    _attach(event, [unit], ReorgRole.SUBJECT)
    _attach(event, [parent], ReorgRole.TARGET)
    if old_parent is not None:
        _attach(event, [old_parent], ReorgRole.SOURCE)
    _rebuild([unit])
    return unit


@transaction.atomic
def merge_units(
    *,
    sources: Sequence[Unit],
    date: dt.date,
    into: Unit | None = None,
    new_unit: NewUnit | None = None,
    parent: Unit | None = None,
    decision: Decision | None = None,
) -> Unit:
    """Merge ``sources`` on ``date``: into an existing unit (``into``, sáp nhập) or into a new
    one (``new_unit`` under ``parent``, hợp nhất). Sources end the day before; their sub-units
    and members continue in the result; lineage records what became what.
    """
    from giamsat.units.models import Lineage

    if (into is None) == (new_unit is None):
        raise ReorgError(_("Merge into an existing unit or into a new one, not both"))
    if not sources:
        raise ReorgError(_("Choose the units to merge"))
    event = _event(ReorgKind.MERGE, date, decision)
    if into is None:
        assert new_unit is not None
        if parent is None:
            parent = sources[0].parent_on(date - ONE_DAY)
        target = _create(new_unit, parent, date, event)
    else:
        target = into
        _check_alive(target, date)
        if target in sources:
            raise ReorgError(_("A unit cannot be merged into itself"))
    for source in sources:
        _check_alive_until(source, date)
        for child in _children_on(source, date):
            if child.is_organ:  # a committee's organs end with it
                _end_unit(child, date, event, _("merged"))
            else:
                _reparent(child, target, date, event)
        _transfer_memberships(source, target, date, _("merged into %(unit)s") % {"unit": target})
        _end_unit(source, date, event, _("merged"))
        Lineage.objects.create(predecessor=source, successor=target, date=date, event=event)
    _attach(event, sources, ReorgRole.SOURCE)
    _attach(event, [target], ReorgRole.TARGET)
    _rebuild([*sources, target])
    return target


@transaction.atomic
def split_unit(
    *,
    source: Unit,
    into: Sequence[NewUnit],
    date: dt.date,
    children_to: dict[int, int] | None = None,
    members_to: int | None = None,
    decision: Decision | None = None,
) -> list[Unit]:
    """Split ``source`` into new units on ``date``.

    ``children_to`` maps each current sub-unit id to the index (in ``into``) of its new parent;
    unmapped sub-units go to the first new unit. Members of a split cell continue in the unit
    at index ``members_to`` (default 0); they can be moved individually afterwards.
    """
    from giamsat.units.models import Lineage

    if len(into) < 2:
        raise ReorgError(_("A split needs at least two resulting units"))
    _check_alive_until(source, date)
    event = _event(ReorgKind.SPLIT, date, decision)
    parent = source.parent_on(date - ONE_DAY)
    targets = [_create(spec, parent, date, event) for spec in into]
    mapping = children_to or {}
    for child in _children_on(source, date):
        if child.is_organ:
            _end_unit(child, date, event, _("split"))
            continue
        index = mapping.get(child.pk, 0)
        if not 0 <= index < len(targets):
            raise ReorgError(
                _("Sub-unit %(unit)s is sent to a unit that does not exist") % {"unit": child}
            )
        _reparent(child, targets[index], date, event)
    _transfer_memberships(source, targets[members_to or 0], date, _("split"))
    _end_unit(source, date, event, _("split"))
    for target in targets:
        Lineage.objects.create(predecessor=source, successor=target, date=date, event=event)
    _attach(event, [source], ReorgRole.SOURCE)
    _attach(event, targets, ReorgRole.TARGET)
    _rebuild([source, *targets])
    return targets


@transaction.atomic
def dissolve_unit(*, unit: Unit, date: dt.date, decision: Decision | None = None) -> Unit:
    """End ``unit`` on the day before ``date``. Its sub-units and members must have moved."""
    from giamsat.people.models import Membership

    _check_alive_until(unit, date)
    alive = _children_on(unit, date)  # sub-units still under it on the day it ends
    alive_children = [c for c in alive if not c.is_organ]
    if alive_children:
        raise ReorgError(
            _("%(unit)s still has sub-units (%(names)s): move or merge them first")
            % {"unit": unit, "names": ", ".join(str(c) for c in alive_children[:5])}
        )
    members = Membership.objects.filter(unit=unit).valid_on(date - ONE_DAY)
    if members.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date)).exists():
        raise ReorgError(_("%(unit)s still has members: transfer them first") % {"unit": unit})
    event = _event(ReorgKind.DISSOLVE, date, decision)
    for organ in alive:  # what is left are the committee's organs: they end with it
        _end_unit(organ, date, event, _("dissolved"))
    _end_unit(unit, date, event, _("dissolved"))
    _attach(event, [unit], ReorgRole.SUBJECT)
    _rebuild([unit])
    return unit


def successors(unit: Unit) -> list[Unit]:
    """What ``unit`` became: the units at the end of its lineage (transitively), today."""
    from giamsat.units.models import Lineage

    found: list[Unit] = []
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        edges = Lineage.objects.filter(predecessor_id__in=frontier).select_related("successor")
        frontier = []
        for edge in edges:
            if edge.successor_id in seen:
                continue
            seen.add(edge.successor_id)
            if Lineage.objects.filter(predecessor_id=edge.successor_id).exists():
                frontier.append(edge.successor_id)
            else:
                found.append(edge.successor)
    return found


def predecessors_on(unit: Unit, day: dt.date) -> list[Unit]:
    """Which units existing on ``day`` make up ``unit`` (through merges and splits since)."""
    from giamsat.units.models import Lineage

    if unit.is_valid_on(day):
        return [unit]
    found: list[Unit] = []
    frontier = [unit]
    seen = {unit.pk}
    while frontier:
        current = frontier.pop()
        edges = Lineage.objects.filter(successor=current).select_related("predecessor")
        for edge in edges:
            pred = edge.predecessor
            if pred.pk in seen:
                continue
            seen.add(pred.pk)
            if pred.is_valid_on(day):
                found.append(pred)
            else:
                frontier.append(pred)
    return found
