"""``giamsat send_deadline_reminders`` e-mails the handler (or the nearest petition staff) when a
deadline is due soon, overdue and long overdue — once each — with no identity or content."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from giamsat.petitions.models import ReminderLog
from tests.factories import make_user
from tests.petitions.factories import IDENTITY_STRINGS, accepted, classified, hotline_petition

D = dt.date


def _run(day: str | None = None) -> str:
    out = StringIO()
    args = ["send_deadline_reminders"] + (["--today", day] if day else [])
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def handled(tree, users, frozen):
    """Accepted Mon 04/03/2024 (QĐ 22, 90 days): due Mon 03/06/2024."""
    users.authorised.email = "ubkt@example.vn"
    users.authorised.save()
    petition, _ = hotline_petition(tree.city, content="Tố cáo nội dung bí mật số 42 về đất đai.")
    petition = classified(petition, users.authorised)
    return accepted(petition, users.authorised, D(2024, 3, 4), handler=users.authorised)


def test_reminders_are_sent_once_per_state(handled, frozen):
    assert handled.due_on == D(2024, 6, 3)
    _run("20/05/2024")  # 14 days left: in time
    assert mail.outbox == []
    _run("28/05/2024")  # 6 days left: due soon
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ubkt@example.vn"]
    assert handled.code in message.body and "03/06/2024" in message.body
    _run("29/05/2024")  # again: nothing new
    assert len(mail.outbox) == 1
    _run("04/06/2024")  # overdue
    _run("05/07/2024")  # 32 days past: long overdue
    _run("06/07/2024")
    assert len(mail.outbox) == 3
    assert set(ReminderLog.objects.values_list("state", flat=True)) == {
        "due_soon",
        "overdue",
        "long_overdue",
    }


def test_reminders_carry_no_identity_and_no_content(handled):
    _run("28/05/2024")
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert all(s not in body for s in IDENTITY_STRINGS)
    assert "bí mật số 42" not in body


def test_an_extension_gets_its_own_reminders(handled, users):
    from giamsat.petitions import services

    _run("28/05/2024")
    services.extend(
        petition=handled,
        acting_user=users.authorised,
        expected_version=handled.version,
        days=30,
        decided_on=D(2024, 3, 4),
        reason="Phức tạp",
    )
    handled.refresh_from_db()
    _run(handled.due_on.strftime("%d/%m/%Y"))
    assert len(mail.outbox) == 2


def test_without_a_handler_the_nearest_petition_staff_are_reminded(tree, users, officer, frozen):
    petition, _ = hotline_petition(tree.city)  # still to be classified: processing deadline
    assert petition.process_due_on == D(2024, 3, 18)
    output = _run("12/03/2024")
    recipients = sorted(a for m in mail.outbox for a in m.to)
    assert recipients == ["officer@example.vn"]
    assert "1 e-mail" in output


def test_conflicted_staff_are_never_reminded(tree, users, members, frozen):
    person = members[next(iter(members))][0]
    make_user(
        "petition_officer",
        tree.city,
        username="conflicted",
        person=person,
        email="conflicted@example.vn",
    )
    make_user("petition_officer", tree.city, username="clean", email="clean@example.vn")
    petition, _ = hotline_petition(tree.city, content=f"Tố cáo ông {person.full_name} nhận tiền.")
    assert person in petition.subject_people.all()
    _run("12/03/2024")
    recipients = sorted(a for m in mail.outbox for a in m.to)
    assert "conflicted@example.vn" not in recipients and "clean@example.vn" in recipients


def test_dry_run_sends_and_logs_nothing(handled):
    call_command("send_deadline_reminders", "--today", "28/05/2024", "--dry-run", stdout=StringIO())
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_a_bad_date_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        _run("2024-13-45")
