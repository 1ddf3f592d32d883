"""API of the directive registry: list and search (by symbol in any accepted spelling, aliases
included, or by words without diacritics) and detail with the cascade both ways. Scoped like
the pages (``Cap.VIEW_DIRECTIVES``); a directive outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema

from giamsat.directives.models import Directive
from giamsat.directives.scoping import directives_in_scope
from giamsat.directives.views import cascade_down, filtered_directives
from giamsat.units.api import PageParams, paginate

router = Router(tags=["directives"])


class DirectiveRef(Schema):
    id: int
    symbol: str = Field(description="Number and symbol as in HD 36-HD/VPTW, e.g. 03-KH/TW.")
    issued_on: dt.date
    label: str = Field(description="Type name and symbol, e.g. 'Kế hoạch 03-KH/TW'.")


class DirectiveOut(DirectiveRef):
    doc_type: str
    number: int
    issuer_code: str
    title: str
    status: str = Field(description="in_force, replaced or expired.")
    issuing_unit_id: int | None
    issuing_body_name: str
    implements_id: int | None
    replaced_by_id: int | None


class DirectivePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DirectiveOut]


class AliasOut(Schema):
    text: str = Field(description="As written where it was cited, e.g. '03 -KL/TƯ'.")
    symbol: str = Field(description="The alias parsed and written canonically, if it parses.")
    note: str


class CascadeItem(Schema):
    depth: int = Field(description="1 for documents implementing this one directly.")
    directive: DirectiveRef


class DirectiveDetail(DirectiveOut):
    summary: str
    signer: str
    replaced_on: dt.date | None
    source_note: str
    aliases: list[AliasOut]
    cascade_up: list[DirectiveRef] = Field(
        description="Documents this one implements, nearest first."
    )
    cascade_down: list[CascadeItem] = Field(description="Implementing documents, in reading order.")
    replaces: list[DirectiveRef]


def _ref(d: Directive) -> dict:
    return {"id": d.pk, "symbol": d.symbol, "issued_on": d.issued_on, "label": d.label}


def _out(d: Directive, visible: set[int]) -> dict:
    """The directive; links to documents the caller may not see are left out."""
    return {
        **_ref(d),
        "doc_type": d.doc_type,
        "number": d.number,
        "issuer_code": d.issuer_code,
        "title": d.title,
        "status": d.status,
        "issuing_unit_id": d.issuing_unit_id,
        "issuing_body_name": d.issuing_body_name,
        "implements_id": d.implements_id if d.implements_id in visible else None,
        "replaced_by_id": d.replaced_by_id if d.replaced_by_id in visible else None,
    }


@router.get("/", response=DirectivePage, summary="Directives in scope (search and filters)")
def list_directives(
    request,
    pages: Query[PageParams],
    q: str = Query(
        "",
        description="A symbol in any accepted spelling (03-KH/TW, Số 03 -KL/TƯ) or words.",
        max_length=100,
    ),
    doc_type: str = Query("", description="Type code, e.g. KH, QĐ, QĐi."),
    status: str = Query("", description="in_force, replaced or expired."),
    year: int | None = Query(None, description="Year of issue."),
):
    items, _filters = filtered_directives(
        request.user, {"q": q, "doc_type": doc_type, "status": status, "year": year or ""}
    )
    page = paginate(items, pages)
    linked = {d.implements_id for d in page["items"]} | {d.replaced_by_id for d in page["items"]}
    visible = set(
        directives_in_scope(request.user)
        .filter(pk__in=[pk for pk in linked if pk])
        .values_list("pk", flat=True)
    )
    page["items"] = [_out(d, visible) for d in page["items"]]
    return page


@router.get("/{directive_id}", response=DirectiveDetail, summary="One directive (404 out of scope)")
def get_directive(request, directive_id: int):
    visible = directives_in_scope(request.user)
    directive = visible.filter(pk=directive_id).first()
    if directive is None:
        raise Http404
    chain = directive.cascade_up()
    shown = set(visible.filter(pk__in=[d.pk for d in chain]).values_list("pk", flat=True))
    linked = set(
        visible.filter(
            pk__in=[pk for pk in (directive.implements_id, directive.replaced_by_id) if pk]
        ).values_list("pk", flat=True)
    )
    return {
        **_out(directive, linked),
        "summary": directive.summary,
        "signer": directive.signer,
        "replaced_on": directive.replaced_on,
        "source_note": directive.source_note,
        "aliases": list(directive.aliases.all()),
        "cascade_up": [_ref(d) for d in chain if d.pk in shown],
        "cascade_down": [
            {"depth": depth, "directive": _ref(d)} for depth, d in cascade_down(directive, visible)
        ],
        "replaces": [_ref(d) for d in visible.filter(replaced_by=directive).order_by("issued_on")],
    }
