"""A generated data set is consistent: the invariants the services keep hold, the counts the
generator reports are the rows in the tables, and the figures of the indicator registry equal
the records the generator wrote — counted independently of the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from giamsat.discipline.models import DisciplineCase
from giamsat.indicators.registry import REGISTRY, IndicatorQuery
from giamsat.oversight.models import Case
from giamsat.people.models import Person
from giamsat.petitions.models import Petition
from giamsat.scale import checks
from giamsat.scale.generator import Generator
from giamsat.scale.shapes import DATA_UNTIL, LAST_DISTRICT_DAY, REFORM, get_shape
from giamsat.study.models import Attendance, Status, StudySession
from giamsat.units.models import Unit, UnitKind
from tests.scale.conftest import SEED

# Before the reform the districts hold their letters and cases; from 01/07/2025 the communes.
# The third period spans the reform: the dissolved districts' records still count, where the
# districts ended (the tree is read on the period's last day).
PERIODS = (
    (dt.date(2023, 1, 1), LAST_DISTRICT_DAY),
    (REFORM, DATA_UNTIL),
    (dt.date(2023, 1, 1), DATA_UNTIL),
)


def test_every_invariant_holds(tiny):
    """Closure = rebuild from the links, session counters and tallies = their rows, make-ups
    agree, every figure = its drill-down and every breakdown = the children's figures."""
    assert checks.check_closure() == []
    assert checks.check_study() == []
    assert checks.check_figures() == []


def test_the_reported_counts_are_the_rows_written(tiny):
    """The generator's table of counts is what the database holds."""
    counts = tiny.counts
    assert counts["units"] == Unit.objects.count()
    assert counts["persons"] == Person.objects.count()
    assert counts["attendance_rows"] == Attendance.objects.count()
    assert counts["sessions"] == StudySession.objects.count()
    assert counts["cases"] == Case.objects.count()
    assert counts["discipline_cases"] == DisciplineCase.objects.count()
    assert counts["petitions"] == Petition.objects.count()
    for name in ("attendance_rows", "sessions", "cases", "discipline_cases", "petitions"):
        assert counts[name] > 0, f"the tiny data set has no {name}"


def test_the_tree_has_the_shape_asked_for(tiny):
    """One central committee, the provinces under it, districts until 30/06/2025, communes
    from 01/07/2025."""
    shape = get_shape("tiny")
    root = Unit.objects.get(pk=tiny.landmarks["central"])
    provinces = Unit.objects.children_of(root, DATA_UNTIL).filter(kind=UnitKind.UNDER_CENTRE)
    assert provinces.count() == shape.provinces
    before = Unit.objects.filter(code__regex=r"\.H\d+$", valid_to=LAST_DISTRICT_DAY)
    after = Unit.objects.filter(code__regex=r"\.X\d+$", valid_from=REFORM)
    assert before.count() == shape.districts
    assert after.count() == shape.communes


def _figure(code: str, unit: Unit, start: dt.date, end: dt.date) -> int:
    return REGISTRY[code].compute(IndicatorQuery(unit, start, end)).value


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_national_figures_equal_the_generated_records(tiny, start, end):
    """At the root, every record the generator wrote in the period is counted once: the
    registry's figures equal plain counts of the generated rows."""
    root = Unit.objects.get(pk=tiny.landmarks["central"])
    sessions = StudySession.objects.filter(date__range=(start, end))
    assert (
        _figure("study.sessions", root, start, end)
        == sessions.filter(makeup_of__isnull=True).count()
    )
    assert (
        _figure("study.makeup_sessions", root, start, end)
        == sessions.filter(makeup_of__isnull=False).count()
    )
    present = Attendance.objects.filter(session_date__range=(start, end), status=Status.PRESENT)
    assert _figure("study.attendances", root, start, end) == present.count()
    assert present.count() > 0
    letters = Petition.objects.filter(received_on__range=(start, end), parent__isnull=True)
    assert _figure("petitions.received", root, start, end) == letters.count()
    assert letters.count() > 0
    members = DisciplineCase.objects.filter(
        status="decided", decided_on__range=(start, end)
    ).exclude(subject_kind="organisation")
    assert _figure("discipline.members", root, start, end) == members.count()


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_breakdown_by_province_adds_up_to_the_national_figure(tiny, start, end):
    """For counted records, the figures of the provinces add up to the country's, the
    records of the districts dissolved on 30/06/2025 included."""
    root = Unit.objects.get(pk=tiny.landmarks["central"])
    query = IndicatorQuery(root, start, end)
    provinces = list(Unit.objects.children_of(root, query.as_of).organisations())
    codes = (
        "study.attendances",
        "petitions.received",
        "oversight.inspections",
        "discipline.members",
    )
    for code in codes:
        breakdown = REGISTRY[code].breakdown(query, provinces)
        total = sum(value.value for value in breakdown.values())
        assert total == _figure(code, root, start, end), code


class _UndoError(Exception):
    pass


def _rows(queryset) -> list:
    """The rows as a sorted list: the same records, whatever order the bulk writes took
    (on PostgreSQL the heap left by a rolled-back run may change the insertion order)."""
    return sorted(queryset, key=repr)


def _fingerprint() -> tuple:
    return (
        _rows(Unit.objects.values_list("pk", "code", "name", "valid_to")),
        _rows(Person.objects.values_list("pk", "full_name", "birth_date")),
        _rows(Attendance.objects.values_list("session_id", "person_id", "status", "studied_on")),
        _rows(Petition.objects.values_list("code", "received_on", "status")),
        _rows(Case.objects.values_list("pk", "kind", "decided_on")),
    )


def test_the_same_seed_gives_the_same_data(db):
    """Reproducible: two runs with one seed write the same records; another seed differs."""
    prints = []
    for seed in (SEED, SEED, SEED + 1):
        try:
            with transaction.atomic():
                Generator(get_shape("tiny"), seed).run()
                prints.append(_fingerprint())
                raise _UndoError
        except _UndoError:
            pass
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_it_generates_into_a_database_whose_catalogues_were_flushed(db):
    """A flushed database (as after a transactional test) has lost the catalogues a migration
    loads; the generator loads them again rather than failing on the discipline records."""
    from giamsat.oversight.models import Catalogue, CatalogueItem

    CatalogueItem.objects.all().delete()
    Catalogue.objects.all().delete()
    dataset = Generator(get_shape("tiny"), SEED).run()
    assert CatalogueItem.objects.exists()
    assert dataset.counts["discipline_cases"] == DisciplineCase.objects.count() > 0


def test_a_dashboard_counts_each_family_of_figures_in_one_query(tiny, django_assert_num_queries):
    """Inside ``shared_reads`` the letters-received figures (total, by class, by channel,
    group) are one query, the attendance sums one, the distinct persons one; each value is
    still the number of its records."""
    from giamsat.indicators.registry import shared_reads

    root = Unit.objects.roots(DATA_UNTIL).get()
    query = IndicatorQuery(root, dt.date(2023, 1, 1), DATA_UNTIL)
    received = [i for i in REGISTRY.values() if i.code.startswith("petitions.received")]
    study = [
        REGISTRY[c]
        for c in (
            "study.attendances",
            "study.non_member_attendances",
            "study.makeup_attendances",
            "study.excused_absences",
            "study.attendance_rate",
        )
    ]
    persons = [REGISTRY[c] for c in ("study.persons_expected", "study.participation_rate")]
    assert len(received) >= 10
    with shared_reads():
        with django_assert_num_queries(1):
            values = {i.code: i.compute(query) for i in received}
        with django_assert_num_queries(1):
            values |= {i.code: i.compute(query) for i in study}
        with django_assert_num_queries(1):
            values |= {i.code: i.compute(query) for i in persons}
    for indicator in received + study[:4]:
        assert values[indicator.code].value == indicator.records(query).count()
    rate = values["study.attendance_rate"]
    assert rate.numerator == REGISTRY["study.attendance_rate"].records(query).count()
    assert values["petitions.received"].value > 0
