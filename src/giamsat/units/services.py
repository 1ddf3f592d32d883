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
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from giamsat.core.dates import today
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

if TYPE_CHECKING:
    from giamsat.accounts.models import User
    from giamsat.directives.models import Directive

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
    short_name: str = ""


def _decision_document(decision: Decision) -> tuple[str, Directive | None]:
    """The symbol written canonically when it parses, and the registered document if known."""
    from giamsat.directives.models import Directive
    from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol

    text = decision.symbol.strip()
    if not text:
        return "", None
    try:
        symbol = format_symbol(parse_symbol(text))
    except SymbolError:
        return text, None
    found = Directive.objects.filter(symbol=symbol)
    if decision.date is not None:
        found = found.filter(issued_on=decision.date)
    matches = list(found[:2])
    return symbol, matches[0] if len(matches) == 1 else None


def _event(
    kind: ReorgKind, date: dt.date, decision: Decision | None, acting_user: User | None = None
) -> ReorgEvent:
    decision = decision or Decision()
    symbol, document = _decision_document(decision)
    return ReorgEvent.objects.create(
        kind=kind,
        date=date,
        decision_symbol=symbol,
        decision_date=decision.date,
        decision=document,
        note=decision.note,
        recorded_by=acting_user if acting_user is not None and acting_user.pk else None,
    )


def _attach(event: ReorgEvent, units: Iterable[Unit], role: ReorgRole) -> None:
    ReorgEventUnit.objects.bulk_create(
        [ReorgEventUnit(event=event, unit=u, role=role) for u in units], ignore_conflicts=True
    )


def _day(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def _check_alive(unit: Unit, date: dt.date) -> None:
    if not unit.is_valid_on(date):
        raise ReorgError(
            _("%(unit)s does not exist on %(date)s") % {"unit": unit, "date": _day(date)}
        )


def _check_alive_until(unit: Unit, date: dt.date) -> None:
    """The unit exists the day before ``date`` (so it can end, move or rename on ``date``)."""
    if not unit.is_valid_on(date - ONE_DAY) or unit.valid_from >= date:
        raise ReorgError(
            _("%(unit)s must exist before %(date)s to be reorganised on that date")
            % {"unit": unit, "date": _day(date)}
        )


def _check_can_hold_units(parent: Unit) -> None:
    if parent.kind == UnitKind.ORGAN and parent.organ_kind != OrganKind.EXECUTIVE_COMMITTEE:
        raise ReorgError(_("%(parent)s is an organ and cannot hold units") % {"parent": parent})


def _check_spec(spec: NewUnit) -> None:
    if not spec.code.strip():
        raise ReorgError(_("The code of the new unit is empty"))
    if not spec.name.strip():
        raise ReorgError(_("The name of the new unit is empty"))
    if spec.kind not in UnitKind.values:
        raise ReorgError(_("Unknown kind of unit: %(kind)s") % {"kind": spec.kind})
    if spec.kind == UnitKind.ORGAN and spec.organ_kind not in OrganKind.values:
        raise ReorgError(_("A committee organ needs its organ kind"))
    if spec.kind != UnitKind.ORGAN and spec.organ_kind:
        raise ReorgError(_("Only a committee organ has an organ kind"))
    if Unit.objects.filter(code=spec.code.strip()).exists():
        raise ReorgError(_("The code %(code)s is already used") % {"code": spec.code.strip()})


def _create(spec: NewUnit, parent: Unit | None, date: dt.date, event: ReorgEvent) -> Unit:
    _check_spec(spec)
    if spec.kind == UnitKind.ORGAN and parent is None:
        raise ReorgError(_("A committee organ must belong to a committee"))
    if parent is not None:
        _check_alive(parent, date)
        _check_can_hold_units(parent)
    name = spec.name.strip()
    unit = Unit.objects.create(
        code=spec.code.strip(),
        name=name,
        short_name=spec.short_name.strip(),
        kind=spec.kind,
        organ_kind=spec.organ_kind,
        issuer_code=spec.issuer_code.strip(),
        place_name=spec.place_name.strip(),
        grassroots_type=spec.grassroots_type.strip(),
        valid_from=date,
    )
    UnitName.objects.create(unit=unit, name=name, valid_from=date, event=event)
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
    """Put ``unit`` under ``parent`` from ``date``; the new link ends where the old one did."""
    if UnitLink.objects.filter(unit=unit, valid_from__gte=date).exists():
        raise ReorgError(
            _("%(unit)s already has a change of parent on or after %(date)s")
            % {"unit": unit, "date": _day(date)}
        )
    current = UnitLink.objects.filter(unit=unit).valid_on(date).first()
    end = current.valid_to if current is not None else unit.valid_to
    if current is not None:
        current.valid_to = date - ONE_DAY
        current.save(update_fields=["valid_to"])
    UnitLink.objects.create(unit=unit, parent=parent, valid_from=date, valid_to=end, event=event)


def _children_on(unit: Unit, date: dt.date) -> list[Unit]:
    """Sub-units alive on ``date`` whose link to ``unit`` still holds on ``date``."""
    return list(Unit.objects.children_of(unit, date).order_by("pk"))


def _transfer_memberships(
    source: Unit,
    targets: Sequence[Unit],
    date: dt.date,
    note: str,
    default: int = 0,
    by_person: dict[int, int] | None = None,
) -> int:
    """Members of a closing unit continue in ``targets[...]`` from ``date`` (history kept)."""
    from giamsat.people.models import Membership

    last_day = date - ONE_DAY
    by_person = by_person or {}
    current = list(Membership.objects.filter(unit=source).valid_on(last_day))
    for m in current:
        end = m.valid_to
        m.valid_to = last_day
        m.save(update_fields=["valid_to", "updated_at"])
        target = targets[by_person.get(m.person_id, default)]
        Membership.objects.create(
            person_id=m.person_id,
            unit=target,
            kind=m.kind,
            valid_from=date,
            valid_to=end,
            note=note,
        )
    return len(current)


def _rebuild(units: Iterable[Unit]) -> None:
    try:
        rebuild_ancestry([u.pk for u in units])
    except TreeCycleError as exc:
        raise ReorgError(_("This change would put a unit under itself.")) from exc


@transaction.atomic
def establish_unit(
    *,
    spec: NewUnit,
    parent: Unit | None,
    date: dt.date,
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> Unit:
    """Create a unit under ``parent`` from ``date``."""
    event = _event(ReorgKind.ESTABLISH, date, decision, acting_user)
    unit = _create(spec, parent, date, event)
    _attach(event, [unit], ReorgRole.TARGET)
    _rebuild([unit])
    return unit


@transaction.atomic
def establish_units(
    *,
    items: Sequence[tuple[NewUnit, Unit | None, dt.date]],
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> list[Unit]:
    """Create many units (each under its parent from its date), rebuilding the closure once.

    Items are created in order, so a parent may be a unit created earlier in ``items``. Each
    unit gets its own establishment event, exactly as ``establish_unit`` would record it.
    """
    units: list[Unit] = []
    for spec, parent, date in items:
        event = _event(ReorgKind.ESTABLISH, date, decision, acting_user)
        unit = _create(spec, parent, date, event)
        _attach(event, [unit], ReorgRole.TARGET)
        units.append(unit)
    if units:
        _rebuild(units)
    return units


@transaction.atomic
def rename_unit(
    *,
    unit: Unit,
    name: str,
    date: dt.date,
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> Unit:
    """Give ``unit`` a new name from ``date``; the old name stays in its history."""
    name = " ".join(name.split())
    if not name:
        raise ReorgError(_("The new name is empty"))
    _check_alive_until(unit, date)
    _check_alive(unit, date)
    if UnitName.objects.filter(unit=unit, valid_from=date).exists():
        raise ReorgError(
            _("%(unit)s already has a name from %(date)s") % {"unit": unit, "date": _day(date)}
        )
    if unit.name_on(date) == name:
        raise ReorgError(_("%(unit)s already carries this name") % {"unit": unit})
    event = _event(ReorgKind.RENAME, date, decision, acting_user)
    UnitName.objects.filter(unit=unit).valid_on(date).update(valid_to=date - ONE_DAY)
    later = UnitName.objects.filter(unit=unit, valid_from__gt=date).order_by("valid_from").first()
    UnitName.objects.create(
        unit=unit,
        name=name,
        valid_from=date,
        valid_to=later.valid_from - ONE_DAY if later else unit.valid_to,
        event=event,
    )
    current = UnitName.objects.filter(unit=unit).valid_on(unit.reference_date()).first()
    unit.name = current.name if current else name
    unit.save(update_fields=["name", "updated_at"])
    _attach(event, [unit], ReorgRole.SUBJECT)
    return unit


@transaction.atomic
def move_unit(
    *,
    unit: Unit,
    parent: Unit,
    date: dt.date,
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> Unit:
    """Put ``unit`` (with its subtree) under ``parent`` from ``date``."""
    _check_alive(unit, date)
    _check_alive(parent, date)
    if unit.valid_from >= date:
        raise ReorgError(_("A unit can only move after the day it was established"))
    if unit.is_organ:
        raise ReorgError(_("A committee organ stays with its committee; it cannot move"))
    _check_can_hold_units(parent)
    if parent.pk == unit.pk or Unit.objects.subtree_of(unit, date).filter(pk=parent.pk).exists():
        raise ReorgError(_("%(unit)s cannot move under its own sub-unit") % {"unit": unit})
    old_parent = unit.parent_on(date)
    if old_parent is not None and old_parent.pk == parent.pk:
        raise ReorgError(
            _("%(unit)s is already under %(parent)s on %(date)s")
            % {"unit": unit, "parent": parent, "date": _day(date)}
        )
    event = _event(ReorgKind.MOVE, date, decision, acting_user)
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
    acting_user: User | None = None,
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
    if len({s.pk for s in sources}) != len(sources):
        raise ReorgError(_("A unit is listed twice among the units to merge"))
    if into is None and len(sources) < 2:
        raise ReorgError(_("A merge into a new unit needs at least two units"))
    for source in sources:
        _check_alive_until(source, date)
        if source.is_organ:
            raise ReorgError(
                _("%(unit)s is a committee organ; organs end with their committee")
                % {"unit": source}
            )
    event = _event(ReorgKind.MERGE, date, decision, acting_user)
    if into is None:
        assert new_unit is not None
        if parent is None:
            parent = sources[0].parent_on(date - ONE_DAY)
        if parent is not None and parent.pk in {s.pk for s in sources}:
            raise ReorgError(_("The new unit cannot sit under a unit that is being merged"))
        target = _create(new_unit, parent, date, event)
    else:
        target = into
        _check_alive(target, date)
        if target.pk in {s.pk for s in sources}:
            raise ReorgError(_("A unit cannot be merged into itself"))
        _check_can_hold_units(target)
        for source in sources:
            if Unit.objects.subtree_of(source, date - ONE_DAY).filter(pk=target.pk).exists():
                raise ReorgError(
                    _("%(target)s lies inside %(unit)s and cannot absorb it")
                    % {"target": target, "unit": source}
                )
    for source in sources:
        for child in _children_on(source, date):
            if child.is_organ:  # a committee's organs end with it
                _end_unit(child, date, event, _("merged"))
            else:
                _reparent(child, target, date, event)
        _transfer_memberships(source, [target], date, _("merged into %(unit)s") % {"unit": target})
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
    member_map: dict[int, int] | None = None,
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> list[Unit]:
    """Split ``source`` into new units on ``date``.

    ``children_to`` maps each current sub-unit id to the index (in ``into``) of its new parent;
    unmapped sub-units go to the first new unit. Members of a split cell continue in the unit
    at index ``members_to`` (default 0), or per person through ``member_map`` (person id →
    index); they can be moved individually afterwards.
    """
    from giamsat.people.models import Membership
    from giamsat.units.models import Lineage

    if len(into) < 2:
        raise ReorgError(_("A split needs at least two resulting units"))
    _check_alive_until(source, date)
    if source.is_organ:
        raise ReorgError(_("A committee organ cannot be split"))
    default = members_to or 0
    indexes = [default, *(children_to or {}).values(), *(member_map or {}).values()]
    if any(not 0 <= i < len(into) for i in indexes):
        raise ReorgError(
            _("Each sub-unit and member must go to one of the %(n)d new units") % {"n": len(into)}
        )
    children = _children_on(source, date)
    unknown = set(children_to or {}) - {c.pk for c in children}
    if unknown:
        raise ReorgError(
            _("Only current sub-units of %(unit)s can be assigned to a new unit") % {"unit": source}
        )
    members = set(
        Membership.objects.filter(unit=source)
        .valid_on(date - ONE_DAY)
        .values_list("person_id", flat=True)
    )
    if set(member_map or {}) - members:
        raise ReorgError(
            _("Only current members of %(unit)s can be assigned to a new unit") % {"unit": source}
        )
    event = _event(ReorgKind.SPLIT, date, decision, acting_user)
    parent = source.parent_on(date - ONE_DAY)
    targets = [_create(spec, parent, date, event) for spec in into]
    mapping = children_to or {}
    for child in children:
        if child.is_organ:
            _end_unit(child, date, event, _("split"))
            continue
        _reparent(child, targets[mapping.get(child.pk, 0)], date, event)
    _transfer_memberships(source, targets, date, _("split"), default, member_map)
    _end_unit(source, date, event, _("split"))
    for target in targets:
        Lineage.objects.create(predecessor=source, successor=target, date=date, event=event)
    _attach(event, [source], ReorgRole.SOURCE)
    _attach(event, targets, ReorgRole.TARGET)
    _rebuild([source, *targets])
    return targets


@transaction.atomic
def dissolve_unit(
    *,
    unit: Unit,
    date: dt.date,
    decision: Decision | None = None,
    acting_user: User | None = None,
) -> Unit:
    """End ``unit`` on the day before ``date``. Its sub-units and members must have moved."""
    from giamsat.people.models import Membership

    _check_alive_until(unit, date)
    alive = _children_on(unit, date)  # sub-units still under it on the day it ends
    alive_children = [c for c in alive if not c.is_organ]
    if alive_children:
        raise ReorgError(
            _("%(unit)s still has %(n)d sub-unit(s) (%(names)s): move or merge them first")
            % {
                "unit": unit,
                "n": len(alive_children),
                "names": ", ".join(str(c) for c in alive_children[:5]),
            }
        )
    members = (
        Membership.objects.filter(unit=unit)
        .valid_on(date - ONE_DAY)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date))
        .count()
    )
    if members:
        raise ReorgError(
            _("%(unit)s still has %(n)d member(s): transfer them first")
            % {"unit": unit, "n": members}
        )
    event = _event(ReorgKind.DISSOLVE, date, decision, acting_user)
    for organ in alive:  # what is left are the committee's organs: they end with it
        _end_unit(organ, date, event, _("dissolved"))
    _end_unit(unit, date, event, _("dissolved"))
    _attach(event, [unit], ReorgRole.SUBJECT)
    _rebuild([unit])
    return unit


def successors(unit: Unit, on: dt.date | None = None) -> list[Unit]:
    """What ``unit`` became: following merges and splits, the units existing on ``on``
    (default today) that it went into. Empty while the unit itself still exists."""
    from giamsat.units.models import Lineage

    day = on or today()
    if unit.is_valid_on(day):
        return []
    found: dict[int, Unit] = {}
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        edges = (
            Lineage.objects.filter(predecessor_id__in=frontier, date__lte=day)
            .select_related("successor")
            .order_by("successor__name_sort")
        )
        frontier = []
        for edge in edges:
            if edge.successor_id in seen:
                continue
            seen.add(edge.successor_id)
            if edge.successor.is_valid_on(day):
                found[edge.successor_id] = edge.successor
            else:
                frontier.append(edge.successor_id)
    return list(found.values())


def predecessors_on(unit: Unit, day: dt.date) -> list[Unit]:
    """Which units existing on ``day`` make up ``unit`` now (through merges and splits since).

    A unit that existed on ``day`` includes itself, plus whatever merged into it after ``day``.
    """
    from giamsat.units.models import Lineage

    found: dict[int, Unit] = {}
    if unit.is_valid_on(day):
        found[unit.pk] = unit
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        # Only changes after ``day`` matter: a unit that ended before it is not "of that day".
        edges = Lineage.objects.filter(successor_id__in=frontier, date__gt=day).select_related(
            "predecessor"
        )
        frontier = []
        for edge in edges:
            pred = edge.predecessor
            if pred.pk in seen:
                continue
            seen.add(pred.pk)
            if pred.is_valid_on(day):
                found[pred.pk] = pred
            else:
                frontier.append(pred.pk)
    return sorted(found.values(), key=lambda u: (u.name_sort, u.pk))
