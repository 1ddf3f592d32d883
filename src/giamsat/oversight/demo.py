"""Demo: inspection and supervision of the city (unit "TP"), 2019 → 30/09/2022.

From these records the indicators give exactly the article's figures for unit TP and the period
01/01/2019–30/09/2022:
- thematic supervision of **6 collectives and 12 individuals** (seven supervisions: one ward is
  supervised twice and is still counted once);
- **38 inspections** ("cuộc thanh tra" in the article) = 29 party inspections of the four kinds
  + 9 state inspections by the city inspectorate (``oversight.inspections``);
- the city standing committee criticised **4 grassroots committees and their heads**;
- the criticised collectives and heads wrote **remedial commitments**, followed by supervision
  after the review (items closed with evidence, one still overdue on 30/09/2022).
Records outside the period (2018, October 2022), outside the subtree (Sầm Sơn) or cancelled
are added on purpose: the figures must leave them out. Every person is a generated, fictional
member of the people demo; the two public roles of the article are never used here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.core.demo import DemoContext
from giamsat.oversight import services as s
from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.oversight.models import (
    Case,
    CaseKind,
    CatalogueItem,
    Commitment,
    CommitmentOrigin,
    FindingKind,
    FollowUpAssessment,
    FollowUpKind,
    ProgrammeItem,
    StepKind,
    SupervisionMethod,
    TeamRole,
)
from giamsat.people.models import Membership, Person, Post
from giamsat.units.models import Unit

D = dt.date
STATE_BODY = "Thanh tra thành phố Thanh Hóa"


def head_of(unit: Unit, day: dt.date) -> Person:
    """The fictional head of ``unit`` on ``day`` (never a real person of the article)."""
    post = (
        Post.objects.valid_on(day)
        .filter(unit=unit, is_head=True, person__is_fictional=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if post is None:
        raise LookupError(f"no head of {unit} on {day}")
    return post.person


def members_of(cell: Unit, day: dt.date, count: int, skip: int = 3) -> list[Person]:
    """``count`` fictional members of ``cell`` on ``day``, skipping the first (post holders)."""
    rows = (
        Membership.objects.valid_on(day)
        .filter(unit=cell, person__is_fictional=True)
        .select_related("person")
        .order_by("person_id")
    )
    return [m.person for m in rows[skip : skip + count]]


def _step_dates(start: dt.date) -> dict[StepKind, dt.date]:
    return {
        StepKind.PLAN: start + dt.timedelta(days=3),
        StepKind.EXPLANATORY_REPORT: start + dt.timedelta(days=20),
        StepKind.VERIFICATION: start + dt.timedelta(days=35),
        StepKind.DRAFT_RESULT: start + dt.timedelta(days=50),
    }


@dataclass
class Plan:
    kind: CaseKind
    body: str  # unit code of the conducting body
    decided_on: dt.date
    title: str
    subjects: list  # SubjectSpec
    concluded: bool = True
    shortcomings: str = ""
    violations: str = ""
    programme: bool = True
    # (kind, (catalogue code, item code) or None, text): added before the conclusion
    findings: list = field(default_factory=list)


def _run_case(ctx: DemoContext, plan: Plan, *, number: int) -> Case:
    body = ctx.units[plan.body]
    issuer = "UBKTTU" if plan.body.endswith("INSPEC") else "TU"
    if plan.body not in ("TP", "TP-STANDI", "TP-INSPEC"):
        issuer = "UBKT" if plan.body.endswith("INSPEC") else "ĐU"
    state = plan.kind == CaseKind.STATE_INSPECTION
    symbol = f"{number}/QĐ-TTr" if state else f"{number:02d}-QĐ/{issuer}"
    item = None
    if plan.programme and not state:
        item = _programme_item(ctx, body, plan)
    chair = ctx.data.get("team_pool", {}).get(plan.body)
    team = [s.TeamSpec(TeamRole.HEAD, person=chair)] if chair else []
    team.append(s.TeamSpec(TeamRole.MEMBER, name="Chuyên viên (demo)", agency=str(body)))
    case = s.open_case(
        kind=plan.kind,
        conducting_unit=body,
        title=plan.title,
        decided_on=plan.decided_on,
        acting_user=None,
        state_body=STATE_BODY if state else "",
        decision_symbol=symbol,
        programme_item=item,
        subjects=plan.subjects,
        team=team,
        directives=ctx.data["seed_directives"][:3] if not state else (),
        content=plan.title,
    )
    steps = _step_dates(plan.decided_on)
    last = ctx.data["demo_end"]
    for kind, day in steps.items():
        if day <= last:
            s.record_step(case=case, kind=kind, date=day, acting_user=None)
    subject = case.subjects.first()
    for kind, code, text in plan.findings:
        s.add_finding(
            case=case,
            kind=kind,
            subject=subject,
            catalogue_item=ctx.data["catalogue_items"][code] if code else None,
            text=text,
            acting_user=None,
        )
    if plan.concluded:
        concluded_on = plan.decided_on + dt.timedelta(days=60)
        s.conclude_case(
            case=case,
            expected_version=case.version,
            concluded_on=concluded_on,
            acting_user=None,
            strengths="Cấp ủy quan tâm lãnh đạo, chỉ đạo; ban hành kế hoạch kịp thời.",
            shortcomings=plan.shortcomings,
            violations=plan.violations,
            conclusion_symbol="" if state else f"{number + 100:02d}-TB/{issuer}",
        )
        s.record_step(
            case=case,
            kind=StepKind.CONCLUSION_NOTICE,
            date=concluded_on + dt.timedelta(days=5),
            document_symbol="" if state else f"{number + 200:02d}-TB/{issuer}",
            acting_user=None,
        )
    return case


def _programme_item(ctx: DemoContext, body: Unit, plan: Plan) -> ProgrammeItem:
    programmes = ctx.data.setdefault("programmes", {})
    key = (body.code, plan.decided_on.year)
    if key not in programmes:
        programmes[key] = s.create_programme(
            conducting_unit=body,
            year=plan.decided_on.year,
            title=f"Chương trình kiểm tra, giám sát năm {plan.decided_on.year} của {body.name}",
            adopted_on=D(plan.decided_on.year, 1, 10),
            document_symbol=f"{plan.decided_on.year % 100:02d}-CTr/"
            + ("UBKTTU" if body.code.endswith("INSPEC") else "TU"),
            acting_user=None,
        )
    programme = programmes[key]
    first = plan.subjects[0]
    start = plan.decided_on
    end = min(start + dt.timedelta(days=90), D(start.year, 12, 31))
    return s.add_programme_item(
        programme=programme,
        kind=plan.kind,
        content=plan.title,
        planned_start=start,
        planned_end=end,
        subject_unit=first.unit,
        subject_person=first.person,
        ad_hoc=plan.kind == CaseKind.VIOLATION_SIGNS,
        acting_user=None,
    )


def _evidence(name: str) -> SimpleUploadedFile:
    text = f"Biên bản kiểm tra kết quả khắc phục (dữ liệu demo): {name}\n".encode()
    return SimpleUploadedFile(f"{name}.txt", text, content_type="text/plain")


def load(ctx: DemoContext) -> None:
    ensure_catalogues()  # `giamsat demo --reset` flushed the rows the migration loaded
    ctx.data["demo_end"] = D(2022, 9, 30)
    wards: dict[str, Unit] = ctx.data["city_wards"]
    day = D(2020, 1, 1)
    ctx.data["team_pool"] = {
        "TP-INSPEC": head_of(ctx.units["TP-INSPEC"], day),
        "TP-STANDI": head_of(ctx.units["TP"], day),
    }
    items = {
        (i.catalogue.code, i.code): i
        for i in CatalogueItem.objects.select_related("catalogue").filter(
            catalogue__code__in=["nq04-27", "qd37-19"]
        )
    }
    ctx.data["catalogue_items"] = items
    plans: list[Plan] = []
    counter = iter(range(1, 500))

    # --- thematic supervision: 6 collectives, 12 individuals (7 supervisions) -----------------
    thematic_wards = ["Trường Thi", "Điện Biên", "Lam Sơn", "Hàm Rồng", "Đông Hương", "Quảng Hưng"]
    thematic: list[Case] = []
    for i, name in enumerate(thematic_wards):
        ward = wards[name]
        decided = D(2019 + i // 2, 3 + (i % 2) * 5, 12)
        ubkt = Unit.objects.children_of(ward, decided).organs().first()
        subjects = [
            s.SubjectSpec(unit=ward),
            s.SubjectSpec(person=head_of(ward, decided), position=f"Bí thư {ward.name}"),
            s.SubjectSpec(person=head_of(ubkt, decided), position=f"Chủ nhiệm {ubkt.name}"),
        ]
        plan = Plan(
            CaseKind.THEMATIC_SUPERVISION,
            "TP-STANDI" if i % 2 == 0 else "TP-INSPEC",
            decided,
            f"Giám sát chuyên đề việc lãnh đạo, chỉ đạo thực hiện Nghị quyết Trung ương 4 "
            f"khóa XII và Quy định 08-QĐi/TW tại {ward.name}",
            subjects,
            shortcomings="Việc nhận diện biểu hiện suy thoái chưa cụ thể; tự phê bình còn nể nang.",
            findings=[
                (
                    FindingKind.STRENGTH,
                    None,
                    "Ban hành kế hoạch thực hiện Nghị quyết Trung ương 4 kịp thời.",
                ),
                (
                    FindingKind.SHORTCOMING,
                    ("nq04-27", "A5"),
                    "Trong tự phê bình và phê bình ở một số chi bộ còn nể nang, né tránh.",
                ),
            ],
        )
        thematic.append(_run_case(ctx, plan, number=next(counter)))
    # A second supervision of Trường Thi in 2022 (open): still one collective, two people.
    ward = wards["Trường Thi"]
    ubkt = Unit.objects.children_of(ward, D(2022, 5, 9)).organs().first()
    repeat = s.open_case(
        kind=CaseKind.THEMATIC_SUPERVISION,
        conducting_unit=ctx.units["TP-INSPEC"],
        title="Giám sát chuyên đề việc thực hiện Kết luận 21-KL/TW tại Đảng bộ phường Trường Thi",
        decided_on=D(2022, 5, 9),
        decision_symbol="31-QĐ/UBKTTU",
        subjects=[
            s.SubjectSpec(unit=ward),
            s.SubjectSpec(person=head_of(ward, D(2022, 5, 9)), position=f"Bí thư {ward.name}"),
            s.SubjectSpec(person=head_of(ubkt, D(2022, 5, 9)), position=f"Chủ nhiệm {ubkt.name}"),
        ],
        team=[s.TeamSpec(TeamRole.HEAD, person=ctx.data["team_pool"]["TP-INSPEC"])],
        directives=[ctx.data["directives"]["kl21"], ctx.data["directives"]["kh03"]],
        acting_user=None,
    )
    s.record_step(case=repeat, kind=StepKind.PLAN, date=D(2022, 5, 12), acting_user=None)
    s.add_finding(
        case=repeat,
        kind=FindingKind.SHORTCOMING,
        subject=repeat.subjects.get(unit=ward),
        catalogue_item=items[("nq04-27", "A5")],
        text="Sinh hoạt tự phê bình và phê bình ở một số chi bộ khu phố còn hình thức.",
        acting_user=None,
    )
    ctx.data["thematic_cases"] = [*thematic, repeat]

    # --- 29 party inspections + 9 state inspections = 38 ---------------------------------------
    names = list(wards)
    cells_by_ward = {
        n: list(Unit.objects.subtree_of(wards[n], day).cells().order_by("code")) for n in names
    }
    year_days = [
        D(2019, 4, 8),
        D(2019, 10, 14),
        D(2020, 5, 11),
        D(2020, 11, 9),
        D(2021, 4, 12),
        D(2021, 10, 11),
        D(2022, 3, 14),
        D(2022, 7, 11),
    ]

    def when(i: int) -> dt.date:
        return year_days[i % len(year_days)] + dt.timedelta(days=(i // len(year_days)) * 7)

    violation_cases: list[Case] = []
    # 7 on signs of violation: 4 by the city UBKT (members), 3 by ward UBKTs (members)
    for i in range(7):
        ward_name = names[(i * 3 + 1) % len(names)]
        cell = cells_by_ward[ward_name][i % len(cells_by_ward[ward_name])]
        decided = when(i)
        person = members_of(cell, decided, 1, skip=5 + i)[0]
        body = "TP-INSPEC" if i < 4 else f"{wards[ward_name].code}-INSPEC"
        plans.append(
            Plan(
                CaseKind.VIOLATION_SIGNS,
                body,
                decided,
                f"Kiểm tra khi có dấu hiệu vi phạm đối với đồng chí {person.full_name}, "
                f"đảng viên {cell.name}",
                [s.SubjectSpec(person=person, position=f"Đảng viên {cell.name}")],
                concluded=decided < D(2022, 7, 1),
                violations="Vi phạm về đạo đức, lối sống; vi phạm những điều đảng viên không được làm.",
                findings=[
                    (
                        FindingKind.VIOLATION,
                        ("nq04-27", "B9"),
                        "Có biểu hiện sa vào tệ nạn xã hội, lối sống không lành mạnh.",
                    ),
                    (
                        FindingKind.VIOLATION,
                        ("qd37-19", "Điều 17"),
                        "Tham gia đánh bạc dưới hình thức cá độ bóng đá.",
                    ),
                ],
            )
        )
    # 8 on inspection, supervision and discipline tasks of ward UBKTs (one is a re-inspection)
    for i in range(8):
        ward_name = names[(i * 5 + 2) % len(names)]
        plans.append(
            Plan(
                CaseKind.TASK_PERFORMANCE,
                "TP-INSPEC",
                when(i) + dt.timedelta(days=14),
                f"Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong "
                f"Đảng của Đảng ủy và Ủy ban Kiểm tra Đảng ủy phường {ward_name}",
                [s.SubjectSpec(unit=wards[ward_name])],
                concluded=i < 7,
                shortcomings="Chương trình kiểm tra, giám sát chưa sát thực tế; hồ sơ chưa đầy đủ.",
            )
        )
    # 6 financial inspections (party budget and fees)
    for i in range(6):
        ward_name = names[(i * 7 + 4) % len(names)]
        plans.append(
            Plan(
                CaseKind.FINANCE,
                "TP-INSPEC",
                when(i) + dt.timedelta(days=28),
                f"Kiểm tra tài chính đảng, thu, nộp, quản lý và sử dụng đảng phí tại Đảng bộ "
                f"{ward_name}",
                [s.SubjectSpec(unit=wards[ward_name])],
                shortcomings="Thu, nộp đảng phí ở một số chi bộ chưa đúng quy định.",
            )
        )
    # 8 compliance inspections: 3 by the city standing committee, 3 by ward committees, 2 cells
    for i in range(8):
        ward_name = names[(i * 11 + 6) % len(names)]
        ward_unit = wards[ward_name]
        cell = cells_by_ward[ward_name][0]
        if i < 3:
            body, subject = "TP-STANDI", s.SubjectSpec(unit=ward_unit)
            title = f"Kiểm tra việc chấp hành Nghị quyết Trung ương 4 khóa XII tại {ward_unit.name}"
        elif i < 6:
            body, subject = ward_unit.code, s.SubjectSpec(unit=cell)
            title = f"Kiểm tra việc chấp hành nghị quyết của Đảng ủy tại {cell.name}"
        else:
            decided = when(i)
            member = members_of(cell, decided, 1, skip=20 + i)[0]
            body, subject = cell.code, s.SubjectSpec(person=member, position="Đảng viên")
            title = f"Chi bộ kiểm tra đảng viên {member.full_name} chấp hành nhiệm vụ đảng viên"
        plans.append(
            Plan(
                CaseKind.COMPLIANCE,
                body,
                when(i) + dt.timedelta(days=42),
                title,
                [subject],
                concluded=i != 5,
                shortcomings="Việc cụ thể hóa nghị quyết và kiểm tra, đôn đốc còn chậm.",
            )
        )
    for number, plan in enumerate(plans, start=10):
        case = _run_case(ctx, plan, number=number)
        if plan.kind == CaseKind.VIOLATION_SIGNS:
            violation_cases.append(case)
    # 9 state inspections by the city inspectorate, recorded under the city committee
    topics = [
        "quản lý, sử dụng đất đai",
        "đầu tư xây dựng cơ bản",
        "quản lý, sử dụng tài sản công",
        "thu, chi ngân sách phường",
        "huy động nguồn lực xã hội hóa",
        "giải quyết khiếu nại, tố cáo",
        "phòng, chống tham nhũng",
        "quản lý trật tự xây dựng",
        "thực hiện chính sách an sinh xã hội",
    ]
    for i, topic in enumerate(topics):
        ward_name = names[(i * 13 + 3) % len(names)]
        plan = Plan(
            CaseKind.STATE_INSPECTION,
            "TP",
            when(i) + dt.timedelta(days=56),
            f"Thanh tra việc {topic} tại UBND phường {ward_name}",
            [s.SubjectSpec(name=f"UBND {ward_name}")],
            concluded=i < 8,
            shortcomings="Một số hồ sơ chưa đầy đủ theo quy định.",
            programme=False,
        )
        _run_case(ctx, plan, number=100 + i)

    # Outside the count on purpose: before the period, after it, another city, cancelled.
    outside = [
        Plan(
            CaseKind.FINANCE,
            "TP-INSPEC",
            D(2018, 11, 5),
            "Kiểm tra tài chính đảng năm 2018 tại Đảng bộ phường Ba Đình",
            [s.SubjectSpec(unit=wards["Ba Đình"])],
            programme=False,
        ),
        Plan(
            CaseKind.TASK_PERFORMANCE,
            "TP-INSPEC",
            D(2022, 10, 17),
            "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát của Ủy ban Kiểm tra Đảng ủy phường Đông Thọ",
            [s.SubjectSpec(unit=wards["Đông Thọ"])],
            concluded=False,
            programme=False,
        ),
        Plan(
            CaseKind.THEMATIC_SUPERVISION,
            "TP-STANDI",
            D(2018, 6, 4),
            "Giám sát chuyên đề năm 2018 tại Đảng bộ phường Ngọc Trạo",
            [s.SubjectSpec(unit=wards["Ngọc Trạo"])],
            programme=False,
        ),
        Plan(
            CaseKind.COMPLIANCE,
            "SS",
            D(2021, 3, 1),
            "Kiểm tra việc chấp hành nghị quyết tại Đảng bộ phường Trung Sơn",
            [s.SubjectSpec(unit=ctx.units["SS-TRUNGSON"])],
            programme=False,
        ),
    ]
    for i, plan in enumerate(outside, start=300):
        _run_case(ctx, plan, number=i)
    cancelled = s.open_case(
        kind=CaseKind.FINANCE,
        conducting_unit=ctx.units["TP-INSPEC"],
        title="Kiểm tra tài chính tại Đảng bộ phường Đông Cương (hủy do trùng kế hoạch của Tỉnh ủy)",
        decided_on=D(2020, 6, 1),
        subjects=[s.SubjectSpec(unit=wards["Đông Cương"])],
        acting_user=None,
    )
    s.cancel_case(
        case=cancelled,
        expected_version=cancelled.version,
        reason="Trùng với cuộc kiểm tra của Ủy ban Kiểm tra Tỉnh ủy.",
        acting_user=None,
    )
    # Programme items planned for the last quarter of 2022 (not started on 30/09/2022).
    programme_2022 = ctx.data["programmes"][("TP-INSPEC", 2022)]
    for ward_name in ("Nam Ngạn", "Tân Sơn"):
        s.add_programme_item(
            programme=programme_2022,
            kind=CaseKind.TASK_PERFORMANCE,
            content=f"Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát tại Đảng bộ {ward_name}",
            planned_start=D(2022, 10, 15),
            planned_end=D(2022, 12, 15),
            subject_unit=wards[ward_name],
            acting_user=None,
        )
    ctx.data["violation_cases"] = violation_cases

    # --- regular supervision -----------------------------------------------------------------
    for i in range(16):
        ward_name = names[(i * 3) % len(names)]
        s.record_supervision_activity(
            conducting_unit=ctx.units["TP-STANDI" if i % 2 else "TP-INSPEC"],
            date=D(2019 + i // 5, 1 + (i * 2) % 12, 20),
            method=SupervisionMethod.DIRECT if i % 3 else SupervisionMethod.INDIRECT,
            subject_unit=wards[ward_name],
            content=f"Dự sinh hoạt chi bộ, nghe báo cáo việc thực hiện Nghị quyết Trung ương 4 "
            f"tại Đảng bộ {ward_name}",
            observations="Nội dung sinh hoạt còn dàn trải." if i % 4 == 0 else "",
            reminder_needed=i % 4 == 0,
            acting_user=None,
        )

    _criticisms_and_commitments(ctx, wards, thematic)
    ctx.log(
        f"oversight: {Case.objects.count()} cases, "
        f"{len(ctx.data['programmes'])} programmes, criticisms and commitments"
    )


def _criticisms_and_commitments(ctx: DemoContext, wards: dict[str, Unit], thematic) -> None:
    standing = ctx.units["TP-STANDI"]
    directives = [ctx.data["directives"]["nq04"], ctx.data["directives"]["kl21"]]
    criticised = [
        ("Đông Vệ", D(2020, 8, 20)),
        ("An Hưng", D(2021, 3, 10)),
        ("Quảng Thắng", D(2021, 11, 5)),
        ("Hoằng Quang", D(2022, 4, 12)),
    ]
    for number, (name, day) in enumerate(criticised, start=1):
        ward = wards[name]
        head = head_of(ward, day)
        criticism = s.record_criticism(
            by_unit=standing,
            date=day,
            subject_unit=ward,
            subject_person=head,
            subject_position=f"Bí thư {ward.name.replace('Đảng bộ', 'Đảng ủy')}",
            reason="Chưa thực hiện tốt việc triển khai học tập, quán triệt Nghị quyết Trung ương 4 "
            "khóa XII, Kết luận 21-KL/TW: tỷ lệ đảng viên tham gia thấp, chậm ban hành kế hoạch.",
            directives=directives,
            document_symbol=f"{40 + number}-TB/TU",
            acting_user=None,
        )
        signed = day + dt.timedelta(days=15)
        commitment = s.create_commitment(
            supervising_unit=standing,
            origin_kind=CommitmentOrigin.CRITICISM,
            origin=criticism,
            signed_on=signed,
            subject_unit=ward,
            subject_person=head,
            summary="Bản cam kết khắc phục hạn chế, khuyết điểm sau phê bình.",
            items=[
                s.ItemSpec(
                    "Tổ chức học tập bù cho đảng viên chưa tham gia", signed + dt.timedelta(days=60)
                ),
                s.ItemSpec(
                    "Ban hành kế hoạch thực hiện Kết luận 21-KL/TW", signed + dt.timedelta(days=30)
                ),
                s.ItemSpec(
                    "Kiểm điểm trách nhiệm tập thể, cá nhân người đứng đầu",
                    signed + dt.timedelta(days=120),
                ),
            ],
            acting_user=None,
        )
        end = ctx.data["demo_end"]
        for item in commitment.items.all():
            done = item.due_on - dt.timedelta(days=5)
            # The 2022 commitment: its 120-day item is still open and overdue on 30/09/2022.
            if done <= end and not (number == 4 and item.due_on > D(2022, 9, 1)):
                if number == 4 and item.due_on > D(2022, 8, 1):
                    continue
                s.close_commitment_item(
                    item=item,
                    closed_on=done,
                    justification="Đã thực hiện; có biên bản kiểm tra của Văn phòng Thành ủy.",
                    evidence=_evidence(f"bien-ban-{ward.code}-{item.pk}"),
                    acting_user=None,
                )
        for months, assessment in (
            (3, FollowUpAssessment.ON_TRACK),
            (6, FollowUpAssessment.CORRECTED),
        ):
            follow_day = signed + dt.timedelta(days=30 * months)
            if follow_day <= end:
                s.record_follow_up(
                    commitment=commitment,
                    date=follow_day,
                    kind=FollowUpKind.SUPERVISION,
                    by_unit=standing,
                    assessment=assessment,
                    note="Giám sát sau kiểm điểm, phê bình.",
                    acting_user=None,
                )
    # Commitments after thematic-supervision conclusions (collective and individuals).
    for case in thematic[:3]:
        subject = case.subjects.filter(unit__isnull=False).first()
        commitment = s.create_commitment(
            supervising_unit=case.conducting_unit,
            origin_kind=CommitmentOrigin.CONCLUSION,
            origin=case,
            signed_on=case.concluded_on + dt.timedelta(days=10),
            subject_unit=subject.unit,
            items=[
                s.ItemSpec(
                    "Xây dựng danh mục biểu hiện suy thoái cụ thể cho từng chi bộ",
                    case.concluded_on + dt.timedelta(days=100),
                )
            ],
            acting_user=None,
        )
        item = commitment.items.get()
        s.close_commitment_item(
            item=item,
            closed_on=item.due_on - dt.timedelta(days=10),
            justification="Danh mục đã ban hành kèm nghị quyết của Đảng ủy.",
            evidence=_evidence(f"danh-muc-{subject.unit.code}"),
            acting_user=None,
        )
        s.record_follow_up(
            commitment=commitment,
            item=item,
            date=item.due_on,
            kind=FollowUpKind.VERIFICATION,
            by_unit=case.conducting_unit,
            assessment=FollowUpAssessment.CORRECTED,
            note="Đã kiểm tra danh mục tại 3 chi bộ.",
            acting_user=None,
        )
    # The whole loop for Trường Thi: supervision (2019) → conclusion → commitment →
    # verification → re-supervision (2022, the repeat case).
    first = thematic[0]
    repeat = ctx.data["thematic_cases"][-1]
    loop = Commitment.objects.filter(
        origin_type__model="case", origin_id=first.pk, subject_unit__isnull=False
    ).first()
    if loop is not None:
        s.record_follow_up(
            commitment=loop,
            date=repeat.decided_on,
            kind=FollowUpKind.REINSPECTION,
            by_unit=repeat.conducting_unit,
            assessment=FollowUpAssessment.ON_TRACK,
            case=repeat,
            note="Giám sát lại việc khắc phục sau kết luận năm 2019.",
            acting_user=None,
        )
    # Outside the count: a criticism in Sầm Sơn and one before the period.
    s.record_criticism(
        by_unit=ctx.units["SS"],
        date=D(2021, 6, 1),
        subject_unit=ctx.units["SS-TRUNGSON"],
        reason="Chậm triển khai học tập nghị quyết.",
        acting_user=None,
    )
    s.record_criticism(
        by_unit=standing,
        date=D(2018, 12, 3),
        subject_unit=wards["Ba Đình"],
        reason="Chậm triển khai học tập nghị quyết (năm 2018).",
        acting_user=None,
    )
