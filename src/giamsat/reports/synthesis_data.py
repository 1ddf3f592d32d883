"""A labelled set of paraphrased recommendations (kiến nghị) for the synthesis benchmark.

Written for giamsat after the recommendations of the seed article and the kinds of proposal
that units send up to central delegations. Each group holds different wordings of one
proposal as different units would write it: other word order, synonyms, abbreviations (TW,
BCH, tổ chức cơ sở đảng / TCCSĐ), added detail, a missing diacritic or two. Some groups are
deliberately close (two kinds of "sinh hoạt đảng", two kinds of law amendment) so that the
benchmark measures whether the grouping tells them apart.
"""

from __future__ import annotations

# (group label, [texts])
LABELLED_RECOMMENDATIONS: list[tuple[str, list[str]]] = [
    (
        "degradation_guidance",
        [
            "Ban hành Hướng dẫn về việc nhận diện những biểu hiện suy thoái về tư tưởng, chính trị, "
            "đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa” cụ thể, phù hợp với từng loại hình "
            "cơ sở đảng và các đối tượng đảng viên.",
            "Đề nghị có hướng dẫn cụ thể để nhận diện biểu hiện suy thoái, tự diễn biến, tự chuyển "
            "hóa đối với từng đối tượng đảng viên và từng loại hình tổ chức cơ sở đảng.",
            "Cần cụ thể hóa các biểu hiện suy thoái tư tưởng chính trị, đạo đức, lối sống để chi bộ "
            "dễ nhận diện, phù hợp từng loại hình tổ chức đảng.",
            "Hướng dẫn tiêu chí nhận diện biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ "
            "cho các loại hình cơ sở đảng.",
            "Kiến nghị Tỉnh ủy hướng dẫn nhận diện cụ thể các biểu hiện suy thoái của đảng viên ở "
            "từng loại hình cơ sở.",
        ],
    ),
    (
        "party_staff_training",
        [
            "Tăng cường công tác đào tạo, bồi dưỡng đội ngũ cán bộ chuyên trách công tác đảng.",
            "Quan tâm đào tạo, bồi dưỡng nghiệp vụ cho đội ngũ cán bộ làm công tác đảng chuyên trách "
            "ở cơ sở.",
            "Mở thêm các lớp bồi dưỡng nghiệp vụ công tác đảng cho cán bộ chuyên trách cấp xã, phường.",
            "Đề nghị tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ chuyên trách làm công tác xây "
            "dựng Đảng.",
            "Nâng cao chất lượng đào tạo, bồi dưỡng đội ngũ cán bộ chuyên trách công tác Đảng các cấp.",
        ],
    ),
    (
        "party_life_mobile_members",
        [
            "Ban hành hướng dẫn cụ thể để tạo điều kiện thuận lợi trong sinh hoạt đảng cho sinh viên, "
            "đảng viên trẻ đi làm ăn xa, đảng viên là lao động tự do.",
            "Có hướng dẫn về sinh hoạt đảng đối với đảng viên đi làm ăn xa địa phương và đảng viên "
            "là lao động tự do.",
            "Đề nghị Trung ương hướng dẫn việc quản lý, sinh hoạt đảng của đảng viên là sinh viên và "
            "đảng viên trẻ đi làm việc xa nơi cư trú.",
            "Hướng dẫn cách quản lý đảng viên đi làm ăn xa, lao động tự do, không có nơi làm việc "
            "ổn định để duy trì sinh hoạt chi bộ.",
            "Tạo điều kiện cho đảng viên là sinh viên, lao động tự do được sinh hoạt đảng thuận lợi.",
            "Sớm có quy định về sinh hoạt đảng tạm thời cho đảng viên đi lao động ở xa.",
        ],
    ),
    (
        "party_life_disasters",
        [
            "Hướng dẫn sinh hoạt đảng trong điều kiện thiên tai, dịch bệnh kéo dài.",
            "Có quy định về hình thức sinh hoạt chi bộ trực tuyến khi xảy ra thiên tai, dịch bệnh "
            "kéo dài.",
            "Đề nghị cho phép tổ chức sinh hoạt đảng theo hình thức trực tuyến trong thời gian dịch "
            "bệnh, bão lũ.",
            "Ban hành hướng dẫn tổ chức sinh hoạt chi bộ khi dịch bệnh kéo dài không thể họp trực tiếp.",
            "Hướng dẫn việc duy trì sinh hoạt đảng định kỳ trong hoàn cảnh thiên tai, dịch bệnh.",
        ],
    ),
    (
        "grassroots_functions",
        [
            "Sửa đổi quy định về chức năng, nhiệm vụ của một số loại hình tổ chức cơ sở đảng cho "
            "phù hợp.",
            "Nghiên cứu sửa đổi, bổ sung chức năng, nhiệm vụ của các loại hình tổ chức cơ sở đảng "
            "trong doanh nghiệp, đơn vị sự nghiệp.",
            "Đề nghị sửa đổi quy định chức năng, nhiệm vụ của tổ chức cơ sở đảng ở phường, xã cho "
            "phù hợp thực tiễn.",
            "Bổ sung, điều chỉnh quy định về chức năng nhiệm vụ của đảng bộ cơ sở, chi bộ cơ sở theo "
            "từng loại hình.",
            "Rà soát, sửa đổi các quy định chức năng, nhiệm vụ tổ chức cơ sở đảng không còn phù hợp.",
        ],
    ),
    (
        "land_planning_law",
        [
            "Sửa đổi, bổ sung hoàn thiện các quy định pháp luật liên quan đến công tác quy hoạch, "
            "quản lý đất đai, đầu tư xây dựng.",
            "Đề nghị sửa đổi Luật Đất đai, Luật Quy hoạch và Luật Xây dựng để tháo gỡ vướng mắc "
            "trong quản lý đất đai.",
            "Hoàn thiện pháp luật về quy hoạch, đất đai và đầu tư xây dựng, tránh chồng chéo.",
            "Kiến nghị Quốc hội, Chính phủ sửa đổi các quy định về quản lý đất đai, quy hoạch, "
            "đầu tư xây dựng còn bất cập.",
            "Tháo gỡ điểm nghẽn về thể chế trong quy hoạch, giao đất, đầu tư xây dựng cơ bản.",
        ],
    ),
    (
        "public_assets_socialisation",
        [
            "Sửa đổi quy định về quản lý tài sản công và huy động nguồn lực xã hội hóa.",
            "Hoàn thiện quy định pháp luật về quản lý, sử dụng tài sản công, khuyến khích huy động "
            "nguồn lực xã hội hóa.",
            "Có cơ chế thông thoáng hơn để huy động nguồn lực xã hội hóa, đồng thời quản lý chặt "
            "tài sản công.",
            "Đề nghị sửa đổi Luật Quản lý, sử dụng tài sản công để thuận lợi cho việc xã hội hóa.",
            "Ban hành cơ chế huy động xã hội hóa nguồn lực và quản lý tài sản công phù hợp thực tế.",
        ],
    ),
    (
        "apparatus_staffing",
        [
            "Sửa đổi quy định về công tác tổ chức bộ máy và biên chế cán bộ, công chức.",
            "Hoàn thiện quy định về sắp xếp tổ chức bộ máy, giao biên chế cán bộ công chức phù hợp "
            "khối lượng công việc.",
            "Đề nghị xem xét lại định mức biên chế công chức cấp xã sau sắp xếp tổ chức bộ máy.",
            "Bổ sung biên chế cho các cơ quan tham mưu, giúp việc cấp ủy sau tinh gọn bộ máy.",
            "Điều chỉnh quy định về biên chế, tổ chức bộ máy cho phù hợp với quy mô dân số.",
        ],
    ),
    (
        "allowances",
        [
            "Nâng mức phụ cấp cho bí thư chi bộ thôn, tổ dân phố.",
            "Có chế độ phụ cấp phù hợp cho bí thư chi bộ và cấp ủy viên ở thôn, khu phố.",
            "Đề nghị tăng phụ cấp trách nhiệm cho bí thư, phó bí thư chi bộ thôn, tổ dân phố.",
            "Quan tâm chế độ, chính sách, phụ cấp cho cán bộ chi bộ ở khu dân cư.",
            "Điều chỉnh mức phụ cấp hằng tháng của bí thư chi bộ tổ dân phố cho tương xứng.",
        ],
    ),
    (
        "digital_records",
        [
            "Đầu tư phần mềm quản lý đảng viên và số hóa hồ sơ đảng viên.",
            "Đẩy mạnh ứng dụng công nghệ thông tin, số hóa hồ sơ, dữ liệu đảng viên.",
            "Đề nghị triển khai thống nhất phần mềm quản lý cơ sở dữ liệu đảng viên đến chi bộ.",
            "Hỗ trợ kinh phí số hóa hồ sơ đảng viên và trang bị phần mềm quản lý.",
            "Xây dựng cơ sở dữ liệu điện tử về đảng viên, liên thông giữa các cấp.",
        ],
    ),
    (
        "inspection_staff_regime",
        [
            "Có chế độ đặc thù cho cán bộ làm công tác kiểm tra đảng.",
            "Đề nghị ban hành chính sách đãi ngộ riêng cho đội ngũ cán bộ ủy ban kiểm tra các cấp.",
            "Quan tâm chế độ phụ cấp nghề cho cán bộ ngành kiểm tra đảng.",
            "Xem xét chế độ, chính sách đặc thù đối với cán bộ chuyên trách công tác kiểm tra, giám sát.",
            "Bổ sung chế độ ưu đãi cho cán bộ cơ quan ủy ban kiểm tra cấp huyện, cấp tỉnh.",
        ],
    ),
]


def flat() -> list[tuple[str, str]]:
    """[(text, group label)] in a fixed order."""
    return [(text, label) for label, texts in LABELLED_RECOMMENDATIONS for text in texts]


# Written after the parameters were tuned on the set above, to check that they carry over to
# proposals the tuning never saw (reported separately by the benchmark).
HELD_OUT_RECOMMENDATIONS: list[tuple[str, list[str]]] = [
    (
        "cell_funding",
        [
            "Tăng kinh phí hoạt động cho chi bộ thôn, tổ dân phố.",
            "Đề nghị bố trí kinh phí hoạt động thường xuyên cho các chi bộ ở khu dân cư.",
            "Nâng định mức kinh phí hoạt động công tác đảng của đảng bộ cơ sở.",
            "Cấp thêm kinh phí cho hoạt động của chi bộ cơ sở vùng khó khăn.",
        ],
    ),
    (
        "private_sector_members",
        [
            "Có giải pháp phát triển đảng viên trong doanh nghiệp ngoài nhà nước.",
            "Hướng dẫn kết nạp đảng viên là người lao động trong doanh nghiệp tư nhân.",
            "Đẩy mạnh thành lập tổ chức đảng và kết nạp đảng viên ở khu vực kinh tế tư nhân.",
            "Tháo gỡ khó khăn trong công tác phát triển đảng viên tại các doanh nghiệp tư nhân, "
            "doanh nghiệp có vốn đầu tư nước ngoài.",
        ],
    ),
    (
        "fewer_meetings",
        [
            "Giảm bớt hội họp, văn bản, báo cáo trùng lặp đối với cơ sở.",
            "Đề nghị cấp trên hạn chế yêu cầu báo cáo nhiều lần cùng một nội dung.",
            "Cắt giảm các cuộc họp, giấy tờ hành chính không cần thiết ở cấp cơ sở.",
            "Thống nhất mẫu báo cáo, tránh chồng chéo, trùng lặp giữa các ban đảng.",
        ],
    ),
    (
        "evaluation_criteria",
        [
            "Ban hành tiêu chí định lượng để đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên.",
            "Cụ thể hóa tiêu chí đánh giá xếp loại đảng viên hằng năm bằng thang điểm.",
            "Sửa đổi hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng để tránh nể nang, hình thức.",
            "Có bộ tiêu chí đánh giá chất lượng tổ chức cơ sở đảng sát thực tế hơn.",
        ],
    ),
    (
        "internal_political_protection",
        [
            "Tăng cường công tác bảo vệ chính trị nội bộ, thẩm tra lý lịch cán bộ.",
            "Hướng dẫn cụ thể việc thẩm định, xác minh lý lịch người vào Đảng có yếu tố nước ngoài.",
            "Quan tâm công tác bảo vệ chính trị nội bộ trong tình hình mới.",
            "Ban hành quy trình xác minh lý lịch, bảo vệ chính trị nội bộ thống nhất.",
        ],
    ),
]


def flat_held_out() -> list[tuple[str, str]]:
    return [(text, label) for label, texts in HELD_OUT_RECOMMENDATIONS for text in texts]


# The seed's recommendations (the city's, from the article) with those the demo gives the
# three other units the delegation visits, labelled by proposal (as the synthesis reads them:
# "topic. text").
SEED_LABELS = {
    "TP": ["degradation", "training", "mobile", "disasters", "functions", "laws"],
    "TP-TRUONGTHI": ["disasters", "allowances", "mobile"],
    "SS": ["training", "laws", "allowances"],
    "TH-CA": ["degradation", "inspection_staff"],
}


def flat_seed() -> list[tuple[str, str]]:
    from giamsat.reports.demo import CITY_RECOMMENDATIONS, OTHER_RECOMMENDATIONS

    rows = {"TP": CITY_RECOMMENDATIONS, **OTHER_RECOMMENDATIONS}
    return [
        (f"{topic}. {text}", label)
        for code, labels in SEED_LABELS.items()
        for (_level, _body, topic, text), label in zip(rows[code], labels, strict=True)
    ]
