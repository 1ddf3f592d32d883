"""Recording attendance: counters kept in the same transaction, reasons, days, make-ups."""

import datetime as dt

import pytest
import time_machine

from giamsat.study import services
from giamsat.study.models import Attendance, SessionTally, Status
from tests.study.factories import make_session, mark


def counters(session):
    session.refresh_from_db()
    return (session.listed, session.present, session.excused, session.absent, session.pending)


def test_counters_and_tallies_follow_every_change(tree, members, nq04):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    person = members[tree.cell_a1.code][0]
    assert counters(session) == (4, 0, 0, 0, 4)
    mark(session, person)
    assert counters(session) == (4, 1, 0, 0, 3)
    mark(session, person, Status.ABSENT)
    assert counters(session) == (4, 0, 0, 1, 3)
    mark(session, person, Status.PENDING)
    assert counters(session) == (4, 0, 0, 0, 4)
    tallies = SessionTally.objects.filter(session=session)
    assert {t.unit_id: t.listed for t in tallies} == {tree.cell_a1.pk: 2, tree.cell_a2.pk: 2}


def test_a_failed_recording_changes_nothing(tree, members, nq04):
    """All or nothing: one excused absence without a reason refuses the whole batch."""
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    a1, a1b = members[tree.cell_a1.code]
    with pytest.raises(services.StudyError) as refused:
        services.record_attendance(
            acting_user=None,
            session=session,
            marks=[
                services.Mark(person_id=a1.pk, status=Status.PRESENT),
                services.Mark(person_id=a1b.pk, status=Status.EXCUSED, reason=" "),
            ],
        )
    assert [(e.index, e.field) for e in refused.value.errors] == [(1, "reason")]
    assert counters(session) == (4, 0, 0, 0, 4)


def test_attendance_cannot_be_recorded_before_the_session(tree, members, nq04):
    session = make_session(tree.ward_a, dt.date(2022, 12, 10), [nq04])
    with pytest.raises(services.StudyError):
        mark(session, members[tree.cell_a1.code][0])
    with time_machine.travel(dt.datetime(2022, 12, 10, 15, 0), tick=False):
        mark(session, members[tree.cell_a1.code][0])
    assert counters(session)[1] == 1


def test_a_day_outside_a_multi_day_session_is_refused(tree, members, nq04):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04], end_date=dt.date(2022, 4, 12))
    person = members[tree.cell_a1.code][0]
    with pytest.raises(services.StudyError):
        mark(session, person, attended_on=dt.date(2022, 4, 13))
    mark(session, person, attended_on=dt.date(2022, 4, 12))
    assert Attendance.objects.get(session=session, person=person).studied_on == dt.date(2022, 4, 12)


def test_a_make_up_lists_only_those_who_missed_and_undoing_it_undoes_the_credit(
    tree, members, nq04
):
    a1, a1b = members[tree.cell_a1.code]
    session = make_session(tree.cell_a1, dt.date(2022, 4, 10), [nq04])
    mark(session, a1)
    mark(session, a1b, Status.EXCUSED, reason="Ốm")
    makeup = make_session(tree.cell_a1, dt.date(2022, 4, 20), [], makeup_of=session)
    assert list(makeup.attendances.values_list("person_id", flat=True)) == [a1b.pk]
    mark(makeup, a1b)
    original = Attendance.objects.get(session=session, person=a1b)
    assert (original.status, original.made_up_on, original.studied_on) == (
        Status.EXCUSED,
        dt.date(2022, 4, 20),
        dt.date(2022, 4, 20),
    )
    assert original.made_up_in == makeup
    session.refresh_from_db()
    assert session.made_up == 1 and session.participation_rate() == 100
    mark(makeup, a1b, Status.ABSENT)
    original.refresh_from_db()
    assert (original.made_up_on, original.studied_on) == (None, None)
    session.refresh_from_db()
    assert session.made_up == 0
    # A make-up refuses people who were not on its list, and cannot itself be made up.
    with pytest.raises(services.StudyError):
        mark(makeup, a1)
    with pytest.raises(services.StudyError):
        make_session(tree.cell_a1, dt.date(2022, 4, 30), [], makeup_of=makeup)
    with pytest.raises(services.StudyError):
        make_session(tree.cell_a1, dt.date(2022, 4, 1), [], makeup_of=session)


def test_refreshing_the_list_adds_newcomers_and_keeps_recorded_rows(tree, members, nq04):
    from giamsat.people.models import Membership
    from tests.factories import make_member

    session = make_session(tree.cell_a1, dt.date(2022, 4, 10), [nq04])
    leaver, stayer = members[tree.cell_a1.code]
    mark(session, stayer)
    newcomer = make_member(tree.cell_a1, valid_from=dt.date(2022, 1, 1))
    Membership.objects.filter(person=leaver).update(valid_to=dt.date(2022, 3, 31))
    added, removed = services.refresh_list(acting_user=None, session=session)
    assert (added, removed) == (1, 1)
    people = set(session.attendances.values_list("person_id", flat=True))
    assert people == {stayer.pk, newcomer.pk}


def test_a_session_with_recorded_attendance_cannot_be_deleted(tree, members, nq04):
    session = make_session(tree.cell_a1, dt.date(2022, 4, 10), [nq04])
    mark(session, members[tree.cell_a1.code][0])
    with pytest.raises(services.StudyError):
        services.delete_session(acting_user=None, session=session)
    empty = make_session(tree.cell_a2, dt.date(2022, 4, 10), [nq04])
    services.delete_session(acting_user=None, session=empty)


def test_each_recording_leaves_an_audit_entry(tree, members, nq04, office):
    from auditlog.models import LogEntry

    session = make_session(tree.cell_a1, dt.date(2022, 4, 10), [nq04])
    mark(session, members[tree.cell_a1.code][0], user=office)
    entry = LogEntry.objects.filter(object_pk=str(session.pk), actor=office).latest("timestamp")
    assert entry.additional_data["marks"][0][1] == "present"
