"""Member rosters: who is new, who changed, who moved cell, who is missing.

One pass reads and checks every row (values, dates against the Statute, repeats inside the
file); then a few hundred batched queries load the cells and the people the file may refer to;
then every row is decided in memory. ``apply`` writes with bulk inserts and updates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.core.dates import format_date
from giamsat.core.excel import Sheet
from giamsat.core.text import normalize, remove_diacritics, search_key
from giamsat.imports import columns as cols
from giamsat.imports import values
from giamsat.imports.models import RowAction
from giamsat.imports.planning.base import Context, Missing, Outcome, PlanResult, chunks, read_rows
from giamsat.imports.planning.people import PersonIndex, PersonInfo
from giamsat.imports.rules import Problem, membership_findings
from giamsat.people.models import (
    Membership,
    MembershipKind,
    MemberStatus,
    Person,
    PersonCategory,
)
from giamsat.units.models import CELL_KINDS, Unit, subtree_q

ONE_DAY = dt.timedelta(days=1)
# People written per round trip of the import (memory stays flat on a 200,000-row roster).
WRITE_CHUNK = 5000
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "party_card_number",
    "identity_number",
    "joined_on",
    "official_on",
    "status",
)


class MemberRow:
    """One row of a roster, parsed; and, once decided, what to write."""

    __slots__ = (
        "birth_date",
        "card",
        "cell_code",
        "cell_id",
        "end_membership",
        "full_name",
        "gender",
        "identity",
        "joined_on",
        "kind",
        "membership_from",
        "name_key",
        "new_membership",
        "official_on",
        "outcome",
        "person_changes",
        "status",
    )

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.full_name: str | None = None
        self.name_key: str | None = None
        self.birth_date: dt.date | None = None
        self.gender: str | None = None
        self.card: str | None = None
        self.identity: str | None = None
        self.joined_on: dt.date | None = None
        self.official_on: dt.date | None = None
        self.status: str | None = None
        self.cell_code: str | None = None
        self.cell_id: int | None = None
        self.kind: str = MembershipKind.REGULAR
        self.membership_from: dt.date | None = None
        self.person_changes: dict[str, Any] | None = None
        self.end_membership: tuple[int, dt.date] | None = None
        self.new_membership: tuple[int, str, dt.date] | None = None


def finding_message(problem: Problem) -> str:
    return {
        Problem.JOINED_BEFORE_BIRTH: _("The admission date is not after the birth date."),
        Problem.OFFICIAL_BEFORE_JOINED: _("The full-member date is before the admission date."),
        Problem.PROBATIONARY_WITH_OFFICIAL_DATE: _(
            "A probationary member has no full-member date: check the status or the date."
        ),
        Problem.JOINED_UNDER_AGE: _(
            "Admitted before the age of 18 (Party Statute, Article 1): check the dates."
        ),
        Problem.PROBATION_SHORTER_THAN_RULE: _(
            "Full member less than 12 months after admission (Party Statute, Article 5): check "
            "the dates."
        ),
        Problem.PROBATION_OVERDUE: _(
            "Still probationary more than 12 months after admission (Party Statute, Article 5): "
            "check whether full membership was recognised."
        ),
    }[problem]


class MembersPlanner:
    template = cols.MEMBERS

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[MemberRow] = []
        self.index = PersonIndex(ctx)
        self.cells: dict[str, tuple[int, str, str, dt.date, dt.date | None]] = {}
        self.unit_codes: dict[int, str] = {}
        # Cell parsers bound once (a 200,000-row file calls them two million times).
        self._date = partial(values.date, latest=ctx.as_of)
        self._gender = partial(values.choice, vocabulary=cols.genders(), accepted="Nam, Nữ")
        self._status = partial(
            values.choice, vocabulary=cols.statuses(), accepted="Chính thức, Dự bị"
        )
        self._membership_kind = partial(
            values.choice, vocabulary=cols.membership_kinds(), accepted="Chính thức, Tạm thời"
        )

    # --- reading and checking each row ------------------------------------------------------

    def _parse(self, number: int, raw: dict[str, Any], seen: dict[str, dict]) -> MemberRow:
        as_of = self.ctx.as_of
        r = MemberRow(Outcome(row=number))
        o = r.outcome

        def read(column: str, parse: Any) -> Any:
            try:
                return parse(raw.get(column))
            except values.CellError as exc:
                o.reject(column, str(exc))
                return None

        r.full_name = read("full_name", values.text)
        if r.full_name:
            r.full_name = normalize(r.full_name)
            r.name_key = search_key(r.full_name)
        else:
            o.reject("full_name", _("The full name is missing."))
        r.birth_date = read("birth_date", self._date)
        if r.birth_date is None and raw.get("birth_date") is None:
            o.reject("birth_date", _("The birth date is missing."))
        r.gender = read("gender", self._gender)
        r.card = read("party_card_number", values.card_number)
        try:
            r.identity, note = values.identity_number(raw.get("identity_number"))
            if note:
                o.warn("identity_number", note)
        except values.CellError as exc:
            o.reject("identity_number", str(exc))
        r.joined_on = read("joined_on", self._date)
        r.official_on = read("official_on", self._date)
        r.status = read("status", self._status)
        if r.status is None and raw.get("status") is None:
            o.reject("status", _("The party status is missing (Chính thức or Dự bị)."))
        r.cell_code = read("cell_code", values.code)
        if r.cell_code is None and raw.get("cell_code") is None:
            o.reject("cell_code", _("The cell code is missing."))
        kind = read(
            "membership_kind",
            self._membership_kind,
        )
        r.kind = kind or MembershipKind.REGULAR
        r.membership_from = read("membership_from", self._date)

        for finding in membership_findings(
            birth=r.birth_date,
            joined=r.joined_on,
            official=r.official_on,
            probationary=r.status == MemberStatus.PROBATIONARY,
            as_of=as_of,
        ):
            if finding.is_error:
                o.reject(finding.column, finding_message(finding.problem))
            else:
                o.warn(finding.column, finding_message(finding.problem))

        o.label = r.full_name or ""
        if r.birth_date:
            o.label = f"{o.label} ({format_date(r.birth_date)})"
        o.key = r.card or r.identity or ""

        # Repeats inside the file. A member may appear twice only with two kinds of party
        # activity (regular in one cell, temporary in another).
        if r.card:
            first = seen["card"].setdefault((r.card, r.kind), number)
            seen["any"].setdefault(("card", r.card), number)
            if first != number:
                o.reject(
                    "party_card_number",
                    _("Party card number %(card)s is repeated: already in row %(row)d.")
                    % {"card": r.card, "row": first},
                )
        if r.identity:
            first = seen["identity"].setdefault((r.identity, r.kind), number)
            seen["any"].setdefault(("identity", r.identity), number)
            if first != number:
                o.reject(
                    "identity_number",
                    _("Identity number %(number)s is repeated: already in row %(row)d.")
                    % {"number": r.identity, "row": first},
                )
        if r.name_key and r.birth_date:
            has_number = bool(r.card or r.identity)
            key = (r.name_key, r.birth_date, r.kind)
            previous = seen["name"].get(key)
            seen["any"].setdefault(("name", r.name_key, r.birth_date), number)
            if previous is not None and (not has_number or not previous[1]):
                o.reject(
                    "full_name",
                    _(
                        "Same name and birth date as row %(row)d, and no number to tell them "
                        "apart: remove the repeated row or give the card or identity number."
                    )
                    % {"row": previous[0]},
                )
            elif previous is None:
                seen["name"][key] = (number, has_number)
        return r

    # --- looking up and deciding -------------------------------------------------------------

    def _load(self) -> None:
        codes = {r.cell_code for r in self.rows if r.cell_code}
        for chunk in chunks(codes):
            for pk, code, name, kind, start, end in Unit.objects.filter(code__in=chunk).values_list(
                "pk", "code", "name", "kind", "valid_from", "valid_to"
            ):
                self.cells[code] = (pk, name, kind, start, end)
        self.roster_ids = set(
            Unit.objects.subtree_of(self.ctx.unit, self.ctx.as_of).values_list("pk", flat=True)
        )
        self.index.load(
            cards=(r.card for r in self.rows if r.card),
            identities=(r.identity for r in self.rows if r.identity),
            name_pairs=lambda: (
                (r.name_key, r.birth_date)
                for r in self.rows
                if r.name_key and r.birth_date and not self.index.knows(r.card, r.identity)
            ),
        )
        unit_ids = {m.unit_id for p in self.index.by_id.values() for m in p.memberships}
        for chunk in chunks(unit_ids):
            self.unit_codes.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "code"))

    def _check_cell(self, r: MemberRow) -> tuple[int, dt.date] | None:
        o = r.outcome
        if not r.cell_code:
            return None
        cell = self.cells.get(r.cell_code)
        if cell is None or cell[0] not in self.roster_ids:
            o.reject(
                "cell_code",
                _("There is no cell with code %(code)s in %(unit)s on %(date)s.")
                % {
                    "code": r.cell_code,
                    "unit": self.ctx.unit,
                    "date": format_date(self.ctx.as_of),
                },
            )
            return None
        pk, name, kind, start, _end = cell
        if kind not in CELL_KINDS:
            o.reject(
                "cell_code",
                _("%(code)s is %(name)s, not a cell: members belong to a cell (chi bộ).")
                % {"code": r.cell_code, "name": name},
            )
            return None
        return pk, start

    def _first_row(self, r: MemberRow) -> int:
        """The first row of the file that names the same member (by any of the row's keys)."""
        keys = []
        if r.card:
            keys.append(("card", r.card))
        if r.identity:
            keys.append(("identity", r.identity))
        if r.name_key and r.birth_date and not (r.card or r.identity):
            keys.append(("name", r.name_key, r.birth_date))
        rows = [self.seen_any[k] for k in keys if k in self.seen_any]
        return min(rows) if rows else r.outcome.row

    def _decide(self, r: MemberRow, taken: dict[tuple[int, str], int]) -> PersonInfo | None:
        o = r.outcome
        match = self.index.match(
            card=r.card,
            identity=r.identity,
            name_key=r.name_key,
            birth=r.birth_date,
            full_name=r.full_name,
        )
        for column, message in match.warnings:
            o.warn(column, message)
        if match.error:
            o.reject(*match.error)
        person = match.person
        if person is None and not o.rejected:
            first = self._first_row(r)
            if first != o.row:
                o.reject(
                    "membership_kind",
                    _(
                        "This new member is also in row %(row)d: import the file first; the "
                        "second party activity can be imported once the member exists."
                    )
                    % {"row": first},
                )
        if person is not None:
            first = taken.setdefault((person.id, r.kind), o.row)
            if first != o.row:
                o.reject(
                    "full_name",
                    _("This is the same person as row %(row)d (%(person)s).")
                    % {"row": first, "person": person.label()},
                )
        cell = self._check_cell(r)
        if o.rejected or cell is None:
            return person
        cell_id, cell_start = cell
        r.cell_id = cell_id
        if person is None:
            self._decide_new(r, cell_start)
        else:
            self._decide_existing(r, person, cell_start)
        return person

    def _decide_new(self, r: MemberRow, cell_start: dt.date) -> None:
        o = r.outcome
        start = r.membership_from or max(r.joined_on or self.ctx.as_of, cell_start)
        if start < cell_start:
            o.reject(
                "membership_from",
                _("The cell %(code)s only exists from %(date)s.")
                % {"code": r.cell_code, "date": format_date(cell_start)},
            )
            return
        assert r.cell_id is not None
        r.new_membership = (r.cell_id, r.kind, start)
        o.action = RowAction.CREATE

    def _decide_existing(self, r: MemberRow, person: PersonInfo, cell_start: dt.date) -> None:
        o = r.outcome
        o.person_id = person.id
        if person.status == MemberStatus.DECEASED:
            o.reject(
                "full_name", _("%(person)s is recorded as deceased.") % {"person": person.label()}
            )
            return
        current = person.current(r.kind, self.ctx.as_of)
        if current is not None and not self.ctx.in_scope(current.unit_id):
            o.reject(
                "cell_code",
                _(
                    "This person has party activity in an organisation outside yours: the "
                    "transfer must be recorded there or by a higher level."
                ),
            )
            return
        regular = person.current(MembershipKind.REGULAR, self.ctx.as_of)
        may_edit_person = regular is None or self.ctx.in_scope(regular.unit_id)
        first_row = self.person_rows.setdefault(person.id, o.row)
        if first_row != o.row:
            # Personal details come from the member's first row.
            if self._diff(r, person):
                o.warn(
                    "full_name",
                    _("Personal details are taken from row %(row)d.") % {"row": first_row},
                )
            may_edit_person = False
        changes = self._person_changes(r, person) if may_edit_person else {}
        if not may_edit_person and first_row == o.row and self._diff(r, person):
            o.warn(
                "full_name",
                _("Personal details are kept: they are managed by the member's home organisation."),
            )
        if changes:
            r.person_changes = changes
        self._membership_changes(r, person, current, cell_start)
        if not o.rejected and (r.person_changes or r.new_membership):
            o.action = RowAction.UPDATE

    @staticmethod
    def _keeps_spelling(r: MemberRow, person: PersonInfo) -> bool:
        """A name written without diacritics never replaces the registered spelling."""
        assert r.full_name is not None
        plain = remove_diacritics(r.full_name) == r.full_name
        return r.name_key == person.name_search and plain

    def _diff(self, r: MemberRow, person: PersonInfo) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if r.full_name and r.full_name != person.full_name and not self._keeps_spelling(r, person):
            found["full_name"] = r.full_name
        pairs = (
            ("birth_date", r.birth_date, person.birth_date),
            ("gender", r.gender, person.gender or None),
            ("party_card_number", r.card, person.card),
            ("identity_number", r.identity, person.identity),
            ("joined_on", r.joined_on, person.joined_on),
            ("official_on", r.official_on, person.official_on),
            ("status", r.status, person.status),
        )
        for name, new, old in pairs:
            if new is not None and new != old:
                found[name] = new
        return found

    def _person_changes(self, r: MemberRow, person: PersonInfo) -> dict[str, Any]:
        o = r.outcome
        found = self._diff(r, person)
        if r.full_name and r.full_name != person.full_name and self._keeps_spelling(r, person):
            o.warn(
                "full_name",
                _("Written without diacritics; the registered spelling %(name)s is kept.")
                % {"name": person.full_name},
            )
        if "status" in found:
            if person.status == MemberStatus.LEFT:
                o.warn("status", _("Recorded as having left the Party: re-admitted?"))
            elif person.status == MemberStatus.FULL and r.status == MemberStatus.PROBATIONARY:
                o.warn("status", _("A full member would become probationary: check the status."))
        for name, new in found.items():
            o.change(name, getattr(person, _INFO_FIELD.get(name, name)), new)
        return found

    def _membership_changes(
        self, r: MemberRow, person: PersonInfo, current: Any, cell_start: dt.date
    ) -> None:
        o = r.outcome
        assert r.cell_id is not None
        if current is not None and current.unit_id == r.cell_id:
            if r.membership_from and r.membership_from != current.valid_from:
                o.warn(
                    "membership_from",
                    _(
                        "Party activity in this cell is recorded from %(date)s; the history is "
                        "kept as it is."
                    )
                    % {"date": format_date(current.valid_from)},
                )
            return
        start = r.membership_from or self.ctx.as_of
        if start < cell_start:
            o.reject(
                "membership_from",
                _("The cell %(code)s only exists from %(date)s.")
                % {"code": r.cell_code, "date": format_date(cell_start)},
            )
            return
        if current is not None:
            if start <= current.valid_from:
                o.reject(
                    "membership_from",
                    _(
                        "The move to %(code)s must start after %(date)s, when party activity in "
                        "the current cell began."
                    )
                    % {"code": r.cell_code, "date": format_date(current.valid_from)},
                )
                return
            r.end_membership = (current.id, start - ONE_DAY)
            o.change("cell_code", self.unit_codes.get(current.unit_id, ""), r.cell_code)
        else:
            last_end = person.last_end(r.kind)
            if last_end and start <= last_end:
                o.reject(
                    "membership_from",
                    _("Party activity must start after %(date)s, when the previous one ended.")
                    % {"date": format_date(last_end)},
                )
                return
            o.change("cell_code", None, r.cell_code)
        r.new_membership = (r.cell_id, r.kind, start)

    def plan(self, sheet: Sheet) -> PlanResult:
        seen: dict[str, dict] = {"card": {}, "identity": {}, "name": {}, "any": {}}
        self.seen_any = seen["any"]
        self.person_rows: dict[int, int] = {}
        for number, raw in read_rows(sheet, self.ctx.columns, self.ctx):
            self.rows.append(self._parse(number, raw, seen))
        del seen  # only the first row of each key is needed from now on (self.seen_any)
        total = len(self.rows)
        self.ctx.report("lookup", 0, total)
        self._load()
        self.ctx.report("lookup", total, total)
        taken: dict[tuple[int, str], int] = {}
        in_file: set[int] = set()
        for i, r in enumerate(self.rows, start=1):
            person = self._decide(r, taken)
            if person is not None:
                in_file.add(person.id)
            if i % 5000 == 0:
                self.ctx.report("check", i, total)
        self.ctx.report("check", total, total)
        result = PlanResult([r.outcome for r in self.rows])
        result.missing = list(self._missing(in_file))
        return result

    def _missing(self, in_file: set[int]) -> Iterator[Missing]:
        query = (
            Membership.objects.filter(
                subtree_q("unit", self.ctx.unit, self.ctx.as_of), kind=MembershipKind.REGULAR
            )
            .valid_on(self.ctx.as_of)
            .order_by("unit_id", "person__name_sort")
            .values_list("id", "person_id", "unit_id")
        )
        seen: set[int] = set()
        for membership_id, person_id, unit_id in query.iterator(chunk_size=5000):
            if person_id in in_file or person_id in seen:
                continue
            seen.add(person_id)
            yield Missing(person_id, membership_id, unit_id)

    # --- writing -----------------------------------------------------------------------------

    def apply(self, result: PlanResult) -> None:
        """Write the plan: new people and their memberships in chunks (memory stays flat),
        then updates, ended memberships and new memberships of known people."""
        creates = [r for r in self.rows if r.outcome.action == RowAction.CREATE]
        updates: dict[int, list[MemberRow]] = {}
        for r in self.rows:
            if r.outcome.action == RowAction.UPDATE:
                assert r.outcome.person_id is not None
                updates.setdefault(r.outcome.person_id, []).append(r)
        total = len(creates) + len(updates)
        self.ctx.report("write", 0, total)
        for done, chunk in enumerate(chunks(creates, WRITE_CHUNK), start=1):
            self._create(chunk)
            self.ctx.report("write", min(done * WRITE_CHUNK, len(creates)), total)
        for chunk in chunks(updates, WRITE_CHUNK):
            self._update({person_id: updates[person_id] for person_id in chunk})
        self.ctx.report("write", total, total)

    def _create(self, rows: list[MemberRow]) -> None:
        people = []
        for r in rows:
            assert r.full_name and r.status
            people.append(
                Person(
                    full_name=r.full_name,
                    birth_date=r.birth_date,
                    gender=r.gender or "",
                    party_card_number=r.card,
                    identity_number=r.identity,
                    joined_on=r.joined_on,
                    official_on=r.official_on,
                    status=r.status,
                    category=PersonCategory.MEMBER,
                ).fill_derived_fields()
            )
        Person.objects.bulk_create(people, batch_size=1000)
        memberships = []
        for person, r in zip(people, rows, strict=True):
            assert r.new_membership is not None
            cell_id, kind, start = r.new_membership
            memberships.append(
                Membership(person_id=person.pk, unit_id=cell_id, kind=kind, valid_from=start)
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)

    def _update(self, updates: dict[int, list[MemberRow]]) -> None:
        now = timezone.now()
        changed_fields: set[str] = set()
        to_update: list[Person] = []
        ended: dict[int, dt.date] = {}
        memberships: list[Membership] = []
        people = Person.objects.in_bulk(list(updates))
        for person_id, rows in updates.items():
            person = people[person_id]
            edited = False
            for r in rows:
                for name, value in (r.person_changes or {}).items():
                    setattr(person, name, value)
                    changed_fields.add(name)
                    edited = True
                if r.end_membership:
                    ended[r.end_membership[0]] = r.end_membership[1]
                if r.new_membership:
                    cell_id, kind, start = r.new_membership
                    memberships.append(
                        Membership(
                            person_id=person_id, unit_id=cell_id, kind=kind, valid_from=start
                        )
                    )
            if edited:
                person.updated_at = now
                to_update.append(person.fill_derived_fields())
        if to_update:
            fields = changed_fields | {"updated_at"}
            if "full_name" in fields:
                fields |= {"family_name", "middle_name", "given_name", "name_sort", "name_search"}
            Person.objects.bulk_update(to_update, sorted(fields), batch_size=500)
        closing: list[Membership] = []
        for membership in Membership.objects.filter(pk__in=list(ended)):
            membership.valid_to = ended[membership.pk]
            membership.note = (membership.note + " " + _("transferred (import)")).strip()[:255]
            membership.updated_at = now
            closing.append(membership)
        Membership.objects.bulk_update(closing, ["valid_to", "note", "updated_at"], batch_size=500)
        Membership.objects.bulk_create(memberships, batch_size=2000)


# PersonInfo attribute for each Person field whose name differs.
_INFO_FIELD = {"party_card_number": "card", "identity_number": "identity"}
