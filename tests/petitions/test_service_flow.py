"""A letter goes from the hotline through classification, acceptance, conclusion and answer;
each step is recorded as an event and the time limit follows the rule in force."""

from __future__ import annotations

import datetime as dt

from giamsat.petitions import services
from giamsat.petitions.models import EventKind, Outcome, Status
from tests.petitions.factories import accepted, classified, hotline_petition

D = dt.date


def test_hotline_letter_to_answer(tree, users, frozen):
    petition, code = hotline_petition(tree.city)
    assert petition.status == Status.RECEIVED
    assert petition.code.startswith("DT2024-")
    assert len(code) == 20 and code.isdigit()
    # Processing deadline: 10 working days from Mon 04/03/2024 → Mon 18/03/2024.
    assert petition.process_due_on == D(2024, 3, 18)
    petition = classified(petition, users.authorised)
    assert petition.is_admissible is True
    petition = accepted(petition, users.authorised, D(2024, 3, 4))
    assert petition.status == Status.IN_HANDLING
    # QĐ 22 (until 29/05/2025): 90 calendar days from 04/03/2024
    # → 02/06/2024 (Sun) → Mon 03/06/2024.
    assert petition.due_on == D(2024, 6, 3)
    services.conclude(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        concluded_on=D(2024, 3, 4),
        outcome=Outcome.PARTLY_FOUNDED,
        conclusion="Có cơ sở một phần.",
    )
    petition.refresh_from_db()
    services.answer(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        answered_on=D(2024, 3, 4),
        text="Đơn của ông/bà đã được giải quyết.",
    )
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED
    kinds = list(petition.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.CLASSIFIED,
        EventKind.ACCEPTED,
        EventKind.CONCLUDED,
        EventKind.ANSWERED,
    ]
