"""Demo implementation records: the five directives of the seed, put into implementation by the
province (for the city and two other organisations) and by the city (for its wards, communes,
police and agency cells), with the plans of both as **fictional demo documents**, a few late and
missing units, reminders, and the city's key tasks and bottlenecks.

Every date lies between 2016 and 30/09/2022 (the day of the working session in the article).
Deterministic: all choices come from ``ctx.rng``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from giamsat.core.demo import REPORT_END, DemoContext
from giamsat.directives.models import Directive
from giamsat.implementation import services
from giamsat.implementation.models import (
    Fulfilment,
    KeyTask,
    ReminderMethod,
    RequirementKind,
    TaskKind,
    TaskStatus,
)
from giamsat.people.models import Post
from giamsat.units.models import Unit

D = dt.date
DEMO_NOTE = "Tài liệu demo (hư cấu), không phải văn bản thật."


@dataclass(frozen=True)
class Plan:
    """When the province and the city put one seed directive into implementation."""

    key: str
    province_plan: dt.date
    province_no: int
    city_plan: dt.date
    city_no: int
    doc_days: int  # the units' plan is due this many days after the city's
    study_due: dt.date
    report_due: dt.date


PLANS = [
    Plan("nq04", D(2016, 12, 2), 18, D(2016, 12, 20), 45, 30, D(2017, 3, 31), D(2017, 11, 30)),
    Plan("qd08", D(2018, 12, 12), 96, D(2019, 1, 8), 112, 30, D(2019, 3, 29), D(2019, 11, 29)),
    Plan("qd37", D(2021, 11, 22), 21, D(2021, 12, 6), 38, 30, D(2022, 2, 28), D(2022, 6, 30)),
    Plan("kl21", D(2021, 11, 26), 24, D(2021, 12, 10), 41, 30, D(2022, 3, 15), D(2022, 6, 30)),
    Plan("kh03", D(2021, 12, 24), 35, D(2022, 1, 10), 52, 35, D(2022, 3, 31), D(2022, 9, 15)),
]

KEY_TASKS = [
    # (unit code or None for the city, kind, title, owner title, opened, deadline, closed, status)
    (
        None,
        TaskKind.KEY_TASK,
        "Cụ thể hóa Kết luận 21-KL/TW thành chương trình công tác năm 2022 của Ban Thường vụ "
        "Thành ủy",
        "Văn phòng Thành ủy",
        D(2021, 12, 10),
        D(2022, 3, 31),
        D(2022, 3, 18),
        TaskStatus.DONE,
    ),
    (
        None,
        TaskKind.KEY_TASK,
        "Kiểm tra, giám sát việc học tập, quán triệt Quy định 37-QĐ/TW tại các đảng bộ phường, xã",
        "Ủy ban Kiểm tra Thành ủy",
        D(2022, 1, 15),
        D(2022, 8, 31),
        D(2022, 9, 12),
        TaskStatus.DONE,
    ),
    (
        None,
        TaskKind.KEY_TASK,
        "Xây dựng và nhân rộng mô hình người đứng đầu nêu gương theo Quy định 08-QĐi/TW",
        "Ban Tổ chức Thành ủy",
        D(2019, 2, 15),
        D(2022, 12, 31),
        None,
        TaskStatus.OPEN,
    ),
    (
        None,
        TaskKind.KEY_TASK,
        "Sơ kết việc thực hiện Kế hoạch 03-KH/TW, báo cáo đoàn công tác của Ban Bí thư",
        "Văn phòng Thành ủy",
        D(2022, 8, 1),
        D(2022, 9, 25),
        D(2022, 9, 23),
        TaskStatus.DONE,
    ),
    (
        None,
        TaskKind.BOTTLENECK,
        "Vướng mắc giải phóng mặt bằng các dự án hạ tầng đô thị (đất đai, bồi thường, tái định cư)",
        "UBND thành phố",
        D(2020, 3, 1),
        D(2022, 6, 30),
        None,
        TaskStatus.OPEN,
    ),
    (
        None,
        TaskKind.BOTTLENECK,
        "Thủ tục đầu tư xây dựng kéo dài, chậm giải ngân vốn đầu tư công",
        "UBND thành phố",
        D(2021, 1, 20),
        D(2022, 12, 31),
        None,
        TaskStatus.OPEN,
    ),
    (
        None,
        TaskKind.BOTTLENECK,
        "Quản lý tài sản công, trụ sở dôi dư sau sắp xếp đơn vị hành chính",
        "UBND thành phố",
        D(2020, 6, 1),
        D(2021, 12, 31),
        D(2021, 11, 30),
        TaskStatus.DONE,
    ),
    (
        None,
        TaskKind.BOTTLENECK,
        "Huy động nguồn lực xã hội hóa cho chỉnh trang đô thị còn hạn chế",
        "Ban Thường vụ Thành ủy",
        D(2021, 4, 1),
        D(2022, 12, 31),
        None,
        TaskStatus.OPEN,
    ),
    (
        None,
        TaskKind.BOTTLENECK,
        "Thiếu cán bộ chuyên trách công tác đảng ở cơ sở",
        "Ban Tổ chức Thành ủy",
        D(2021, 8, 1),
        D(2022, 6, 30),
        None,
        TaskStatus.OPEN,
    ),
    (
        "TP-TRUONGTHI",
        TaskKind.KEY_TASK,
        "Tổ chức học bù Kết luận 21-KL/TW cho đảng viên vắng mặt",
        "",
        D(2022, 3, 20),
        D(2022, 5, 31),
        D(2022, 5, 20),
        TaskStatus.DONE,
    ),
    (
        "TP-DONGHAI",
        TaskKind.BOTTLENECK,
        "Sinh hoạt đảng của đảng viên đi làm ăn xa, lao động tự do",
        "",
        D(2021, 9, 1),
        D(2022, 9, 30),
        None,
        TaskStatus.OPEN,
    ),
    (
        "TP-QUANGTAM",
        TaskKind.KEY_TASK,
        "Kiện toàn chi ủy các chi bộ thôn sau sáp nhập vào thành phố",
        "",
        D(2021, 2, 1),
        D(2021, 10, 31),
        D(2022, 1, 14),
        TaskStatus.DONE,
    ),
]

PROGRESS = [
    "Đã giao các ban xây dựng Đảng rà soát, đề xuất.",
    "Đã họp giao ban, thống nhất lộ trình thực hiện.",
    "Còn vướng về cơ chế, đã báo cáo xin ý kiến cấp trên.",
    "Đã hoàn thành một phần, tiếp tục đôn đốc.",
]


def _doc(
    *, unit: Unit, number: int, issuer: str, day: dt.date, title: str, implements: Directive
) -> Directive:
    return Directive.objects.create(
        doc_type="KH",
        number=number,
        issuer_code=issuer,
        issued_on=day,
        title=f"{title} (tài liệu demo)",
        summary=DEMO_NOTE,
        issuing_unit=unit,
        implements=implements,
        source_note=DEMO_NOTE,
    )


def _requirements(plan: Plan, start: dt.date, doc_days: int) -> list[services.RequirementSpec]:
    return [
        services.RequirementSpec(
            RequirementKind.ISSUE_DOCUMENT, start + dt.timedelta(days=doc_days)
        ),
        services.RequirementSpec(
            RequirementKind.ORGANISE_STUDY,
            plan.study_due,
            "Tổ chức học tập, quán triệt cho cán bộ, đảng viên, công chức, viên chức",
        ),
        services.RequirementSpec(RequirementKind.REPORT, plan.report_due),
    ]


def _outcome(ctx: DemoContext, due: dt.date, weights: tuple[float, float]) -> dt.date | None:
    """A done date: mostly on time, some late, a few never (None)."""
    late_p, missing_p = weights
    roll = ctx.rng.random()
    if roll < missing_p:
        return None
    if roll < missing_p + late_p:
        day = due + dt.timedelta(days=ctx.rng.randint(3, 45))
    else:
        day = due - dt.timedelta(days=ctx.rng.randint(0, 20))
    return day if day <= REPORT_END else None


def load(ctx: DemoContext) -> None:
    admin = ctx.data["users"]["admin"]
    docs: dict[str, Directive] = ctx.data["directives"]
    province, city = ctx.units["TH"], ctx.units["TP"]
    others = [ctx.units["SS"], ctx.units["TH-CA"]]
    wards = list(ctx.data["city_wards"].values())
    # The city standing committee criticised 4 grassroots committees for poor implementation of
    # the study of the resolution (article): these are late or missing on study.
    criticised = {u.pk for u in ctx.rng.sample(wards, 4)}
    ward_numbers: dict[int, int] = {}
    reminder_no = 200
    stats = {"assignments": 0, "records": 0, "late": 0, "missing": 0}

    for plan in PLANS:
        directive = docs[plan.key]
        province_plan = _doc(
            unit=province,
            number=plan.province_no,
            issuer="TU",
            day=plan.province_plan,
            title=f"Kế hoạch của Ban Thường vụ Tỉnh ủy thực hiện {directive.label}",
            implements=directive,
        )
        province_assignment = services.put_into_implementation(
            directive=directive,
            issuing_unit=province,
            plan=province_plan,
            assigned_on=plan.province_plan,
            scope=[city, *others],
            requirements=_requirements(plan, plan.province_plan, 20),
            acting_user=admin,
        )
        city_plan = _doc(
            unit=city,
            number=plan.city_no,
            issuer="TU",
            day=plan.city_plan,
            title=f"Kế hoạch của Ban Thường vụ Thành ủy thực hiện Kế hoạch số "
            f"{province_plan.symbol} của Ban Thường vụ Tỉnh ủy",
            implements=province_plan,
        )
        city_assignment = services.put_into_implementation(
            directive=directive,
            issuing_unit=city,
            plan=city_plan,
            assigned_on=plan.city_plan,
            scope="subtree",
            requirements=_requirements(plan, plan.city_plan, plan.doc_days),
            acting_user=admin,
        )
        stats["assignments"] += 2

        # The province's requirements: the city and the two others fulfil them, mostly on time.
        for item in _items(province_assignment):
            unit = item.implementation.unit
            if item.requirement.kind == RequirementKind.ISSUE_DOCUMENT:
                if unit.pk == city.pk:
                    document = city_plan
                else:
                    document = _doc(
                        unit=unit,
                        number=ctx.rng.randint(10, 90),
                        issuer=unit.issuer_code or "ĐU",
                        day=item.requirement.due_on - dt.timedelta(days=ctx.rng.randint(1, 12)),
                        title=f"Kế hoạch thực hiện Kế hoạch số {province_plan.symbol}",
                        implements=province_plan,
                    )
                _fulfil(item, admin, document.issued_on, document)
            else:
                done = _outcome(ctx, item.requirement.due_on, (0.15, 0.0))
                if done is not None:
                    _fulfil(item, admin, done)

        # The city's requirements across its grassroots organisations.
        for item in _items(city_assignment):
            unit = item.implementation.unit
            kind = item.requirement.kind
            weights = (0.04, 0.015)
            if unit.pk in criticised and kind == RequirementKind.ORGANISE_STUDY:
                weights = (0.5, 0.3)
            elif plan.key in ("nq04", "qd08"):
                weights = (0.03, 0.0)
            done = _outcome(ctx, item.requirement.due_on, weights)
            if done is None:
                stats["missing"] += 1
                reminder_no += 1
                services.record_reminder(
                    implementation=item.implementation,
                    requirement=item.requirement,
                    acting_user=admin,
                    sent_on=min(item.requirement.due_on + dt.timedelta(days=10), REPORT_END),
                    method=ReminderMethod.DOCUMENT,
                    document_symbol=f"{reminder_no}-CV/TU",
                    note=f"Đề nghị {unit.name} khẩn trương hoàn thành "
                    f'"{item.requirement.title}" và báo cáo Thường trực Thành ủy.',
                )
                continue
            if done > item.requirement.due_on:
                stats["late"] += 1
            document = None
            if kind == RequirementKind.ISSUE_DOCUMENT:
                ward_numbers[unit.pk] = ward_numbers.get(unit.pk, 0) + ctx.rng.randint(3, 40)
                document = _doc(
                    unit=unit,
                    number=ward_numbers[unit.pk],
                    issuer=unit.issuer_code or "CB",
                    day=max(done, plan.city_plan),
                    title=f"Kế hoạch thực hiện Kế hoạch số {city_plan.symbol} của Ban Thường vụ "
                    "Thành ủy",
                    implements=city_plan,
                )
            _fulfil(item, admin, max(done, plan.city_plan), document)
        stats["records"] += province_assignment.implementations.count()
        stats["records"] += city_assignment.implementations.count()

    _key_tasks(ctx, admin, city, docs)
    ctx.log(
        f"implementation: {stats['assignments']} assignments, {stats['records']} records, "
        f"{stats['late']} late and {stats['missing']} missing ward requirements; "
        f"{KeyTask.objects.count()} key tasks and bottlenecks"
    )


def _items(assignment) -> list[Fulfilment]:
    return list(
        Fulfilment.objects.filter(implementation__assignment=assignment)
        .select_related("implementation__unit", "requirement", "implementation__assignment")
        .order_by("implementation__unit__code", "requirement__order")
    )


def _fulfil(item: Fulfilment, admin, day: dt.date, document: Directive | None = None) -> None:
    if item.requirement.kind == RequirementKind.ISSUE_DOCUMENT and document is None:
        return
    services.record_fulfilment(fulfilment=item, acting_user=admin, done_on=day, document=document)


def _key_tasks(ctx: DemoContext, admin, city: Unit, docs: dict[str, Directive]) -> None:
    directive_for = {"21-KL": "kl21", "37-QĐ": "qd37", "08-QĐi": "qd08", "03-KH": "kh03"}
    for code, kind, title, owner_title, opened, deadline, closed, status in KEY_TASKS:
        unit = ctx.units[code] if code else city
        owner = None
        if code:
            post = (
                Post.objects.filter(unit=unit, is_head=True)
                .valid_on(opened)
                .select_related("person")
                .first()
            )
            owner = post.person if post else None
            owner_title = post.title if post else owner_title
        directive = next((docs[k] for part, k in directive_for.items() if part in title), None)
        task = services.create_key_task(
            unit=unit,
            kind=kind,
            title=title,
            owner=owner,
            owner_title=owner_title,
            opened_on=opened,
            deadline=deadline,
            directive=directive,
            acting_user=admin,
        )
        day = opened
        for _ in range(ctx.rng.randint(1, 3)):
            day = day + dt.timedelta(days=ctx.rng.randint(20, 120))
            if day >= (closed or REPORT_END):
                break
            services.add_task_progress(
                task=task, acting_user=admin, date=day, text=ctx.rng.choice(PROGRESS)
            )
        if closed is not None:
            services.add_task_progress(
                task=task,
                acting_user=admin,
                date=closed,
                text="Đã hoàn thành, báo cáo Ban Thường vụ." if status == TaskStatus.DONE else "",
                status=status,
            )
