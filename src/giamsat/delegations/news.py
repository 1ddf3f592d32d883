"""The draft news brief of a working session (tin bài), composed from its records.

Like the seed article itself: title, lead (when, who, about what), who took part on both sides,
what the unit reported with its key figures (from the unit's report: the figures come from
records, or from the signed report's frozen figures), its recommendations, and the
delegation's conclusion. The text is the portal's Vietnamese (document content, not UI); an
editor revises it before approving.
"""

from __future__ import annotations

from giamsat.delegations.models import MemberRole, Side, WorkingSession

ROLE_TITLES = {
    MemberRole.HEAD: "Trưởng đoàn",
    MemberRole.DEPUTY_HEAD: "Phó Trưởng đoàn",
    MemberRole.SECRETARY: "Thư ký đoàn",
    MemberRole.MEMBER: "thành viên đoàn",
}
ROLE_RANK = {
    MemberRole.HEAD: 0,
    MemberRole.DEPUTY_HEAD: 1,
    MemberRole.SECRETARY: 2,
    MemberRole.MEMBER: 3,
}


def _report_for(session: WorkingSession):
    from giamsat.reports.models import Report, ReportStatus

    reports = Report.objects.filter(unit=session.unit).exclude(status=ReportStatus.DRAFT)
    for candidate in (
        reports.filter(delegation=session.delegation),
        reports.filter(
            period_start=session.delegation.review_start, period_end=session.delegation.review_end
        ),
    ):
        found = candidate.order_by("-signed_at", "-pk").first()
        if found is not None:
            return found
    return None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def compose_news(session: WorkingSession) -> tuple[str, str, str]:
    """(title, lead, body) of the draft news item."""
    from giamsat.reports.content import content_of, paragraphs, render_plain
    from giamsat.reports.rules import committee_name, placeholder_codes

    delegation = session.delegation
    day = session.unit.reference_date(session.date)
    host_name = committee_name(session.unit.name_on(day))
    participants = list(session.participants.select_related("member"))
    delegation_side = sorted(
        (p for p in participants if p.side == Side.DELEGATION),
        key=lambda p: (ROLE_RANK.get(p.member.role, 9) if p.member else 9, p.pk),
    )
    hosts = [p for p in participants if p.side == Side.HOST]
    leader = delegation_side[0] if delegation_side else None
    directives = [d.label for d in delegation.directives.order_by("issued_on")]

    title = f"{delegation.name} làm việc với {host_name}"
    about = (
        "về việc lãnh đạo, chỉ đạo và tổ chức thực hiện " + ", ".join(directives)
        if directives
        else "về " + (delegation.purpose or "nội dung kiểm tra")
    )
    if leader is not None:
        role = ROLE_TITLES.get(leader.member.role, "") if leader.member else ""
        # "Phó Trưởng đoàn" + "Đoàn công tác của …" reads "Phó Trưởng đoàn công tác của …".
        name = delegation.name
        if role.endswith("đoàn") and name.casefold().startswith("đoàn "):
            name = name[len("đoàn ") :]
        who = ", ".join(x for x in (leader.post_title, f"{role} {name}".strip()) if x.strip())
        lead = (
            f"Ngày {session.date:%d/%m/%Y}, đồng chí {leader.full_name}, {who} đã có buổi làm "
            f"việc với {host_name} {about}."
        )
    else:
        lead = f"Ngày {session.date:%d/%m/%Y}, {delegation.name} đã có buổi làm việc với {host_name} {about}."

    body: list[str] = []
    agencies = []
    for p in delegation_side[1:]:
        agency = p.member.agency if p.member else ""
        if agency and agency not in agencies:
            agencies.append(agency)
    if agencies:
        body.append("Tham gia đoàn công tác có lãnh đạo " + ", ".join(agencies) + ".")
    if hosts:
        names = "; ".join(
            f"đồng chí {h.full_name}" + (f", {h.post_title}" if h.post_title else "") for h in hosts
        )
        body.append(f"Tiếp đoàn về phía {host_name} có {names}.")
    if session.content:
        body.append(_sentence(session.content))

    report = _report_for(session)
    if report is not None:
        content = content_of(report)
        lines = []
        for section in content.sections:
            rendered = paragraphs(render_plain(section.text, content.figures, content.fields))
            for raw in paragraphs(section.text):
                if not placeholder_codes(raw):
                    continue
                line = render_plain(raw, content.figures, content.fields)
                if line.endswith(":"):
                    # A line that introduces a list ("tiêu biểu:") takes the list with it.
                    start = rendered.index(line) + 1 if line in rendered else len(rendered)
                    items = []
                    for item in rendered[start:]:
                        if not item.startswith("- "):
                            break
                        items.append(item[2:].rstrip("."))
                    line = line[:-1] + (": " + "; ".join(items) + "." if items else ".")
                lines.append(line)
        if lines:
            body.append(f"Báo cáo với đoàn công tác, {host_name} cho biết: " + " ".join(lines))
        key = [f for f in content.figures.values() if f.available]
        if key:
            body.append(
                "Số liệu chính (từ hồ sơ): "
                + "; ".join(f"{f.label}: {f.display()}" for f in key)
                + "."
            )
    recommendations = list(
        session.recommendations.order_by("addressee_level", "pk") if session.pk else []
    )
    if not recommendations and report is not None:
        recommendations = list(report.recommendations.order_by("addressee_level", "pk"))
    if recommendations:
        by_addressee: dict[str, list[str]] = {}
        for r in recommendations:
            by_addressee.setdefault(r.addressee_body, []).append(r.text.rstrip("."))
        parts = [f"đối với {who}: " + "; ".join(texts) for who, texts in by_addressee.items()]
        body.append(f"{host_name} kiến nghị " + "; ".join(parts) + ".")
    conclusion = delegation.conclusions.filter(unit=session.unit).first()
    if conclusion is not None:
        speaker = f"đồng chí {leader.full_name}" if leader else "đoàn công tác"
        text = f"Phát biểu kết luận buổi làm việc, {speaker}"
        if conclusion.strengths:
            text += " đánh giá cao " + conclusion.strengths.rstrip(".")
        if conclusion.limitations:
            text += "; chỉ ra " + conclusion.limitations.rstrip(".")
        if conclusion.requests:
            text += "; đề nghị " + conclusion.requests.rstrip(".")
        body.append(text + ".")
    requests = list(session.requests.all()) if session.pk else []
    if requests and conclusion is None:
        body.append(
            "Đoàn công tác đề nghị " + "; ".join(r.text.rstrip(".") for r in requests) + "."
        )
    return title[:300], lead, "\n\n".join(body)
