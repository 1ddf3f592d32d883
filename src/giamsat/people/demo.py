"""Demo people: thousands of generated, fictional members and civil servants of the city, with
cell secretaries and committee posts; plus the two public roles named in the seed article.
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import SESSION_DAY, DemoContext
from giamsat.people.models import (
    Gender,
    Membership,
    MemberStatus,
    Person,
    PersonCategory,
    Post,
    PostKind,
)
from giamsat.units.models import Unit, UnitKind

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đỗ",
    "Bùi",
    "Đặng",
    "Ngô",
    "Dương",
    "Lý",
    "Trịnh",
    "Mai",
    "Lương",
    "Hà",
    "Cao",
    "Tống",
    "Lại",
    "Đinh",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Ngọc", "Thanh", "Đình", "Trọng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Minh", "Phương", "Kim", "Mai"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Khánh",
    "Long",
    "Mạnh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Anh",
    "Hưng",
    "Lực",
    "Thịnh",
    "Ấn",
    "Bảo",
]
GIVEN_F = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Yến",
    "Ân",
    "Ngọc",
]
# The two public roles named in the article keep their real names; no generated person may
# carry them.
RESERVED = {"Lê Anh Xuân", "Nguyễn Lam"}

START = dt.date(2015, 1, 1)


def fictional_name(ctx: DemoContext, gender: str) -> str:
    rng = ctx.rng
    while True:
        if gender == Gender.MALE:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        if name not in RESERVED:
            return name


def _person(ctx: DemoContext, category: str = PersonCategory.MEMBER, affiliation=None) -> Person:
    rng = ctx.rng
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    birth = dt.date(rng.randint(1952, 1999), rng.randint(1, 12), rng.randint(1, 28))
    person = Person(
        full_name=fictional_name(ctx, gender),
        gender=gender,
        birth_date=birth,
        category=category,
        is_fictional=True,
        affiliation=affiliation,
    )
    if category == PersonCategory.MEMBER:
        joined = dt.date(
            min(birth.year + rng.randint(19, 40), 2018), rng.randint(1, 12), rng.randint(1, 28)
        )
        probationary = rng.random() < 0.03
        person.joined_on = dt.date(2022, rng.randint(1, 6), 15) if probationary else joined
        person.official_on = None if probationary else joined.replace(year=joined.year + 1)
        person.status = MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL
        person.party_card_number = f"{ctx.data.setdefault('card_seq', 38_000_000) + 1}"
        ctx.data["card_seq"] += 1
    else:
        person.status = MemberStatus.NON_MEMBER
    person.identity_number = f"038{ctx.data.setdefault('id_seq', 100_000_000) + 1:09d}"
    ctx.data["id_seq"] += 1
    return person.fill_derived_fields()


def _cells_of(root: Unit, day: dt.date) -> list[Unit]:
    return list(Unit.objects.subtree_of(root, day).cells().order_by("code"))


def load(ctx: DemoContext) -> None:
    day = dt.date(2019, 1, 1)
    cells: list[Unit] = []
    for code in ("TP", "SS", "TH-CA"):
        cells.extend(_cells_of(ctx.units[code], day))
    people: list[Person] = []
    placement: list[tuple[int, Unit]] = []
    for cell in cells:
        size = ctx.rng.randint(34, 46) if cell.kind == UnitKind.CELL else ctx.rng.randint(18, 26)
        # A reduced scenario (the scope-matrix test) sets ctx.data["members_per_cell"].
        size = ctx.data.get("members_per_cell") or size
        for _ in range(size):
            placement.append((len(people), cell))
            people.append(_person(ctx))
    # Cadres and civil servants outside the Party, invited to study sessions (by ward).
    wards = list(Unit.objects.subtree_of(ctx.units["TP"], day).filter(kind=UnitKind.GRASSROOTS_ORG))
    non_members_from = len(people)
    for ward in wards:
        for _ in range(ctx.data.get("non_members_per_ward") or ctx.rng.randint(40, 60)):
            category = ctx.rng.choice(
                [PersonCategory.CIVIL_SERVANT, PersonCategory.PUBLIC_EMPLOYEE, PersonCategory.CADRE]
            )
            people.append(_person(ctx, category, affiliation=ward))
    Person.objects.bulk_create(people, batch_size=2000)
    memberships = [
        Membership(person=people[i], unit=cell, valid_from=max(START, people[i].joined_on or START))
        for i, cell in placement
    ]
    Membership.objects.bulk_create(memberships, batch_size=5000)
    ctx.data["cells"] = cells
    ctx.data["non_member_count"] = len(people) - non_members_from

    # Posts: a secretary for every cell and for every organisation above cells.
    posts: list[Post] = []
    by_cell: dict[int, list[Person]] = {}
    for i, cell in placement:
        by_cell.setdefault(cell.pk, []).append(people[i])
    for cell in cells:
        secretary = by_cell[cell.pk][0]
        posts.append(
            Post(
                person=secretary,
                unit=cell,
                kind=PostKind.SECRETARY,
                title="Bí thư chi bộ",
                is_head=True,
                valid_from=START,
            )
        )
    organisations = Unit.objects.filter(
        kind__in=[UnitKind.GRASSROOTS_ORG, UnitKind.UPPER_GRASSROOTS], valid_from__lte=day
    ).subtree_of(ctx.units["TH"], day)
    for org in organisations:
        in_org = set(Unit.objects.subtree_of(org, day).values_list("pk", flat=True))
        org_cells = [c for c in cells if c.pk in in_org]
        if not org_cells:
            continue
        holder = by_cell[org_cells[0].pk][1]
        posts.append(
            Post(
                person=holder,
                unit=org,
                kind=PostKind.SECRETARY,
                title=f"Bí thư {org.name.replace('Đảng bộ', 'Đảng ủy')}",
                is_head=True,
                valid_from=START,
                valid_to=org.valid_to,
            )
        )
        inspection = (
            Unit.objects.children_of(org, day)
            .organs()
            .filter(organ_kind="inspection_commission")
            .first()
        )
        if inspection is not None:
            posts.append(
                Post(
                    person=by_cell[org_cells[0].pk][2],
                    unit=inspection,
                    kind=PostKind.CHAIR,
                    title=f"Chủ nhiệm {inspection.name}",
                    is_head=True,
                    valid_from=START,
                    valid_to=inspection.valid_to,
                )
            )
    Post.objects.bulk_create(posts)

    # The public roles named in the article, in exactly those roles, on the article's date
    # (the only date the source attests).
    xuan = Person.objects.create(
        full_name="Lê Anh Xuân", status=MemberStatus.FULL, is_fictional=False
    )
    Post.objects.create(
        person=xuan,
        unit=ctx.units["TP"],
        kind=PostKind.SECRETARY,
        is_head=True,
        title="Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy, Chủ tịch HĐND thành phố Thanh Hóa",
        valid_from=SESSION_DAY,
        valid_to=SESSION_DAY,
    )
    lam = Person.objects.create(
        full_name="Nguyễn Lam", status=MemberStatus.FULL, is_fictional=False
    )
    Post.objects.create(
        person=lam,
        unit=ctx.units["TW-BDV"],
        kind=PostKind.DEPUTY_CHAIR,
        title="Phó Trưởng Ban Dân vận Trung ương",
        valid_from=SESSION_DAY,
        valid_to=SESSION_DAY,
    )
    ctx.people["le_anh_xuan"] = xuan
    ctx.people["nguyen_lam"] = lam
    ctx.log(
        f"people: {Person.objects.count()} ({len(placement)} members in {len(cells)} cells, "
        f"{ctx.data['non_member_count']} non-members); posts: {Post.objects.count()}"
    )
