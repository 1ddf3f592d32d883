"""Attendance spreadsheets: the pre-filled template of a session, its import, and exports.

Import is all or nothing: every row is read and checked first (unknown person, ambiguous
name, duplicate, bad status, missing reason, date outside the session); any error refuses the
whole file and names each bad row and column; otherwise one transaction writes everything
through ``services.record_attendance``. Rows are identified by the person's id (column
"Mã người" of the template), else the party card number, else the full name with the birth
date (the name alone is enough when it is unique on the session's list).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.core.dates import parse_date
from giamsat.core.excel import SpreadsheetError, match_headers, read_sheet, write_xlsx
from giamsat.core.text import search_key
from giamsat.people.models import Person
from giamsat.study import rules, services
from giamsat.study.models import (
    Attendance,
    AttendanceImport,
    ConnectionPoint,
    ImportStatus,
    Status,
    StudySession,
)

# Column headers of the template (Vietnamese, as users see them) and accepted spellings.
COLUMNS: dict[str, tuple[str, ...]] = {
    "person_id": ("Mã người", "Ma nguoi", "Mã", "ID", "Person id"),
    "full_name": ("Họ và tên", "Họ tên", "Tên", "Họ và tên đảng viên", "Full name", "Name"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh", "Birth date"),
    "card": ("Số thẻ đảng viên", "Số thẻ", "Thẻ đảng viên", "Party card number", "Card"),
    "unit": ("Chi bộ / Đơn vị", "Chi bộ", "Đơn vị", "Unit"),
    "status": ("Tình trạng", "Điểm danh", "Tham dự", "Có mặt", "Attendance", "Status"),
    "reason": ("Lý do vắng", "Lý do", "Reason"),
    "date": ("Ngày học", "Ngày tham dự", "Ngày", "Date"),
    "point": ("Điểm cầu", "Connected point"),
}
TEMPLATE_HEADERS = [
    "STT",
    "Mã người",
    "Họ và tên",
    "Ngày sinh",
    "Số thẻ đảng viên",
    "Chi bộ / Đơn vị",
    "Tình trạng",
    "Lý do vắng",
    "Ngày học",
    "Điểm cầu",
]
STATUS_WORDS = {
    Status.PRESENT: "Có mặt",
    Status.EXCUSED: "Vắng có lý do",
    Status.ABSENT: "Vắng",
    Status.PENDING: "",
}
MAX_ERRORS = 500

Progress = Callable[[str, int, int | None], None]


def _d(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


# --- template and exports -----------------------------------------------------------------


def _list_rows(session: StudySession) -> Iterator[tuple[int, Attendance]]:
    rows = (
        Attendance.objects.filter(session=session)
        .select_related("person", "unit", "point")
        .order_by("unit__name_sort", "person__name_sort", "pk")
    )
    yield from enumerate(rows.iterator(chunk_size=2000), start=1)


def template_xlsx(session: StudySession) -> bytes:
    """The session's list, ready to fill in: one row per expected person."""

    def rows():
        for n, a in _list_rows(session):
            yield [
                n,
                a.person_id,
                a.person.full_name,
                _d(a.person.birth_date),
                a.person.party_card_number or "",
                a.unit.name,
                STATUS_WORDS[Status(a.status)],
                a.reason,
                _d(a.attended_on),
                a.point.name if a.point else "",
            ]

    return write_xlsx([(_("Attendance"), TEMPLATE_HEADERS, rows()), _help_sheet(session)]) or b""


def _help_sheet(session: StudySession):
    points = ", ".join(session.points.values_list("name", flat=True))
    lines = [
        [_("Session"), str(session)],
        [_("Organising unit"), session.unit.name],
        [_("Days"), f"{_d(session.date)} – {_d(session.last_day)}"],
        [
            _("Tình trạng"),
            _("Có mặt / Vắng có lý do / Vắng (leave empty if not known yet)"),
        ],
        [_("Lý do vắng"), _("Required for an excused absence.")],
        [_("Ngày học"), _("Optional; a day of the session (dd/mm/yyyy).")],
        [_("Điểm cầu"), points or _("(none)")],
        [
            _("Other people"),
            _(
                "Add a row with the full name and the birth date or party card number; "
                "they are added to the list."
            ),
        ],
    ]
    return (_("Instructions"), [_("Column"), _("How to fill it")], lines)


def export_xlsx(session: StudySession) -> bytes:
    headers = [
        "STT",
        "Mã người",
        "Họ và tên",
        "Ngày sinh",
        "Số thẻ đảng viên",
        "Chi bộ / Đơn vị",
        "Đảng viên",
        "Tình trạng",
        "Lý do vắng",
        "Ngày học",
        "Học bù ngày",
        "Điểm cầu",
    ]

    def rows():
        for n, a in _list_rows(session):
            yield [
                n,
                a.person_id,
                a.person.full_name,
                _d(a.person.birth_date),
                a.person.party_card_number or "",
                a.unit.name,
                "x" if a.is_member else "",
                a.get_status_display(),
                a.reason,
                _d(a.attended_on),
                _d(a.made_up_on),
                a.point.name if a.point else "",
            ]

    summary = [
        [_("On the list"), session.listed],
        [_("Present"), session.present],
        [_("Excused absence"), session.excused],
        [_("Absent"), session.absent],
        [_("Not recorded"), session.pending],
        [_("Made up"), session.made_up],
        [_("Participation rate (%)"), float(session.participation_rate())],
    ]
    return (
        write_xlsx(
            [
                (_("Attendance"), headers, rows()),
                (_("Summary"), [str(session), ""], summary),
            ]
        )
        or b""
    )


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefusedError(Exception):
    def __init__(self, errors: list[RowError], total: int) -> None:
        self.errors = errors
        self.total = total
        super().__init__(f"{total} error(s)")


@dataclass
class ImportResult:
    rows: int = 0
    skipped: int = 0
    changed: int = 0
    added: int = 0
    seconds: float = 0.0
    record: AttendanceImport | None = None
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _People:
    """Finds the person a row means: on the session's list first, then among visible people."""

    def __init__(self, session: StudySession, user) -> None:
        self.user = user
        # People found outside the list, by (name key, birth date).
        self.outside_name_birth: dict[tuple[str, dt.date | None], list[int]] = defaultdict(list)
        self.by_id: dict[int, bool] = {}
        self.by_card: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, dt.date | None], list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        rows = (
            Attendance.objects.filter(session=session)
            .values_list(
                "person_id",
                "person__name_search",
                "person__birth_date",
                "person__party_card_number",
            )
            .iterator(chunk_size=5000)
        )
        for person_id, name, birth, card in rows:
            self.by_id[person_id] = True
            if card:
                self.by_card[card] = person_id
            self.by_name_birth[(name, birth)].append(person_id)
            self.by_name[name].append(person_id)

    def visible(self):
        from giamsat.accounts.roles import Cap

        return Person.objects.visible_to(self.user, Cap.VIEW_PEOPLE)

    def load_outside(self, ids: set[int], cards: set[str], names: set[str]) -> None:
        """Look up, in batches, the people the rows name who are not on the list."""
        ids -= set(self.by_id)
        cards -= set(self.by_card)
        people = self.visible()
        found: list[tuple[int, str, dt.date | None, str | None]] = []
        for key, values in (("pk__in", sorted(ids)), ("party_card_number__in", sorted(cards))):
            for start in range(0, len(values), 2000):
                found.extend(
                    people.filter(**{key: values[start : start + 2000]}).values_list(
                        "pk", "name_search", "birth_date", "party_card_number"
                    )
                )
        name_values = sorted(names)
        for start in range(0, len(name_values), 500):
            found.extend(
                people.filter(name_search__in=name_values[start : start + 500]).values_list(
                    "pk", "name_search", "birth_date", "party_card_number"
                )
            )
        for person_id, name, birth, card in found:
            if person_id in self.by_id:
                continue
            self.by_id[person_id] = False
            if card:
                self.by_card.setdefault(card, person_id)
            if (name, birth) not in self.by_name_birth or person_id not in self.by_name_birth[
                (name, birth)
            ]:
                self.outside_name_birth[(name, birth)].append(person_id)


@dataclass
class _Row:
    number: int
    person_id: int | None
    card: str | None
    name: str | None
    birth: dt.date | None
    status: Status | None
    reason: str
    date: dt.date | None
    point_id: int | None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class _DateCache:
    def __init__(self) -> None:
        self.cache: dict[str, dt.date | None] = {}

    def parse(self, value: Any) -> dt.date | bool | None:
        """A date, None (empty), or False (not a date)."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not text:
            return None
        if text not in self.cache:
            try:
                self.cache[text] = parse_date(text)
            except ValueError:
                self.cache[text] = False  # type: ignore[assignment]  # memo of "not a date"
        return self.cache[text]  # type: ignore[return-value]  # may be False, see docstring


def import_attendance(
    *,
    acting_user,
    session: StudySession,
    stream: IO[bytes],
    file_name: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a spreadsheet of attendance into ``session``: all rows, or none.

    The outcome is kept as an ``AttendanceImport`` (refused files too, with their errors).
    """
    started = time.monotonic()
    data_hash = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1 << 20), b""):
        data_hash.update(block)
    stream.seek(0)
    result = ImportResult()
    try:
        result = _import(acting_user, session, stream, file_name, progress)
        status = ImportStatus.DONE
    except ImportRefusedError as refused:
        result.errors = refused.errors
        result.error_count = refused.total
        status = ImportStatus.FAILED
    except SpreadsheetError as exc:
        result.errors = [RowError(None, "", str(exc))]
        result.error_count = 1
        status = ImportStatus.FAILED
    result.seconds = time.monotonic() - started
    result.record = AttendanceImport.objects.create(
        session=session,
        file_name=file_name[:255],
        sha256=data_hash.hexdigest(),
        status=status,
        rows=result.rows,
        changed=result.changed,
        errors=[e.as_dict() for e in result.errors[:MAX_ERRORS]],
        error_count=result.error_count,
        seconds=round(result.seconds, 3),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    return result


def _import(
    acting_user, session: StudySession, stream, file_name: str, progress: Progress | None
) -> ImportResult:
    sheet = read_sheet(stream, file_name)
    columns = match_headers(sheet.headers, COLUMNS)
    header = {key: sheet.headers[idx] for key, idx in columns.items()}
    if not {"person_id", "card", "full_name"} & set(columns):
        raise SpreadsheetError(
            _(
                "No column names the person: the sheet needs a column 'Mã người', "
                "'Số thẻ đảng viên' or 'Họ và tên' (with 'Ngày sinh')."
            )
        )
    total = getattr(sheet, "total_rows", None)
    errors: list[RowError] = []
    error_total = 0

    def error(row: int | None, key: str, message: str) -> None:
        nonlocal error_total
        error_total += 1
        if len(errors) < MAX_ERRORS:
            errors.append(RowError(row, header.get(key, ""), message))

    points = {
        search_key(name): pk
        for pk, name in ConnectionPoint.objects.filter(session=session).values_list("pk", "name")
    }
    dates = _DateCache()
    statuses: dict[str, Status | None] = {}
    has_status = "status" in columns
    idx = {key: columns.get(key) for key in COLUMNS}
    rows: list[_Row] = []
    ids: set[int] = set()
    cards: set[str] = set()
    names: set[str] = set()
    skipped = 0
    read = 0
    for number, cells in sheet.rows:
        read += 1

        def cell(key: str, cells=cells) -> Any:
            i = idx[key]
            return cells[i] if i is not None and i < len(cells) else None

        status: Status | None = Status.PRESENT
        if has_status:
            raw = _text(cell("status"))
            if raw is None:
                skipped += 1
                continue
            if raw not in statuses:
                statuses[raw] = rules.parse_status(raw)
            status = statuses[raw]
            if status is None:
                error(
                    number,
                    "status",
                    _("'%(value)s' is not an attendance: write Có mặt, Vắng có lý do or Vắng.")
                    % {"value": raw[:40]},
                )
                continue
        person_id: int | None = None
        raw_id = _text(cell("person_id"))
        if raw_id is not None:
            try:
                person_id = int(raw_id)
            except ValueError:
                error(
                    number,
                    "person_id",
                    _("'%(value)s' is not a person id.") % {"value": raw_id[:20]},
                )
                continue
            ids.add(person_id)
        card = _text(cell("card"))
        if card:
            cards.add(card)
        name_text = _text(cell("full_name"))
        name = search_key(name_text) if name_text else None
        birth = dates.parse(cell("birth_date"))
        if birth is False:
            error(number, "birth_date", _("The birth date is not a date (dd/mm/yyyy)."))
            continue
        if name:
            names.add(name)
        if person_id is None and not card and not name:
            error(number, "full_name", _("The row names nobody (no id, card number or name)."))
            continue
        day = dates.parse(cell("date"))
        if day is False:
            error(number, "date", _("The date is not a date (dd/mm/yyyy)."))
            continue
        point_id = None
        point_text = _text(cell("point"))
        if point_text:
            point_id = points.get(search_key(point_text))
            if point_id is None:
                error(
                    number,
                    "point",
                    _("'%(value)s' is not a connected point of this session.")
                    % {"value": point_text[:60]},
                )
                continue
        rows.append(
            _Row(
                number,
                person_id,
                card,
                name,
                birth,  # type: ignore[arg-type]  # False was ruled out above
                status,
                _text(cell("reason")) or "",
                day,  # type: ignore[arg-type]  # False was ruled out above
                point_id,
            )
        )
        if progress is not None and read % 5000 == 0:
            progress("read", read, total)
    if progress is not None:
        progress("read", read, read)

    people = _People(session, acting_user)
    unresolved_ids = {i for i in ids if i not in people.by_id}
    unresolved_cards = {c for c in cards if c not in people.by_card}
    unresolved_names = {
        r.name
        for r in rows
        if r.person_id is None and not (r.card and r.card in people.by_card) and r.name
    }
    if unresolved_ids or unresolved_cards or unresolved_names:
        people.load_outside(unresolved_ids, unresolved_cards, unresolved_names)

    marks: list[services.Mark] = []
    first_row: dict[int, int] = {}
    for row in rows:
        person_id = _resolve(row, people, error)
        if person_id is None:
            continue
        if person_id in first_row:
            error(
                row.number,
                "full_name" if row.person_id is None else "person_id",
                _("This person is already on row %(row)d.") % {"row": first_row[person_id]},
            )
            continue
        first_row[person_id] = row.number
        marks.append(
            services.Mark(
                person_id=person_id,
                status=row.status or Status.PRESENT,
                reason=row.reason,
                attended_on=row.date if row.status == Status.PRESENT else None,
                point_id=row.point_id,
                index=row.number,
            )
        )
    # Checks that need the session (reasons, days): done here so they are reported with
    # the errors above in one go.
    for problem in services.validate_marks(session, marks):
        error(problem.index, _FIELD_COLUMN.get(problem.field, problem.field), problem.message)
    if session.is_makeup:
        for mark in marks:
            if not people.by_id.get(mark.person_id):
                error(
                    mark.index,
                    "full_name",
                    _("This person is not on the list of this make-up session."),
                )
    if error_total:
        errors.sort(key=lambda e: (e.row or 0, e.column))
        raise ImportRefusedError(errors, error_total)

    def write_progress(done: int, total_marks: int) -> None:
        if progress is not None:
            progress("write", done, total_marks)

    try:
        with transaction.atomic():
            recorded = services.record_attendance(
                acting_user=acting_user,
                session=session,
                marks=marks,
                progress=write_progress,
                source="import",
            )
    except services.StudyError as exc:
        raise ImportRefusedError(
            [
                RowError(e.index, header.get(_FIELD_COLUMN.get(e.field, ""), ""), e.message)
                for e in exc.errors
            ],
            len(exc.errors),
        ) from None
    if progress is not None:
        progress("done", len(marks), len(marks))
    return ImportResult(rows=read, skipped=skipped, changed=recorded.changed, added=recorded.added)


_FIELD_COLUMN = {"person": "full_name", "reason": "reason", "date": "date", "status": "status"}


def _resolve(row: _Row, people: _People, error) -> int | None:
    if row.person_id is not None:
        if row.person_id not in people.by_id:
            error(
                row.number, "person_id", _("No person has the id %(id)s.") % {"id": row.person_id}
            )
            return None
        return row.person_id
    if row.card:
        person_id = people.by_card.get(row.card)
        if person_id is None:
            error(
                row.number,
                "card",
                _("No person has the party card number %(card)s.") % {"card": row.card},
            )
        return person_id
    assert row.name is not None
    key = (row.name, row.birth)
    matches = people.by_name_birth.get(key, []) if row.birth else people.by_name.get(row.name, [])
    if not matches and row.birth:
        matches = people.outside_name_birth.get(key, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        if (
            row.birth is None
            and people.outside_name_birth
            and any(name == row.name for name, _birth in people.outside_name_birth)
        ):
            error(
                row.number,
                "birth_date",
                _("This person is not on the list: add the birth date or the card number."),
            )
        else:
            error(row.number, "full_name", _("Nobody with this name (and birth date) was found."))
        return None
    error(
        row.number,
        "full_name",
        _("%(count)d people match this name; add the birth date or the card number.")
        % {"count": len(matches)},
    )
    return None
