"""Demo directives: the five documents the seed's delegation checked, and the rule documents
giamsat's rules cite (with their replacements), all public facts from ../shared/domain."""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import DemoContext
from giamsat.directives.models import Directive, DirectiveAlias, DirectiveStatus

D = dt.date

# (key, type, number, issuer, date, issuing unit code, issuing body, title, source)
SEED_DIRECTIVES = [
    (
        "nq04",
        "NQ",
        4,
        "TW",
        D(2016, 10, 30),
        "TW",
        "Ban Chấp hành Trung ương (khóa XII)",
        "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về tăng cường xây dựng, "
        "chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
        'những biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ',
        "rules-gaps.md §1.1 (lib.hutech.edu.vn)",
    ),
    (
        "qd08",
        "QĐi",
        8,
        "TW",
        D(2018, 10, 25),
        "TW",
        "Ban Chấp hành Trung ương (khóa XII)",
        "Quy định về trách nhiệm nêu gương của cán bộ, đảng viên, trước hết là Ủy viên Bộ Chính trị, "
        "Ủy viên Ban Bí thư, Ủy viên Ban Chấp hành Trung ương",
        "rules.md §10.1 (kienthuc.net.vn; baotintuc.vn)",
    ),
    (
        "qd37",
        "QĐ",
        37,
        "TW",
        D(2021, 10, 25),
        "TW",
        "Ban Chấp hành Trung ương (khóa XIII)",
        "Quy định về những điều đảng viên không được làm",
        "rules.md §4 (noichinh.vn)",
    ),
    (
        "kl21",
        "KL",
        21,
        "TW",
        D(2021, 10, 25),
        "TW",
        "Ban Chấp hành Trung ương (khóa XIII)",
        "Kết luận Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh xây dựng, "
        "chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, "
        'đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện "tự diễn biến", '
        '"tự chuyển hóa"',
        "rules.md §10.1 (lyluanchinhtri.vn)",
    ),
    (
        "kh03",
        "KH",
        3,
        "TW",
        D(2021, 12, 1),
        "TW-BCT",
        "Bộ Chính trị",
        "Kế hoạch của Bộ Chính trị thực hiện Kết luận số 21-KL/TW Hội nghị lần thứ tư Ban Chấp hành "
        "Trung ương Đảng khóa XIII",
        "rules.md §7.1, §10.1 (thuviennhadat.vn; mocchau.sonla.gov.vn)",
    ),
]

# Rule documents (kept with their replacements, so rules are judged by the one in force).
RULE_DOCUMENTS = [
    (
        "qd22",
        "QĐ",
        22,
        "TW",
        D(2021, 7, 28),
        "Ban Chấp hành Trung ương",
        "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
        "rules.md §1.1",
    ),
    (
        "qd296",
        "QĐ",
        296,
        "TW",
        D(2025, 5, 30),
        "Ban Chấp hành Trung ương",
        "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
        "rules.md §1.1 (tcnnld.vn)",
    ),
    (
        "qd69",
        "QĐ",
        69,
        "TW",
        D(2022, 7, 6),
        "Bộ Chính trị",
        "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm",
        "rules.md §1.1 (baogialai.com.vn)",
    ),
    (
        "qd264",
        "QĐ",
        264,
        "TW",
        D(2025, 2, 14),
        "Bộ Chính trị",
        "Quy định sửa đổi, bổ sung một số điều của Quy định số 69-QĐ/TW",
        "rules.md §1.1 (content UNCONFIRMED)",
    ),
    (
        "qd117",
        "QĐ",
        117,
        "TW",
        D(2023, 8, 18),
        "Ban Chấp hành Trung ương",
        "Quy định về việc xin lỗi và phục hồi quyền lợi của tổ chức đảng, đảng viên bị kỷ luật oan",
        "rules.md §1.1 (thuvienphapluat)",
    ),
    (
        "qd132",
        "QĐ",
        132,
        "TW",
        D(2018, 3, 8),
        "Bộ Chính trị",
        "Quy định về việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân "
        "trong hệ thống chính trị",
        "rules.md §5.1",
    ),
    (
        "qd124",
        "QĐ",
        124,
        "TW",
        D(2023, 10, 4),
        "Bộ Chính trị",
        "Quy định về việc kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân "
        "trong hệ thống chính trị",
        "rules.md §5.1",
    ),
    (
        "qd366",
        "QĐ",
        366,
        "TW",
        D(2025, 8, 30),
        "Bộ Chính trị",
        "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống "
        "chính trị",
        "rules.md §5.1",
    ),
    (
        "hd36",
        "HD",
        36,
        "VPTW",
        D(2018, 4, 3),
        "Văn phòng Trung ương Đảng",
        "Hướng dẫn về thể thức và kỹ thuật trình bày văn bản của Đảng",
        "rules.md §7.1",
    ),
    (
        "kl34",
        "KL",
        34,
        "TW",
        D(2022, 4, 18),
        "Bộ Chính trị",
        "Kết luận về Chiến lược công tác kiểm tra, giám sát của Đảng đến năm 2030",
        "rules.md §10.1",
    ),
]
REPLACEMENTS = [
    ("qd22", "qd296", D(2025, 5, 30)),
    ("qd132", "qd124", D(2023, 10, 4)),
    ("qd124", "qd366", D(2025, 8, 30)),
]


def load(ctx: DemoContext) -> None:
    docs: dict[str, Directive] = {}
    for key, doc_type, number, issuer, date, unit_code, body, title, source in SEED_DIRECTIVES:
        docs[key] = Directive.objects.create(
            doc_type=doc_type,
            number=number,
            issuer_code=issuer,
            issued_on=date,
            title=title,
            issuing_unit=ctx.units[unit_code],
            issuing_body_name=body,
            source_note=source,
        )
    docs["kh03"].implements = docs["kl21"]
    docs["kh03"].save()
    DirectiveAlias.objects.create(
        directive=docs["kh03"],
        text="03-KL/TƯ",
        note="As written in the seed article (30/09/2022): wrong type code KL and 'TƯ' for TW.",
    )
    for key, doc_type, number, issuer, date, body, title, source in RULE_DOCUMENTS:
        docs[key] = Directive.objects.create(
            doc_type=doc_type,
            number=number,
            issuer_code=issuer,
            issued_on=date,
            title=title,
            issuing_unit=ctx.units["TW-VP" if issuer == "VPTW" else "TW"],
            issuing_body_name=body,
            source_note=source,
        )
    for old, new, day in REPLACEMENTS:
        Directive.objects.filter(pk=docs[old].pk).update(
            status=DirectiveStatus.REPLACED, replaced_by=docs[new], replaced_on=day
        )
    ctx.data["directives"] = docs
    ctx.data["seed_directives"] = [docs[k] for k in ("nq04", "qd08", "qd37", "kl21", "kh03")]
    ctx.log(f"directives: {Directive.objects.count()}")
