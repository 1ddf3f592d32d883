"""Party organisations: new units are established, existing ones renamed, moved or dissolved,
always through ``giamsat.units.services`` so that the tree keeps its history.

Rows are checked statically first (codes, kinds, parents, dates, scope). The changes are then
carried out by the units services in a transaction; for the preview that transaction is rolled
back, so the preview shows exactly what the services accept (a move that would put a unit under
itself, a dissolution of a unit that still has members, ...) and nothing stays written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.core.dates import format_date
from giamsat.core.excel import Sheet
from giamsat.core.text import normalize
from giamsat.imports import columns as cols
from giamsat.imports import values
from giamsat.imports.models import RowAction
from giamsat.imports.planning.base import Context, Outcome, PlanResult, chunks, read_rows
from giamsat.units.models import OrganKind, Unit, UnitKind, UnitLink
from giamsat.units.services import (
    NewUnit,
    ReorgError,
    dissolve_unit,
    establish_unit,
    establish_units,
    move_unit,
    rename_unit,
)

ONE_DAY = dt.timedelta(days=1)
# Runs of the services before the rows they refuse are all set aside.
MAX_ATTEMPTS = 25
KIND_LABELS = "Đảng bộ trực thuộc Trung ương, Cấp trên cơ sở, Đảng bộ cơ sở, Chi bộ cơ sở, Đảng bộ bộ phận, Chi bộ, Cơ quan của cấp ủy"


class UnitRow:
    __slots__ = (
        "code",
        "depth",
        "dissolve_on",
        "existing",
        "kind",
        "move_to",
        "name",
        "organ_kind",
        "outcome",
        "parent_code",
        "rename_to",
        "valid_from",
        "valid_to",
    )

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.code: str | None = None
        self.name: str | None = None
        self.kind: str | None = None
        self.parent_code: str | None = None
        self.valid_from: dt.date | None = None
        self.valid_to: dt.date | None = None
        self.organ_kind: str | None = None
        self.existing: Unit | None = None
        self.rename_to: str | None = None
        self.move_to: str | None = None
        self.dissolve_on: dt.date | None = None
        self.depth = 0


class UnitsPlanner:
    template = cols.UNITS

    def __init__(self, ctx: Context, *, commit: bool = False) -> None:
        self.ctx = ctx
        self.commit = commit
        self.rows: list[UnitRow] = []
        self.units: dict[str, Unit] = {}
        self.parents: dict[int, str | None] = {}

    def _parse(self, number: int, raw: dict[str, Any], seen: dict[str, int]) -> UnitRow:
        r = UnitRow(Outcome(row=number))
        o = r.outcome

        def read(column: str, parse: Any) -> Any:
            try:
                return parse(raw.get(column))
            except values.CellError as exc:
                o.reject(column, str(exc))
                return None

        r.code = read("code", values.code)
        if r.code is None and raw.get("code") is None:
            o.reject("code", _("The code is missing."))
        name = read("name", values.text)
        r.name = normalize(name) if name else None
        if not r.name:
            o.reject("name", _("The name is missing."))
        r.kind = read("kind", lambda v: values.choice(v, cols.unit_kinds(), KIND_LABELS))
        if r.kind is None and raw.get("kind") is None:
            o.reject("kind", _("The kind is missing."))
        r.parent_code = read("parent_code", values.code)
        r.valid_from = read("valid_from", values.date)
        if r.valid_from is None and raw.get("valid_from") is None:
            o.reject("valid_from", _("The start date is missing."))
        r.valid_to = read("valid_to", values.date)
        if r.valid_from and r.valid_to and r.valid_to < r.valid_from:
            o.reject("valid_to", _("The end date is before the start date."))
        r.organ_kind = read(
            "organ_kind",
            lambda v: values.choice(v, cols.organ_kinds(), "Ban Thường vụ, Ủy ban Kiểm tra, …"),
        )
        if r.kind == UnitKind.ORGAN and not r.organ_kind:
            o.reject("organ_kind", _("An organ of a committee needs its organ kind."))
        if r.kind and r.kind != UnitKind.ORGAN and r.organ_kind:
            o.reject("organ_kind", _("Only an organ of a committee has an organ kind."))
        if r.code and r.parent_code == r.code:
            o.reject("parent_code", _("An organisation cannot be its own parent."))
        o.label = r.name or ""
        o.key = r.code or ""
        if r.code:
            first = seen.setdefault(r.code, number)
            if first != number:
                o.reject(
                    "code",
                    _("The code %(code)s is repeated: already in row %(row)d.")
                    % {"code": r.code, "row": first},
                )
        return r

    def _load(self) -> None:
        codes = {r.code for r in self.rows if r.code} | {
            r.parent_code for r in self.rows if r.parent_code
        }
        for chunk in chunks(codes):
            for unit in Unit.objects.filter(code__in=chunk):
                self.units[unit.code] = unit
        ids = [u.pk for u in self.units.values()]
        links: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        for chunk in chunks(ids):
            for unit_id, parent_id, start, end in UnitLink.objects.filter(
                unit_id__in=chunk
            ).values_list("unit_id", "parent_id", "valid_from", "valid_to"):
                links.setdefault(unit_id, []).append((parent_id, start, end))
        parent_ids = {p for items in links.values() for p, _s, _e in items}
        codes_by_id = {u.pk: u.code for u in self.units.values()}
        for chunk in chunks(parent_ids - set(codes_by_id)):
            codes_by_id.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "code"))
        for unit in self.units.values():
            day = unit.reference_date(self.ctx.as_of)
            current = [
                p for p, s, e in links.get(unit.pk, []) if s <= day and (e is None or e >= day)
            ]
            self.parents[unit.pk] = codes_by_id.get(current[0]) if current else None

    def _decide(self, r: UnitRow, in_file: dict[str, UnitRow]) -> None:
        o = r.outcome
        assert r.code is not None
        existing = self.units.get(r.code)
        if existing is not None:
            self._decide_existing(r, existing, in_file)
            return
        if r.parent_code:
            parent = self.units.get(r.parent_code)
            parent_row = in_file.get(r.parent_code)
            if parent is not None:
                if not self.ctx.in_scope(parent.pk):
                    o.reject("parent_code", self._unknown(r.parent_code))
                    return
                assert r.valid_from is not None
                if not parent.is_valid_on(r.valid_from):
                    o.reject(
                        "valid_from",
                        _("The parent %(code)s does not exist on %(date)s.")
                        % {"code": r.parent_code, "date": format_date(r.valid_from)},
                    )
                    return
                if (
                    parent.kind == UnitKind.ORGAN
                    and parent.organ_kind != OrganKind.EXECUTIVE_COMMITTEE
                ):
                    o.reject(
                        "parent_code",
                        _("%(parent)s is an organ and cannot hold units.") % {"parent": parent},
                    )
                    return
            elif parent_row is None:
                o.reject("parent_code", self._unknown(r.parent_code))
                return
            elif parent_row.valid_from and r.valid_from and parent_row.valid_from > r.valid_from:
                o.reject(
                    "valid_from",
                    _("The parent %(code)s (row %(row)d) only starts on %(date)s.")
                    % {
                        "code": r.parent_code,
                        "row": parent_row.outcome.row,
                        "date": format_date(parent_row.valid_from),
                    },
                )
                return
        elif not self.ctx.unrestricted:
            o.reject(
                "parent_code",
                _("Give the parent code: new organisations are created under one of yours."),
            )
            return
        if r.kind == UnitKind.ORGAN and not r.parent_code:
            o.reject("parent_code", _("A committee organ must belong to a committee."))
            return
        if r.valid_to:
            r.dissolve_on = r.valid_to + ONE_DAY
        o.action = RowAction.CREATE

    def _decide_existing(self, r: UnitRow, unit: Unit, in_file: dict[str, UnitRow]) -> None:
        o = r.outcome
        o.unit_id = unit.pk
        r.existing = unit
        if not self.ctx.in_scope(unit.pk):
            o.reject(
                "code",
                _("The code %(code)s is already used by an organisation outside yours.")
                % {"code": r.code},
            )
            return
        if r.kind and r.kind != unit.kind:
            o.reject(
                "kind",
                _("%(unit)s is registered as %(kind)s; the kind cannot change through an import.")
                % {"unit": unit, "kind": unit.get_kind_display()},
            )
            return
        if r.organ_kind and r.organ_kind != unit.organ_kind:
            o.reject("organ_kind", _("The organ kind cannot change through an import."))
            return
        if r.valid_from and r.valid_from != unit.valid_from:
            o.reject(
                "valid_from",
                _(
                    "%(unit)s is recorded from %(date)s; the start date cannot change through an import."
                )
                % {"unit": unit, "date": format_date(unit.valid_from)},
            )
            return
        if unit.valid_to:
            if (r.valid_to and r.valid_to != unit.valid_to) or (r.name and r.name != unit.name):
                o.reject(
                    "valid_to",
                    _("%(unit)s ended on %(date)s and cannot be changed.")
                    % {"unit": unit, "date": format_date(unit.valid_to)},
                )
            return
        if r.name and r.name != unit.name:
            r.rename_to = r.name
            o.change("name", unit.name, r.name)
        current_parent = self.parents.get(unit.pk)
        if r.parent_code and r.parent_code != current_parent:
            target = self.units.get(r.parent_code)
            if target is None and r.parent_code not in in_file:
                o.reject("parent_code", self._unknown(r.parent_code))
                return
            if target is not None and not self.ctx.in_scope(target.pk):
                o.reject("parent_code", self._unknown(r.parent_code))
                return
            r.move_to = r.parent_code
            o.change("parent_code", current_parent, r.parent_code)
        if r.valid_to:
            if r.rename_to or r.move_to:
                o.reject(
                    "valid_to",
                    _("An organisation cannot be renamed or moved and dissolved in one import."),
                )
                return
            r.dissolve_on = r.valid_to + ONE_DAY
            o.change("valid_to", None, r.valid_to)
        if r.rename_to or r.move_to or r.dissolve_on:
            o.action = RowAction.UPDATE

    def _unknown(self, code: str) -> str:
        return _(
            "There is no organisation with code %(code)s in your organisations or earlier in this file."
        ) % {"code": code}

    # --- carrying out ----------------------------------------------------------------------

    def _run(self, r: UnitRow, action: Any) -> Any:
        """Run one service call in a savepoint; a refusal is recorded against the row."""
        try:
            with transaction.atomic():
                return action()
        except ReorgError as exc:
            self._failures.append((r, "code", str(exc)))
            return None

    def _create_all(self, creates: list[UnitRow]) -> None:
        pending = list(creates)
        created: dict[str, Unit] = {}
        depth = 0
        while pending:
            level = [
                r
                for r in pending
                if not r.parent_code or r.parent_code in self.units or r.parent_code in created
            ]
            if not level:
                codes = ", ".join(sorted(r.code or "" for r in pending))
                for r in pending:
                    self._failures.append(
                        (
                            r,
                            "parent_code",
                            _("These organisations are each other's parents: %(codes)s.")
                            % {"codes": codes},
                        )
                    )
                return
            taken = {id(r) for r in level}
            pending = [r for r in pending if id(r) not in taken]
            items = []
            for r in level:
                assert r.code and r.name and r.kind and r.valid_from
                parent = None
                if r.parent_code:
                    parent = self.units.get(r.parent_code) or created.get(r.parent_code)
                spec = NewUnit(code=r.code, name=r.name, kind=r.kind, organ_kind=r.organ_kind or "")
                items.append((spec, parent, r.valid_from))
                r.depth = depth
            try:
                with transaction.atomic():
                    pairs = list(zip(level, establish_units(items=items), strict=True))
            except ReorgError:
                pairs = []
                for r, (spec, parent, day) in zip(level, items, strict=True):
                    unit = self._run(
                        r,
                        lambda spec=spec, parent=parent, day=day: establish_unit(
                            spec=spec, parent=parent, date=day
                        ),
                    )
                    if unit is not None:
                        pairs.append((r, unit))
            for r, unit in pairs:
                assert r.code is not None
                created[r.code] = unit
            depth += 1
        self.units.update(created)

    def _change(self, r: UnitRow) -> None:
        assert r.existing is not None
        unit = r.existing
        if r.rename_to:
            rename_unit(unit=unit, name=r.rename_to, date=self.ctx.as_of)
        if r.move_to:
            move_unit(unit=unit, parent=self.units[r.move_to], date=self.ctx.as_of)

    def _execute(self) -> None:
        self._create_all([r for r in self.rows if r.outcome.action == RowAction.CREATE])
        for r in self.rows:
            if r.outcome.action == RowAction.UPDATE and (r.rename_to or r.move_to):
                self._run(r, lambda r=r: self._change(r))
        failed = {id(r) for r, _c, _m in self._failures}
        ending = [
            r for r in self.rows if r.dissolve_on and not r.outcome.rejected and id(r) not in failed
        ]
        ending.sort(key=lambda r: (r.dissolve_on, -r.depth))
        for r in ending:
            unit = self.units.get(r.code or "")
            if unit is not None:
                unit.refresh_from_db()
                self._run(r, lambda unit=unit, r=r: dissolve_unit(unit=unit, date=r.dissolve_on))

    def _reload_units(self) -> None:
        """Fresh unit objects after a rolled-back run (the services change them in memory)."""
        codes = {r.code for r in self.rows if r.code} | {
            r.parent_code for r in self.rows if r.parent_code
        }
        self.units = {}
        for chunk in chunks(codes):
            for unit in Unit.objects.filter(code__in=chunk):
                self.units[unit.code] = unit
        for r in self.rows:
            if r.existing is not None:
                r.existing = self.units[r.existing.code]

    def _reject_orphans(self, in_file: dict[str, UnitRow]) -> None:
        """A row whose parent row is rejected cannot be created either."""
        changed = True
        while changed:
            changed = False
            for r in self.rows:
                if r.outcome.action == RowAction.CREATE and r.parent_code in in_file:
                    parent_row = in_file[r.parent_code]
                    if parent_row.outcome.rejected:
                        r.outcome.reject(
                            "parent_code",
                            _("The parent %(code)s is rejected (row %(row)d).")
                            % {"code": r.parent_code, "row": parent_row.outcome.row},
                        )
                        changed = True

    def plan(self, sheet: Sheet) -> PlanResult:
        seen: dict[str, int] = {}
        for number, raw in read_rows(sheet, self.ctx.columns, self.ctx):
            self.rows.append(self._parse(number, raw, seen))
        self._load()
        in_file = {r.code: r for r in self.rows if r.code and not r.outcome.rejected}
        for r in self.rows:
            if not r.outcome.rejected:
                self._decide(r, in_file)
        self._reject_orphans(in_file)
        # Carry the changes out through the services. A row the services refuse is rejected and
        # the whole run is repeated without it, so that no part of a rejected row stays.
        for attempt in range(MAX_ATTEMPTS):
            self._failures: list[tuple[UnitRow, str, str]] = []
            if attempt:
                self._reload_units()
            with transaction.atomic():
                self._execute()
                if self._failures or not self.commit:
                    transaction.set_rollback(True)
            if not self._failures:
                break
            for r, column, message in self._failures:
                if not r.outcome.rejected:
                    r.outcome.changes = None
                    r.outcome.reject(column, message)
            self._reject_orphans(in_file)
        else:
            raise RuntimeError("the organisations could not be planned")
        return PlanResult([r.outcome for r in self.rows])

    def apply(self, result: PlanResult) -> None:
        """Nothing left to do: with ``commit=True`` ``plan`` carried out the changes."""
        if not self.commit:
            raise RuntimeError("a preview planner cannot apply")
