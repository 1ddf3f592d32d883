"""What a figures page is asked for: a unit in the user's scope, a period, directives.

Shared by the indicator pages, the study pages and the API: the unit is an id (404 when out
of scope), the period ``from``/``to`` in dd/mm/yyyy or ISO form (default: this year up to
today), the directives as repeated ``directive`` ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, role_units, scope_q
from giamsat.core.dates import parse_date, today
from giamsat.indicators.registry import IndicatorQuery
from giamsat.units.models import Unit


@dataclass
class Selection:
    unit: Unit | None
    start: dt.date
    end: dt.date
    directive_ids: frozenset[int] = frozenset()
    errors: list[str] = field(default_factory=list)

    def query(self, unit: Unit | None = None) -> IndicatorQuery:
        target = unit or self.unit
        assert target is not None
        return IndicatorQuery(target, self.start, self.end, self.directive_ids)

    def params(self, unit: Unit | None = None, **extra) -> str:
        """The query string that selects the same figures (for links)."""
        target = unit or self.unit
        pairs: list[tuple[str, str]] = []
        if target is not None:
            pairs.append(("unit", str(target.pk)))
        pairs += [("from", f"{self.start:%d/%m/%Y}"), ("to", f"{self.end:%d/%m/%Y}")]
        pairs += [("directive", str(d)) for d in sorted(self.directive_ids)]
        pairs += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
        return urlencode(pairs)


def default_unit(user, capability: Cap | str = Cap.VIEW_INDICATORS) -> Unit | None:
    """The highest unit at which the user holds ``capability`` (a root for administrators)."""
    if is_unrestricted(user):
        return Unit.objects.roots().order_by("pk").first()
    units = [u for u in role_units(user, capability) if not u.is_organ]
    units = units or role_units(user, capability)
    if not units:
        return None
    return min(units, key=lambda u: (u.level if u.level is not None else 9, u.pk))


def unit_in_scope_or_404(user, unit_id, capability: Cap | str = Cap.VIEW_INDICATORS) -> Unit:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = Unit.objects.filter(scope_q(user, capability), pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def parse_period(raw_from: str, raw_to: str, errors: list[str]) -> tuple[dt.date, dt.date]:
    now = today()
    start, end = dt.date(now.year, 1, 1), now
    if raw_from.strip():
        try:
            start = parse_date(raw_from)
        except ValueError:
            errors.append(_("'From' is not a date: write dd/mm/yyyy."))
    if raw_to.strip():
        try:
            end = parse_date(raw_to)
        except ValueError:
            errors.append(_("'To' is not a date: write dd/mm/yyyy."))
    if start > end:
        errors.append(_("The period starts after it ends; the dates were swapped."))
        start, end = end, start
    return start, end


def selection_from(
    request, capability: Cap | str = Cap.VIEW_INDICATORS, *, require_unit: bool = True
) -> Selection:
    errors: list[str] = []
    start, end = parse_period(request.GET.get("from", ""), request.GET.get("to", ""), errors)
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        unit: Unit | None = unit_in_scope_or_404(request.user, raw_unit, capability)
    else:
        unit = default_unit(request.user, capability) if require_unit else None
    directive_ids: set[int] = set()
    for raw in request.GET.getlist("directive"):
        if raw.strip().isdigit():
            directive_ids.add(int(raw))
    return Selection(unit, start, end, frozenset(directive_ids), errors)
