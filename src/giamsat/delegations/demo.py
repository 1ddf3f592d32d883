"""Demo: the Secretariat's working delegation of the seed article and its sessions.

The delegation works with the city committee on 30/09/2022 (the article) and, in the demo, with
three other units (Trường Thi ward, Sầm Sơn city, the provincial police) so that there is
something to synthesise. Public roles keep their real names in exactly the article's roles
(Nguyễn Lam, deputy head of the delegation; Lê Anh Xuân, host); every other person is
fictional. The deciding decision's number and date are illustrative (the article gives none).
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import REPORT_END, REPORT_START, SESSION_DAY, DemoContext
from giamsat.delegations.models import MemberRole, RequestKind
from giamsat.delegations.services import (
    HostParticipant,
    add_member,
    answer_request,
    create_delegation,
    make_request,
    record_conclusion,
    schedule_session,
    write_summary,
)
from giamsat.people.models import Person, Post, PostKind

D = dt.date


def _fictional(ctx: DemoContext) -> Person:
    from giamsat.people.demo import fictional_name

    gender = ctx.rng.choice(["male", "female"])
    return Person.objects.create(
        full_name=fictional_name(ctx, gender),
        gender=gender,
        is_fictional=True,
        category="member",
    )


def _head_of(unit, day) -> Person | None:
    post = (
        Post.objects.valid_on(day)
        .filter(unit=unit, kind=PostKind.SECRETARY, is_head=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return post.person if post else None


def load(ctx: DemoContext) -> None:
    units = ctx.units
    users = ctx.data.get("users", {})
    delegation = create_delegation(
        name="Đoàn công tác của Ban Bí thư Trung ương Đảng",
        deciding_body=units["TW-BBT"],
        decision_symbol="85-QĐ/TW",
        decision_date=D(2022, 8, 15),
        review_start=REPORT_START,
        review_end=REPORT_END,
        work_start=D(2022, 9, 1),
        work_end=D(2022, 10, 31),
        purpose=(
            "Kiểm tra việc lãnh đạo, chỉ đạo và tổ chức thực hiện Nghị quyết Trung ương 4 khóa XII, "
            "Quy định 08, Quy định 37, Kết luận 21 và Kế hoạch 03 của Bộ Chính trị.\n"
            "(Dữ liệu demo: số và ngày quyết định thành lập đoàn là minh họa.)"
        ),
        directives=ctx.data["seed_directives"],
        targets=[units["TP"], units["TP-TRUONGTHI"], units["SS"], units["TH-CA"]],
        acting_user=None,
    )
    head = _fictional(ctx)
    members = [
        add_member(
            delegation=delegation,
            role=MemberRole.HEAD,
            person=head,
            post_title="Trưởng đoàn (nhân vật hư cấu trong demo)",
            agency="Ban Bí thư Trung ương Đảng",
            acting_user=None,
        ),
        add_member(
            delegation=delegation,
            role=MemberRole.DEPUTY_HEAD,
            person=ctx.people["nguyen_lam"],
            post_title="Phó Trưởng Ban Dân vận Trung ương",
            agency="Ban Dân vận Trung ương",
            acting_user=None,
        ),
    ]
    for agency in (
        "Văn phòng Trung ương Đảng",
        "Cơ quan Ủy ban Kiểm tra Trung ương",
        "Ban Kinh tế Trung ương",
        "Ban Xây dựng Đảng Tỉnh ủy Thanh Hóa",
    ):
        person = _fictional(ctx)
        members.append(
            add_member(
                delegation=delegation,
                role=MemberRole.MEMBER,
                person=person,
                post_title=f"Lãnh đạo {agency}",
                agency=agency,
                acting_user=None,
            )
        )
    secretary_user = users.get("doan.tw")
    members.append(
        add_member(
            delegation=delegation,
            role=MemberRole.SECRETARY,
            full_name="Thành viên đoàn kiểm tra (tài khoản demo)",
            post_title="Thư ký đoàn",
            agency="Văn phòng Trung ương Đảng",
            user=secretary_user,
            acting_user=None,
        )
    )

    city = units["TP"]
    before = SESSION_DAY - dt.timedelta(days=1)
    hosts = [
        HostParticipant(
            "Lê Anh Xuân",
            "Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy, Chủ tịch HĐND thành phố",
            ctx.people["le_anh_xuan"],
        ),
    ]
    for code, title in (
        ("TP-TRUONGTHI", "Bí thư Đảng ủy phường Trường Thi"),
        ("TP-CA", "Bí thư Đảng ủy Công an thành phố"),
    ):
        person = _head_of(units[code], before)
        if person is not None:
            hosts.append(HostParticipant(person.full_name, title, person))
    sessions = {
        "TP": schedule_session(
            delegation=delegation,
            unit=city,
            date=SESSION_DAY,
            place="Trụ sở Thành ủy Thanh Hóa",
            content=(
                "Làm việc về việc lãnh đạo, chỉ đạo và tổ chức thực hiện Nghị quyết Trung ương 4 "
                "khóa XII, Quy định 08, Quy định 37, Kết luận 21 và Kế hoạch 03"
            ),
            members=members[1:],
            hosts=hosts,
            acting_user=None,
        )
    }
    for code, day, place in (
        ("TP-TRUONGTHI", D(2022, 9, 29), "Trụ sở Đảng ủy phường Trường Thi"),
        ("SS", D(2022, 9, 28), "Trụ sở Thành ủy Sầm Sơn"),
        ("TH-CA", D(2022, 9, 27), "Công an tỉnh Thanh Hóa"),
    ):
        host = _head_of(units[code], day)
        sessions[code] = schedule_session(
            delegation=delegation,
            unit=units[code],
            date=day,
            place=place,
            members=members[2:5],
            hosts=[HostParticipant(host.full_name, "Bí thư", host)] if host else [],
            acting_user=None,
        )

    tp_session = sessions["TP"]
    requests = [
        (RequestKind.ADD_FIGURES, "Bổ sung số liệu thực tế vào báo cáo."),
        (RequestKind.NAME_MODELS, "Chỉ rõ mô hình cụ thể những việc đã làm được."),
        (
            RequestKind.NAME_PEOPLE,
            "Trong công tác kiểm tra, giám sát, phản biện chỉ rõ người, rõ việc.",
        ),
        (
            RequestKind.APPENDIX,
            "Có phụ lục chi tiết những góp ý, đề xuất để đoàn tổng hợp trình Ban Bí thư.",
        ),
    ]
    made = [
        make_request(
            delegation=delegation,
            unit=city,
            session=tp_session,
            kind=kind,
            text=text,
            deadline=D(2022, 10, 10),
            acting_user=None,
        )
        for kind, text in requests
    ]
    answer_request(
        request=made[0],
        answer=(
            "Đã bổ sung: số liệu trong báo cáo lấy trực tiếp từ hồ sơ trên giamsat, mỗi số liệu "
            "mở ra danh sách người, việc cụ thể."
        ),
        answered_on=D(2022, 10, 5),
        acting_user=None,
    )
    record_conclusion(
        delegation=delegation,
        unit=city,
        concluded_on=SESSION_DAY,
        strengths=(
            "sự chủ động, chuẩn bị các nội dung, văn bản của Thành ủy thành phố Thanh Hóa cho đoàn "
            "công tác làm việc, nhất là các ý kiến thảo luận, những cách làm hay, hiệu quả, mô "
            "hình sáng tạo và những đề xuất sát với tình hình hiện nay của thành phố"
        ),
        limitations=(
            "một số tồn tại, hạn chế, những nội dung cần bổ sung số liệu thực tế, chỉ rõ mô hình "
            "cụ thể những việc đã làm được"
        ),
        requests=(
            "trong công tác kiểm tra, giám sát, phản biện chỉ rõ người, rõ việc; có phụ lục chi "
            "tiết những góp ý, đề xuất để đoàn tổng hợp trình Ban Bí thư"
        ),
        acting_user=None,
    )
    write_summary(
        delegation=delegation,
        summary=(
            "Đoàn đã làm việc với Thành ủy thành phố Thanh Hóa, Đảng ủy phường Trường Thi, Thành "
            "ủy Sầm Sơn và Đảng ủy Công an tỉnh. Kiến nghị, đề xuất của các đơn vị được tổng hợp "
            "tại Phụ lục (tổng hợp kiến nghị) để trình Ban Bí thư. (Bản nháp trong demo.)"
        ),
        acting_user=None,
    )
    ctx.data["delegation"] = delegation
    ctx.data["delegation_sessions"] = sessions
    ctx.log(
        f"delegations: {delegation.name}; {len(members)} members; {len(sessions)} sessions; "
        f"{len(made)} requests to the city"
    )
