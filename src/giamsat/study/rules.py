"""Pure rules of study sessions and attendance (no database).

No regulation fixes the arithmetic of study figures; these definitions follow how committee
offices report them ("trên 80 nghìn lượt … tham gia học tập đạt 96%", seed article):
* an attendance (lượt) is one person present at one session, make-up sessions included;
* a person studied a session's directives if present at it or at a make-up session for it;
* the participation rate is the share of distinct persons on the lists of the regular
  sessions who studied (make-ups included), over those persons.
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.text import search_key
from giamsat.study.models import Status

# Spellings accepted in spreadsheets and the API, compared without case or diacritics.
STATUS_SPELLINGS: dict[Status, tuple[str, ...]] = {
    Status.PRESENT: (
        "có mặt",
        "co mat",
        "có",
        "x",
        "1",
        "đã học",
        "tham gia",
        "dự",
        "present",
        "online",
        "trực tuyến",
    ),
    Status.EXCUSED: (
        "vắng có lý do",
        "vắng có lí do",
        "vắng có phép",
        "có phép",
        "có lý do",
        "p",
        "excused",
    ),
    Status.ABSENT: ("vắng", "vắng không lý do", "vắng không phép", "không", "0", "k", "absent"),
    Status.PENDING: ("chưa ghi nhận", "chưa điểm danh", "pending"),
}
_STATUS_BY_KEY: dict[str, Status] = {
    search_key(spelling): status
    for status, spellings in STATUS_SPELLINGS.items()
    for spelling in spellings
}


def parse_status(text: str) -> Status | None:
    """The status a spreadsheet cell means, or None when it means nothing known."""
    return _STATUS_BY_KEY.get(search_key(text))


def studied_on(
    status: Status, attended_on: dt.date | None, made_up_on: dt.date | None
) -> dt.date | None:
    """The day a person studied a session: the day they attended, else their make-up day."""
    if status == Status.PRESENT and attended_on is not None:
        return attended_on
    return made_up_on


def needs_reason(status: Status) -> bool:
    # An excused absence (vắng có lý do) is excused by its reason; without one it is an absence.
    return status == Status.EXCUSED


def day_in_session(day: dt.date, first: dt.date, last: dt.date) -> bool:
    return first <= day <= last
