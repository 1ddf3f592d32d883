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


Fill = Callable[[int], tuple[Status, str]]


def template_headers(session: StudySession) -> list[str]:
    """The template's columns: "Ngày học" only for sessions of several days, "Điểm cầu" only
    for sessions with connected points."""
    headers = TEMPLATE_HEADERS[:8]
    if session.end_date:
        headers.append("Ngày học")
    if session.points.exists():
        headers.append("Điểm cầu")
    return headers


def template_rows(session: StudySession, fill: Fill | None = None) -> Iterator[list[Any]]:
    """Rows of the template; ``fill(n)`` may give a status and reason (the benchmark does)."""
    points = dict(ConnectionPoint.objects.filter(session=session).values_list("pk", "name"))
    with_day = session.end_date is not None
    rows = (
        Attendance.objects.filter(session=session)
        .order_by("unit__name_sort", "person__name_sort", "pk")
        .values_list(
            "person_id",
            "person__full_name",
            "person__birth_date",
            "person__party_card_number",
            "unit__name",
            "status",
            "reason",
            "attended_on",
            "point_id",
        )
    )
    for n, (pid, name, birth, card, unit, status, reason, attended, point) in enumerate(
        rows.iterator(chunk_size=5000), start=1
    ):
        if fill is not None:
            status, reason = fill(n)
        row = [n, pid, name, _d(birth), card or "", unit, STATUS_WORDS[Status(status)], reason]
        if with_day:
            row.append(_d(attended))
        if points:
            row.append(points.get(point, ""))
        yield row


def template_xlsx(session: StudySession, fill: Fill | None = None) -> bytes:
    """The session's list, ready to fill in: one row per expected person."""
    sheets = [
        (_("Attendance"), template_headers(session), template_rows(session, fill)),
        _help_sheet(session),
    ]
    return write_xlsx(sheets) or b""


def _help_sheet(session: StudySession):
    points = ", ".join(session.points.values_list("name", flat=True))
    lines = [
        [_("Session"), str(session)],
        [_("Organising unit"), session.unit.name],
        [_("Days"), f"{_d(session.date)} – {_d(session.last_day)}"],
        ["Tình trạng", _("Có mặt / Vắng có lý do / Vắng (leave empty if not known yet)")],
        ["Lý do vắng", _("Required for an excused absence.")],
        ["Ngày học", _("Optional; a day of the session (dd/mm/yyyy).")],
        ["Điểm cầu", points or _("(none)")],
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
    def __init__(self, errors: list[RowError], total: int, rows: int = 0) -> None:
        self.errors = errors
        self.total = total
        self.rows = rows
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
    """Finds the person a row means: on the session's list first, then among visible people.

    The list's ids are loaded at once (one column); names and card numbers only when some
    row needs them, so a template filled in (ids on every row) costs one light query.
    """

    def __init__(self, session: StudySession, user) -> None:
        self.session = session
        self.user = user
        self.on_list: set[int] = set(
            Attendance.objects.filter(session=session)
            .values_list("person_id", flat=True)
            .iterator(chunk_size=10000)
        )
        self.known: set[int] = set(self.on_list)
        self.by_card: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, dt.date | None], list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        # People found outside the list, by (name key, birth date).
        self.outside_name_birth: dict[tuple[str, dt.date | None], list[int]] = defaultdict(list)
        self.outside_names: set[str] = set()

    def load_list_index(self) -> None:
        rows = (
            Attendance.objects.filter(session=self.session)
            .values_list(
                "person_id",
                "person__name_search",
                "person__birth_date",
                "person__party_card_number",
            )
            .iterator(chunk_size=5000)
        )
        for person_id, name, birth, card in rows:
            if card:
                self.by_card[card] = person_id
            self.by_name_birth[(name, birth)].append(person_id)
            self.by_name[name].append(person_id)

    def load_outside(self, ids: set[int], cards: set[str], names: set[str]) -> None:
        """Look up, in batches, the people the rows name who are not on the list."""
        from giamsat.accounts.roles import Cap

        # No user: a command run by an operator (benchmark, scripts) sees everyone.
        people = (
            Person.objects.all()
            if self.user is None
            else Person.objects.visible_to(self.user, Cap.VIEW_PEOPLE)
        )
        found: list[tuple[int, str, dt.date | None, str | None]] = []
        lookups = (("pk__in", sorted(ids), 2000), ("party_card_number__in", sorted(cards), 2000))
        for key, values, size in (*lookups, ("name_search__in", sorted(names), 500)):
            for start in range(0, len(values), size):
                found.extend(
                    people.filter(**{key: values[start : start + size]}).values_list(
                        "pk", "name_search", "birth_date", "party_card_number"
                    )
                )
        for person_id, name, birth, card in found:
            if person_id in self.on_list or person_id in self.known:
                continue
            self.known.add(person_id)
            if card:
                self.by_card.setdefault(card, person_id)
            self.outside_name_birth[(name, birth)].append(person_id)
            self.outside_names.add(name)


@dataclass
class _Row:
    number: int
    person_id: int | None
    card: str | None
    name: str | None  # as written
    birth: Any  # the raw cell, parsed only when the name identifies the person
    status: Status
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
        self.cache: dict[str, dt.date | bool | None] = {}

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
                self.cache[text] = False
        return self.cache[text]


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
        result.rows = refused.rows
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


class _Errors:
    def __init__(self, header: dict[str, str]) -> None:
        self.header = header
        self.items: list[RowError] = []
        self.total = 0

    def add(self, row: int | None, key: str, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(row, self.header.get(key, ""), message))


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
    errors = _Errors(header)
    rows, read, skipped = _read_rows(session, sheet, columns, errors, progress)
    people = _People(session, acting_user)
    marks = _resolve_rows(rows, people, errors)
    # Checks that need the session (reasons, days), reported with the others in one go.
    for problem in services.validate_marks(session, marks):
        errors.add(problem.index, _FIELD_COLUMN.get(problem.field, problem.field), problem.message)
    if session.is_makeup:
        for mark in marks:
            if mark.person_id not in people.on_list:
                errors.add(
                    mark.index,
                    "full_name" if "full_name" in header else "person_id",
                    _("This person is not on the list of this make-up session."),
                )
    if errors.total:
        errors.items.sort(key=lambda e: (e.row or 0, e.column))
        raise ImportRefusedError(errors.items, errors.total, read)

    def write_progress(done: int, total_marks: int) -> None:
        if progress is not None:
            progress("write", done, total_marks)

    try:
        recorded = services.record_attendance(
            acting_user=acting_user,
            session=session,
            marks=marks,
            progress=write_progress,
            source=f"import {file_name}",
        )
    except services.StudyError as exc:
        raise ImportRefusedError(
            [
                RowError(e.index, header.get(_FIELD_COLUMN.get(e.field, ""), ""), e.message)
                for e in exc.errors
            ],
            len(exc.errors),
            read,
        ) from None
    if progress is not None:
        progress("done", len(marks), len(marks))
    return ImportResult(rows=read, skipped=skipped, changed=recorded.changed, added=recorded.added)


def _read_rows(session, sheet, columns, errors: _Errors, progress):
    """Parse every row into a _Row (or an error); rows with an empty status are skipped."""
    points = {
        search_key(name): pk
        for pk, name in ConnectionPoint.objects.filter(session=session).values_list("pk", "name")
    }
    dates = _DateCache()
    statuses: dict[str, Status | None] = {}
    has_status = "status" in columns
    at = {key: columns.get(key, -1) for key in COLUMNS}
    total = getattr(sheet, "total_rows", None)
    rows: list[_Row] = []
    read = skipped = 0
    for number, cells in sheet.rows:
        read += 1
        width = len(cells)

        def cell(key: str, cells=cells, width=width) -> Any:
            i = at[key]
            return cells[i] if 0 <= i < width else None

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
                errors.add(
                    number,
                    "status",
                    _("'%(value)s' is not an attendance: write Có mặt, Vắng có lý do or Vắng.")
                    % {"value": raw[:40]},
                )
                continue
        person_id: int | None = None
        raw_id = cell("person_id")
        if raw_id is not None:
            if isinstance(raw_id, int):
                person_id = raw_id
            else:
                text = _text(raw_id)
                if text is not None:
                    try:
                        person_id = int(text)
                    except ValueError:
                        errors.add(
                            number,
                            "person_id",
                            _("'%(value)s' is not a person id.") % {"value": text[:20]},
                        )
                        continue
        card = _text(cell("card"))
        name = _text(cell("full_name"))
        if person_id is None and not card and not name:
            errors.add(number, "full_name", _("The row names nobody (no id, card number or name)."))
            continue
        day = dates.parse(cell("date"))
        if day is False:
            errors.add(number, "date", _("The date is not a date (dd/mm/yyyy)."))
            continue
        point_id = None
        point_text = _text(cell("point"))
        if point_text:
            point_id = points.get(search_key(point_text))
            if point_id is None:
                errors.add(
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
                cell("birth_date"),
                status or Status.PRESENT,
                _text(cell("reason")) or "",
                day,  # type: ignore[arg-type]  # False was ruled out above
                point_id,
            )
        )
        if progress is not None and read % 5000 == 0:
            progress("read", read, total)
    if progress is not None:
        progress("read", read, read)
    return rows, read, skipped


def _resolve_rows(rows: list[_Row], people: _People, errors: _Errors) -> list[services.Mark]:
    dates = _DateCache()
    need_index = any(r.person_id is None for r in rows)
    if need_index:
        people.load_list_index()
    outside_ids = {r.person_id for r in rows if r.person_id is not None} - people.on_list
    outside_cards = {
        r.card for r in rows if r.person_id is None and r.card and r.card not in people.by_card
    }
    keys: dict[int, str] = {}
    outside_names = set()
    for r in rows:
        if r.person_id is None and not r.card and r.name:
            key = keys[r.number] = search_key(r.name)
            if key not in people.by_name or r.birth is not None:
                outside_names.add(key)
    if outside_ids or outside_cards or outside_names:
        people.load_outside(outside_ids, outside_cards, outside_names)

    marks: list[services.Mark] = []
    first_row: dict[int, int] = {}
    for row in rows:
        person_id = _resolve(row, keys.get(row.number), people, dates, errors)
        if person_id is None:
            continue
        if person_id in first_row:
            errors.add(
                row.number,
                "full_name" if row.person_id is None else "person_id",
                _("This person is already on row %(row)d.") % {"row": first_row[person_id]},
            )
            continue
        first_row[person_id] = row.number
        marks.append(
            services.Mark(
                person_id=person_id,
                status=row.status,
                reason=row.reason,
                attended_on=row.date if row.status == Status.PRESENT else None,
                point_id=row.point_id,
                index=row.number,
            )
        )
    return marks


_FIELD_COLUMN = {"person": "full_name", "reason": "reason", "date": "date", "status": "status"}


def _resolve(
    row: _Row, key: str | None, people: _People, dates: _DateCache, errors: _Errors
) -> int | None:
    if row.person_id is not None:
        if row.person_id not in people.known:
            errors.add(
                row.number, "person_id", _("No person has the id %(id)s.") % {"id": row.person_id}
            )
            return None
        return row.person_id
    if row.card:
        person_id = people.by_card.get(row.card)
        if person_id is None:
            errors.add(
                row.number,
                "card",
                _("No person has the party card number %(card)s.") % {"card": row.card},
            )
        return person_id
    assert key is not None
    birth = dates.parse(row.birth)
    if birth is False:
        errors.add(row.number, "birth_date", _("The birth date is not a date (dd/mm/yyyy)."))
        return None
    if birth is not None:
        matches = people.by_name_birth.get((key, birth)) or people.outside_name_birth.get(
            (key, birth), []
        )
    else:
        matches = people.by_name.get(key, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        if birth is None and key in people.outside_names:
            errors.add(
                row.number,
                "birth_date",
                _("This person is not on the list: add the birth date or the card number."),
            )
        else:
            errors.add(
                row.number, "full_name", _("Nobody with this name (and birth date) was found.")
            )
        return None
    errors.add(
        row.number,
        "full_name",
        _("%(count)d people match this name; add the birth date or the card number.")
        % {"count": len(matches)},
    )
    return None
