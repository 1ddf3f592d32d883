"""What a planner produces: one ``Outcome`` per row, members missing from a roster, notices,
and a digest that identifies the plan (so confirmation writes exactly what was previewed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, scope_q
from giamsat.core.excel import Sheet
from giamsat.imports.models import RowAction
from giamsat.units.models import Unit

# Keys per IN (...) query: below SQLite's and PostgreSQL's parameter limits, large enough that
# a 200,000-row file needs a few hundred queries in all.
CHUNK = 900

Progress = Callable[[str, int, int | None], None]


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class Outcome:
    row: int
    action: str = RowAction.UNCHANGED
    label: str = ""
    key: str = ""
    changes: list[Change] | None = None
    errors: list[tuple[str, str]] | None = None
    warnings: list[tuple[str, str]] | None = None
    person_id: int | None = None
    unit_id: int | None = None

    @property
    def rejected(self) -> bool:
        return self.action == RowAction.REJECT

    def reject(self, column: str, message: str) -> None:
        if self.errors is None:
            self.errors = []
        self.errors.append((column, message))
        self.action = RowAction.REJECT

    def warn(self, column: str, message: str) -> None:
        if self.warnings is None:
            self.warnings = []
        self.warnings.append((column, message))

    def change(self, name: str, old: Any, new: Any) -> None:
        if self.changes is None:
            self.changes = []
        self.changes.append(Change(name, old, new))

    def canonical(self) -> str:
        """Language-independent description of the outcome, for the plan digest."""
        changes = ",".join(f"{c.field}:{c.old!r}>{c.new!r}" for c in self.changes or ())
        errors = ",".join(column for column, _m in self.errors or ())
        return f"{self.row}|{self.action}|{self.key}|{self.person_id}|{self.unit_id}|{changes}|{errors}"


@dataclass(slots=True)
class Missing:
    """A member of the roster's organisation with no row in the file."""

    person_id: int
    membership_id: int
    unit_id: int


@dataclass
class PlanResult:
    outcomes: list[Outcome]
    missing: list[Missing] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    def counts(self) -> dict[str, int]:
        result = {a.value: 0 for a in RowAction}
        for outcome in self.outcomes:
            result[outcome.action] += 1
        return result

    def digest(self) -> str:
        h = hashlib.sha256()
        for outcome in self.outcomes:
            h.update(outcome.canonical().encode())
            h.update(b"\n")
        for m in sorted(self.missing, key=lambda m: m.membership_id):
            h.update(f"missing|{m.person_id}|{m.membership_id}\n".encode())
        return h.hexdigest()


@dataclass
class Context:
    """Who imports what, where, as of when; and the file's column positions."""

    kind: str
    user: Any
    unit: Unit
    as_of: dt.date
    columns: dict[str, int]
    progress: Progress | None = None
    _scope_ids: set[int] | None = None
    _scope_loaded: bool = False

    def report(self, phase: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    @property
    def unrestricted(self) -> bool:
        return is_unrestricted(self.user)

    def scope_ids(self) -> set[int] | None:
        """Ids of the units the user may import into (None: every unit)."""
        if not self._scope_loaded:
            if self.unrestricted:
                self._scope_ids = None
            else:
                self._scope_ids = set(
                    Unit.objects.filter(scope_q(self.user, Cap.IMPORT_DATA)).values_list(
                        "pk", flat=True
                    )
                )
            self._scope_loaded = True
        return self._scope_ids

    def in_scope(self, unit_id: int | None) -> bool:
        ids = self.scope_ids()
        return unit_id is not None and (ids is None or unit_id in ids)


def read_rows(
    sheet: Sheet, columns: dict[str, int], ctx: Context | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {field: raw cell}) for every non-empty data row of the sheet."""
    wanted: Sequence[tuple[str, int]] = list(columns.items())
    done = 0
    for number, cells in sheet.rows:
        size = len(cells)
        yield number, {name: (cells[i] if i < size else None) for name, i in wanted}
        done += 1
        if ctx is not None and done % 5000 == 0:
            ctx.report("read", done)
    if ctx is not None:
        ctx.report("read", done)
