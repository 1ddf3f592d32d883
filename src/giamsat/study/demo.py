"""Demo study sessions of the city (code "TP"), 2019 → 30/09/2022, on the five seed directives.

Seven rounds of sessions: the ward (and police, and agency cell) committees hold a session for
their members and invited cadres and civil servants; in November 2021 the city holds an online
conference with a connected point (điểm cầu) in every ward. Each regular session gets a
make-up session (học bù) two weeks later. A few members move cell during the period. About 4 %
of the people never attend (old age, long illness, working far away), so that the figures come
out, from the records, as in the article: more than 80,000 attendances and 96 % participation.

Bulk path: lists are computed in memory from the memberships (the same rule as
``services.derive_list``, checked by tests/study/test_demo.py), rows are inserted with
``bulk_create`` and ``services.recount`` writes every counter at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from giamsat.core.demo import DemoContext
from giamsat.people.models import Membership, Person, PersonCategory
from giamsat.study import bulk
from giamsat.study.models import (
    ConnectionPoint,
    Mode,
    ScopeKind,
    Source,
    Status,
    StudySession,
)
from giamsat.study.services import recount
from giamsat.units.models import Unit, UnitKind

D = dt.date
NEVER_SHARE = 0.039  # people who never attend: the 4 % behind "đạt 96%"
PRESENT = 0.93  # chance that anyone else attends a given session
MAKEUP = 0.55  # chance that someone who missed a session attends its make-up
MOVE_DAY = D(2020, 7, 1)
NEVER_REASONS = ["Tuổi cao, sức yếu", "Ốm dài ngày", "Đi làm ăn xa"]
REASONS = ["Ốm", "Công tác xa", "Việc gia đình", "Đi học tập trung", "Trực cơ quan", "Đi viện"]


@dataclass(frozen=True)
class Round:
    month: tuple[int, int]  # (year, month)
    keys: tuple[str, ...]  # seed directive keys
    title: str
    citywide: bool = False


ROUNDS = [
    Round(
        (2019, 4),
        ("nq04",),
        "Hội nghị học tập, quán triệt Nghị quyết Trung ương 4 khóa XII (năm 2019)",
    ),
    Round(
        (2019, 9),
        ("qd08",),
        "Hội nghị quán triệt Quy định số 08-QĐi/TW về trách nhiệm nêu gương của cán bộ, đảng viên",
    ),
    Round(
        (2020, 6),
        ("nq04", "qd08"),
        "Hội nghị học tập Nghị quyết Trung ương 4 khóa XII và Quy định 08-QĐi/TW (năm 2020)",
    ),
    Round(
        (2021, 3),
        ("nq04",),
        "Hội nghị học tập Nghị quyết Trung ương 4 khóa XII (năm 2021)",
    ),
    Round(
        (2021, 11),
        ("kl21", "qd37"),
        "Hội nghị trực tuyến quán triệt Kết luận số 21-KL/TW và Quy định số 37-QĐ/TW",
        citywide=True,
    ),
    Round(
        (2022, 2),
        ("kh03",),
        "Hội nghị quán triệt Kế hoạch số 03-KH/TW của Bộ Chính trị thực hiện Kết luận 21-KL/TW",
    ),
    Round(
        (2022, 8),
        ("nq04", "qd08"),
        "Hội nghị học tập Nghị quyết Trung ương 4 khóa XII và Quy định 08-QĐi/TW (năm 2022)",
    ),
]
KEYS = {"nq04": 0, "qd08": 1, "qd37": 2, "kl21": 3, "kh03": 4}


def _move_some_members(
    ctx: DemoContext, rng: random.Random, city_cells: list[Unit], wards: dict[int, int]
) -> int:
    """About forty members change cell (and ward) on 01/07/2020."""
    memberships = list(
        Membership.objects.filter(unit__in=city_cells, valid_to__isnull=True).order_by("pk")
    )
    movers = rng.sample(memberships, 40)
    new_rows = []
    for membership in movers:
        others = [c for c in city_cells if wards[c.pk] != wards[membership.unit_id]]
        target = rng.choice(others)
        membership.valid_to = MOVE_DAY - dt.timedelta(days=1)
        new_rows.append(
            Membership(
                person_id=membership.person_id,
                unit=target,
                valid_from=MOVE_DAY,
                note="Chuyển sinh hoạt đảng (dữ liệu minh họa)",
            )
        )
    Membership.objects.bulk_update(movers, ["valid_to"])
    Membership.objects.bulk_create(new_rows)
    ctx.data["study_movers"] = [m.person_id for m in movers]
    return len(movers)


def load(ctx: DemoContext) -> None:
    # Our own seeded generator: the figures do not move when another app's demo draws more
    # or fewer random numbers before this one.
    rng = random.Random(ctx.seed * 31 + 3)
    city = ctx.units["TP"]
    day0 = D(2019, 1, 1)
    directives = ctx.data["seed_directives"]
    organisers = list(
        Unit.objects.children_of(city, day0)
        .filter(kind__in=[UnitKind.GRASSROOTS_ORG, UnitKind.GRASSROOTS_CELL])
        .order_by("code")
    )
    city_cells = list(Unit.objects.subtree_of(city, day0).cells().order_by("code"))
    # The organiser (ward, police, agency cell) each cell belongs to.
    ward_of: dict[int, int] = {}
    for org in organisers:
        for pk in Unit.objects.subtree_of(org, day0).cells().values_list("pk", flat=True):
            ward_of[pk] = org.pk
    moved = _move_some_members(ctx, rng, city_cells, ward_of)

    memberships = list(
        Membership.objects.filter(unit__in=city_cells).values_list(
            "person_id", "unit_id", "valid_from", "valid_to"
        )
    )
    non_members = list(
        Person.objects.exclude(category=PersonCategory.MEMBER)
        .filter(affiliation__in=organisers)
        .values_list("pk", "affiliation_id")
    )
    everyone = sorted({m[0] for m in memberships} | {p for p, _a in non_members})
    never = set(rng.sample(everyone, round(NEVER_SHARE * len(everyone))))
    never_reason = {p: rng.choice(NEVER_REASONS) for p in sorted(never)}

    by_org: dict[int | None, list] = {None: memberships}
    for item in memberships:
        by_org.setdefault(ward_of[item[1]], []).append(item)
    guests: dict[int | None, list] = {None: non_members}
    for item in non_members:
        guests.setdefault(item[1], []).append(item)

    def listed_on(day: dt.date, org_pk: int | None) -> list[tuple[int, int, bool]]:
        """(person, unit, is_member) expected on ``day`` for one organiser (None: the city)."""
        rows: dict[int, tuple[int, int, bool]] = {}
        for person_id, unit_id, start, end in by_org.get(org_pk, []):
            if start <= day and (end is None or end >= day):
                rows[person_id] = (person_id, unit_id, True)
        for person_id, affiliation in guests.get(org_pk, []):
            rows.setdefault(person_id, (person_id, affiliation, False))
        return sorted(rows.values())

    now = timezone.now()
    regular: list[tuple[StudySession, list[tuple[int, int, bool]], Round, Unit | None]] = []
    for index, study_round in enumerate(ROUNDS):
        year, month = study_round.month
        hosts: list[Unit | None] = [None] if study_round.citywide else list(organisers)
        for host in hosts:
            day = D(year, month, rng.randint(8, 24))
            session = StudySession(
                unit=host or city,
                title=study_round.title,
                date=day,
                mode=Mode.BOTH if study_round.citywide else Mode.IN_PERSON,
                venue="Hội trường Thành ủy" if host is None else f"Hội trường {host.name}",
                scope_kind=ScopeKind.SUBTREE,
                invite_affiliated=True,
                note="Dữ liệu minh họa (demo).",
            )
            regular.append((session, listed_on(day, host.pk if host else None), study_round, host))
        ctx.log(f"study round {index + 1}: {study_round.title[:60]}…")
    StudySession.objects.bulk_create([s for s, *_ in regular])
    through = StudySession.directives.through
    through.objects.bulk_create(
        [
            through(studysession_id=s.pk, directive_id=directives[KEYS[k]].pk)
            for s, _l, r, _h in regular
            for k in r.keys
        ]
    )
    # Connected points of the city conference: the city hall and every organiser.
    points: dict[int, ConnectionPoint] = {}
    for session, _listed, study_round, _host in regular:
        if study_round.citywide:
            ConnectionPoint.objects.create(session=session, name="Điểm cầu Thành ủy", order=0)
            for n, org in enumerate(organisers, start=1):
                points[org.pk] = ConnectionPoint.objects.create(
                    session=session, name=f"Điểm cầu {org.name}", unit=org, order=n
                )

    # Each place on a list as a mutable record: [session, person, unit, is_member, status,
    # reason, attended_on, point, made_up_in, made_up_on].
    places: list[list] = []
    index: dict[tuple[int, int], list] = {}
    makeup_sessions: list[StudySession] = []
    makeup_lists: list[list[tuple[int, int, bool]]] = []
    for session, listed, study_round, _host in regular:
        missed = []
        for person_id, unit_id, is_member in listed:
            place = [
                session,
                person_id,
                unit_id,
                is_member,
                Status.ABSENT,
                "",
                None,
                None,
                None,
                None,
            ]
            if person_id not in never and rng.random() < PRESENT:
                place[4], place[6] = Status.PRESENT, session.date
                if study_round.citywide:
                    point = points.get(ward_of.get(unit_id, unit_id))
                    place[7] = point.pk if point else None
            elif person_id in never or rng.random() < 0.6:
                place[4] = Status.EXCUSED
                place[5] = never_reason.get(person_id) or rng.choice(REASONS)
            if place[4] != Status.PRESENT:
                missed.append((person_id, unit_id, is_member))
            places.append(place)
            index[(session.pk, person_id)] = place
        if missed:
            makeup_sessions.append(
                StudySession(
                    unit=session.unit,
                    title=f"Học bù: {session.title}",
                    date=session.date + dt.timedelta(days=rng.randint(12, 20)),
                    mode=Mode.IN_PERSON,
                    venue=session.venue,
                    scope_kind=ScopeKind.LIST,
                    makeup_of=session,
                    note="Dữ liệu minh họa (demo).",
                )
            )
            makeup_lists.append(missed)
    StudySession.objects.bulk_create(makeup_sessions)
    keys_of = {s.pk: r.keys for s, _l, r, _h in regular}
    through.objects.bulk_create(
        [
            through(studysession_id=m.pk, directive_id=directives[KEYS[k]].pk)
            for m in makeup_sessions
            for k in keys_of[m.makeup_of_id]
        ]
    )
    for makeup, missed in zip(makeup_sessions, makeup_lists, strict=True):
        for person_id, unit_id, is_member in missed:
            place = [
                makeup,
                person_id,
                unit_id,
                is_member,
                Status.ABSENT,
                "",
                None,
                None,
                None,
                None,
            ]
            if person_id not in never and rng.random() < MAKEUP:
                place[4], place[6] = Status.PRESENT, makeup.date
                original = index[(makeup.makeup_of_id, person_id)]
                original[8], original[9] = makeup.pk, makeup.date
            elif person_id in never:
                place[4], place[5] = Status.EXCUSED, never_reason[person_id]
            places.append(place)

    def rows():
        for (
            session,
            person_id,
            unit_id,
            is_member,
            status,
            reason,
            attended,
            point,
            made_in,
            made_on,
        ) in places:
            makeup = session.makeup_of_id is not None
            yield bulk.row(
                session_id=session.pk,
                person_id=person_id,
                unit_id=unit_id,
                session_date=session.date,
                is_makeup=makeup,
                is_member=is_member,
                source=Source.MAKEUP
                if makeup
                else Source.MEMBERSHIP
                if is_member
                else Source.INVITED,
                status=status,
                reason=reason,
                attended_on=attended,
                point_id=point,
                made_up_in_id=made_in,
                made_up_on=made_on,
                studied_on=attended or made_on,
                recorded_at=now,
            )

    inserted = bulk.insert_rows(rows())

    # A cell meeting after the report period, not yet recorded: for the cell secretary's login.
    cell = ctx.units.get("TP-TRUONGTHI-CB01")
    if cell is not None:
        from giamsat.study.services import create_session

        create_session(
            acting_user=None,
            unit=cell,
            title="Sinh hoạt chuyên đề: học tập Quy định số 37-QĐ/TW",
            date=D(2022, 10, 14),
            directives=[directives[KEYS["qd37"]]],
            venue="Nhà văn hóa khu phố 1",
        )
    recount([s.pk for s, *_ in regular] + [m.pk for m in makeup_sessions])
    ctx.data["study_sessions"] = len(regular)
    ctx.log(
        f"study: {len(regular)} sessions and {len(makeup_sessions)} make-up sessions, "
        f"{inserted} places on lists, {moved} members moved cell"
    )
