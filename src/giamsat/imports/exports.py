"""Blank templates and exports, in the same layout as the imports read them.

Every workbook has the data sheet first (the one an import reads), an example sheet and a
"Hướng dẫn" sheet that documents each column in Vietnamese. Exports cover the organisations in
the user's import scope under the chosen organisation, so export → import changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Min, Q
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.core.dates import format_date
from giamsat.core.excel import SheetSpec, write_xlsx
from giamsat.imports.columns import TEMPLATES, Template
from giamsat.imports.display import display_value
from giamsat.imports.models import ImportKind
from giamsat.people.models import Membership, Post
from giamsat.units.models import ReorgEvent, ReorgKind, ReorgRole, Unit, UnitLink, UnitName

GUIDE_WIDTHS = (30, 10, 80, 24)


def _guide(template: Template) -> SheetSpec:
    rows: list[list[Any]] = [
        [_("How to fill in this file"), "", "", ""],
        ["", "", str(_("Fill in the first sheet, one row per record, from row 2."))],
        ["", "", str(_("Columns marked (*) are required. Keep the header row as it is."))],
        ["", "", str(_("Save as .xlsx, or as CSV (UTF-8). Old TCVN3/VNI fonts are refused."))],
    ]
    rows += [["", "", str(note)] for note in template.notes]
    rows.append(["", "", ""])
    rows.append([_("Column"), _("Required"), _("Meaning and how to write it"), _("Example")])
    for column in template.columns:
        rows.append(
            [
                column.header(),
                _("yes") if column.required else "",
                str(column.help),
                column.example,
            ]
        )
    return SheetSpec(str(_("Instructions")), [], rows, widths=GUIDE_WIDTHS, wrap=True)


def _data_sheet(template: Template, rows: Any, title: str | None = None) -> SheetSpec:
    return SheetSpec(
        title or str(template.sheet),
        [c.header() for c in template.columns],
        rows,
        widths=[c.width for c in template.columns],
    )


def template_workbook(kind: str) -> bytes:
    """A blank template: the empty data sheet, an example, and the instructions."""
    template = TEMPLATES[ImportKind(kind)]
    example = [[c.example or None for c in template.columns]]
    data = write_xlsx(
        [
            _data_sheet(template, []),
            _data_sheet(template, example, str(_("Example"))),
            _guide(template),
        ]
    )
    assert data is not None
    return data


def export_workbook(kind: str, *, user: Any, unit: Unit, as_of: dt.date) -> tuple[bytes, int]:
    """The records under ``unit`` in the user's scope, as a filled template; (bytes, rows)."""
    template = TEMPLATES[ImportKind(kind)]
    counter = _Counter(EXPORTERS[kind](user, unit, as_of))
    data = write_xlsx([_data_sheet(template, counter), _guide(template)])
    assert data is not None
    return data, counter.count


class _Counter:
    def __init__(self, rows: Iterator[list[Any]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[list[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _units_under(user: Any, unit: Unit) -> Any:
    """Units that were ever in ``unit``'s subtree and are in the user's import scope."""
    return (
        Unit.objects.filter(ancestry_up__ancestor=unit)
        .filter(scope_q(user, Cap.IMPORT_DATA))
        .distinct()
    )


def _members(user: Any, unit: Unit, as_of: dt.date) -> Iterator[list[Any]]:
    cells = _units_under(user, unit).values("pk")
    memberships = (
        Membership.objects.valid_on(as_of)
        .filter(unit__in=cells)
        .select_related("person", "unit")
        .order_by("unit__code", "person__name_sort", "person_id", "kind")
    )
    for m in memberships.iterator(chunk_size=2000):
        p = m.person
        yield [
            p.full_name,
            p.birth_date,
            display_value("gender", p.gender),
            p.party_card_number,
            p.identity_number,
            p.joined_on,
            p.official_on,
            display_value("status", p.status),
            m.unit.code,
            m.unit.name,
            display_value("membership_kind", m.kind),
            m.valid_from,
        ]


def _units(user: Any, unit: Unit, as_of: dt.date) -> Iterator[list[Any]]:
    units = list(
        _units_under(user, unit)
        .annotate(depth=Min("ancestry_up__depth", filter=Q(ancestry_up__ancestor=unit)))
        .order_by("depth", "name_sort", "pk")
    )
    ids = [u.pk for u in units]
    links: dict[int, list[UnitLink]] = {}
    for link in UnitLink.objects.filter(unit_id__in=ids).select_related("parent"):
        links.setdefault(link.unit_id, []).append(link)
    if not any(u.pk == unit.pk for u in units):
        return
    for u in units:
        day = u.reference_date(as_of)
        parent = next((link.parent for link in links.get(u.pk, []) if link.is_valid_on(day)), None)
        yield [
            u.code,
            u.name,
            display_value("kind", u.kind),
            parent.code if parent else None,
            parent.name if parent else None,
            u.valid_from,
            u.valid_to,
            display_value("organ_kind", u.organ_kind),
        ]


def _posts(user: Any, unit: Unit, as_of: dt.date) -> Iterator[list[Any]]:
    posts = (
        Post.objects.filter(unit__in=_units_under(user, unit).values("pk"))
        .select_related("person", "unit")
        .order_by("unit__code", "valid_from", "person__name_sort", "pk")
    )
    for post in posts.iterator(chunk_size=2000):
        p = post.person
        yield [
            p.party_card_number,
            p.identity_number,
            p.full_name,
            p.birth_date,
            post.unit.code,
            post.unit.name,
            display_value("post", post.kind),
            post.title,
            display_value("is_head", post.is_head),
            post.valid_from,
            post.valid_to,
        ]


def _events(user: Any, unit: Unit, as_of: dt.date) -> Iterator[list[Any]]:
    ids = _units_under(user, unit).values("pk")
    events = (
        ReorgEvent.objects.filter(event_units__unit__in=ids)
        .distinct()
        .prefetch_related("event_units__unit")
        .order_by("date", "pk")
    )
    for event in events:
        roles: dict[str, list[Unit]] = {}
        for eu in sorted(event.event_units.all(), key=lambda eu: eu.unit.code):
            roles.setdefault(eu.role, []).append(eu.unit)
        subjects = roles.get(ReorgRole.SUBJECT, [])
        sources = roles.get(ReorgRole.SOURCE, [])
        targets = roles.get(ReorgRole.TARGET, [])
        row: dict[str, Any] = {
            "event": display_value("event", event.kind),
            "date": event.date,
            "decision_symbol": event.decision_symbol or None,
            "decision_date": event.decision_date,
            "note": event.note or None,
        }
        if event.kind == ReorgKind.ESTABLISH and targets:
            new = targets[0]
            parent = new.parent_on(event.date)
            row |= _new_units(event, [new]) | {"parent_code": parent.code if parent else None}
        elif event.kind == ReorgKind.RENAME and subjects:
            name = UnitName.objects.filter(unit=subjects[0], event=event).first()
            row |= {"units": subjects[0].code, "new_name": name.name if name else subjects[0].name}
        elif event.kind == ReorgKind.MOVE and subjects:
            row |= {"units": "; ".join(u.code for u in subjects)}
            row |= {"parent_code": targets[0].code if targets else None}
        elif event.kind == ReorgKind.MERGE and targets:
            target = targets[0]
            row["units"] = "; ".join(u.code for u in sources)
            if target.valid_from == event.date:
                parent = target.parent_on(event.date)
                row |= _new_units(event, [target]) | {
                    "parent_code": parent.code if parent else None
                }
            else:
                row["target_code"] = target.code
        elif event.kind == ReorgKind.SPLIT:
            row["units"] = "; ".join(u.code for u in sources)
            row |= _new_units(event, targets)
        elif event.kind == ReorgKind.DISSOLVE:
            row["units"] = "; ".join(u.code for u in subjects)
        yield [row.get(c.name) for c in TEMPLATES[ImportKind.EVENTS].columns]


def _new_units(event: ReorgEvent, units: list[Unit]) -> dict[str, Any]:
    names = []
    for u in units:
        entry = UnitName.objects.filter(unit=u, valid_from=event.date).first()
        names.append(entry.name if entry else u.name)
    kinds = [display_value("kind", u.kind) for u in units]
    return {
        "new_code": "; ".join(u.code for u in units),
        "new_name": "; ".join(names),
        "new_kind": kinds[0] if len(set(kinds)) == 1 else "; ".join(kinds),
    }


EXPORTERS = {
    ImportKind.MEMBERS: _members,
    ImportKind.UNITS: _units,
    ImportKind.POSTS: _posts,
    ImportKind.EVENTS: _events,
}


def export_filename(kind: str, unit: Unit, as_of: dt.date) -> str:
    return f"giamsat-{kind}-{unit.code}-{format_date(as_of).replace('/', '')}.xlsx"
