"""An office records attendance for a session in the browser and sees the rate change."""

import datetime as dt

from playwright.sync_api import expect

from giamsat.accounts.roles import Role
from giamsat.study.models import Attendance, Status
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, make_user
from tests.study.factories import make_directive, make_session


def test_recording_attendance_updates_the_rate(page, tree, members):
    session = make_session(
        tree.ward_a,
        dt.date(2022, 4, 10),
        [make_directive(4)],
        title="Hội nghị học tập Nghị quyết Trung ương 4",
    )
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="vanphong_e2e")
    first = Attendance.objects.filter(session=session).order_by("person__name_sort").first()
    second = (
        Attendance.objects.filter(session=session)
        .exclude(pk=first.pk)
        .order_by("person__name_sort")
        .first()
    )

    login(page, "vanphong_e2e", PASSWORD)
    page.goto(page.base_url + session.get_absolute_url())
    page.wait_for_selector("#rate-value")
    assert page.inner_text("#rate-value").strip() == "0,0 %"

    page.select_option(f"#a{first.pk} select[name=status]", "present")
    page.click(f"#a{first.pk} button[type=submit]")
    expect(page.locator("#rate-value")).to_have_text("25,0 %")

    # An excused absence without its reason is refused on the row, with a message.
    page.select_option(f"#a{second.pk} select[name=status]", "excused")
    page.click(f"#a{second.pk} button[type=submit]")
    page.wait_for_selector(f"#a{second.pk} [role=alert]")
    assert "lý do" in page.inner_text(f"#a{second.pk} [role=alert]")
    page.fill(f"#a{second.pk} input[name=reason]", "Công tác xa")
    page.click(f"#a{second.pk} button[type=submit]")
    expect(page.locator(f"#a{second.pk} [role=alert]")).to_have_count(0)
    screenshot(page, "study-attendance")

    assert Attendance.objects.get(pk=first.pk).status == Status.PRESENT
    assert Attendance.objects.get(pk=second.pk).reason == "Công tác xa"
    session.refresh_from_db()
    assert (session.present, session.excused, session.pending) == (1, 1, 2)

    # The figures page of the ward shows the same, and opens to the record.
    page.goto(page.base_url + f"/figures/?unit={tree.ward_a.pk}&from=01/01/2022&to=31/12/2022")
    page.click("#ind-studyattendances a.fw-bold")
    page.wait_for_selector("table")
    assert first.person.full_name in page.content()
    screenshot(page, "study-drilldown")
