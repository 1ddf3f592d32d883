"""``due_date`` applies the rule in force when the clock starts, counts as the rule says, and
explains itself; each case is checked against an explanation computed by hand (in the
docstring), across Tết and other holidays, extensions, suspensions and transfers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from giamsat.core.deadlines import (
    DayCount,
    DeadlineError,
    Explanation,
    SkipKind,
    Suspension,
    WorkCalendar,
    due_date,
    rule_on,
)
from giamsat.core.models import DeadlineSetting

D = dt.date
CAL = WorkCalendar(adjustments={})


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _days(skipped, kind):
    return [s.day for s in skipped if s.kind == kind]


def test_calendar_limit_ending_on_new_year_eve_moves_past_tet():
    """Luật Tố cáo 2018 Điều 30, thụ lý Wed 10/01/2024, 30 calendar days.

    Counting from Thu 11/01: day 30 is Fri 09/02/2024 = Giao thừa. 10/02 Tết (Sat), 11/02
    Mùng hai (Sun), 12/02 Mùng ba, 13/02 Mùng bốn, 14/02 Mùng năm are off too; the next working
    day is Thu 15/02/2024 (Civil Code art. 148(5)). Six days skipped, all holidays.
    """
    deadline = due_date("state_denunciation", D(2024, 1, 10), calendar=CAL)
    ex = deadline.explanation
    assert deadline.due == D(2024, 2, 15)
    assert ex.source == "Luật Tố cáo 2018 Điều 30"
    assert ex.count == DayCount.CALENDAR
    assert ex.counting_from == D(2024, 1, 11)
    assert ex.days == 30
    assert ex.moved_from == D(2024, 2, 9)
    assert [s.day for s in ex.skipped] == [D(2024, 2, d) for d in range(9, 15)]
    assert {s.kind for s in ex.skipped} == {SkipKind.HOLIDAY}
    assert ex.skipped[0].reason == "Giao thừa Tết Nguyên Đán"


def test_working_days_across_new_year_and_tet_2020_with_an_extension():
    """QĐ 30-QĐ/TW: 90 working days + one extension of 30, received Tue 01/10/2019.

    90 working days = 18 weeks of 5, which ends Tue 04/02/2020 without holidays. Six weekday
    holidays fall inside: Wed 01/01/2020, Thu 23/01 (29 Tết), Fri 24/01, Mon 27/01, Tue 28/01,
    Wed 29/01 (Tết also covers Sat 25 and Sun 26). So the base period ends six working days
    later: Wed 12/02/2020. The extension adds 6 weeks with no holiday: Wed 25/03/2020.
    Calendar days 02/10/2019–25/03/2020: 176 = 120 counted + 8 holidays + 48 weekend days.
    """
    base = due_date("party_denunciation.local", D(2019, 10, 1), calendar=CAL)
    assert base.due == D(2020, 2, 12)
    assert base.explanation.count == DayCount.WORKING
    assert base.explanation.source.startswith("QĐ 30-QĐ/TW")
    extended = due_date("party_denunciation.local", D(2019, 10, 1), extensions=1, calendar=CAL)
    ex = extended.explanation
    assert extended.due == D(2020, 3, 25)
    assert ex.days == 120 and ex.base_days == 90 and ex.extensions == (30,)
    assert _days(ex.skipped, SkipKind.HOLIDAY) == [
        D(2020, 1, 1),
        D(2020, 1, 23),
        D(2020, 1, 24),
        D(2020, 1, 25),
        D(2020, 1, 26),
        D(2020, 1, 27),
        D(2020, 1, 28),
        D(2020, 1, 29),
    ]
    assert len(_days(ex.skipped, SkipKind.WEEKEND)) == 48


def test_transfer_runs_the_clock_from_the_competent_body_receipt():
    """QĐ 22-QĐ/TW, 90 calendar days. First received 01/03/2022 by a body that was not
    competent; the competent body received it on 15/03/2022.

    From 15/03: 16 days to 31/03, 30 to 30/04, 31 to 31/05 (77), 13 more → Mon 13/06/2022.
    Without the transfer rule it would be 01/03 + 90 = Mon 30/05/2022.
    """
    deadline = due_date(
        "party_denunciation.local", D(2022, 3, 1), received_by_competent_on=D(2022, 3, 15)
    )
    ex = deadline.explanation
    assert deadline.due == D(2022, 6, 13)
    assert ex.start == D(2022, 3, 1)
    assert ex.clock_start == D(2022, 3, 15)
    assert ex.counting_from == D(2022, 3, 16)
    assert ex.unconfirmed is True
    assert due_date("party_denunciation.local", D(2022, 3, 1), calendar=CAL).due == D(2022, 5, 30)


def test_transfer_before_the_first_receipt_is_refused():
    with pytest.raises(DeadlineError):
        due_date("state_denunciation", D(2022, 3, 1), received_by_competent_on=D(2022, 2, 1))


def test_rule_is_chosen_by_the_day_the_clock_starts():
    """27/07/2021 is still QĐ 30 (working days); 28/07/2021 is QĐ 22 (calendar days). A
    letter first received on 20/07/2021 but received by the competent body on 02/08/2021
    falls under QĐ 22."""
    assert rule_on("party_denunciation.local", D(2021, 7, 27)).count == DayCount.WORKING
    assert rule_on("party_denunciation.local", D(2021, 7, 28)).count == DayCount.CALENDAR
    moved = due_date(
        "party_denunciation.local", D(2021, 7, 20), received_by_competent_on=D(2021, 8, 2)
    )
    assert moved.explanation.count == DayCount.CALENDAR
    assert "QĐ 22" in moved.explanation.source


def test_suspension_days_do_not_count():
    """Luật Tố cáo 2018: thụ lý Wed 01/03/2023, 30 days → Fri 31/03/2023. Suspended 10/03 to
    19/03 (10 days) → Mon 10/04/2023, a working day (Giỗ Tổ 2023 is 29/04)."""
    plain = due_date("state_denunciation", D(2023, 3, 1), calendar=CAL)
    assert plain.due == D(2023, 3, 31)
    suspended = due_date(
        "state_denunciation",
        D(2023, 3, 1),
        suspensions=[Suspension(D(2023, 3, 10), D(2023, 3, 19), "chờ kết quả giám định")],
        calendar=CAL,
    )
    ex = suspended.explanation
    assert suspended.due == D(2023, 4, 10)
    assert _days(ex.skipped, SkipKind.SUSPENSION) == [D(2023, 3, d) for d in range(10, 20)]
    assert ex.skipped[0].reason == "chờ kết quả giám định"
    assert ex.suspensions == ((D(2023, 3, 10), D(2023, 3, 19)),)


def test_overlapping_suspensions_count_each_day_once():
    """10–19/03 and 15–24/03/2023 together stop the clock 15 days (10–24/03): 31/03 + 15 =
    15/04/2023 (Sat) → Mon 17/04/2023."""
    deadline = due_date(
        "state_denunciation",
        D(2023, 3, 1),
        suspensions=[(D(2023, 3, 10), D(2023, 3, 19)), (D(2023, 3, 15), D(2023, 3, 24))],
        calendar=CAL,
    )
    assert deadline.due == D(2023, 4, 17)
    assert len(deadline.explanation.suspended_days) == 15


def test_suspension_before_the_clock_starts_changes_nothing():
    deadline = due_date(
        "state_denunciation",
        D(2023, 3, 1),
        suspensions=[(D(2023, 2, 1), D(2023, 3, 1))],
        calendar=CAL,
    )
    assert deadline.due == D(2023, 3, 31)


def test_suspension_in_working_days_skips_only_working_days_once():
    """QĐ 30 era, working days, received Mon 07/06/2021. 10 working days → Mon 21/06/2021.
    Suspended Wed 09/06–Tue 15/06 (5 working days + a weekend): → Mon 28/06/2021."""
    rule = rule_on("party_denunciation.local", D(2021, 6, 7))
    from dataclasses import replace

    short = replace(rule, days=10)
    assert due_date(short, D(2021, 6, 7), calendar=CAL).due == D(2021, 6, 21)
    deadline = due_date(short, D(2021, 6, 7), suspensions=[(D(2021, 6, 9), D(2021, 6, 15))])
    assert deadline.due == D(2021, 6, 28)
    assert len(deadline.explanation.suspended_days) == 7


def test_extension_ending_on_a_saturday_moves_to_monday():
    """Luật Tố cáo 2018, complex case, one extension of 30: thụ lý Tue 10/01/2023, 60 days →
    Sat 11/03/2023 → Mon 13/03/2023."""
    deadline = due_date(
        "state_denunciation", D(2023, 1, 10), extensions=[30], complex=True, calendar=CAL
    )
    assert deadline.due == D(2023, 3, 13)
    assert deadline.explanation.moved_from == D(2023, 3, 11)
    assert _days(deadline.explanation.skipped, SkipKind.WEEKEND) == [D(2023, 3, 11), D(2023, 3, 12)]


def test_extension_limits_follow_the_case():
    """Luật Tố cáo 2018 Điều 30: no extension for an ordinary case, one (≤ 30 days) for a
    complex case, two for an especially complex one."""
    with pytest.raises(DeadlineError):
        due_date("state_denunciation", D(2023, 1, 10), extensions=1, calendar=CAL)
    with pytest.raises(DeadlineError):
        due_date("state_denunciation", D(2023, 1, 10), extensions=2, complex=True, calendar=CAL)
    with pytest.raises(DeadlineError):
        due_date("state_denunciation", D(2023, 1, 10), extensions=[31], complex=True, calendar=CAL)
    twice = due_date(
        "state_denunciation",
        D(2023, 1, 10),
        extensions=[30, 20],
        especially_complex=True,
        calendar=CAL,
    )
    # 10/01/2023 + 80 = Fri 31/03/2023.
    assert twice.due == D(2023, 3, 31)
    assert twice.explanation.extensions == (30, 20)


def test_variants_for_complex_cases_in_remote_areas():
    """Luật Khiếu nại 2011 Điều 28: 30 / complex 45 / remote 45 / remote and complex 60 days
    from thụ lý. Thụ lý Mon 03/07/2023: +30 = Wed 02/08; +45 = Thu 17/08; +60 = Fri 01/09
    (Quốc khánh) → 02/09 Sat holiday, 03/09 Sun, 04/09 nghỉ bù → Tue 05/09/2023."""
    start = D(2023, 7, 3)
    assert due_date("state_complaint.first", start, calendar=CAL).due == D(2023, 8, 2)
    assert due_date("state_complaint.first", start, complex=True, calendar=CAL).due == D(
        2023, 8, 17
    )
    assert due_date("state_complaint.first", start, remote=True, calendar=CAL).due == D(2023, 8, 17)
    both = due_date("state_complaint.first", start, remote=True, complex=True, calendar=CAL)
    assert both.due == D(2023, 9, 5)
    assert both.explanation.base_days == 60
    assert "60" in both.explanation.variant_note
    assert [s.day for s in both.explanation.skipped] == [D(2023, 9, d) for d in (1, 2, 3, 4)]


def test_unknown_facts_are_refused():
    with pytest.raises(DeadlineError):
        due_date("state_denunciation", D(2023, 1, 10), compex=True, calendar=CAL)


def test_no_rule_in_force_is_a_clear_error():
    with pytest.raises(DeadlineError, match="no deadline rule"):
        due_date("state_denunciation", D(2010, 1, 1), calendar=CAL)
    with pytest.raises(DeadlineError):
        rule_on("no.such.rule", D(2023, 1, 1))


def test_administrator_override_from_a_date(db):
    """A setting of 60 working days from 01/01/2026 replaces the unconfirmed QĐ 21 value for
    facts from that day, and says so in the source; earlier facts keep the code's rule."""
    DeadlineSetting.objects.create(
        code="party_denunciation.local",
        days=60,
        count="working",
        valid_from=D(2026, 6, 1),
        source="Hướng dẫn của UBKT tỉnh",
        unconfirmed=False,
    )
    rule = rule_on("party_denunciation.local", D(2026, 6, 2))
    assert rule.days == 60 and rule.count == DayCount.WORKING and not rule.unconfirmed
    assert "Hướng dẫn của UBKT tỉnh" in rule.source
    assert rule_on("party_denunciation.local", D(2026, 5, 31)).days == 90
    # A setting older than the rule in force does not override the newer regulation.
    DeadlineSetting.objects.create(
        code="state_denunciation", days=5, count="calendar", valid_from=D(2018, 1, 1), source="x"
    )
    assert rule_on("state_denunciation", D(2023, 1, 1)).days == 30


def test_override_can_define_a_rule_the_code_does_not_know(db):
    DeadlineSetting.objects.create(
        code="delegation.recommendation",
        days=15,
        count="working",
        valid_from=D(2026, 1, 1),
        source="Kế hoạch của đoàn",
    )
    deadline = due_date("delegation.recommendation", D(2026, 3, 2), calendar=CAL)
    # Mon 02/03/2026 + 15 working days = 3 weeks → Mon 23/03/2026.
    assert deadline.due == D(2026, 3, 23)


def test_explanation_reads_in_vietnamese():
    """The explanation a user sees names the rule, the source, the start, the days and every
    holiday skipped, in Vietnamese."""
    deadline = due_date("state_denunciation", D(2024, 1, 10), calendar=CAL)
    with translation.override("vi"):
        text = "\n".join(deadline.explanation.lines())
    assert "Giải quyết tố cáo (Luật Tố cáo) — Luật Tố cáo 2018 Điều 30" in text
    assert "10/01/2024" in text and "11/01/2024" in text
    assert "09/02/2024 Giao thừa Tết Nguyên Đán" in text
    assert "15/02/2024" in text
    assert "Điều 148" in text


def test_explanation_survives_a_round_trip_through_json():
    deadline = due_date(
        "state_denunciation",
        D(2023, 1, 10),
        extensions=[30],
        complex=True,
        suspensions=[(D(2023, 1, 20), D(2023, 1, 25))],
        received_by_competent_on=D(2023, 1, 12),
        calendar=CAL,
    )
    import json

    data = json.loads(json.dumps(deadline.explanation.as_dict()))
    assert Explanation.from_dict(data) == deadline.explanation
