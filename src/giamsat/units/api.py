"""API of the party tree over time: units list, detail, children and subtree on any date.

Scoped exactly like the pages (``Cap.VIEW_UNITS``); a unit outside the caller's scope is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, scope_q
from giamsat.core.dates import parse_date, today
from giamsat.core.pagination import MAX_PAGE
from giamsat.units.models import Lineage, Unit, UnitKind, UnitLink
from giamsat.units.queries import tree_order, visible_children

router = Router(tags=["units"])

MAX_PAGE_SIZE = 500


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page (max 500).")


class DateParams(Schema):
    as_of: str | None = Field(
        None,
        description="The day to read the tree on: dd/mm/yyyy or yyyy-mm-dd. Default: today.",
        examples=["01/01/2024"],
    )


def parse_as_of(value: str | None, default: dt.date | None = None) -> dt.date:
    """The ``as_of`` query value as a date; 422 with the accepted forms when it is not one."""
    if not value:
        return default or today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None


def paginate(queryset: QuerySet | list, params: PageParams) -> dict[str, Any]:
    """Slice one page and count the whole (two queries for a queryset)."""
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "items": list(queryset[start : start + params.page_size]),
    }


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str = Field(description="The name the unit carried on the requested day.")
    current_name: str = Field(description="The unit's name today (or on its last day).")
    kind: str = Field(description="Kind of unit (UnitKind), e.g. cell, grassroots_org, organ.")
    organ_kind: str = Field(description="For a committee organ: which organ; else empty.")
    level: int | None = Field(description="0 central … 4 cell; null for organs.")
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Last day of the unit; null while it exists.")
    issuer_code: str = Field(description="Issuer abbreviation in document symbols, e.g. ĐU.")
    parent_id: int | None = Field(
        description="Parent on the requested day, when the caller may see it."
    )


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    as_of: dt.date
    items: list[UnitOut]


class NameOut(Schema):
    name: str
    valid_from: dt.date
    valid_to: dt.date | None


class LineageOut(Schema):
    date: dt.date
    unit: UnitRef


class UnitDetail(UnitOut):
    as_of: dt.date
    ancestors: list[UnitRef] = Field(description="Visible ancestors on the day, root first.")
    names: list[NameOut]
    became: list[LineageOut] = Field(description="Units this one merged or split into.")
    came_from: list[LineageOut] = Field(description="Units that merged or split into this one.")


def _with_day_data(queryset: QuerySet[Unit], day: dt.date) -> QuerySet[Unit]:
    return queryset.prefetch_related(
        "names",
        Prefetch("parent_links", queryset=UnitLink.objects.valid_on(day), to_attr="links_on_day"),
    )


def _visible_ids(user, ids) -> set[int]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    return set(
        Unit.objects.filter(scope_q(user, Cap.VIEW_UNITS), pk__in=ids).values_list("pk", flat=True)
    )


def _unit_out(unit: Unit, day: dt.date, visible: set[int]) -> dict[str, Any]:
    links = getattr(unit, "links_on_day", None)
    if links is None:
        links = list(unit.parent_links.valid_on(day))
    parent_id = links[0].parent_id if links else None
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name_on(day),
        "current_name": unit.name,
        "kind": unit.kind,
        "organ_kind": unit.organ_kind,
        "level": int(unit.level) if unit.level is not None else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "issuer_code": unit.issuer_code,
        "parent_id": parent_id if parent_id in visible else None,
    }


def _page_out(request, queryset: QuerySet[Unit], day: dt.date, params: PageParams) -> dict:
    page = paginate(_with_day_data(queryset, day), params)
    parents = [u.links_on_day[0].parent_id for u in page["items"] if u.links_on_day]
    visible = _visible_ids(request.user, parents)
    page["items"] = [_unit_out(u, day, visible) for u in page["items"]]
    page["as_of"] = day
    return page


def _unit_for(request, unit_id: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, Cap.VIEW_UNITS, "pk", pk=unit_id)


@router.get("/", response=UnitPage, summary="Units existing on a day, in the caller's scope")
def list_units(
    request,
    dates: Query[DateParams],
    pages: Query[PageParams],
    q: str = Query("", description="Name (diacritics optional) or exact code.", max_length=100),
    kind: str = Query("", description="Only units of this kind (UnitKind value)."),
):
    day = parse_as_of(dates.as_of)
    units = Unit.objects.filter(scope_q(request.user, Cap.VIEW_UNITS)).valid_on(day)
    if q.strip():
        units = units.search(q)
    if kind:
        if kind not in UnitKind.values:
            raise HttpError(422, f"unknown kind '{kind}' (one of: {', '.join(UnitKind.values)})")
        units = units.filter(kind=kind)
    return _page_out(request, tree_order(units), day, pages)


@router.get("/{unit_id}", response=UnitDetail, summary="One unit on a day (404 out of scope)")
def get_unit(request, unit_id: int, dates: Query[DateParams]):
    unit = _unit_for(request, unit_id)
    day = parse_as_of(dates.as_of, unit.reference_date())
    ancestors = unit.ancestors_on(day)
    became = list(Lineage.objects.filter(predecessor=unit).select_related("successor"))
    came_from = list(Lineage.objects.filter(successor=unit).select_related("predecessor"))
    links = list(unit.parent_links.valid_on(day))
    visible = _visible_ids(
        request.user,
        [a.pk for a in ancestors]
        + [e.successor_id for e in became]
        + [e.predecessor_id for e in came_from]
        + [lk.parent_id for lk in links],
    )
    unit.links_on_day = links  # type: ignore[attr-defined]  # read by _unit_out

    def ref(u: Unit) -> dict[str, Any]:
        return {"id": u.pk, "code": u.code, "name": u.name}

    return {
        **_unit_out(unit, day, visible),
        "as_of": day,
        "ancestors": [ref(a) for a in ancestors if a.pk in visible],
        "names": list(unit.names.all()),
        "became": [
            {"date": e.date, "unit": ref(e.successor)} for e in became if e.successor_id in visible
        ],
        "came_from": [
            {"date": e.date, "unit": ref(e.predecessor)}
            for e in came_from
            if e.predecessor_id in visible
        ],
    }


@router.get(
    "/{unit_id}/children", response=UnitPage, summary="Visible sub-units of a unit on a day"
)
def unit_children(request, unit_id: int, dates: Query[DateParams], pages: Query[PageParams]):
    unit = _unit_for(request, unit_id)
    day = parse_as_of(dates.as_of, unit.reference_date())
    return _page_out(request, visible_children(request.user, unit, day), day, pages)


@router.get(
    "/{unit_id}/subtree",
    response=UnitPage,
    summary="The unit and every visible unit under it on a day (one indexed query)",
)
def unit_subtree(request, unit_id: int, dates: Query[DateParams], pages: Query[PageParams]):
    unit = _unit_for(request, unit_id)
    day = parse_as_of(dates.as_of, unit.reference_date())
    units = Unit.objects.subtree_of(unit, day).filter(scope_q(request.user, Cap.VIEW_UNITS))
    return _page_out(request, tree_order(units), day, pages)


__all__ = ["PageParams", "paginate", "parse_as_of", "router"]
