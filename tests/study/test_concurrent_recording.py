"""Two people recording attendance for one session at the same moment: the counters end up
matching the rows (writers lock the session, so recounts run one after the other)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from giamsat.study import services
from giamsat.study.models import Attendance, Status, StudySession
from tests.study.factories import make_session


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_marks_keep_the_counters_exact(tree, members, nq04):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself")
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    people = list(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    barrier = threading.Barrier(len(people))
    errors = []

    def record(person_id):
        try:
            barrier.wait(timeout=10)
            services.record_attendance(
                acting_user=None,
                session=StudySession.objects.get(pk=session.pk),
                marks=[services.Mark(person_id=person_id, status=Status.PRESENT)],
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    session.refresh_from_db()
    assert (session.present, session.pending) == (len(people), 0)
