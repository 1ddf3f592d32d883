"""Working days skip weekends, Vietnamese public holidays (Tết and the other lunar dates, the
compensatory days) and the administrator's adjustments; make-up Saturdays count as working.

Every expected date below was counted by hand on a calendar; the comment above each test shows
the count.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from giamsat.core.deadlines import (
    DeadlineError,
    SkipKind,
    WorkCalendar,
    add_working_days,
    count_working_days,
)
from giamsat.core.models import CalendarAdjustment

D = dt.date
NO_ADJUSTMENTS = WorkCalendar(adjustments={})


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_five_working_days_across_tet_2021():
    """Mon 08/02/2021 + 5 working days = Mon 22/02/2021.

    Tue 09 (1); Wed 10 "29 Tết", Thu 11 Giao thừa, Fri 12 Tết, Sat 13 Mùng hai, Sun 14 Mùng
    ba, Mon 15 Mùng bốn, Tue 16 Mùng năm: off; Wed 17 (2), Thu 18 (3), Fri 19 (4); Sat 20,
    Sun 21 weekend; Mon 22 (5).
    """
    assert add_working_days(D(2021, 2, 8), 5, calendar=NO_ADJUSTMENTS) == D(2021, 2, 22)


def test_tet_days_are_off_with_their_names():
    """The calendar names each Tết day (library names, in Vietnamese)."""
    off = NO_ADJUSTMENTS.day_off(D(2021, 2, 12))
    assert off is not None
    assert off.kind == SkipKind.HOLIDAY
    assert off.reason == "Tết Nguyên Đán"
    assert NO_ADJUSTMENTS.day_off_reason(D(2021, 2, 10)) == "29 Tết"
    # A Tết day on a weekend is reported as the holiday, not as a weekend.
    assert NO_ADJUSTMENTS.day_off(D(2021, 2, 13)).kind == SkipKind.HOLIDAY


def test_lunar_hung_kings_day_moves_every_year():
    """Giỗ Tổ Hùng Vương (10/3 âm lịch): 21/04/2021, 10/04/2022, 29/04/2023."""
    for day in (D(2021, 4, 21), D(2022, 4, 10), D(2023, 4, 29)):
        assert "Hùng Vương" in NO_ADJUSTMENTS.day_off_reason(day)


def test_compensatory_days_off_count_as_holidays():
    """03/01/2022 (nghỉ bù Tết Dương lịch) and 02–03/05/2022 are off.

    Fri 31/12/2021 + 1 working day: Sat 01/01 holiday, Sun 02, Mon 03 nghỉ bù → Tue 04/01/2022.
    """
    assert add_working_days(D(2021, 12, 31), 1, calendar=NO_ADJUSTMENTS) == D(2022, 1, 4)
    assert "nghỉ bù" in NO_ADJUSTMENTS.day_off_reason(D(2022, 5, 3))


def test_make_up_saturday_is_a_working_day():
    """Sat 05/01/2019 was a make-up working day: Fri 04/01/2019 + 1 working day = Sat 05/01."""
    assert NO_ADJUSTMENTS.is_working_day(D(2019, 1, 5))
    assert add_working_days(D(2019, 1, 4), 1, calendar=NO_ADJUSTMENTS) == D(2019, 1, 5)


def test_administrator_adjustments_override_the_library(db):
    """An extra day off announced late, and a make-up working Saturday, change the count.

    Tue 30/12/2025 + 1: Wed 31/12 extra day off, Thu 01/01/2026 Tết Dương lịch → Fri 02/01.
    Fri 09/01/2026 + 1 with Sat 10/01 declared a working day → Sat 10/01.
    """
    CalendarAdjustment.objects.create(day=D(2025, 12, 31), reason="Nghỉ bù (thông báo muộn)")
    CalendarAdjustment.objects.create(
        day=D(2026, 1, 10), is_working_day=True, reason="Làm bù cho ngày 31/12/2025"
    )
    calendar = WorkCalendar()
    assert add_working_days(D(2025, 12, 30), 1, calendar=calendar) == D(2026, 1, 2)
    off = calendar.day_off(D(2025, 12, 31))
    assert off.kind == SkipKind.ADJUSTMENT and off.reason == "Nghỉ bù (thông báo muộn)"
    assert add_working_days(D(2026, 1, 9), 1, calendar=calendar) == D(2026, 1, 10)


def test_adjustments_are_read_from_the_database_by_default(db):
    """``add_working_days`` without a calendar uses the administrator's adjustments."""
    CalendarAdjustment.objects.create(day=D(2024, 6, 3), reason="Ngày nghỉ địa phương")
    # Fri 31/05/2024 + 1: Sat, Sun, Mon 03/06 off → Tue 04/06.
    assert add_working_days(D(2024, 5, 31), 1) == D(2024, 6, 4)


def test_zero_days_is_the_start_itself_and_negative_is_refused():
    assert add_working_days(D(2021, 2, 12), 0, calendar=NO_ADJUSTMENTS) == D(2021, 2, 12)
    with pytest.raises(DeadlineError):
        add_working_days(D(2021, 2, 12), -1, calendar=NO_ADJUSTMENTS)


def test_count_working_days_is_the_inverse_of_adding():
    """Working days in (08/02/2021, 22/02/2021] = 5 (see the Tết count above)."""
    assert count_working_days(D(2021, 2, 8), D(2021, 2, 22), calendar=NO_ADJUSTMENTS) == 5
    assert count_working_days(D(2021, 2, 22), D(2021, 2, 8), calendar=NO_ADJUSTMENTS) == 0


def test_national_day_two_days_from_2021():
    """Quốc khánh is two days from 2021 (02/09 and the day before or after)."""
    assert not NO_ADJUSTMENTS.is_working_day(D(2021, 9, 2))
    assert not NO_ADJUSTMENTS.is_working_day(D(2021, 9, 3))
    assert not NO_ADJUSTMENTS.is_working_day(D(2022, 9, 1))
