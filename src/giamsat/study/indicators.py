"""Study figures: sessions, attendances (lượt), distinct persons and participation rates.

Every figure opens to its records. Counts of attendances are read from ``SessionTally``
(one row per session and participant unit) and distinct persons from the covering index
``attendance_studied_idx``; ``records`` lists the same rows (tests/study/test_indicator_records).
Per-unit figures follow the person's unit on the session's date (``Attendance.unit``), so a
city's members who attended a provincial conference through a connected point count for the
city, and a member who moved cell counts where they were each time. Sessions are counted
where they were organised.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, Min, Q, QuerySet, Sum, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from giamsat.accounts.roles import Cap
from giamsat.indicators.registry import (
    Column,
    Indicator,
    IndicatorQuery,
    IndicatorValue,
    aggregate_by_child,
    rate,
    register,
    shared,
)
from giamsat.study.models import Attendance, SessionTally, Status, StudySession
from giamsat.units.models import Unit, UnitAncestry

DOMAIN = "study"


# --- filters ------------------------------------------------------------------------------


def _directive_session_ids(query: IndicatorQuery):
    through = StudySession.directives.through
    return through.objects.filter(directive_id__in=sorted(query.directive_ids)).values(
        "studysession_id"
    )


def sessions(query: IndicatorQuery, *, makeup: bool = False) -> QuerySet[StudySession]:
    qs = StudySession.objects.filter(
        query.in_subtree("unit"), query.in_period("date"), makeup_of__isnull=not makeup
    )
    if query.directive_ids:
        qs = qs.filter(pk__in=_directive_session_ids(query))
    return qs.select_related("unit").order_by("date", "pk")


# Study breakdowns never narrow to the subtree first (``narrow=False``): their rows are read
# from the (unit, date, ...) indexes, and the semi-join only slowed a province's breakdown by
# commune down (docs/performance.md).


def _in_subtree(query: IndicatorQuery) -> Q:
    """The row's unit (a member's cell on the session's date) is in the queried subtree on
    ``as_of``, as a semi-join on the closure table (the database walks the facts' (unit, date,
    ...) indexes unit by unit); nothing for a breakdown, which joins the closure itself.
    Unlike ``IndicatorQuery.in_subtree`` it reads no ``ended_here`` rows: with them PostgreSQL
    chose a quadratic plan for the distinct-person lists on tables without statistics, so the
    attendance of a cell dissolved during the period drops out of figures read on a later day
    (docs/performance.md, "Records of units that ended during the period")."""
    if query.breakdown_path == "unit":
        return Q()
    ids = UnitAncestry.objects.filter(
        ancestor=query.unit, valid_from__lte=query.as_of, valid_to__gte=query.as_of
    ).values("descendant_id")
    return Q(unit_id__in=ids)


def tallies(query: IndicatorQuery) -> QuerySet[SessionTally]:
    qs = SessionTally.objects.filter(
        _in_subtree(query), session_date__gte=query.start, session_date__lte=query.end
    )
    if query.directive_ids:
        qs = qs.filter(session_id__in=_directive_session_ids(query))
    return qs


def attendances(query: IndicatorQuery) -> QuerySet[Attendance]:
    """Rows on the lists of sessions in the period, for people of the subtree."""
    qs = Attendance.objects.filter(
        _in_subtree(query), session_date__gte=query.start, session_date__lte=query.end
    )
    if query.directive_ids:
        qs = qs.filter(session_id__in=_directive_session_ids(query))
    return qs


def _expected_rows(query: IndicatorQuery) -> QuerySet[Attendance]:
    return attendances(query).filter(is_makeup=False)


def _studied_rows(query: IndicatorQuery) -> QuerySet[Attendance]:
    # Studied by the end of the period: present, or made up by then.
    return _expected_rows(query).filter(studied_on__lte=query.end)


def _one_row_per_person(rows: QuerySet[Attendance]) -> QuerySet[Attendance]:
    """One row per distinct person (their first), so that the list counts persons."""
    first = rows.order_by().values("person_id").annotate(first=Min("pk")).values("first")
    return _listing(Attendance.objects.filter(pk__in=first))


def _listing(rows: QuerySet[Attendance]) -> QuerySet[Attendance]:
    return rows.select_related("person", "unit", "session", "made_up_in").order_by(
        "session_date", "session_id", "person__name_sort", "pk"
    )


def _person_counts(query: IndicatorQuery) -> tuple[int, int]:
    """(expected, studied): distinct persons on the lists of the period's regular sessions, and
    those of them who studied by its end — one pass over the rows, read once per page or
    report (four figures use it)."""

    def read() -> tuple[int, int]:
        found = (
            _expected_rows(query)
            .order_by()
            .aggregate(
                expected=Count("person_id", distinct=True),
                studied=Count("person_id", distinct=True, filter=Q(studied_on__lte=query.end)),
            )
        )
        return found["expected"] or 0, found["studied"] or 0

    return shared(("study.person_counts", query), read)


def _person_counts_by_child(
    query: IndicatorQuery, children: list[Unit]
) -> dict[int, tuple[int, int]]:
    """``_person_counts`` for each child unit, in one grouped query."""

    def read() -> dict[int, tuple[int, int]]:
        studied = Case(When(studied_on__lte=query.end, then=F("person_id")))
        found = aggregate_by_child(
            _expected_rows(query.for_breakdown("unit", narrow=False)),
            "unit",
            children,
            query,
            with_ended=False,
            expected=("COUNT_DISTINCT", F("person_id")),
            studied=("COUNT_DISTINCT", studied),
        )
        return {child: (row["expected"], row["studied"]) for child, row in found.items()}

    key = ("study.person_counts_by_child", query, tuple(c.pk for c in children))
    return shared(key, read)


# The sums the attendance figures read from the tallies: (field, is_makeup or None for both).
TALLY_SUMS = (
    ("present", None),
    ("non_members_present", None),
    ("present", True),
    ("excused", False),
    ("present", False),
    ("made_up", False),
    ("listed", False),
)


def _tally_sums(query: IndicatorQuery) -> dict[tuple[str, bool | None], int]:
    """Every sum of ``TALLY_SUMS`` in one pass over the tallies, read once per page or report
    (five figures use them)."""

    def read() -> dict[tuple[str, bool | None], int]:
        sums = {
            f"s{i}": Sum(field) if makeup is None else Sum(field, filter=Q(is_makeup=makeup))
            for i, (field, makeup) in enumerate(TALLY_SUMS)
        }
        found = tallies(query).aggregate(**sums)
        return {key: found[f"s{i}"] or 0 for i, key in enumerate(TALLY_SUMS)}

    return shared(("study.tally_sums", query), read)


def _sum(query: IndicatorQuery, field: str, is_makeup: bool | None = None) -> int:
    return _tally_sums(query)[(field, is_makeup)]


def _by_child(
    qs: QuerySet, children: list[Unit], query: IndicatorQuery, aggregate, *, ended: bool = False
) -> dict:
    """One grouped query: ``aggregate`` (a ("SUM", expression) pair) per child unit."""
    found = aggregate_by_child(qs, "unit", children, query, with_ended=ended, n=aggregate)
    return {child: row["n"] for child, row in found.items()}


def _count_values(code: str, counts: dict, children: list[Unit]) -> dict[int, IndicatorValue]:
    return {c.pk: IndicatorValue(code, counts.get(c.pk, 0)) for c in children}


def _tally_breakdown(code: str, field: str, **filters):
    def breakdown(query: IndicatorQuery, children: list[Unit]) -> dict[int, IndicatorValue]:
        rows = tallies(query.for_breakdown("unit", narrow=False)).filter(**filters)
        counts = _by_child(rows, children, query, ("SUM", F(field)))
        return _count_values(code, counts, children)

    return breakdown


def _persons_breakdown(code: str, which: int):
    """Breakdown of expected (``which`` = 0) or studied (1) distinct persons."""

    def breakdown(query: IndicatorQuery, children: list[Unit]) -> dict[int, IndicatorValue]:
        counts = _person_counts_by_child(query, children)
        return {c.pk: IndicatorValue(code, counts.get(c.pk, (0, 0))[which]) for c in children}

    return breakdown


# --- drill-down columns -------------------------------------------------------------------


def _session_label(a: Attendance) -> str:
    return f"{a.session.title} ({a.session.date:%d/%m/%Y})"


def _studied_label(a: Attendance) -> str:
    if a.status == Status.PRESENT:
        return f"{a.attended_on:%d/%m/%Y}" if a.attended_on else ""
    if a.made_up_on:
        return str(_("made up on %(day)s") % {"day": f"{a.made_up_on:%d/%m/%Y}"})
    return ""


ATTENDANCE_COLUMNS = (
    Column(_("Full name"), lambda a: a.person.full_name, lambda a: a.person.get_absolute_url()),
    Column(_("Birth date"), lambda a: a.person.birth_date),
    Column(
        _("Party organisation"),
        lambda a: a.unit.name,
        lambda a: reverse("units:detail", args=[a.unit_id]),
    ),
    Column(_("Member"), lambda a: _("yes") if a.is_member else _("no")),
    Column(_("Session"), _session_label, lambda a: a.session.get_absolute_url()),
    Column(_("Attendance"), lambda a: a.get_status_display()),
    Column(_("Studied on"), _studied_label),
    Column(_("Reason"), lambda a: a.reason),
)

SESSION_COLUMNS = (
    Column(_("Date"), lambda s: s.date),
    Column(_("Session"), lambda s: s.title, lambda s: s.get_absolute_url()),
    Column(
        _("Organising unit"),
        lambda s: s.unit.name,
        lambda s: reverse("units:detail", args=[s.unit_id]),
    ),
    Column(_("Mode"), lambda s: s.get_mode_display()),
    Column(_("On the list"), lambda s: s.listed),
    Column(_("Present"), lambda s: s.present),
    Column(_("Participation"), lambda s: f"{s.participation_rate()} %"),
)


# --- the indicators -----------------------------------------------------------------------


def _sessions_breakdown(makeup: bool, code: str):
    def breakdown(query: IndicatorQuery, children: list[Unit]) -> dict[int, IndicatorValue]:
        qs = sessions(query.for_breakdown("unit", narrow=False), makeup=makeup).select_related(None)
        counts = _by_child(qs, children, query, ("COUNT_DISTINCT", F("pk")), ended=True)
        return _count_values(code, counts, children)

    return breakdown


register(
    Indicator(
        code="study.sessions",
        label=_("Study sessions held"),
        definition=_(
            "Study sessions (hội nghị học tập, quán triệt) organised by the unit or its "
            "sub-units in the period, make-up sessions excluded."
        ),
        unit_of_measure=pgettext_lazy("unit of measure", "sessions"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=sessions,
        columns=SESSION_COLUMNS,
        custom_breakdown=_sessions_breakdown(False, "study.sessions"),
        order=10,
    )
)

register(
    Indicator(
        code="study.makeup_sessions",
        label=_("Make-up sessions"),
        definition=_("Make-up sessions (học bù) organised by the unit or its sub-units."),
        unit_of_measure=pgettext_lazy("unit of measure", "sessions"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: sessions(q, makeup=True),
        columns=SESSION_COLUMNS,
        custom_breakdown=_sessions_breakdown(True, "study.makeup_sessions"),
        order=15,
    )
)


def _present_rows(query: IndicatorQuery) -> QuerySet[Attendance]:
    return _listing(attendances(query).filter(status=Status.PRESENT))


register(
    Indicator(
        code="study.attendances",
        label=_("Attendances (lượt)"),
        definition=_(
            "Attendances at study sessions in the period: one person present at one session "
            "(make-up sessions included), members and non-members, counted for the person's "
            "unit on the session's date."
        ),
        unit_of_measure=_("attendances"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=_present_rows,
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _sum(q, "present"),
        custom_breakdown=_tally_breakdown("study.attendances", "present"),
        order=20,
    )
)

register(
    Indicator(
        code="study.non_member_attendances",
        label=_("Attendances of cadres and civil servants outside the Party"),
        definition=_(
            "Attendances of invited non-members (cadres, civil servants, public employees)."
        ),
        unit_of_measure=_("attendances"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _listing(attendances(q).filter(status=Status.PRESENT, is_member=False)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _sum(q, "non_members_present"),
        custom_breakdown=_tally_breakdown("study.non_member_attendances", "non_members_present"),
        order=25,
    )
)

register(
    Indicator(
        code="study.makeup_attendances",
        label=_("Attendances at make-up sessions"),
        definition=_("Attendances at make-up sessions (học bù)."),
        unit_of_measure=_("attendances"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _listing(attendances(q).filter(status=Status.PRESENT, is_makeup=True)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _sum(q, "present", is_makeup=True),
        custom_breakdown=_tally_breakdown("study.makeup_attendances", "present", is_makeup=True),
        order=30,
    )
)

register(
    Indicator(
        code="study.excused_absences",
        label=_("Excused absences"),
        definition=_(
            "Places on the lists of regular sessions marked as excused absence (with a reason)."
        ),
        unit_of_measure=_("attendances"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _listing(attendances(q).filter(status=Status.EXCUSED, is_makeup=False)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _sum(q, "excused", is_makeup=False),
        custom_breakdown=_tally_breakdown("study.excused_absences", "excused", is_makeup=False),
        order=35,
    )
)

register(
    Indicator(
        code="study.persons_expected",
        label=_("Persons expected to study"),
        definition=_(
            "Distinct persons on the list of at least one regular session in the period "
            "(members of the cells in scope on the session's date, and invited non-members)."
        ),
        unit_of_measure=_("persons"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _one_row_per_person(_expected_rows(q)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _person_counts(q)[0],
        custom_breakdown=_persons_breakdown("study.persons_expected", 0),
        order=40,
    )
)

register(
    Indicator(
        code="study.persons_studied",
        label=_("Persons who studied"),
        definition=_(
            "Distinct persons expected in the period who attended one of those sessions, or a "
            "make-up session for it, by the end of the period."
        ),
        unit_of_measure=_("persons"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _one_row_per_person(_studied_rows(q)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _person_counts(q)[1],
        custom_breakdown=_persons_breakdown("study.persons_studied", 1),
        order=45,
    )
)


def _not_studied_rows(query: IndicatorQuery) -> QuerySet[Attendance]:
    studied = _studied_rows(query).values("person_id")
    return _expected_rows(query).exclude(person_id__in=studied)


def _not_studied_breakdown(query: IndicatorQuery, children: list[Unit]):
    counts = _person_counts_by_child(query, children)
    return {
        c.pk: IndicatorValue(
            "study.persons_not_studied", counts.get(c.pk, (0, 0))[0] - counts.get(c.pk, (0, 0))[1]
        )
        for c in children
    }


register(
    Indicator(
        code="study.persons_not_studied",
        label=_("Persons who have not studied"),
        definition=_(
            "Distinct persons expected in the period who attended none of those sessions nor a "
            "make-up session: the people a committee office follows up."
        ),
        unit_of_measure=_("persons"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _one_row_per_person(_not_studied_rows(q)),
        columns=ATTENDANCE_COLUMNS,
        fast_count=lambda q: _person_counts(q)[0] - _person_counts(q)[1],
        custom_breakdown=_not_studied_breakdown,
        order=50,
    )
)


def _participation(query: IndicatorQuery) -> IndicatorValue:
    expected, studied = _person_counts(query)
    return IndicatorValue("study.participation_rate", rate(studied, expected), studied, expected)


def _participation_breakdown(query: IndicatorQuery, children: list[Unit]):
    counts = _person_counts_by_child(query, children)
    values = {}
    for c in children:
        expected, studied = counts.get(c.pk, (0, 0))
        values[c.pk] = IndicatorValue(
            "study.participation_rate", rate(studied, expected), studied, expected
        )
    return values


register(
    Indicator(
        code="study.participation_rate",
        label=_("Participation rate"),
        definition=_(
            "Persons who studied (make-up sessions included) over persons expected to study, "
            "distinct persons, in percent."
        ),
        unit_of_measure="%",
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _one_row_per_person(_studied_rows(q)),
        denominator=lambda q: _one_row_per_person(_expected_rows(q)),
        columns=ATTENDANCE_COLUMNS,
        custom_value=_participation,
        custom_breakdown=_participation_breakdown,
        order=55,
    )
)


def _attendance_rate(query: IndicatorQuery) -> IndicatorValue:
    sums = _tally_sums(query)
    studied = sums[("present", False)] + sums[("made_up", False)]
    listed = sums[("listed", False)]
    return IndicatorValue("study.attendance_rate", rate(studied, listed), studied, listed)


def _attendance_rate_breakdown(query: IndicatorQuery, children: list[Unit]):
    regular = tallies(query.for_breakdown("unit", narrow=False)).filter(is_makeup=False)
    found = aggregate_by_child(
        regular,
        "unit",
        children,
        query,
        with_ended=False,
        studied=("SUM", F("present") + F("made_up")),
        listed=("SUM", F("listed")),
    )
    values = {}
    for c in children:
        row = found.get(c.pk, {"studied": 0, "listed": 0})
        values[c.pk] = IndicatorValue(
            "study.attendance_rate",
            rate(row["studied"], row["listed"]),
            row["studied"],
            row["listed"],
        )
    return values


register(
    Indicator(
        code="study.attendance_rate",
        label=_("Attendance rate per session"),
        definition=_(
            "Places on the lists of regular sessions filled (present, or made up at a make-up "
            "session) over all places on those lists, in percent; a person counts once per "
            "session."
        ),
        unit_of_measure="%",
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=lambda q: _listing(_expected_rows(q).filter(studied_on__isnull=False)),
        denominator=lambda q: _listing(_expected_rows(q)),
        columns=ATTENDANCE_COLUMNS,
        custom_value=_attendance_rate,
        custom_breakdown=_attendance_rate_breakdown,
        order=60,
    )
)
