"""Reorganisation events (establish, rename, move, merge, split, dissolve), applied in date order
through ``giamsat.units.services``. Each row runs in its own savepoint: a row the services refuse
is rejected with their reason and leaves nothing behind. For the preview the whole run is rolled
back. An event already recorded (same kind, date and organisations) is left unchanged, so an
exported history imports as "no changes"."""

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
from giamsat.imports.planning.base import Context, Outcome, PlanResult, read_rows
from giamsat.imports.planning.units import KIND_LABELS
from giamsat.units.models import Lineage, ReorgKind, Unit, UnitLink, UnitName
from giamsat.units.services import (
    Decision,
    NewUnit,
    ReorgError,
    dissolve_unit,
    establish_unit,
    merge_units,
    move_unit,
    rename_unit,
    split_unit,
)

ONE_DAY = dt.timedelta(days=1)
EVENT_LABELS = "Thành lập, Đổi tên, Điều chuyển, Sáp nhập, Hợp nhất, Chia tách, Giải thể"


class EventRow:
    __slots__ = (
        "date",
        "decision",
        "event",
        "new_codes",
        "new_kinds",
        "new_names",
        "outcome",
        "parent_code",
        "target_code",
        "units",
    )

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.event: str | None = None
        self.date: dt.date | None = None
        self.units: list[str] = []
        self.target_code: str | None = None
        self.new_codes: list[str] = []
        self.new_names: list[str] = []
        self.new_kinds: list[str] = []
        self.parent_code: str | None = None
        self.decision = Decision()


class _RefusedError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class EventsPlanner:
    template = cols.EVENTS

    def __init__(self, ctx: Context, *, commit: bool = False) -> None:
        self.ctx = ctx
        self.commit = commit
        self.rows: list[EventRow] = []
        self.created: set[int] = set()

    # --- reading ---------------------------------------------------------------------------

    def _parse(self, number: int, raw: dict[str, Any]) -> EventRow:
        r = EventRow(Outcome(row=number))
        o = r.outcome

        def read(column: str, parse: Any) -> Any:
            try:
                return parse(raw.get(column))
            except values.CellError as exc:
                o.reject(column, str(exc))
                return None

        r.event = read("event", lambda v: values.choice(v, cols.event_kinds(), EVENT_LABELS))
        if r.event is None and raw.get("event") is None:
            o.reject("event", _("The event is missing."))
        r.date = read("date", values.date)
        if r.date is None and raw.get("date") is None:
            o.reject("date", _("The effective date is missing."))
        r.units = read("units", values.codes) or []
        r.target_code = read("target_code", values.code)
        r.new_codes = read("new_code", values.codes) or []
        names = read("new_name", values.text) or ""
        r.new_names = [normalize(n) for n in names.split(";") if n.strip()]
        kinds = read("new_kind", values.text) or ""
        for part in [k for k in kinds.split(";") if k.strip()]:
            kind = read(
                "new_kind", lambda v, part=part: values.choice(part, cols.unit_kinds(), KIND_LABELS)
            )
            if kind:
                r.new_kinds.append(kind)
        r.parent_code = read("parent_code", values.code)
        symbol = read("decision_symbol", values.text) or ""
        decided = read("decision_date", values.date)
        note = read("note", values.text) or ""
        r.decision = Decision(symbol=symbol[:60], date=decided, note=note)
        if not o.rejected:
            self._require(r)
        what = "; ".join(r.units or r.new_codes)
        label = ReorgKind(r.event).label if r.event else ""
        o.label = f"{label} {format_date(r.date)}: {what}".strip()
        o.key = what[:80]
        return r

    def _require(self, r: EventRow) -> None:
        o = r.outcome
        kind = r.event
        if kind == ReorgKind.ESTABLISH:
            if len(r.new_codes) != 1 or len(r.new_names) != 1 or len(r.new_kinds) != 1:
                o.reject(
                    "new_code",
                    _("An establishment needs one new code, one new name and one new kind."),
                )
        elif kind == ReorgKind.RENAME:
            if len(r.units) != 1 or len(r.new_names) != 1:
                o.reject("new_name", _("A rename needs one organisation and its new name."))
        elif kind == ReorgKind.MOVE:
            if not r.units or not r.parent_code:
                o.reject(
                    "parent_code", _("A move needs the organisations and the new parent code.")
                )
        elif kind == ReorgKind.MERGE:
            if not r.units:
                o.reject("units", _("A merge needs the organisations that merge."))
            elif bool(r.target_code) == bool(r.new_codes):
                o.reject(
                    "target_code",
                    _(
                        "A merge goes either into an existing organisation (its code) or into a new one (new code, name and kind)."
                    ),
                )
            elif r.new_codes and (
                len(r.new_codes) != 1 or len(r.new_names) != 1 or len(r.new_kinds) != 1
            ):
                o.reject(
                    "new_code",
                    _("A merge into a new organisation needs one new code, name and kind."),
                )
        elif kind == ReorgKind.SPLIT:
            if len(r.units) != 1:
                o.reject("units", _("A split needs exactly one organisation."))
            elif len(r.new_codes) < 2 or len(r.new_names) != len(r.new_codes):
                o.reject(
                    "new_code", _("A split needs at least two new codes, with as many new names.")
                )
            elif len(r.new_kinds) not in (1, len(r.new_codes)):
                o.reject(
                    "new_kind",
                    _("Give one kind for all the new organisations, or one per new code."),
                )
        elif kind == ReorgKind.DISSOLVE and not r.units:
            o.reject("units", _("A dissolution needs the organisations to dissolve."))

    # --- carrying out --------------------------------------------------------------------------

    def _unit(self, code: str, column: str) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not (unit.pk in self.created or self.ctx.in_scope(unit.pk)):
            raise _RefusedError(
                column,
                _("There is no organisation with code %(code)s in your organisations.")
                % {"code": code},
            )
        return unit

    def _specs(self, r: EventRow) -> list[NewUnit]:
        kinds = r.new_kinds * len(r.new_codes) if len(r.new_kinds) == 1 else r.new_kinds
        return [
            NewUnit(code=code, name=name, kind=kind)
            for code, name, kind in zip(r.new_codes, r.new_names, kinds, strict=True)
        ]

    def _recorded(self, r: EventRow) -> bool:
        """Whether this event is already in the database (then it is left unchanged)."""
        day = r.date
        assert day is not None
        units = {
            u.code: u
            for u in Unit.objects.filter(
                code__in=[*r.units, *r.new_codes, r.target_code or "", r.parent_code or ""]
            )
        }
        if r.event == ReorgKind.ESTABLISH:
            unit = units.get(r.new_codes[0])
            if unit is None:
                return False
            parent = unit.parent_on(day)
            if unit.valid_from == day and (parent.code if parent else None) == r.parent_code:
                return True
            raise _RefusedError(
                "new_code", _("The code %(code)s is already used.") % {"code": r.new_codes[0]}
            )
        if r.event == ReorgKind.RENAME:
            unit = units.get(r.units[0])
            return (
                unit is not None
                and UnitName.objects.filter(unit=unit, name=r.new_names[0], valid_from=day).exists()
            )
        if r.event == ReorgKind.MOVE:
            parent = units.get(r.parent_code or "")
            return parent is not None and all(
                code in units
                and UnitLink.objects.filter(
                    unit=units[code], parent=parent, valid_from=day
                ).exists()
                for code in r.units
            )
        if r.event in (ReorgKind.MERGE, ReorgKind.SPLIT):
            targets = [r.target_code] if r.target_code else r.new_codes
            if not all(code in units for code in [*r.units, *targets]):
                return False
            return all(
                Lineage.objects.filter(predecessor=units[s], successor=units[t], date=day).exists()
                for s in r.units
                for t in targets
            )
        if r.event == ReorgKind.DISSOLVE:
            return all(code in units and units[code].valid_to == day - ONE_DAY for code in r.units)
        return False

    def _carry_out(self, r: EventRow) -> str:
        day = r.date
        assert day is not None and r.event is not None
        if self._recorded(r):
            return RowAction.UNCHANGED
        decision = r.decision
        if r.event == ReorgKind.ESTABLISH:
            parent = self._unit(r.parent_code, "parent_code") if r.parent_code else None
            if parent is None and not self.ctx.unrestricted:
                raise _RefusedError(
                    "parent_code",
                    _("Give the parent code: new organisations are created under one of yours."),
                )
            unit = establish_unit(
                spec=self._specs(r)[0], parent=parent, date=day, decision=decision
            )
            self.created.add(unit.pk)
            return RowAction.CREATE
        if r.event == ReorgKind.RENAME:
            rename_unit(
                unit=self._unit(r.units[0], "units"),
                name=r.new_names[0],
                date=day,
                decision=decision,
            )
            return RowAction.UPDATE
        if r.event == ReorgKind.MOVE:
            assert r.parent_code
            parent = self._unit(r.parent_code, "parent_code")
            for code in r.units:
                move_unit(
                    unit=self._unit(code, "units"), parent=parent, date=day, decision=decision
                )
            return RowAction.UPDATE
        if r.event == ReorgKind.MERGE:
            sources = [self._unit(code, "units") for code in r.units]
            if r.target_code:
                merge_units(
                    sources=sources,
                    into=self._unit(r.target_code, "target_code"),
                    date=day,
                    decision=decision,
                )
                return RowAction.UPDATE
            parent = self._unit(r.parent_code, "parent_code") if r.parent_code else None
            target = merge_units(
                sources=sources,
                new_unit=self._specs(r)[0],
                parent=parent,
                date=day,
                decision=decision,
            )
            self.created.add(target.pk)
            return RowAction.CREATE
        if r.event == ReorgKind.SPLIT:
            targets = split_unit(
                source=self._unit(r.units[0], "units"),
                into=self._specs(r),
                date=day,
                decision=decision,
            )
            self.created.update(t.pk for t in targets)
            return RowAction.CREATE
        for code in r.units:
            dissolve_unit(unit=self._unit(code, "units"), date=day, decision=decision)
        return RowAction.UPDATE

    def plan(self, sheet: Sheet) -> PlanResult:
        for number, raw in read_rows(sheet, self.ctx.columns, self.ctx):
            self.rows.append(self._parse(number, raw))
        ordered = sorted(
            (r for r in self.rows if not r.outcome.rejected),
            key=lambda r: (r.date or dt.date.min, r.outcome.row),
        )
        with transaction.atomic():
            for r in ordered:
                try:
                    with transaction.atomic():
                        r.outcome.action = self._carry_out(r)
                except _RefusedError as exc:
                    r.outcome.reject(exc.column, exc.message)
                except ReorgError as exc:
                    r.outcome.reject("units", str(exc))
            if not self.commit:
                transaction.set_rollback(True)
        return PlanResult([r.outcome for r in self.rows])

    def apply(self, result: PlanResult) -> None:
        """Nothing left to do: with ``commit=True`` ``plan`` carried out the events."""
        if not self.commit:
            raise RuntimeError("a preview planner cannot apply")
