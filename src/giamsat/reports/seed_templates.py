"""Built-in report templates, kept in code and synced into ``ReportTemplate`` rows.

The narrative is the party's own Vietnamese (it is the document's text, not UI). Figures are
``{indicator.code}`` placeholders resolved by the indicator registry; ``{report.*}`` fields are
filled from the report (unit, period, directives, cited good practices, recommendations). A
code that no app has registered yet prints a clear "figure not available" marker.

The codes below are those the study, oversight and discipline apps are expected to register;
``docs/reports.md`` lists them and how to re-map one.
"""

from __future__ import annotations

from typing import Any

# The seed's figures and the indicator codes expected to carry them.
SEED_FIGURE_CODES = [
    "study.attendances",
    "study.participation_rate",
    "oversight.thematic_supervision.collectives",
    "oversight.thematic_supervision.individuals",
    "oversight.inspections",
    "oversight.criticism.collectives",
    "discipline.organisations",
    "discipline.organisations.khien_trach",
    "discipline.members",
    "discipline.members.group.ethics_lifestyle",
]

DIRECTIVE_IMPLEMENTATION: dict[str, Any] = {
    "code": "directive-implementation",
    "name": "Báo cáo kết quả lãnh đạo, chỉ đạo, tổ chức thực hiện (mẫu chung)",
    "doc_title": "BÁO CÁO",
    "subject": "Kết quả lãnh đạo, chỉ đạo và tổ chức thực hiện {report.directives}",
    "authority": "T/M BAN THƯỜNG VỤ",
    "signer_title": "BÍ THƯ",
    "recipients": "Đoàn công tác (để báo cáo),\nThường trực cấp ủy cấp trên (để báo cáo),\nLưu Văn phòng.",
    "sections": [
        {
            "heading": "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC QUÁN TRIỆT",
            "text": (
                "Từ {report.from} đến {report.to}, Ban Thường vụ đã tập trung lãnh đạo, chỉ đạo các "
                "cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể từ {report.unit} đến cơ sở "
                "thực hiện nghiêm túc {report.directives}.\n"
                "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị đã ban hành kế hoạch hành động, các văn bản "
                "để lãnh đạo, chỉ đạo, tổ chức triển khai thực hiện với {study.attendances} lượt cán "
                "bộ, đảng viên, công chức, viên chức tham gia học tập, đạt {study.participation_rate}."
            ),
        },
        {
            "heading": "II. KẾT QUẢ THỰC HIỆN",
            "text": (
                "1. Công tác tự phê bình và phê bình\n"
                "Trong kiểm điểm, đánh giá chất lượng cán bộ, đảng viên và tổ chức đảng hằng năm đã "
                "nghiêm túc thực hiện tự phê bình và phê bình với tinh thần thẳng thắn, trung thực, "
                "cầu thị, xây dựng.\n"
                "2. Công tác kiểm tra, giám sát và thi hành kỷ luật đảng\n"
                "Cấp ủy, ủy ban kiểm tra các cấp đã thực hiện giám sát chuyên đề với "
                "{oversight.thematic_supervision.collectives} tập thể và "
                "{oversight.thematic_supervision.individuals} cá nhân; {oversight.inspections} cuộc "
                "thanh tra. Ban Thường vụ đã phê bình đối với {oversight.criticism.collectives} tổ "
                "chức đảng và người đứng đầu chưa thực hiện tốt việc triển khai học tập nghị quyết. "
                "Ủy ban kiểm tra các cấp đã xem xét, đề nghị thi hành kỷ luật "
                "{discipline.organisations} tổ chức đảng (trong đó "
                "{discipline.organisations.khien_trach} bằng hình thức khiển trách); "
                "{discipline.members} đảng viên vi phạm, trong đó "
                "{discipline.members.group.ethics_lifestyle} đảng viên do vi phạm đạo đức, lối sống.\n"
                "Các tập thể, cá nhân được phê bình đã viết bản cam kết và khắc phục, sửa chữa hạn "
                "chế, khuyết điểm; cấp ủy giám sát sau kiểm điểm (chi tiết người, việc tại các Phụ lục)."
            ),
        },
        {
            "heading": "III. MÔ HÌNH, CÁCH LÀM HAY",
            "text": (
                "Các cấp ủy, tổ chức đảng đã ghi nhận {reports.good_practices} mô hình, cách làm "
                "hay, hiệu quả; tiêu biểu:\n{report.good_practices}"
            ),
        },
        {
            "heading": "IV. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
            "text": "(Nêu cụ thể hạn chế, khuyết điểm, nguyên nhân; chỉ rõ người, rõ việc.)",
        },
        {
            "heading": "V. KIẾN NGHỊ, ĐỀ XUẤT",
            "text": "{report.recommendations}",
        },
    ],
    "appendices": [
        "figures_by_child",
        "criticisms",
        "discipline",
        "commitments",
        "good_practices",
        "recommendations",
    ],
    "figure_codes": SEED_FIGURE_CODES,
}

BUILTIN_TEMPLATES = [DIRECTIVE_IMPLEMENTATION]
DEFAULT_TEMPLATE_CODE = DIRECTIVE_IMPLEMENTATION["code"]
