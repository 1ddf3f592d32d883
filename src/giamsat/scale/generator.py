"""A synthetic country: the party tree over time, members, study, oversight, discipline and
petitions, written in bulk and reproducible from a seed.

Shape (``shapes.SHAPES``): central committee → 34 provinces → until 30/06/2025 districts, from
01/07/2025 communes (3,321) → ≈52,000 grassroots organisations (committees with cells, or
grassroots cells) → cells → members (> 5.6 million), plus the provinces' block committees.
The grassroots organisations move from their district to their new commune on 01/07/2025, so
every figure before the reform reads the district level and after it the commune level.

How it stays fast and still satisfies what the services guarantee:

* units, links, people and memberships are tuples written by ``bulk`` (COPY on PostgreSQL);
  the closure rows are computed here with the same algorithm as ``units.tree`` (a test
  compares them with ``rebuild_ancestry``);
* attendance is derived in the database (``INSERT … SELECT``) from the sessions, the closure
  and the memberships valid on each session's date — the same list ``study.services`` derives —
  with statuses drawn from a deterministic hash of (person, session, seed); session tallies and
  counters are then one grouped query over those rows (what ``study.services.recount`` does);
* the other records are drawn with ``random.Random(seed)``, so one seed gives one data set.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from giamsat.core.dates import FAR_FUTURE
from giamsat.core.text import person_sort_key, search_key, split_full_name, vi_sort_key
from giamsat.directives.models import Directive
from giamsat.discipline.models import DisciplineCase, DisciplineDecision, Violation
from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.oversight.models import (
    Case,
    CaseSubject,
    CatalogueItem,
    CatalogueKind,
    Commitment,
    CommitmentItem,
    Finding,
    Programme,
)
from giamsat.people.models import Membership, Person
from giamsat.petitions.models import HotSpotAlert, Petition
from giamsat.scale import bulk
from giamsat.scale.models import Dataset
from giamsat.scale.shapes import (
    DATA_UNTIL,
    LAST_DISTRICT_DAY,
    REFORM,
    UNITS_FROM,
    YEARS,
    Shape,
)
from giamsat.study.models import Attendance, SessionTally, StudySession
from giamsat.units.models import OrganKind, Unit, UnitAncestry, UnitKind, UnitLink

Step = Callable[[str, int], Callable[[int], None]]

PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
SYLLABLES = (
    "An", "Bình", "Hòa", "Phú", "Thạnh", "Tân", "Long", "Mỹ", "Đông", "Tây", "Nam", "Bắc",
    "Thuận", "Hưng", "Phước", "Lộc", "Xuân", "Thịnh", "Quang", "Trung", "Sơn", "Hải", "Vĩnh",
    "Định", "Khánh", "Yên", "Lạc", "Cát", "Thủy", "Minh",
)  # fmt: skip
FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Bá", "Công", "Duy", "Thanh")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Minh", "Thị Thu", "Thị Ngọc")
GIVEN_M = (
    "An", "Bình", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân",
    "Sơn", "Thành", "Trung", "Tuấn", "Việt", "Cường", "Đạt", "Hiếu", "Lâm",
)  # fmt: skip
GIVEN_F = (
    "Chi", "Hà", "Hạnh", "Hòa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Phương",
    "Tâm", "Thảo", "Trang", "Vân", "Yến", "Hằng", "Loan", "Dung", "Nhung",
)  # fmt: skip
GRASSROOTS_NAMES = (
    "Đảng bộ thôn", "Chi bộ khu phố", "Đảng bộ Trường THPT", "Chi bộ Trường Tiểu học",
    "Đảng bộ Công ty cổ phần", "Chi bộ Trạm Y tế", "Đảng bộ Bệnh viện", "Chi bộ Hợp tác xã",
)  # fmt: skip
# Study rounds: (first day, directives studied). Sessions of a round spread over 18 days.
DIRECTIVES = (
    ("NQ", 27, "TW", dt.date(2022, 11, 9), "Nghị quyết về tiếp tục xây dựng và hoàn thiện "
     "Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam trong giai đoạn mới"),
    ("NQ", 29, "TW", dt.date(2022, 11, 17), "Nghị quyết về tiếp tục đẩy mạnh công nghiệp hóa, "
     "hiện đại hóa đất nước đến năm 2030, tầm nhìn đến năm 2045"),
    ("CT", 35, "TW", dt.date(2024, 6, 14), "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại "
     "hội đại biểu toàn quốc lần thứ XIV của Đảng"),
    ("NQ", 57, "TW", dt.date(2024, 12, 22), "Nghị quyết về đột phá phát triển khoa học, công "
     "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
    ("NQ", 66, "TW", dt.date(2025, 4, 30), "Nghị quyết về đổi mới công tác xây dựng và thi "
     "hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ nguyên mới"),
    ("NQ", 68, "TW", dt.date(2025, 5, 4), "Nghị quyết về phát triển kinh tế tư nhân"),
    ("NQ", 71, "TW", dt.date(2025, 8, 22), "Nghị quyết về đột phá phát triển giáo dục và "
     "đào tạo"),
)  # fmt: skip
ROUNDS = (
    (dt.date(2023, 1, 9), (0,)),
    (dt.date(2023, 2, 13), (1,)),
    (dt.date(2024, 8, 5), (2,)),
    (dt.date(2025, 2, 10), (3,)),
    (dt.date(2025, 6, 2), (4, 5)),
    (dt.date(2025, 10, 6), (6,)),
)
MAKEUP_AFTER = dt.timedelta(days=21)
CASE_KINDS = (
    ("thematic_supervision", 45),
    ("compliance", 15),
    ("task_performance", 15),
    ("violation_signs", 10),
    ("finance", 10),
    ("state_inspection", 5),
)
FORMS = (("khien_trach", 60), ("canh_cao", 30), ("cach_chuc", 5), ("khai_tru", 5))
TOPICS = ("land", "corruption", "ethics", "abuse", "administration", "finance", "personnel")


def _weighted(rng: Random, table) -> str:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` along ``weights`` (largest remainder), each share at least ``minimum``."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    shares = [max(minimum, int(x)) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(shares) < total:
        shares[order[i % len(order)]] += 1
        i += 1
    return shares


@dataclass
class Place:
    """A committee of the generated tree and what the later phases need to know about it."""

    id: int
    province: int  # index of the province
    organ: int | None = None  # its inspection commission
    grassroots: list[int] = field(default_factory=list)


@dataclass
class Grassroots:
    id: int
    province: int
    district: int | None  # Place id (until 30/06/2025)
    commune: int | None  # Place id (from 01/07/2025)
    cells: list[int] = field(default_factory=list)


@dataclass
class Tree:
    central: int = 0
    central_organ: int = 0
    provinces: list[Place] = field(default_factory=list)
    districts: list[Place] = field(default_factory=list)
    communes: list[Place] = field(default_factory=list)
    blocks: list[Place] = field(default_factory=list)
    grassroots: list[Grassroots] = field(default_factory=list)
    # cell id -> (first person id, number of persons placed there at the start)
    cell_people: dict[int, tuple[int, int]] = field(default_factory=dict)
    cell_grassroots: dict[int, int] = field(default_factory=dict)


class Generator:
    def __init__(self, shape: Shape, seed: int, step: Step | None = None) -> None:
        self.shape = shape
        self.seed = seed
        self.rng = Random(seed)
        self.step = step or (lambda label, total: lambda n: None)
        self.now = timezone.now().replace(microsecond=0)
        self.db_now = bulk.now_for_db(self.now)
        self.tree = Tree()
        self.counts: dict[str, int] = {}
        self.person_count = 0
        self.first_person = 0

    # --- driver ---------------------------------------------------------------------------

    def run(self) -> Dataset:
        started = time.monotonic()
        if Unit.objects.exists():
            raise ValueError("the database already holds units: generate into an empty one")
        # The findings and discipline draw from the catalogues a migration loads; a database
        # emptied by a flush (tests) has lost them.
        ensure_catalogues()
        with transaction.atomic():
            self.build_tree()
        with transaction.atomic():
            self.build_people()
        with transaction.atomic():
            self.build_study()
        with transaction.atomic():
            self.build_oversight()
            self.build_discipline()
            self.build_petitions()
        with transaction.atomic():
            landmarks = self.build_users()
            bulk.reset_sequences(
                [
                    Unit,
                    UnitLink,
                    UnitAncestry,
                    Person,
                    Membership,
                    StudySession,
                    StudySession.directives.through,
                    Case,
                    CaseSubject,
                    Finding,
                    Programme,
                    Commitment,
                    CommitmentItem,
                    DisciplineCase,
                    DisciplineDecision,
                    Violation,
                    Petition,
                    HotSpotAlert,
                    HotSpotAlert.petitions.through,
                ]
            )
            dataset = Dataset.objects.create(
                scale=self.shape.name,
                seed=self.seed,
                backend=connection.vendor,
                seconds=round(time.monotonic() - started, 1),
                counts=self.counts,
                landmarks=landmarks,
            )
        self.analyze()
        dataset.seconds = round(time.monotonic() - started, 1)
        dataset.save(update_fields=["seconds"])
        return dataset

    def analyze(self) -> None:
        """Statistics for the planner; on PostgreSQL outside a transaction also VACUUM, which
        sets the visibility map that index-only scans (attendance_studied_idx) need — what
        autovacuum would do minutes after a bulk load."""
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        advance = self.step("statistics (VACUUM ANALYZE)" if vacuum else "statistics (ANALYZE)", 1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        advance(1)

    # --- the tree -------------------------------------------------------------------------

    def build_tree(self) -> None:
        shape, rng, tree = self.shape, self.rng, self.tree
        units: list[tuple] = []
        links: list[tuple] = []
        next_id = bulk.next_id(Unit)
        next_link = bulk.next_id(UnitLink)

        def unit(
            code, name, kind, *, start=UNITS_FROM, end=None, organ_kind="", issuer="", gtype=""
        ):
            nonlocal next_id
            pk = next_id
            next_id += 1
            units.append(
                (pk, code, name, kind, organ_kind, gtype, issuer, vi_sort_key(name),
                 search_key(name), start, end)
            )  # fmt: skip
            return pk

        def link(child, parent, start=UNITS_FROM, end=None):
            nonlocal next_link
            links.append((next_link, child, parent, start, end))
            next_link += 1

        def organ(parent, code, name, start=UNITS_FROM, end=None):
            pk = unit(
                f"{code}.UBKT", name, UnitKind.ORGAN, start=start, end=end,
                organ_kind=OrganKind.INSPECTION_COMMISSION,
            )  # fmt: skip
            link(pk, parent, start, end)
            return pk

        def place_name() -> str:
            return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"

        tree.central = unit(
            "TW", "Ban Chấp hành Trung ương", UnitKind.CENTRAL_COMMITTEE, issuer="TW"
        )
        tree.central_organ = organ(tree.central, "TW", "Ủy ban Kiểm tra Trung ương")
        weights = [rng.uniform(0.5, 1.6) for _ in range(shape.provinces)]
        communes_of = _apportion(shape.communes, weights, 1)
        districts_of = _apportion(shape.districts, weights, 1)
        grassroots_of = _apportion(shape.grassroots, weights, 2)
        for p in range(shape.provinces):
            pname = PROVINCES[p % len(PROVINCES)]
            code = f"T{p + 1:02d}"
            pid = unit(code, f"Đảng bộ tỉnh {pname}", UnitKind.UNDER_CENTRE, issuer="TU")
            link(pid, tree.central)
            province = Place(pid, p, organ(pid, code, f"Ủy ban Kiểm tra Tỉnh ủy {pname}"))
            tree.provinces.append(province)
            districts = []
            for d in range(districts_of[p]):
                dname = place_name()
                dcode = f"{code}.H{d + 1:02d}"
                did = unit(dcode, f"Đảng bộ huyện {dname}", UnitKind.UPPER_GRASSROOTS,
                           end=LAST_DISTRICT_DAY, issuer="HU")  # fmt: skip
                link(did, pid, end=LAST_DISTRICT_DAY)
                districts.append(
                    Place(
                        did,
                        p,
                        organ(
                            did, dcode, f"Ủy ban Kiểm tra Huyện ủy {dname}", end=LAST_DISTRICT_DAY
                        ),
                    )
                )
            communes = []
            for c in range(communes_of[p]):
                cname = place_name()
                ccode = f"{code}.X{c + 1:03d}"
                word = "phường" if c % 3 == 0 else "xã"
                cid = unit(ccode, f"Đảng bộ {word} {cname}", UnitKind.UPPER_GRASSROOTS,
                           start=REFORM, issuer="ĐU")  # fmt: skip
                link(cid, pid, start=REFORM)
                communes.append(
                    Place(
                        cid,
                        p,
                        organ(cid, ccode, f"Ủy ban Kiểm tra Đảng ủy {word} {cname}", start=REFORM),
                    )
                )
            blocks = []
            for b in range(shape.blocks_per_province):
                label = ("Đảng bộ các cơ quan Đảng tỉnh", "Đảng bộ Ủy ban nhân dân tỉnh")[b % 2]
                bid = unit(f"{code}.K{b + 1}", f"{label} {pname}", UnitKind.UPPER_GRASSROOTS,
                           issuer="ĐU")  # fmt: skip
                link(bid, pid)
                blocks.append(Place(bid, p))
            tree.districts += districts
            tree.communes += communes
            tree.blocks += blocks
            total = grassroots_of[p]
            in_blocks = round(total * shape.block_share) if blocks else 0
            for g in range(total):
                gcode = f"{code}.G{g + 1:05d}"
                is_org = rng.random() < shape.org_share
                label = rng.choice(GRASSROOTS_NAMES)
                kind = UnitKind.GRASSROOTS_ORG if is_org else UnitKind.GRASSROOTS_CELL
                if label.startswith("Chi bộ") and is_org:
                    label = "Đảng bộ" + label[len("Chi bộ") :]
                if label.startswith("Đảng bộ") and not is_org:
                    label = "Chi bộ" + label[len("Đảng bộ") :]
                gid = unit(
                    gcode, f"{label} {place_name()} {g + 1}", kind, issuer="ĐU" if is_org else "CB"
                )
                entry = Grassroots(gid, p, None, None)
                if g < in_blocks:
                    block = blocks[g % len(blocks)]
                    link(gid, block.id)
                    block.grassroots.append(gid)
                else:
                    ci = rng.randrange(len(communes))
                    commune = communes[ci]
                    district = districts[ci * len(districts) // len(communes)]
                    link(gid, district.id, end=LAST_DISTRICT_DAY)
                    link(gid, commune.id, start=REFORM)
                    entry.district, entry.commune = district.id, commune.id
                    district.grassroots.append(gid)
                    commune.grassroots.append(gid)
                province.grassroots.append(gid)
                if is_org:
                    for k in range(rng.randint(*shape.cells_per_org)):
                        cid = unit(
                            f"{gcode}.C{k + 1:02d}",
                            f"Chi bộ {k + 1} ({label.split(' ', 2)[-1]})",
                            UnitKind.CELL,
                        )
                        link(cid, gid)
                        entry.cells.append(cid)
                else:
                    entry.cells.append(gid)
                for cell in entry.cells:
                    tree.cell_grassroots[cell] = gid
                tree.grassroots.append(entry)

        advance = self.step("units and links", len(units) + len(links))
        with bulk.unconstrained([Unit, UnitLink]):
            self.counts["units"] = bulk.write(
                Unit,
                ["id", "code", "name", "kind", "organ_kind", "grassroots_type", "issuer_code",
                 "name_sort", "name_search", "valid_from", "valid_to"],
                units, now=self.db_now, advance=advance,
            )  # fmt: skip
            bulk.write(
                UnitLink, ["id", "unit_id", "parent_id", "valid_from", "valid_to"], links,
                now=self.db_now, advance=advance,
            )  # fmt: skip
        rows = closure_rows(
            {u[0]: (u[9], u[10] or FAR_FUTURE) for u in units},
            [(child, parent, start, end or FAR_FUTURE) for _i, child, parent, start, end in links],
        )
        self.counts["closure_rows"] = len(rows)
        advance = self.step("closure (ancestry) rows", len(rows))
        with bulk.unconstrained([UnitAncestry]):
            bulk.write(
                UnitAncestry,
                ["ancestor_id", "descendant_id", "depth", "valid_from", "valid_to", "ended_here"],
                rows, now=self.db_now, advance=advance,
            )  # fmt: skip

    # --- people ---------------------------------------------------------------------------

    def build_people(self) -> None:
        shape, rng, tree = self.shape, self.rng, self.tree
        names = []
        for family in FAMILY:
            for middles, givens, gender in (
                (MIDDLE_M, GIVEN_M, "male"),
                (MIDDLE_F, GIVEN_F, "female"),
            ):
                for middle in middles:
                    for given in givens:
                        full = f"{family} {middle} {given}"
                        f, m, g = split_full_name(full)
                        names.append(
                            (full, f, m, g, gender, person_sort_key(full), search_key(full))
                        )
        cells = [c for g in tree.grassroots for c in g.cells]
        sizes = [rng.randint(*shape.members_per_cell) for _ in cells]
        total = sum(sizes)
        first = bulk.next_id(Person)
        self.first_person = first
        until = DATA_UNTIL.toordinal()
        earliest_birth = dt.date(1940, 1, 1).toordinal()
        units_from = UNITS_FROM.toordinal()
        reform_moves = dt.date(2024, 1, 1)
        memberships: list[tuple] = []

        first_membership = bulk.next_id(Membership)  # (no query may run during a COPY)

        def persons():
            pid = first
            mid = first_membership
            for cell, size in zip(cells, sizes, strict=True):
                tree.cell_people[cell] = (pid, size)
                siblings = [c for c in tree_cells_of(cell) if c != cell]
                for _ in range(size):
                    full, family, middle, given, gender, sort, key = names[
                        rng.randrange(len(names))
                    ]
                    birth = earliest_birth + rng.randrange(24_000)
                    joined = min(
                        birth + 6575 + int(rng.random() ** 2 * 14_600),
                        until - rng.randrange(30, 400),
                    )
                    official = joined + 365 if joined + 365 <= until else None
                    status = "full" if official else "probationary"
                    left_on = None
                    draw = rng.random()
                    start = max(joined, units_from)
                    if draw < 0.01:
                        left_on = dt.date.fromordinal(rng.randrange(max(start, 738521) + 1, until))
                        status = "deceased" if draw < 0.004 else "left"
                    memberships.append((mid, pid, cell, dt.date.fromordinal(start), left_on))
                    mid += 1
                    if (
                        0.01 <= draw < 0.02
                        and siblings
                        and start < reform_moves.toordinal()
                        and left_on is None
                    ):
                        # moved to another cell of the same organisation on 01/01/2024
                        memberships[-1] = (mid - 1, pid, cell, dt.date.fromordinal(start),
                                           dt.date(2023, 12, 31))  # fmt: skip
                        memberships.append((mid, pid, rng.choice(siblings), reform_moves, None))
                        mid += 1
                    yield (
                        pid, full, family, middle, given, dt.date.fromordinal(birth), gender,
                        f"{pid:010d}", status, dt.date.fromordinal(joined),
                        dt.date.fromordinal(official) if official else None, left_on, sort, key,
                    )  # fmt: skip
                    pid += 1

        def tree_cells_of(cell):
            return grassroots_cells[tree.cell_grassroots[cell]]

        grassroots_cells = {g.id: g.cells for g in tree.grassroots}
        advance = self.step("members", total)
        with bulk.unconstrained([Person, Membership]):
            self.counts["persons"] = bulk.write(
                Person,
                ["id", "full_name", "family_name", "middle_name", "given_name", "birth_date",
                 "gender", "party_card_number", "status", "joined_on", "official_on", "left_on",
                 "name_sort", "name_search"],
                persons(), now=self.db_now, consts={"is_fictional": True}, advance=advance,
            )  # fmt: skip
            self.person_count = self.counts["persons"]
            advance = self.step("memberships", len(memberships))
            self.counts["memberships"] = bulk.write(
                Membership, ["id", "person_id", "unit_id", "valid_from", "valid_to"],
                memberships, now=self.db_now, consts={"kind": "regular"}, advance=advance,
            )  # fmt: skip

    # --- study ----------------------------------------------------------------------------

    def build_study(self) -> None:
        tree = self.tree
        directives = []
        for doc_type, number, issuer, issued, title in DIRECTIVES:
            directives.append(
                Directive.objects.create(
                    doc_type=doc_type,
                    number=number,
                    issuer_code=issuer,
                    issued_on=issued,
                    title=title,
                    issuing_unit_id=tree.central,
                )
            )
        self.directives = directives
        sid = bulk.next_id(StudySession)
        sessions: list[tuple] = []
        topics: list[tuple] = []
        rounds: list[tuple[int, int, bool]] = []  # (first id, last id, last round)
        for r, (first_day, indexes) in enumerate(ROUNDS):
            label = " và ".join(directives[i].label for i in indexes)
            lo = sid
            last_round = r == len(ROUNDS) - 1
            regular = []
            for g in tree.grassroots:
                day = first_day + dt.timedelta(days=g.id % 18)
                sessions.append((sid, g.id, f"Hội nghị học tập, quán triệt {label}", day, None))
                regular.append((sid, g.id, day))
                for i in indexes:
                    topics.append((sid, directives[i].pk))
                sid += 1
            hi = sid - 1
            for regular_id, unit_id, day in regular:
                if last_round and regular_id % 10 == 0:
                    continue  # not recorded yet: no make-up session
                sessions.append((sid, unit_id, f"Học bù: {label}", day + MAKEUP_AFTER, regular_id))
                for i in indexes:
                    topics.append((sid, directives[i].pk))
                sid += 1
            rounds.append((lo, hi, last_round))
        advance = self.step("study sessions", len(sessions) + len(topics))
        through = StudySession.directives.through
        with bulk.unconstrained([StudySession, through]):
            bulk.write(
                StudySession, ["id", "unit_id", "title", "date", "makeup_of_id"], sessions,
                now=self.db_now, consts={"scope_kind": "subtree", "mode": "in_person"},
                advance=advance,
            )  # fmt: skip
            bulk.write(through, ["studysession_id", "directive_id"], topics, now=self.db_now,
                       advance=advance)  # fmt: skip
        total = self.person_count * len(ROUNDS)
        advance = self.step("attendance (lists, marks, make-ups)", total)
        with bulk.unconstrained([Attendance, SessionTally]):
            for lo, hi, last_round in rounds:
                advance(self._attendance(lo, hi, last_round))
            self.counts["attendance_rows"] = Attendance.objects.count()
            # make-up sessions nobody needed (everyone attended the original)
            empty = StudySession.objects.filter(makeup_of__isnull=False).exclude(
                pk__in=Attendance.objects.filter(is_makeup=True).values("session_id")
            )
            through.objects.filter(studysession__in=empty).delete()
            empty.delete()
            self.counts["sessions"] = StudySession.objects.count()
            self._tallies()
            self.counts["session_tallies"] = SessionTally.objects.count()

    def _attendance(self, lo: int, hi: int, last_round: bool) -> int:
        """Derive the lists of regular sessions ``lo..hi`` and their make-ups, in the database.

        The list is the members with a regular membership valid on the session's date in the
        cells under the organising unit on that date (``study.services.derive_list``). A hash
        of (person, session, seed) draws the mark: 4–13 % of places missed depending on the
        organisation, 40 % of the missed excused with a reason, two in three of the missed
        made up 21 days later. In the last round one session in ten is not recorded yet.
        """
        pend = f"CASE WHEN s.id %% 10 = 0 AND {1 if last_round else 0} = 1 THEN 1 ELSE 0 END"
        h = f"((CAST(m.person_id AS BIGINT) * 7919 + CAST(s.id AS BIGINT) * 104729 + {self.seed}) %% 1000003) %% 1000"
        h2 = f"((CAST(m.person_id AS BIGINT) * 15485863 + CAST(s.id AS BIGINT) * 31 + {self.seed}) %% 999983) %% 100"
        thr = "(40 + (s.unit_id * 37) %% 90)"
        inner = f"""
            SELECT s.id AS sid, m.person_id AS pid, m.unit_id AS uid, s.date AS sday,
                   mk.id AS mkid, mk.date AS mkday, {h} AS h, {h2} AS h2, {thr} AS thr,
                   {pend} AS pend
            FROM study_studysession s
            JOIN units_unitancestry a ON a.ancestor_id = s.unit_id
                 AND a.valid_from <= s.date AND a.valid_to >= s.date
            JOIN people_membership m ON m.unit_id = a.descendant_id AND m.kind = 'regular'
                 AND m.valid_from <= s.date AND (m.valid_to IS NULL OR m.valid_to >= s.date)
            LEFT JOIN study_studysession mk ON mk.makeup_of_id = s.id
            WHERE s.id BETWEEN %s AND %s AND s.makeup_of_id IS NULL
        """  # noqa: S608 - fixed SQL
        present = "t.pend = 0 AND t.h >= t.thr"
        missed = "t.pend = 0 AND t.h < t.thr"
        made = f"{missed} AND t.mkid IS NOT NULL AND t.h2 < 66"
        columns = (
            "session_id, person_id, unit_id, session_date, is_makeup, is_member, source, status, "
            "reason, attended_on, made_up_in_id, made_up_on, studied_on, recorded_at"
        )
        written = bulk.execute(
            f"""
            INSERT INTO study_attendance ({columns})
            SELECT t.sid, t.pid, t.uid, t.sday, FALSE, TRUE, 'membership',
                CASE WHEN t.pend = 1 THEN 'pending' WHEN {present} THEN 'present'
                     WHEN t.h < t.thr * 2 / 5 THEN 'excused' ELSE 'absent' END,
                CASE WHEN {missed} AND t.h < t.thr * 2 / 5 THEN
                    CASE t.h2 %% 3 WHEN 0 THEN 'Ốm' WHEN 1 THEN 'Đi công tác'
                    ELSE 'Việc gia đình' END
                ELSE '' END,
                CASE WHEN {present} THEN t.sday END,
                CASE WHEN {made} THEN t.mkid END,
                CASE WHEN {made} THEN t.mkday END,
                CASE WHEN {present} THEN t.sday WHEN {made} THEN t.mkday END,
                CASE WHEN t.pend = 0 THEN %s END
            FROM ({inner}) t
            """,  # noqa: S608 - fixed SQL
            [self.db_now, lo, hi],
        )
        written += bulk.execute(
            f"""
            INSERT INTO study_attendance ({columns})
            SELECT mk.id, a.person_id, a.unit_id, mk.date, TRUE, TRUE, 'makeup',
                CASE WHEN a.made_up_in_id IS NOT NULL THEN 'present' ELSE 'absent' END, '',
                CASE WHEN a.made_up_in_id IS NOT NULL THEN mk.date END, NULL, NULL,
                CASE WHEN a.made_up_in_id IS NOT NULL THEN mk.date END, %s
            FROM study_attendance a
            JOIN study_studysession mk ON mk.makeup_of_id = a.session_id
            WHERE a.session_id BETWEEN %s AND %s AND a.status IN ('excused', 'absent')
            """,  # noqa: S608 - fixed SQL
            [self.db_now, lo, hi],
        )
        return written

    def _tallies(self) -> None:
        """Session tallies and counters from the rows: what ``study.services.recount`` does."""
        advance = self.step("session tallies and counters", 2)
        bulk.execute(
            """
            INSERT INTO study_sessiontally (session_id, unit_id, session_date, is_makeup, listed,
                present, excused, absent, pending, non_members_listed, non_members_present,
                made_up)
            SELECT session_id, unit_id, session_date, is_makeup, COUNT(*),
                SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END),
                SUM(CASE WHEN is_member THEN 0 ELSE 1 END),
                SUM(CASE WHEN NOT is_member AND status = 'present' THEN 1 ELSE 0 END),
                SUM(CASE WHEN made_up_on IS NOT NULL AND status <> 'present' THEN 1 ELSE 0 END)
            FROM study_attendance
            GROUP BY session_id, unit_id, session_date, is_makeup
            """
        )
        advance(1)
        bulk.execute(
            """
            UPDATE study_studysession AS s SET listed = t.listed, present = t.present,
                excused = t.excused, absent = t.absent, pending = t.pending,
                non_members_listed = t.nml, non_members_present = t.nmp, made_up = t.made_up
            FROM (SELECT session_id, SUM(listed) AS listed, SUM(present) AS present,
                         SUM(excused) AS excused, SUM(absent) AS absent, SUM(pending) AS pending,
                         SUM(non_members_listed) AS nml, SUM(non_members_present) AS nmp,
                         SUM(made_up) AS made_up
                  FROM study_sessiontally GROUP BY session_id) AS t
            WHERE s.id = t.session_id
            """
        )
        advance(1)

    # --- oversight ------------------------------------------------------------------------

    def _random_person(self, cells: list[int]) -> int:
        cell = self.rng.choice(cells)
        first, size = self.tree.cell_people[cell]
        return first + self.rng.randrange(size)

    def _day_in(self, year: int, start: dt.date | None = None, end: dt.date | None = None):
        lo = max(dt.date(year, 1, 1), start or dt.date.min)
        hi = min(dt.date(year, 12, 31), end or dt.date.max, DATA_UNTIL)
        if lo > hi:
            return None
        return dt.date.fromordinal(self.rng.randint(lo.toordinal(), hi.toordinal()))

    def build_oversight(self) -> None:
        rng, tree, shape = self.rng, self.tree, self.shape
        grassroots = {g.id: g for g in tree.grassroots}
        programmes: list[tuple] = []
        cases: list[tuple] = []
        subjects: list[tuple] = []
        findings: list[tuple] = []
        commitments: list[tuple] = []
        items: list[tuple] = []
        case_id = bulk.next_id(Case)
        subject_id = bulk.next_id(CaseSubject)
        programme_id = bulk.next_id(Programme)
        commitment_id = bulk.next_id(Commitment)
        case_type = ContentType.objects.get_for_model(Case).pk
        catalogue = list(
            CatalogueItem.objects.filter(
                catalogue__kind__in=[CatalogueKind.MANIFESTATION, CatalogueKind.PROHIBITION]
            ).values_list("pk", flat=True)
        )

        def case(conducting: int, day: dt.date, pool_units: list[int], cells: list[int]):
            nonlocal case_id, subject_id, commitment_id
            kind = _weighted(rng, CASE_KINDS)
            status, concluded = "open", None
            if day < DATA_UNTIL - dt.timedelta(days=120):
                draw = rng.random()
                if draw < 0.02:
                    status = "cancelled"
                elif draw < 0.9:
                    status = "concluded"
                    concluded = day + dt.timedelta(days=rng.randint(30, 100))
            pk = case_id
            case_id += 1
            title = {
                "thematic_supervision": "Giám sát chuyên đề việc lãnh đạo thực hiện nghị quyết",
                "state_inspection": "Thanh tra việc quản lý, sử dụng đất đai",
            }.get(kind, "Kiểm tra việc chấp hành nguyên tắc tập trung dân chủ")
            cases.append((
                pk, kind, conducting, "Thanh tra tỉnh" if kind == "state_inspection" else "",
                f"{title} ({day.year})", day, f"{pk % 900 + 1}-QĐ/UBKT", status, concluded,
                "Không thực hiện được do thay đổi kế hoạch" if status == "cancelled" else "",
            ))  # fmt: skip
            if kind == "state_inspection":
                subjects.append((subject_id, pk, None, None, "Ủy ban nhân dân", ""))
                subject_id += 1
            else:
                for unit_id in rng.sample(pool_units, min(len(pool_units), rng.randint(1, 2))):
                    subjects.append((subject_id, pk, unit_id, None, "", ""))
                    subject_id += 1
                if rng.random() < 0.6 and cells:
                    subjects.append(
                        (subject_id, pk, None, self._random_person(cells), "", "Bí thư chi bộ")
                    )
                    subject_id += 1
            if concluded:
                findings.append((pk, "strength", "Lãnh đạo, chỉ đạo kịp thời", None))
                findings.append(
                    (
                        pk,
                        "shortcoming",
                        "Việc sinh hoạt chi bộ chưa đều",
                        rng.choice(catalogue) if catalogue else None,
                    )
                )
                if kind == "violation_signs" and rng.random() < 0.5:
                    findings.append(
                        (pk, "violation", "Vi phạm quy định về quản lý tài chính", None)
                    )
                if rng.random() < 0.1 and pool_units:
                    signed = concluded + dt.timedelta(days=10)
                    if signed <= DATA_UNTIL:
                        commitments.append((commitment_id, rng.choice(pool_units), conducting,
                                            "conclusion", case_type, pk, title, signed))  # fmt: skip
                        for k in range(2):
                            due = signed + dt.timedelta(days=60 + 60 * k)
                            closed = due - dt.timedelta(days=5) if rng.random() < 0.6 else None
                            if closed and closed > DATA_UNTIL:
                                closed = None
                            items.append((commitment_id, "Khắc phục hạn chế đã chỉ ra", due,
                                          "closed" if closed else "open", closed,
                                          "Đã khắc phục, có báo cáo kèm theo" if closed else ""))  # fmt: skip
                        commitment_id += 1

        for year in YEARS:
            for province in tree.provinces:
                programmes.append((programme_id, province.organ, year,
                                   f"Chương trình kiểm tra, giám sát năm {year}", dt.date(year, 1, 10)))  # fmt: skip
                programme_id += 1
                cells = [c for g in province.grassroots for c in grassroots[g].cells]
                for _ in range(shape.province_cases_per_year):
                    day = self._day_in(year)
                    if day:
                        case(province.organ, day, province.grassroots, cells)
            for places, per_year, start, end in (
                (tree.districts, shape.district_cases_per_year, None, LAST_DISTRICT_DAY),
                (tree.communes, shape.commune_cases_per_year, REFORM, None),
            ):
                for place in places:
                    if not place.grassroots:
                        continue
                    cells = [c for g in place.grassroots for c in grassroots[g].cells]
                    for _ in range(per_year):
                        day = self._day_in(year, start, end)
                        if day:
                            case(place.organ, day, place.grassroots, cells)
            for g in tree.grassroots:
                if rng.random() < shape.grassroots_cases_per_year:
                    day = self._day_in(year)
                    if day:
                        case(g.id, day, g.cells, g.cells)
        advance = self.step(
            "programmes, cases, subjects, findings", len(cases) + len(subjects) + len(findings)
        )
        with bulk.unconstrained([Case, CaseSubject, Finding]):
            bulk.write(Programme, ["id", "conducting_unit_id", "year", "title", "adopted_on"],
                       programmes, now=self.db_now)  # fmt: skip
            self.counts["cases"] = bulk.write(
                Case,
                ["id", "kind", "conducting_unit_id", "state_body", "title", "decided_on",
                 "decision_symbol", "status", "concluded_on", "cancelled_reason"],
                cases, now=self.db_now, advance=advance,
            )  # fmt: skip
            self.counts["case_subjects"] = bulk.write(
                CaseSubject, ["id", "case_id", "unit_id", "person_id", "name", "position"],
                subjects, now=self.db_now, advance=advance,
            )  # fmt: skip
            self.counts["findings"] = bulk.write(
                Finding, ["case_id", "kind", "text", "catalogue_item_id"], findings,
                now=self.db_now, advance=advance,
            )  # fmt: skip
            self.counts["commitments"] = bulk.write(
                Commitment,
                ["id", "subject_unit_id", "supervising_unit_id", "origin_kind", "origin_type_id",
                 "origin_id", "origin_label", "signed_on"],
                commitments, now=self.db_now,
            )  # fmt: skip
            bulk.write(
                CommitmentItem,
                ["commitment_id", "text", "due_on", "status", "closed_on", "justification"],
                items, now=self.db_now,
            )  # fmt: skip

    # --- discipline -----------------------------------------------------------------------

    def build_discipline(self) -> None:
        rng, tree, shape = self.rng, self.tree, self.shape
        groups = list(
            CatalogueItem.objects.filter(catalogue__kind=CatalogueKind.VIOLATION_GROUP_MEMBER)
            .exclude(topic="")
            .values_list("pk", "catalogue__valid_from", "catalogue__valid_to")
        )
        org_groups = list(
            CatalogueItem.objects.filter(
                catalogue__kind=CatalogueKind.VIOLATION_GROUP_ORGANISATION
            ).values_list("pk", "catalogue__valid_from", "catalogue__valid_to")
        )
        cases, violations, decisions = [], [], []
        pk = bulk.next_id(DisciplineCase)
        all_cells = list(tree.cell_people)

        def group_on(pool, day):
            fitting = [g for g, start, end in pool if start <= day and (end is None or end >= day)]
            return rng.choice(fitting or [g for g, _s, _e in pool])

        per_year = max(1, round(self.person_count * shape.discipline_rate_per_year))
        for year in YEARS:
            count = per_year if year < DATA_UNTIL.year else per_year * DATA_UNTIL.month // 12
            for n in range(count + max(1, count // 200)):
                opened = self._day_in(year)
                organisation = n >= count
                cell = rng.choice(all_cells)
                deciding = tree.cell_grassroots[cell]
                draw = rng.random()
                status, form, decided = "open", "", None
                if opened < DATA_UNTIL - dt.timedelta(days=60) and draw < 0.9:
                    status = "no_discipline" if draw < 0.05 else "decided"
                    if status == "decided":
                        decided = opened + dt.timedelta(days=rng.randint(20, 60))
                        form = "khien_trach" if organisation else _weighted(rng, FORMS)
                person = None if organisation else self._random_person([cell])
                cases.append((
                    pk, "organisation" if organisation else "member", person,
                    cell if organisation else None, cell,
                    "organisation" if organisation else "member_general", opened,
                    "Vi phạm trong thực hiện nhiệm vụ được giao", deciding, status,
                    "withdrawn" if status == "no_discipline" else "", form, form, decided,
                ))  # fmt: skip
                group = group_on(org_groups if organisation and org_groups else groups, opened)
                violations.append((pk, group, "Vi phạm quy định", opened - dt.timedelta(days=200)))
                if decided:
                    decisions.append(
                        (pk, form, deciding, f"{pk % 900 + 1}-QĐ/ĐU", decided, "in_force")
                    )
                pk += 1
        advance = self.step("discipline cases", len(cases))
        with bulk.unconstrained([DisciplineCase, Violation, DisciplineDecision]):
            self.counts["discipline_cases"] = bulk.write(
                DisciplineCase,
                ["id", "subject_kind", "person_id", "organisation_id", "unit_id", "scope",
                 "opened_on", "summary", "deciding_unit_id", "status", "no_discipline_reason",
                 "proposed_form", "current_form", "decided_on"],
                cases, now=self.db_now, advance=advance,
            )  # fmt: skip
            bulk.write(Violation, ["case_id", "group_id", "description", "started_on"],
                       violations, now=self.db_now)  # fmt: skip
            bulk.write(
                DisciplineDecision,
                ["case_id", "form", "deciding_unit_id", "symbol", "decided_on", "status"],
                decisions, now=self.db_now,
            )  # fmt: skip

    # --- petitions ------------------------------------------------------------------------

    def build_petitions(self) -> None:
        rng, tree, shape = self.rng, self.tree, self.shape
        pk = bulk.next_id(Petition)
        alert_id = bulk.next_id(HotSpotAlert)
        petitions, alerts, alert_links = [], [], []
        hot = {c.id for c in tree.communes if rng.random() < 0.03} or {tree.communes[0].id}
        places = [(c, REFORM, None) for c in tree.communes]
        places += [(d, None, LAST_DISTRICT_DAY) for d in tree.districts]
        for place, start, end in places:
            province = tree.provinces[place.province]
            for year in YEARS:
                lo = max(dt.date(year, 1, 1), start or dt.date.min)
                hi = min(dt.date(year, 12, 31), end or dt.date.max, DATA_UNTIL)
                if lo > hi:
                    continue
                share = (hi - lo).days / 365
                rate = shape.petitions_per_year_per_commune
                if end is not None:  # a district held the letters of several communes
                    rate *= 4.8
                hot_place = place.id in hot
                n = int(rate * share * (6 if hot_place else 1) + rng.random())
                received = []
                for _ in range(n):
                    day = dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))
                    to_province = rng.random() < 0.15
                    holder = province.organ if to_province else place.organ
                    klass = rng.choice(("complaint", "denunciation", "denunciation", "proposal"))
                    status, admissible, due, concluded, answered, outcome = (
                        "not_handled",
                        False,
                        None,
                        None,
                        None,
                        "",
                    )
                    classified = day + dt.timedelta(days=rng.randint(1, 10))
                    accepted = None
                    if rng.random() < 0.55:
                        admissible = True
                        accepted = classified
                        due = accepted + dt.timedelta(days=rng.choice((30, 45, 60, 90)))
                        late = rng.random() < 0.08
                        finish = (
                            due + dt.timedelta(days=rng.randint(1, 40))
                            if late
                            else (due - dt.timedelta(days=rng.randint(0, 25)))
                        )
                        if finish <= DATA_UNTIL:
                            concluded = finish
                            status, outcome = (
                                "concluded",
                                rng.choice(("founded", "partly_founded", "unfounded")),
                            )
                            if rng.random() < 0.7:
                                answered = min(DATA_UNTIL, concluded + dt.timedelta(days=5))
                                status = "answered"
                        else:
                            status = "in_handling"
                    if classified > DATA_UNTIL:
                        status, admissible, classified, accepted, due = (
                            "received",
                            None,
                            None,
                            None,
                            None,
                        )
                        concluded = answered = None
                        outcome = ""
                    topic = rng.choice(TOPICS)
                    group = rng.random() < 0.04
                    petitions.append((
                        pk, f"ĐT{pk:08d}", rng.choice(("post", "in_person", "hotline_web", "transferred")),
                        day, holder, holder, klass, klass, "party", topic,
                        f"Đơn {klass} về {topic}", "Nội dung đơn (dữ liệu tổng hợp)",
                        5 if group else 1, group, status, admissible,
                        '["not_concrete"]' if admissible is False else "[]", classified,
                        accepted, due, concluded, outcome, answered,
                    ))  # fmt: skip
                    received.append(pk)
                    pk += 1
                if hot_place and received:
                    alerts.append((
                        alert_id, "unit", f"unit:{place.id}", f"Đơn thư về địa bàn {place.id}",
                        place.id, province.id, hi - dt.timedelta(days=90), hi, len(received),
                        "open", year >= 2025, "Nhiều đơn thư đông người" if year >= 2025 else "",
                    ))  # fmt: skip
                    alert_links += [(alert_id, p) for p in received[-200:]]
                    alert_id += 1
        advance = self.step("petitions and hot-spot alerts", len(petitions))
        with bulk.unconstrained([Petition]):
            self.counts["petitions"] = bulk.write(
                Petition,
                ["id", "code", "channel", "received_on", "received_by_id", "unit_id",
                 "declared_class", "petition_class", "matter", "topic", "summary", "content",
                 "signer_count", "is_group", "status", "is_admissible", "not_handled_reasons",
                 "classified_on", "accepted_on", "due_on", "concluded_on", "outcome",
                 "answered_on"],
                petitions, now=self.db_now, advance=advance,
            )  # fmt: skip
        self.counts["hot_spot_alerts"] = bulk.write(
            HotSpotAlert,
            ["id", "kind", "key", "label", "subject_unit_id", "unit_id", "window_start",
             "window_end", "petition_count", "status", "is_hot_spot", "hot_spot_reason"],
            alerts, now=self.db_now,
        )  # fmt: skip
        bulk.write(HotSpotAlert.petitions.through, ["hotspotalert_id", "petition_id"],
                   alert_links, now=self.db_now)  # fmt: skip

    # --- users ----------------------------------------------------------------------------

    def build_users(self) -> dict:
        """A national administrator and a leader per province (for the pages and the load
        test), and the landmarks the benchmarks read."""
        from giamsat.accounts.models import RoleAssignment, User
        from giamsat.accounts.roles import Role

        tree = self.tree
        admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
        RoleAssignment.objects.create(
            user=admin, role=Role.SYSTEM_ADMIN, unit_id=tree.central, valid_from=UNITS_FROM
        )
        leaders = []
        for province in tree.provinces:
            user = User.objects.create(username=f"bench-leader-{province.province + 1:02d}")
            RoleAssignment.objects.create(
                user=user, role=Role.LEADER, unit_id=province.id, valid_from=UNITS_FROM
            )
            leaders.append(user.pk)
        sizes = {p.id: len(p.grassroots) for p in tree.provinces}
        big = max(tree.provinces, key=lambda p: sizes[p.id])
        commune = max((c for c in tree.communes if c.province == big.province),
                      key=lambda c: len(c.grassroots))  # fmt: skip
        grassroots = {g.id: g for g in tree.grassroots}
        org = max((grassroots[g] for g in commune.grassroots), key=lambda g: len(g.cells))
        return {
            "central": tree.central,
            "province": big.id,
            "province_organ": big.organ,
            "commune": commune.id,
            "commune_organ": commune.organ,
            "grassroots": org.id,
            "cell": org.cells[0],
            "admin": admin.pk,
            "leaders": leaders,
            "directives": [d.pk for d in self.directives],
            "first_person": self.first_person,
        }


def closure_rows(
    life: dict[int, tuple[dt.date, dt.date]],
    links: list[tuple[int, int, dt.date, dt.date]],
) -> list[tuple]:
    """The temporal closure of ``links`` — the algorithm of ``units.tree.rebuild_ancestry``
    (memoised per unit), returning (ancestor, descendant, depth, from, to, ended_here) rows."""
    parents: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
    for child, parent, start, end in links:
        parents.setdefault(child, []).append((parent, start, end))
    memo: dict[int, list[tuple[int, int, dt.date, dt.date]]] = {}

    def rows_of(unit_id: int) -> list[tuple[int, int, dt.date, dt.date]]:
        found = memo.get(unit_id)
        if found is not None:
            return found
        start, end = life[unit_id]
        result = [(unit_id, 0, start, end)]
        for parent_id, l_start, l_end in parents.get(unit_id, ()):
            l_start, l_end = max(l_start, start), min(l_end, end)
            if l_start > l_end:
                continue
            for anc, depth, a_start, a_end in rows_of(parent_id):
                r_start, r_end = max(l_start, a_start), min(l_end, a_end)
                if r_start <= r_end:
                    result.append((anc, depth + 1, r_start, r_end))
        memo[unit_id] = result
        return result

    out = []
    for unit_id, (_start, unit_end) in life.items():
        for anc, depth, start, end in rows_of(unit_id):
            out.append(
                (anc, unit_id, depth, start, end, unit_end != FAR_FUTURE and end == unit_end)
            )
    return out
