"""Demo petitions: the city (unit "TP" and its subtree) from 2019 to 09/2022, and recent letters
at the province after the 2025 reform.

Every step goes through the real services (identities sealed, receipt codes hashed, deadlines
computed, hot spots detected): letters of every class and channel, some transferred to a
ward's inspection commission (the clock restarting on its receipt) or to a state body, some not
handled with their reasons, a group petition with representatives marked as a hot spot, and a
cluster of letters about one ward that raises a hot-spot alert. Petitioners are fictional.
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.dates import today
from giamsat.core.demo import REPORT_END, DemoContext
from giamsat.people.models import Gender, Membership, Person
from giamsat.petitions import hotspots, services
from giamsat.petitions.models import (
    AlertKind,
    AlertStatus,
    Channel,
    Complexity,
    HotSpotAlert,
    NotHandledReason,
    Outcome,
    Petition,
    PetitionClass,
    Status,
    Topic,
)
from giamsat.petitions.services import IdentityData, NewPetition
from giamsat.units.models import Unit

ONE_DAY = dt.timedelta(days=1)

DENUNCIATIONS = [
    ("Tố cáo {who} nhận tiền khi xác nhận hồ sơ đất đai cho người dân.", Topic.CORRUPTION),
    (
        "Tố cáo {who} vi phạm quy định về những điều đảng viên không được làm: tổ chức đánh bạc.",
        Topic.ETHICS,
    ),
    ("Tố cáo {who} có biểu hiện vụ lợi trong việc bình xét hộ nghèo.", Topic.POLICY),
    ("Tố cáo {who} kê khai tài sản, thu nhập không trung thực.", Topic.CORRUPTION),
    ("Tố cáo {who} gây khó khăn, sách nhiễu khi giải quyết thủ tục xây dựng.", Topic.ABUSE),
    ("Tố cáo {who} sử dụng bằng cấp không hợp pháp để được bổ nhiệm.", Topic.PERSONNEL),
]
COMPLAINTS = [
    (
        "Khiếu nại quyết định kỷ luật khiển trách của chi bộ đối với tôi là không đúng.",
        Topic.PERSONNEL,
    ),
    ("Khiếu nại việc thu hồi đất và mức bồi thường tại {place}.", Topic.LAND),
    ("Khiếu nại việc không giải quyết chế độ chính sách cho thân nhân liệt sĩ.", Topic.POLICY),
]
PROPOSALS = [
    (
        "Phản ánh tình trạng xây dựng trái phép kéo dài tại {place}, chính quyền chưa xử lý.",
        Topic.CONSTRUCTION,
    ),
    (
        "Kiến nghị công khai các khoản thu, chi quỹ phòng chống thiên tai tại {place}.",
        Topic.FINANCE,
    ),
    ("Phản ánh ô nhiễm môi trường từ cơ sở sản xuất tại {place}.", Topic.CONSTRUCTION),
    ("Kiến nghị đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất tại {place}.", Topic.LAND),
]
CONCLUSIONS = {
    Outcome.FOUNDED: "Kết quả thẩm tra, xác minh: nội dung đơn là đúng; đã yêu cầu xử lý "
    "trách nhiệm và khắc phục.",
    Outcome.PARTLY_FOUNDED: "Kết quả thẩm tra, xác minh: nội dung đơn đúng một phần; đã yêu cầu "
    "kiểm điểm, rút kinh nghiệm.",
    Outcome.UNFOUNDED: "Kết quả thẩm tra, xác minh: nội dung đơn không có cơ sở.",
}
STATE_BODIES = ["Thanh tra thành phố Thanh Hóa", "UBND thành phố Thanh Hóa", "Công an thành phố"]
CHANNEL_WEIGHTS = [
    (Channel.POST, 35),
    (Channel.IN_PERSON, 20),
    (Channel.HOTLINE_PHONE, 15),
    (Channel.HOTLINE_WEB, 15),
    (Channel.TRANSFERRED, 15),
]
STREETS = ["Lê Lợi", "Trần Phú", "Hạc Thành", "Nguyễn Trãi", "Bà Triệu", "Lê Hoàn", "Đội Cung"]


def _weighted(ctx: DemoContext, pairs):
    total = sum(w for _v, w in pairs)
    pick = ctx.rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def _identity(ctx: DemoContext, ward_name: str) -> IdentityData:
    from giamsat.people.demo import fictional_name

    rng = ctx.rng
    return IdentityData(
        full_name=fictional_name(ctx, rng.choice([Gender.MALE, Gender.FEMALE])),
        address=f"Số {rng.randint(1, 200)} phố {rng.choice(STREETS)}, phường {ward_name}",
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        email="" if rng.random() < 0.7 else f"nguoidan{rng.randint(100, 999)}@example.vn",
    )


def _member_of(ward: Unit, day: dt.date, ctx: DemoContext) -> Person | None:
    cells = list(Unit.objects.subtree_of(ward, day).cells().values_list("pk", flat=True))
    people = list(
        Membership.objects.filter(unit_id__in=cells, valid_from__lte=day)
        .order_by("person_id")
        .values_list("person_id", flat=True)[:60]
    )
    return Person.objects.get(pk=ctx.rng.choice(people)) if people else None


def _working_day_after(day: dt.date, days: int) -> dt.date:
    from giamsat.core.deadlines import add_working_days

    return add_working_days(day, days)


class _Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.users = ctx.data["users"]
        self.city = ctx.units["TP"]
        self.wards: dict[str, Unit] = ctx.data["city_wards"]
        self.first_code: tuple[str, str] | None = None
        self.count = 0

    def letter(
        self,
        *,
        day: dt.date,
        unit: Unit,
        ward_name: str,
        kind: str,
        channel: str | None = None,
        anonymous: bool = False,
        signers: int = 1,
        representatives: int = 0,
        subject: Person | None = None,
        subject_unit: Unit | None = None,
        text: str | None = None,
        topic: str = "",
    ) -> Petition:
        rng = self.rng
        channel = channel or _weighted(self.ctx, CHANNEL_WEIGHTS)
        place = f"phường {ward_name}"
        who = f"ông/bà {subject.full_name}" if subject else f"cán bộ Đảng ủy phường {ward_name}"
        if text is None:
            pool = {
                PetitionClass.DENUNCIATION: DENUNCIATIONS,
                PetitionClass.COMPLAINT: COMPLAINTS,
            }.get(kind, PROPOSALS)
            template, topic = rng.choice(pool)
            text = template.format(who=who, place=place)
        identity = IdentityData() if anonymous else _identity(self.ctx, ward_name)
        if signers > 1 and not anonymous:
            from giamsat.people.demo import fictional_name

            identity = IdentityData(
                full_name=identity.full_name,
                address=identity.address,
                phone=identity.phone,
                representatives=tuple(
                    fictional_name(self.ctx, Gender.MALE) for _ in range(representatives)
                ),
            )
        spec = NewPetition(
            unit=unit,
            channel=channel,
            content=text + " Đề nghị cơ quan có thẩm quyền xem xét, giải quyết.",
            received_on=day,
            declared_class=kind if rng.random() < 0.8 else PetitionClass.UNCLASSIFIED,
            subject_text=who if kind != PetitionClass.PROPOSAL else "",
            place=place,
            topic=topic,
            summary=text[:120],
            signer_count=signers,
            representative_count=representatives,
            sender_body=rng.choice(["Ban Nội chính Tỉnh ủy", "Văn phòng Tỉnh ủy", "Báo Thanh Hóa"])
            if channel == Channel.TRANSFERRED
            else "",
            identity=identity,
        )
        if channel == Channel.HOTLINE_WEB:
            petition, code = services.submit_hotline(spec=spec)
        else:
            petition, code = services.record_intake(spec=spec, acting_user=self.officer(unit))
        if self.first_code is None and not anonymous:
            self.first_code = (petition.code, code)
        if subject is not None:
            petition.subject_people.add(subject)
        if subject_unit is not None:
            petition.subject_units.add(subject_unit)
        self.count += 1
        petition.refresh_from_db()
        return petition

    def officer(self, unit: Unit):
        if unit.code == "TP":
            return self.users["donthu.tp"]
        return self.users["ubkt.tinh"]

    def handler(self, unit: Unit):
        return self.users["ubkt.tp"] if unit.code.startswith("TP") else self.users["ubkt.tinh"]

    def classify(self, petition: Petition, kind: str, matter: str, **kwargs) -> Petition:
        kwargs.setdefault("admissible", True)
        petition.refresh_from_db()
        services.classify(
            petition=petition,
            acting_user=self.handler(petition.unit),
            expected_version=petition.version,
            petition_class=kind,
            matter=matter,
            topic=petition.topic,
            subject_people=list(petition.subject_people.all()),
            subject_units=list(petition.subject_units.all()),
            on=min(_working_day_after(petition.received_on, self.rng.randint(1, 6)), today()),
            **kwargs,
        )
        petition.refresh_from_db()
        return petition

    def handle(self, petition: Petition, *, finish: bool = True, late: bool = False) -> None:
        """Accept, maybe extend, conclude (in time or late) and answer."""
        user = self.handler(petition.unit)
        petition.refresh_from_db()
        competent = petition.competent_received_on or petition.received_on
        earliest = max(competent, petition.classified_on or competent)
        accepted_on = min(earliest + dt.timedelta(days=self.rng.randint(0, 4)), today())
        services.accept(
            petition=petition,
            acting_user=user,
            expected_version=petition.version,
            accepted_on=accepted_on,
            handler=user,
        )
        petition.refresh_from_db()
        if not finish or petition.due_on is None:
            return
        if late and petition.deadline_rule.startswith("party_denunciation"):
            services.extend(
                petition=petition,
                acting_user=user,
                expected_version=petition.version,
                days=30,
                decided_on=petition.due_on - dt.timedelta(days=5),
                reason="Vụ việc phức tạp, cần xác minh thêm tại nhiều nơi.",
                decision_ref="Quyết định gia hạn của UBKT",
            )
            petition.refresh_from_db()
        span = (petition.due_on - accepted_on).days
        concluded = accepted_on + dt.timedelta(
            days=span + self.rng.randint(3, 25) if late else self.rng.randint(span // 3, span)
        )
        if concluded > today():
            return
        outcome = self.rng.choice(
            [Outcome.FOUNDED, Outcome.PARTLY_FOUNDED, Outcome.UNFOUNDED, Outcome.UNFOUNDED]
        )
        services.conclude(
            petition=petition,
            acting_user=user,
            expected_version=petition.version,
            concluded_on=concluded,
            outcome=outcome,
            conclusion=CONCLUSIONS[outcome],
        )
        petition.refresh_from_db()
        answered = min(concluded + dt.timedelta(days=self.rng.randint(1, 10)), today())
        services.answer(
            petition=petition,
            acting_user=user,
            expected_version=petition.version,
            answered_on=answered,
            text="Cơ quan đã xem xét, giải quyết đơn của ông/bà. " + CONCLUSIONS[outcome],
        )

    def transfer_to_ward(self, petition: Petition, ward_code: str) -> Petition:
        target = self.ctx.units[f"{ward_code}-INSPEC"]
        slip_date = min(_working_day_after(petition.received_on, self.rng.randint(2, 6)), today())
        petition.refresh_from_db()
        services.transfer(
            petition=petition,
            acting_user=self.handler(petition.unit),
            expected_version=petition.version,
            slip_date=slip_date,
            to_unit=target,
            slip_number=f"{self.rng.randint(10, 300)}/PC-UBKT",
            reason="Thuộc thẩm quyền giải quyết của UBKT Đảng ủy phường.",
        )
        petition.refresh_from_db()
        received = min(slip_date + dt.timedelta(days=self.rng.randint(1, 5)), today())
        services.confirm_transfer_receipt(
            petition=petition,
            acting_user=self.handler(target),
            expected_version=petition.version,
            received_on=received,
        )
        petition.refresh_from_db()
        return petition

    def transfer_out(self, petition: Petition) -> None:
        petition.refresh_from_db()
        services.transfer(
            petition=petition,
            acting_user=self.handler(petition.unit),
            expected_version=petition.version,
            slip_date=min(_working_day_after(petition.received_on, 5), today()),
            to_body=self.rng.choice(STATE_BODIES),
            slip_number=f"{self.rng.randint(10, 300)}/PC-VP",
            reason="Nội dung thuộc thẩm quyền của cơ quan nhà nước.",
        )

    def not_handled(self, petition: Petition, kind: str, reasons: list[str]) -> None:
        self.classify(petition, kind, "party", admissible=False, reasons=reasons)


def _city_history(demo: _Demo) -> None:
    rng = demo.rng
    ward_items = sorted(demo.wards.items())
    day = dt.date(2019, 1, 7)
    while day <= REPORT_END - dt.timedelta(days=7):
        ward_name, ward = rng.choice(ward_items)
        kind = _weighted(
            demo.ctx,
            [
                (PetitionClass.DENUNCIATION, 45),
                (PetitionClass.COMPLAINT, 20),
                (PetitionClass.PROPOSAL, 30),
                (PetitionClass.MIXED, 5),
            ],
        )
        anonymous = kind == PetitionClass.DENUNCIATION and rng.random() < 0.15
        subject = _member_of(ward, day, demo.ctx) if kind == PetitionClass.DENUNCIATION else None
        petition = demo.letter(
            day=day,
            unit=demo.city,
            ward_name=ward_name,
            kind=kind,
            anonymous=anonymous,
            subject=subject,
            subject_unit=ward if kind != PetitionClass.PROPOSAL and rng.random() < 0.4 else None,
            signers=rng.choice([1, 1, 1, 2]) if kind == PetitionClass.DENUNCIATION else 1,
        )
        _route(demo, petition, kind, ward, anonymous)
        day += dt.timedelta(days=rng.randint(6, 12))


def _route(demo: _Demo, petition: Petition, kind: str, ward: Unit, anonymous: bool) -> None:
    rng = demo.rng
    if kind == PetitionClass.MIXED:
        petition.refresh_from_db()
        denunciation, proposal = services.split_contents(
            petition=petition,
            acting_user=demo.handler(petition.unit),
            expected_version=petition.version,
            on=min(_working_day_after(petition.received_on, 2), today()),
            contents=[
                (PetitionClass.DENUNCIATION, "Nội dung 1: tố cáo cán bộ phường nhận tiền."),
                (PetitionClass.PROPOSAL, "Nội dung 2: kiến nghị sửa đường giao thông nội đồng."),
            ],
        )
        demo.classify(denunciation, PetitionClass.DENUNCIATION, "party")
        demo.handle(denunciation)
        demo.classify(proposal, PetitionClass.PROPOSAL, "state")
        demo.transfer_out(proposal)
        return
    if anonymous:
        demo.not_handled(petition, kind, [NotHandledReason.ANONYMOUS])
        return
    if kind == PetitionClass.DENUNCIATION:
        if petition.signer_count >= 2:
            demo.not_handled(petition, kind, [NotHandledReason.SEVERAL_SIGNERS])
            return
        roll = rng.random()
        if roll < 0.07:
            demo.not_handled(petition, kind, [NotHandledReason.REPEATED])
            return
        if roll < 0.12:
            demo.not_handled(
                petition, kind, [NotHandledReason.NOT_CONCRETE, NotHandledReason.NO_ADDRESS]
            )
            return
        demo.classify(
            petition,
            kind,
            "party",
            complexity=Complexity.COMPLEX if rng.random() < 0.2 else "",
        )
        if rng.random() < 0.35:
            petition = demo.transfer_to_ward(petition, ward.code)
        demo.handle(petition, late=rng.random() < 0.12)
        return
    if kind == PetitionClass.COMPLAINT:
        state = rng.random() < 0.5
        demo.classify(petition, kind, "state" if state else "party")
        if state:
            demo.transfer_out(petition)
        else:
            demo.handle(petition, late=rng.random() < 0.1)
        return
    state = rng.random() < 0.6
    demo.classify(petition, kind, "state" if state else "party")
    if state:
        demo.transfer_out(petition)
    else:
        demo.handle(petition)


def _group_and_cluster(demo: _Demo) -> None:
    """A group petition (23 signers, 3 representatives) marked a hot spot, and a cluster of six
    letters about one ward within six weeks that raises an alert."""
    wards = demo.wards
    group = demo.letter(
        day=dt.date(2021, 6, 14),
        unit=demo.city,
        ward_name="Đông Hương",
        kind=PetitionClass.COMPLAINT,
        channel=Channel.IN_PERSON,
        signers=23,
        representatives=3,
        subject_unit=wards["Đông Hương"],
        text="Khiếu nại tập thể của 23 hộ dân về mức bồi thường khi thu hồi đất làm dự án khu "
        "dân cư tại phường Đông Hương.",
        topic=Topic.LAND,
    )
    demo.classify(group, PetitionClass.COMPLAINT, "party")
    demo.handle(group, late=True)
    services.mark_petition_hot_spot(
        petition=group,
        acting_user=demo.handler(group.unit),
        reason="Đông người, kéo dài, có dấu hiệu tụ tập tại trụ sở.",
    )
    ward = wards["Quảng Thắng"]
    start = dt.date(2022, 4, 4)
    for offset in (0, 6, 13, 20, 29, 41):
        day = start + dt.timedelta(days=offset)
        petition = demo.letter(
            day=day,
            unit=demo.city,
            ward_name="Quảng Thắng",
            kind=PetitionClass.DENUNCIATION,
            subject_unit=ward,
            text="Tố cáo Đảng ủy phường Quảng Thắng buông lỏng quản lý để xảy ra giao đất trái "
            "thẩm quyền tại khu đồng Bến.",
            topic=Topic.LAND,
        )
        demo.classify(petition, PetitionClass.DENUNCIATION, "party")
        demo.handle(petition, finish=offset < 20)


def _recent(demo: _Demo) -> None:
    """Letters of the last weeks at the province (the city ended on 30/06/2025)."""
    province = demo.ctx.units["TH"]
    new_ward = demo.ctx.units.get("TH-HACTHANH")
    now = today()
    for back in (40, 33, 26, 19, 12, 8, 5, 2, 1):
        day = now - dt.timedelta(days=back)
        kind = demo.rng.choice(
            [PetitionClass.DENUNCIATION, PetitionClass.DENUNCIATION, PetitionClass.PROPOSAL]
        )
        petition = demo.letter(
            day=day,
            unit=province,
            ward_name="Hạc Thành",
            kind=kind,
            subject_unit=new_ward if kind == PetitionClass.DENUNCIATION else None,
            topic=Topic.LAND if back < 30 else "",
        )
        if back >= 12:
            demo.classify(petition, kind, "party")
            demo.handle(petition, finish=False)


def load(ctx: DemoContext) -> None:
    demo = _Demo(ctx)
    _city_history(demo)
    _group_and_cluster(demo)
    _recent(demo)
    # Alerts over the whole history, as the daily job would have raised them; the committee
    # closed the old ones after looking at them, except the cluster about Quảng Thắng.
    recent = today() - dt.timedelta(days=60)
    HotSpotAlert.objects.exclude(kind=AlertKind.MANUAL).delete()
    for day in sorted(set(Petition.objects.values_list("received_on", flat=True))):
        for alert in hotspots.detect_clusters(on=day):
            keep = alert.kind == AlertKind.MANUAL or "Quảng Thắng" in alert.label
            if alert.window_end < recent and not keep and alert.status != AlertStatus.CLOSED:
                alert.status = AlertStatus.CLOSED
                alert.closed_on = min(alert.window_end + dt.timedelta(days=20), today())
                alert.closed_reason = (
                    "Đã xem xét: các đơn được giải quyết riêng, không phải điểm nóng."
                )
                alert.save()
    by_status = {
        str(Status(s).label): Petition.objects.filter(status=s).count() for s in Status.values
    }
    ctx.log(
        f"petitions: {Petition.objects.count()} letters; "
        + ", ".join(f"{k}: {v}" for k, v in by_status.items() if v)
    )
    if demo.first_code:
        ctx.log(
            f"hotline: letter {demo.first_code[0]} can be checked at /hotline/status/ with "
            f"the demo receipt code {demo.first_code[1]}"
        )
