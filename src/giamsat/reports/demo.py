"""Demo: the city's report to the delegation, generated from records and signed (frozen), its
recommendations to the province and to the centre (the article's text), good practices, and
the reports and recommendations of the three other units the delegation visited.

Trường Thi ward is on giamsat (its report is generated); Sầm Sơn and the provincial police are
shown as units "not yet on giamsat" whose figures are typed in from their own reports (the
numbers are fictional). After the city's report is signed, one more good practice is recorded,
so that the comparison of the frozen report with today's figures shows a difference.
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import REPORT_END, REPORT_START, SESSION_DAY, DemoContext
from giamsat.reports import services
from giamsat.reports.models import AddresseeLevel, ReportSource

D = dt.date

PROVINCE = "Tỉnh ủy Thanh Hóa"
CENTRE = "Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư"

# The city's recommendations as the article gives them (to the province, to the centre).
CITY_RECOMMENDATIONS = [
    (
        AddresseeLevel.PROVINCE,
        PROVINCE,
        "Nhận diện biểu hiện suy thoái",
        "Ban hành Hướng dẫn về việc nhận diện những biểu hiện suy thoái về tư tưởng, chính trị, "
        "đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa” cụ thể, phù hợp với từng loại hình "
        "cơ sở đảng và các đối tượng đảng viên.",
    ),
    (
        AddresseeLevel.PROVINCE,
        PROVINCE,
        "Đào tạo cán bộ chuyên trách",
        "Tăng cường công tác đào tạo, bồi dưỡng đội ngũ cán bộ chuyên trách công tác đảng.",
    ),
    (
        AddresseeLevel.CENTRE,
        CENTRE,
        "Sinh hoạt đảng của đảng viên đi làm ăn xa, lao động tự do",
        "Ban hành hướng dẫn cụ thể để tạo điều kiện thuận lợi trong sinh hoạt đảng cho sinh viên, "
        "đảng viên trẻ đi làm ăn xa, đảng viên là lao động tự do.",
    ),
    (
        AddresseeLevel.CENTRE,
        CENTRE,
        "Sinh hoạt đảng khi thiên tai, dịch bệnh",
        "Hướng dẫn sinh hoạt đảng trong điều kiện thiên tai, dịch bệnh kéo dài.",
    ),
    (
        AddresseeLevel.CENTRE,
        CENTRE,
        "Chức năng, nhiệm vụ tổ chức cơ sở đảng",
        "Sửa đổi quy định về chức năng, nhiệm vụ của một số loại hình tổ chức cơ sở đảng cho "
        "phù hợp.",
    ),
    (
        AddresseeLevel.CENTRE,
        CENTRE,
        "Hoàn thiện pháp luật",
        "Sửa đổi, bổ sung hoàn thiện các quy định pháp luật liên quan đến công tác quy hoạch, "
        "quản lý đất đai, đầu tư xây dựng, quản lý tài sản công, huy động nguồn lực xã hội hóa, "
        "công tác tổ chức bộ máy và biên chế cán bộ công chức.",
    ),
]

# Recommendations of the other visited units (fictional wordings of similar proposals).
OTHER_RECOMMENDATIONS = {
    "TP-TRUONGTHI": [
        (
            AddresseeLevel.CENTRE,
            CENTRE,
            "Sinh hoạt chi bộ trực tuyến",
            "Có quy định về hình thức sinh hoạt chi bộ trực tuyến khi xảy ra thiên tai, dịch bệnh "
            "kéo dài.",
        ),
        (
            AddresseeLevel.LEVEL_ABOVE,
            "Thành ủy Thanh Hóa",
            "Phụ cấp bí thư chi bộ",
            "Nâng mức phụ cấp cho bí thư chi bộ khu phố, tổ dân phố.",
        ),
        (
            AddresseeLevel.LEVEL_ABOVE,
            "Thành ủy Thanh Hóa",
            "Đảng viên đi làm ăn xa",
            "Có hướng dẫn về sinh hoạt đảng đối với đảng viên đi làm ăn xa địa phương và đảng viên "
            "là lao động tự do.",
        ),
    ],
    "SS": [
        (
            AddresseeLevel.PROVINCE,
            PROVINCE,
            "Bồi dưỡng cán bộ làm công tác đảng",
            "Mở thêm các lớp bồi dưỡng nghiệp vụ công tác đảng cho cán bộ chuyên trách cấp xã, "
            "phường.",
        ),
        (
            AddresseeLevel.CENTRE,
            CENTRE,
            "Pháp luật đất đai, quy hoạch",
            "Đề nghị sửa đổi Luật Đất đai, Luật Quy hoạch và Luật Xây dựng để tháo gỡ vướng mắc "
            "trong quản lý đất đai.",
        ),
        (
            AddresseeLevel.CENTRE,
            CENTRE,
            "Phụ cấp bí thư chi bộ",
            "Đề nghị tăng phụ cấp trách nhiệm cho bí thư, phó bí thư chi bộ thôn, tổ dân phố.",
        ),
    ],
    "TH-CA": [
        (
            AddresseeLevel.CENTRE,
            CENTRE,
            "Tiêu chí nhận diện suy thoái",
            "Hướng dẫn tiêu chí nhận diện biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ "
            "cho các loại hình cơ sở đảng.",
        ),
        (
            AddresseeLevel.CENTRE,
            CENTRE,
            "Chế độ cán bộ kiểm tra",
            "Có chế độ đặc thù cho cán bộ làm công tác kiểm tra đảng.",
        ),
    ],
}

GOOD_PRACTICES = [
    (
        "TP",
        "Vai trò nêu gương của người đứng đầu",
        "Người đứng đầu cấp ủy, cơ quan, đơn vị nêu gương, gắn trách nhiệm cá nhân trong thực thi "
        "nhiệm vụ với kết quả học tập và làm theo nghị quyết.",
        "Nêu trong báo cáo và thảo luận tại buổi làm việc ngày 30/9/2022.",
    ),
    (
        "TP-TRUONGTHI",
        "Sổ theo dõi học tập nghị quyết ở chi bộ khu phố",
        "Mỗi chi bộ khu phố có sổ theo dõi đảng viên dự học tập, học bù; bí thư chi bộ báo cáo "
        "hằng tháng với Đảng ủy phường (mô hình minh họa trong demo).",
        "Sổ theo dõi của các chi bộ (minh họa).",
    ),
]

# Typed-in figures of the units "not yet on giamsat" (fictional numbers).
TYPED = {
    "SS": {
        "study.attendances": "21.350",
        "study.participation_rate": "95,4",
        "oversight.thematic_supervision.collectives": "3",
        "oversight.thematic_supervision.individuals": "5",
        "oversight.inspections": "11",
        "discipline.members": "7",
    },
    "TH-CA": {
        "study.attendances": "9.870",
        "study.participation_rate": "99,1",
        "oversight.inspections": "6",
        "discipline.members": "2",
    },
}


def _recommend(ctx, unit, report, session, rows) -> int:
    for level, body, topic, text in rows:
        services.record_recommendation(
            unit=unit,
            addressee_level=level,
            addressee_body=body,
            topic=topic,
            text=text,
            made_on=session.date if session else SESSION_DAY,
            report=report,
            session=session,
            acting_user=None,
        )
    return len(rows)


def load(ctx: DemoContext) -> None:
    services.sync_builtin_templates()
    units = ctx.units
    users = ctx.data.get("users", {})
    delegation = ctx.data.get("delegation")
    sessions = ctx.data.get("delegation_sessions", {})
    directives = ctx.data.get("seed_directives", [])
    for code, title, description, evidence in GOOD_PRACTICES:
        services.record_good_practice(
            unit=units[code],
            title=title,
            description=description,
            evidence=evidence,
            period_start=D(2020, 1, 1),
            acting_user=None,
        )

    office, province_leader, city_leader = (
        users.get("vanphong.tp"),
        users.get("lanhdao.tinh"),
        users.get("lanhdao.tp"),
    )
    # The city's report, generated from records, through the whole workflow.
    city = services.generate_report(
        unit=units["TP"],
        start=REPORT_START,
        end=REPORT_END,
        directives=directives,
        delegation=delegation,
        acting_user=office,
    )
    count = _recommend(ctx, units["TP"], city, sessions.get("TP"), CITY_RECOMMENDATIONS)
    city = services.update_report(
        report=city,
        expected_version=city.version,
        acting_user=office,
        recipients=(
            "Đoàn công tác của Ban Bí thư (để báo cáo),\nThường trực Tỉnh ủy (để báo cáo),\n"
            "Các đồng chí Ủy viên Ban Thường vụ Thành ủy,\nLưu Văn phòng Thành ủy."
        ),
    )
    services.submit_report(report=city, expected_version=city.version, acting_user=office)
    services.return_report(
        report=city,
        expected_version=city.version,
        acting_user=province_leader,
        comment="Bổ sung số liệu thực tế; chỉ rõ người, rõ việc trong kiểm tra, giám sát.",
    )
    services.submit_report(
        report=city,
        expected_version=city.version,
        acting_user=office,
        comment="Đã bổ sung: số liệu lấy từ hồ sơ, có phụ lục người, việc cụ thể.",
    )
    services.accept_report(report=city, expected_version=city.version, acting_user=province_leader)
    services.sign_report(
        report=city,
        expected_version=city.version,
        acting_user=city_leader,
        number=125,
        document_date=SESSION_DAY,
        signer_name="Lê Anh Xuân",
    )

    # Trường Thi ward (on giamsat): generated, accepted by the city.
    ward = services.generate_report(
        unit=units["TP-TRUONGTHI"],
        start=REPORT_START,
        end=REPORT_END,
        directives=directives,
        delegation=delegation,
        acting_user=office,
    )
    count += _recommend(
        ctx,
        units["TP-TRUONGTHI"],
        ward,
        sessions.get("TP-TRUONGTHI"),
        OTHER_RECOMMENDATIONS["TP-TRUONGTHI"],
    )
    services.submit_report(report=ward, expected_version=ward.version, acting_user=office)
    services.accept_report(report=ward, expected_version=ward.version, acting_user=city_leader)

    # Sầm Sơn and the provincial police: figures typed in from their own reports.
    reports = {"TP": city, "TP-TRUONGTHI": ward}
    for code in ("SS", "TH-CA"):
        report = services.generate_report(
            unit=units[code],
            start=REPORT_START,
            end=REPORT_END,
            directives=directives,
            delegation=delegation,
            source=ReportSource.TYPED,
            acting_user=None,
        )
        report = services.set_typed_figures(
            report=report,
            expected_version=report.version,
            acting_user=None,
            figures=TYPED[code],
            note="Báo cáo giấy của đơn vị (số liệu hư cấu trong demo)",
        )
        count += _recommend(
            ctx, units[code], report, sessions.get(code), OTHER_RECOMMENDATIONS[code]
        )
        services.submit_report(report=report, expected_version=report.version, acting_user=None)
        reports[code] = report
    police = reports["TH-CA"]
    services.return_report(
        report=police,
        expected_version=police.version,
        acting_user=province_leader,
        comment="Bổ sung số liệu giám sát chuyên đề (tập thể, cá nhân).",
    )

    # After signature: one more good practice, so the comparison shows a difference.
    services.record_good_practice(
        unit=units["TP-CA"],
        title="Tổ tự quản về an ninh trật tự gắn với sinh hoạt chi bộ",
        description="Mô hình ghi nhận sau khi báo cáo đã ký (minh họa so sánh trong demo).",
        period_start=D(2021, 6, 1),
        acting_user=None,
    )
    # The seed article itself is the news brief of the city's session: draft it from records.
    if sessions.get("TP") is not None:
        from giamsat.delegations.services import draft_news_item

        ctx.data["news_item"] = draft_news_item(session=sessions["TP"], acting_user=None)
    ctx.data["reports"] = reports
    ctx.log(
        f"reports: city report {city.symbol} signed (SHA-256 {city.frozen_hash[:12]}…); "
        f"{len(reports)} unit reports; {count} recommendations"
    )
