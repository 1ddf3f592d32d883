"""Demo: party discipline in the city (unit "TP"), 2019 → 30/09/2022.

For unit TP and the period 01/01/2019–30/09/2022 the indicators give the article's figures:
- **1 party organisation disciplined with khiển trách** (a cell of Đông Vệ ward, proposed by the
  ward's inspection commission, decided by the ward committee);
- **29 members disciplined for ethics and lifestyle** (18 khiển trách, 8 cảnh cáo, 2 cách chức,
  1 khai trừ in force; one cảnh cáo lowered to khiển trách on complaint, one upheld), each with
  its violation coded on the catalogue in force at the time (QĐ 102 groups before 06/7/2022,
  QĐ 69 after), its secret ballot and its decision.
Records the figures must leave out are added on purpose: 3 members disciplined for other
violations (counted among members, not for ethics), a case time-barred after the ballot, a
deferred case (pregnancy), a decision annulled on complaint with rehabilitation (QĐ 117), a
decision after 30/09/2022 and one in Sầm Sơn. Every person is a generated, fictional member.
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import DemoContext
from giamsat.discipline import services as s
from giamsat.discipline.authority_data import ensure_authority_matrix
from giamsat.discipline.models import (
    AppealLevel,
    AppealOutcome,
    BallotPurpose,
    DisciplineCase,
)
from giamsat.discipline.rules import DeferralReason, Form, SubjectKind
from giamsat.oversight.demo import head_of, members_of
from giamsat.oversight.models import CatalogueItem
from giamsat.people.models import Gender, Membership, MemberStatus, Post
from giamsat.units.models import Unit

D = dt.date
DAY = dt.timedelta(days=1)

# Forms in force of the 29 ethics cases, in order (the 5th is voted cảnh cáo and lowered to
# khiển trách on complaint; the 9th's complaint is upheld).
ETHICS_FORMS = (
    [Form.KHIEN_TRACH] * 4
    + [Form.CANH_CAO]
    + [Form.KHIEN_TRACH] * 3
    + [Form.CANH_CAO] * 8
    + [Form.KHIEN_TRACH] * 10
    + [Form.CACH_CHUC] * 2
    + [Form.KHAI_TRU]
)
assert len(ETHICS_FORMS) == 29


def _group(topic: str, on: dt.date, *, organisation: bool = False) -> CatalogueItem:
    """The violation group with ``topic`` in the catalogue in force on ``on``."""
    if organisation:
        code = "qd07-groups" if on <= D(2022, 7, 5) else "qd69-organisation"
    else:
        code = "qd102-groups" if on <= D(2022, 7, 5) else "qd69-member"
    return CatalogueItem.objects.get(catalogue__code=code, topic=topic)


def _full_members(cell: Unit, day: dt.date) -> int:
    return (
        Membership.objects.valid_on(day).filter(unit=cell, person__status=MemberStatus.FULL).count()
    )


def _decide(
    ctx: DemoContext,
    case: DisciplineCase,
    form: Form,
    ballot_on: dt.date,
    number: int,
) -> DisciplineCase:
    """Ballot(s) and decision as the authority matrix says (cell, or cell + standing committee)."""
    authority = s.authority_for(case, form, ballot_on)
    cell = case.unit
    total = _full_members(cell, ballot_on)
    present = total - 3
    if authority.proposing_unit is not None:
        needed = -(-2 * total // 3) if form == Form.KHAI_TRU else total // 2 + 1
        s.record_ballot(
            case=case,
            expected_version=case.version,
            body=authority.proposing_unit,
            held_on=ballot_on,
            purpose=BallotPurpose.PROPOSE,
            total_members=total,
            present=present,
            votes={form: needed + 1},
            votes_none=present - needed - 1,
            acting_user=None,
        )
        case.refresh_from_db()
        ballot_on += dt.timedelta(days=21)
        total, present = 15, 14
    body = authority.deciding_unit
    assert body is not None, f"no deciding body for {case}"
    s.record_ballot(
        case=case,
        expected_version=case.version,
        body=body,
        held_on=ballot_on,
        purpose=BallotPurpose.DECIDE,
        total_members=total,
        present=present,
        votes={form: total // 2 + 2},
        votes_none=present - total // 2 - 2,
        acting_user=None,
    )
    case.refresh_from_db()
    issuer = "TU" if body.code.startswith("TP-STANDI") else ("ĐU" if not body.is_cell else "CB")
    s.record_decision(
        case=case,
        expected_version=case.version,
        form=form,
        deciding_unit=body,
        decided_on=ballot_on + DAY,
        symbol=f"Số {number:02d}-QĐ/{issuer}",
        announced_on=ballot_on + 3 * DAY,
        received_on=ballot_on + 5 * DAY,
        acting_user=None,
    )
    case.refresh_from_db()
    return case


def _member_case(
    ctx: DemoContext,
    person,
    opened: dt.date,
    topic: str,
    text: str,
    *,
    post: Post | None = None,
    origin_case=None,
) -> DisciplineCase:
    case = s.open_discipline_case(
        person=person,
        opened_on=opened,
        summary=text,
        post=post,
        origin_case=origin_case,
        origin_note="" if origin_case else "Chi bộ kiểm điểm, phát hiện qua sinh hoạt chi bộ",
        acting_user=None,
    )
    started = opened - dt.timedelta(days=150)
    ended = opened - dt.timedelta(days=30)
    s.add_violation(
        case=case,
        group=_group(topic, ended),
        description=text,
        started_on=started,
        ended_on=ended,
        acting_user=None,
    )
    return case


ETHICS_TEXTS = [
    "Uống rượu, bia trong giờ làm việc; gây mất trật tự tại khu dân cư.",
    "Tham gia đánh bạc dưới hình thức cá độ bóng đá.",
    "Vi phạm quy định về cưới hỏi, tổ chức tiệc linh đình.",
    "Có lời nói, hành vi thiếu chuẩn mực với quần chúng nhân dân.",
    "Vay mượn tiền không trả, gây bức xúc trong khu dân cư.",
    "Vi phạm quy định về hôn nhân, gia đình, ảnh hưởng uy tín đảng viên.",
]


def load(ctx: DemoContext) -> None:
    ensure_authority_matrix()  # `giamsat demo --reset` flushed the rows the migration loaded
    wards: dict[str, Unit] = ctx.data["city_wards"]
    names = list(wards)
    day = D(2019, 1, 1)
    cells = [c for n in names for c in Unit.objects.subtree_of(wards[n], day).cells()]
    cells.sort(key=lambda c: c.code)
    violation_cases = ctx.data.get("violation_cases", [])
    used: set[int] = set()

    def fresh_member(cell: Unit, on: dt.date, skip: int = 3):
        for person in members_of(cell, on, 30, skip=skip):
            if person.pk not in used and person.status == MemberStatus.FULL:
                used.add(person.pk)
                return person
        raise LookupError(f"no free member in {cell}")

    # --- 29 members disciplined for ethics and lifestyle ---------------------------------------
    opened_days = [
        D(2019, 3, 4) + dt.timedelta(days=int(i * (1280 / 29))) for i in range(len(ETHICS_FORMS))
    ]
    ethics: list[DisciplineCase] = []
    for i, (form, opened) in enumerate(zip(ETHICS_FORMS, opened_days, strict=True)):
        cell = cells[(i * 7) % len(cells)]
        text = ETHICS_TEXTS[i % len(ETHICS_TEXTS)]
        origin = None
        post = None
        if form == Form.CACH_CHUC:
            person = head_of(cell, opened)  # the cell secretary holds a post
            used.add(person.pk)
            post = Post.objects.valid_on(opened).get(person=person, unit=cell, is_head=True)
        elif i < 4 and i < len(violation_cases):
            origin = violation_cases[i]
            person = origin.subjects.first().person
            used.add(person.pk)
            opened = max(opened, origin.concluded_on or opened)
        else:
            person = fresh_member(cell, opened)
        case = _member_case(
            ctx, person, opened, "ethics_lifestyle", text, post=post, origin_case=origin
        )
        voted = Form.CANH_CAO if i == 4 else form
        ethics.append(_decide(ctx, case, voted, opened + dt.timedelta(days=20), 10 + i))
    # Complaints: the 5th is lowered to khiển trách, the 9th is upheld, the 2nd is filed late.
    lowered = ethics[4].current_decision
    assert lowered is not None
    appeal = s.file_appeal(
        decision=lowered,
        filed_on=lowered.received_on + 10 * DAY,
        received_on=lowered.received_on + 12 * DAY,
        resolving_unit=ctx.units["TP-INSPEC"],
        level=AppealLevel.FIRST,
        grounds="Đảng viên cho rằng hình thức cảnh cáo là nặng so với tính chất vi phạm.",
        acting_user=None,
    )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.CHANGED,
        resolved_on=appeal.received_on + 40 * DAY,
        new_form=Form.KHIEN_TRACH,
        new_symbol="Số 21-QĐ/UBKTTU",
        note="Vi phạm lần đầu, đã khắc phục hậu quả: chuyển sang hình thức khiển trách.",
        acting_user=None,
    )
    upheld = ethics[8].current_decision
    assert upheld is not None
    appeal = s.file_appeal(
        decision=upheld,
        filed_on=upheld.received_on + 20 * DAY,
        received_on=upheld.received_on + 22 * DAY,
        resolving_unit=ctx.units["TP-INSPEC"],
        level=AppealLevel.FIRST,
        grounds="Đề nghị xem xét lại hình thức kỷ luật.",
        acting_user=None,
    )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.UPHELD,
        resolved_on=appeal.received_on + 60 * DAY,
        note="Giữ nguyên hình thức kỷ luật cảnh cáo.",
        acting_user=None,
    )
    late = ethics[1].current_decision
    assert late is not None
    s.file_appeal(
        decision=late,
        filed_on=late.received_on + 45 * DAY,
        received_on=late.received_on + 47 * DAY,
        resolving_unit=ctx.units["TP-INSPEC"],
        level=AppealLevel.FIRST,
        grounds="Khiếu nại quyết định kỷ luật khiển trách.",
        acting_user=None,
    )

    # --- 1 party organisation disciplined with khiển trách -------------------------------------
    dong_ve = wards["Đông Vệ"]
    org_cell = Unit.objects.subtree_of(dong_ve, day).cells().order_by("code").first()
    assert org_cell is not None
    org_case = s.open_discipline_case(
        organisation=org_cell,
        opened_on=D(2021, 6, 15),
        summary="Chi ủy buông lỏng lãnh đạo, để nhiều đảng viên vi phạm đạo đức, lối sống; "
        "sinh hoạt chi bộ hình thức.",
        origin_note="Ủy ban Kiểm tra Đảng ủy phường Đông Vệ kiểm tra khi có dấu hiệu vi phạm và đề nghị",
        acting_user=None,
    )
    s.add_violation(
        case=org_case,
        group=_group("ethics_lifestyle", D(2021, 3, 31), organisation=True),
        description="Buông lỏng lãnh đạo, giáo dục đảng viên; không kịp thời kiểm điểm đảng viên vi phạm.",
        started_on=D(2020, 1, 1),
        ended_on=D(2021, 3, 31),
        acting_user=None,
    )
    ward_ubkt = Unit.objects.children_of(dong_ve, D(2021, 7, 1)).organs().first()
    assert ward_ubkt is not None
    s.record_ballot(
        case=org_case,
        expected_version=org_case.version,
        body=ward_ubkt,
        held_on=D(2021, 7, 5),
        purpose=BallotPurpose.PROPOSE,
        total_members=5,
        present=5,
        votes={Form.KHIEN_TRACH: 4},
        votes_none=1,
        acting_user=None,
    )
    org_case.refresh_from_db()
    deciding = s.authority_for(org_case, Form.KHIEN_TRACH, D(2021, 7, 20)).deciding_unit
    assert deciding is not None
    s.record_ballot(
        case=org_case,
        expected_version=org_case.version,
        body=deciding,
        held_on=D(2021, 7, 20),
        purpose=BallotPurpose.DECIDE,
        total_members=13,
        present=12,
        votes={Form.KHIEN_TRACH: 9},
        votes_none=3,
        acting_user=None,
    )
    org_case.refresh_from_db()
    s.record_decision(
        case=org_case,
        expected_version=org_case.version,
        form=Form.KHIEN_TRACH,
        deciding_unit=deciding,
        decided_on=D(2021, 7, 21),
        symbol="Số 15-QĐ/ĐU",
        announced_on=D(2021, 7, 23),
        received_on=D(2021, 7, 23),
        acting_user=None,
    )

    # --- counted elsewhere or not at all ----------------------------------------------------------
    # 3 members disciplined for violations of duties (members total 32, ethics 29).
    for i in range(3):
        cell = cells[(i * 11 + 5) % len(cells)]
        opened = D(2020 + i, 9, 1)
        case = _member_case(
            ctx,
            fresh_member(cell, opened),
            opened,
            "duties",
            "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao tại khu phố.",
        )
        _decide(ctx, case, Form.KHIEN_TRACH, opened + dt.timedelta(days=20), 60 + i)
    # Time-barred: voted khiển trách, then compared with the 5-year limitation (HD 02, 2021).
    cell = cells[3]
    barred = s.open_discipline_case(
        person=fresh_member(cell, D(2022, 6, 1)),
        opened_on=D(2022, 6, 1),
        summary="Vi phạm về đạo đức, lối sống năm 2017, nay mới phát hiện.",
        acting_user=None,
    )
    s.add_violation(
        case=barred,
        group=_group("ethics_lifestyle", D(2017, 4, 15)),
        description="Tổ chức đánh bạc tại nhà riêng (năm 2017).",
        started_on=D(2017, 3, 1),
        ended_on=D(2017, 4, 15),
        acting_user=None,
    )
    total = _full_members(cell, D(2022, 6, 20))
    s.record_ballot(
        case=barred,
        expected_version=barred.version,
        body=cell,
        held_on=D(2022, 6, 20),
        purpose=BallotPurpose.DECIDE,
        total_members=total,
        present=total - 2,
        votes={Form.KHIEN_TRACH: total // 2 + 1},
        acting_user=None,
    )
    # Deferred: a member who is pregnant (QĐ 22 Điều 9 khoản 7).
    cell = cells[9]
    candidate = next(
        p
        for p in members_of(cell, D(2022, 5, 10), 40, skip=3)
        if p.gender == Gender.FEMALE and p.pk not in used and p.status == MemberStatus.FULL
    )
    used.add(candidate.pk)
    deferred = _member_case(ctx, candidate, D(2022, 5, 10), "ethics_lifestyle", ETHICS_TEXTS[3])
    s.record_deferral(
        case=deferred,
        reason=DeferralReason.PREGNANCY,
        valid_from=D(2022, 5, 10),
        valid_to=D(2023, 1, 31),
        note="Có giấy xác nhận của cơ sở y tế.",
        acting_user=None,
    )
    # Annulled on complaint, then rehabilitation (QĐ 117-QĐ/TW).
    cell = cells[15]
    wrong = _member_case(
        ctx, fresh_member(cell, D(2022, 2, 7)), D(2022, 2, 7), "ethics_lifestyle", ETHICS_TEXTS[4]
    )
    wrong = _decide(ctx, wrong, Form.KHIEN_TRACH, D(2022, 2, 28), 90)
    decision = wrong.current_decision
    assert decision is not None
    appeal = s.file_appeal(
        decision=decision,
        filed_on=decision.received_on + 7 * DAY,
        received_on=decision.received_on + 9 * DAY,
        resolving_unit=ctx.units["TP-INSPEC"],
        level=AppealLevel.FIRST,
        grounds="Khoản vay đã được thanh toán đầy đủ trước khi chi bộ xem xét; có giấy xác nhận.",
        acting_user=None,
    )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.ANNULLED,
        resolved_on=appeal.received_on + 50 * DAY,
        note="Chưa đủ căn cứ kết luận vi phạm: hủy quyết định kỷ luật.",
        acting_user=None,
    )
    s.record_rehabilitation(
        decision=decision,
        by_unit=cell,
        decided_on=D(2023, 9, 20),
        apology_on=D(2023, 9, 28),
        apology_form="Xin lỗi tại cuộc họp chi bộ có đảng viên tham dự",
        rights_restored="Xóa thông tin kỷ luật trong hồ sơ đảng viên; xem xét lại đánh giá, xếp loại năm 2022.",
        acting_user=None,
    )
    # After the period, and outside the subtree.
    cell = cells[21]
    after = _member_case(
        ctx, fresh_member(cell, D(2022, 9, 15)), D(2022, 9, 15), "ethics_lifestyle", ETHICS_TEXTS[0]
    )
    _decide(ctx, after, Form.KHIEN_TRACH, D(2022, 10, 10), 95)
    ss_cell = Unit.objects.subtree_of(ctx.units["SS"], day).cells().order_by("code").first()
    assert ss_cell is not None
    ss_case = _member_case(
        ctx,
        fresh_member(ss_cell, D(2021, 4, 5)),
        D(2021, 4, 5),
        "ethics_lifestyle",
        ETHICS_TEXTS[1],
    )
    _decide(ctx, ss_case, Form.KHIEN_TRACH, D(2021, 4, 26), 96)
    ctx.data["ethics_cases"] = ethics
    ctx.log(
        f"discipline: {DisciplineCase.objects.count()} cases "
        f"({DisciplineCase.objects.filter(subject_kind=SubjectKind.ORGANISATION).count()} "
        "organisation)"
    )
