"""Table tests of the public discipline rules; every row cites the article it checks."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.discipline.rules import (
    BallotError,
    FinalLevel,
    Form,
    SubjectKind,
    allowed_forms,
    apply_limitation,
    child_deferral_end,
    final_complaint_level,
    limitation_expiry,
    tally,
)

D = dt.date

# (subject kind, has post, expected forms lightest first, source)
ALLOWED = [
    ("organisation", False, ("khien_trach", "canh_cao", "giai_tan"), "QĐ 69 Điều 7"),
    (
        "organisation",
        True,
        ("khien_trach", "canh_cao", "giai_tan"),
        "QĐ 69 Điều 7 (post irrelevant)",
    ),
    ("member", True, ("khien_trach", "canh_cao", "cach_chuc", "khai_tru"), "QĐ 69 Điều 7"),
    (
        "member",
        False,
        ("khien_trach", "canh_cao", "khai_tru"),
        "QĐ 69 Điều 7: cách chức nếu có chức vụ",
    ),
    ("probationary_member", False, ("khien_trach", "canh_cao"), "QĐ 69 Điều 7"),
    ("probationary_member", True, ("khien_trach", "canh_cao"), "QĐ 69 Điều 7 (no cách chức)"),
]


@pytest.mark.parametrize(("kind", "has_post", "expected", "source"), ALLOWED)
def test_allowed_forms(kind, has_post, expected, source):
    """The forms allowed by subject kind, lightest first, as the cited article lists them."""
    assert tuple(f.value for f in allowed_forms(kind, has_post)) == expected, source


def test_enums_take_plain_strings():
    """Enum values are ASCII slugs, so plain strings work."""
    assert Form("khai_tru") is Form.KHAI_TRU
    assert SubjectKind("probationary_member") is SubjectKind.PROBATIONARY_MEMBER
    assert allowed_forms(SubjectKind.MEMBER, has_post=True) == allowed_forms("member", True)


# (form, kind, violation end, re-offences, exempt, expected expiry, source)
LIMITATION = [
    ("khien_trach", "member", D(2020, 3, 10), (), False, D(2025, 3, 10), "QĐ 69 Điều 4: 5 năm"),
    ("canh_cao", "member", D(2020, 3, 10), (), False, D(2030, 3, 10), "QĐ 69 Điều 4: 10 năm"),
    ("cach_chuc", "member", D(2020, 3, 10), (), False, D(2030, 3, 10), "QĐ 69 Điều 4: 10 năm"),
    (
        "khai_tru",
        "member",
        D(2020, 3, 10),
        (),
        False,
        None,
        "QĐ 69 Điều 4: không áp dụng thời hiệu",
    ),
    (
        "khien_trach",
        "organisation",
        D(2023, 1, 5),
        (),
        False,
        D(2028, 1, 5),
        "QĐ 69 Điều 4 (tổ chức): 5 năm",
    ),
    (
        "canh_cao",
        "organisation",
        D(2023, 1, 5),
        (),
        False,
        D(2033, 1, 5),
        "QĐ 69 Điều 4 (tổ chức): 10 năm",
    ),
    (
        "giai_tan",
        "organisation",
        D(2023, 1, 5),
        (),
        False,
        None,
        "QĐ 69 Điều 4 (tổ chức): không áp dụng",
    ),
    (
        "khien_trach",
        "probationary_member",
        D(2019, 6, 1),
        (),
        False,
        D(2024, 6, 1),
        "QĐ 102 Điều 3: 5 năm",
    ),
    (
        "canh_cao",
        "member",
        D(2019, 6, 1),
        (),
        True,
        None,
        "QĐ 69 Điều 4: chính trị nội bộ … không áp dụng",
    ),
    # restart: a new violation within the period restarts it from the new violation
    (
        "khien_trach",
        "member",
        D(2018, 1, 1),
        (D(2021, 6, 1),),
        False,
        D(2026, 6, 1),
        "QĐ 69 Điều 4; QĐ 102 Điều 3: tính lại",
    ),
    (
        "khien_trach",
        "member",
        D(2018, 1, 1),
        (D(2021, 6, 1), D(2025, 2, 1)),
        False,
        D(2030, 2, 1),
        "QĐ 102 Điều 3: tính lại (chuỗi)",
    ),
    # a re-offence after the expiry does not revive the expired period
    (
        "khien_trach",
        "member",
        D(2010, 1, 1),
        (D(2016, 1, 1),),
        False,
        D(2015, 1, 1),
        "QĐ 102 Điều 3: chỉ vi phạm mới trong thời hiệu",
    ),
    (
        "khien_trach",
        "member",
        D(2020, 2, 29),
        (),
        False,
        D(2025, 2, 28),
        "QĐ 69 Điều 4 (29/02 → 28/02)",
    ),
]


@pytest.mark.parametrize(
    ("form", "kind", "end", "again", "exempt", "expected", "source"), LIMITATION
)
def test_limitation_expiry(form, kind, end, again, exempt, expected, source):
    """The last day the violation may be disciplined with the form (None: no limitation)."""
    assert limitation_expiry(form, kind, end, again, exempt=exempt) == expected, source


def test_limitation_refuses_a_form_the_subject_cannot_receive():
    """QĐ 69 Điều 7: cách chức never applies to an organisation."""
    with pytest.raises(ValueError, match="cách chức"):
        limitation_expiry("cach_chuc", "organisation", D(2023, 1, 1))


# (voted form, kind, violation end, concluded on, time-barred, source)
VOTE_FIRST = [
    (
        "khien_trach",
        "member",
        D(2016, 5, 1),
        D(2022, 5, 1),
        True,
        "HD 02 (Ban Bí thư, 2021): biểu quyết trước, so thời hiệu sau",
    ),
    ("canh_cao", "member", D(2016, 5, 1), D(2022, 5, 1), False, "HD 02: cảnh cáo 10 năm chưa hết"),
    (
        "khien_trach",
        "member",
        D(2017, 5, 1),
        D(2022, 5, 1),
        False,
        "QĐ 69 Điều 4: ngày cuối còn trong thời hiệu",
    ),
    (
        "khien_trach",
        "member",
        D(2017, 5, 1),
        D(2022, 5, 2),
        True,
        "QĐ 69 Điều 4: ngày sau khi hết thời hiệu",
    ),
]


@pytest.mark.parametrize(("form", "kind", "end", "concluded", "barred", "source"), VOTE_FIRST)
def test_vote_first_then_compare_with_limitation(form, kind, end, concluded, barred, source):
    """The voted form is compared with its own limitation; if expired, no discipline."""
    outcome = apply_limitation(form, kind, end, concluded)
    assert outcome.time_barred is barred, source
    assert outcome.applied_form == (None if barred else Form(form))
    assert outcome.voted_form == Form(form)


# (votes, total, kind, has_post, expected, source)
TALLY = [
    (
        {"khien_trach": 6},
        11,
        "member",
        None,
        "khien_trach",
        "QĐ 69 Điều 15: trên 1/2 tổng số (6/11)",
    ),
    ({"khien_trach": 5}, 10, "member", None, None, "QĐ 69 Điều 15: 5/10 không phải trên một nửa"),
    ({"khien_trach": 5}, 9, "member", None, "khien_trach", "QĐ 69 Điều 15: 5/9 > 1/2"),
    (
        {"canh_cao": 6},
        12,
        "member",
        None,
        None,
        "QĐ 69 Điều 15: mẫu số là tổng số đảng viên chính thức, không phải số có mặt",
    ),
    (
        {"khai_tru": 6},
        9,
        "member",
        None,
        "khai_tru",
        "QĐ 69 Điều 15: ít nhất 2/3 đề nghị khai trừ (6/9)",
    ),
    (
        {"khai_tru": 5},
        9,
        "member",
        False,
        "canh_cao",
        "QĐ 69 Điều 15 + cộng dồn: 5/9 < 2/3 → xuống cảnh cáo (không có chức vụ)",
    ),
    (
        {"khai_tru": 5},
        9,
        "member",
        True,
        "cach_chuc",
        "QĐ 69 Điều 15 + cộng dồn: 5/9 < 2/3 → cách chức",
    ),
    (
        {"khai_tru": 3, "cach_chuc": 2, "canh_cao": 1},
        11,
        "member",
        None,
        "canh_cao",
        "HD 01-HD/UBKTTW: cộng dồn từ hình thức cao xuống (3+2+1=6/11)",
    ),
    (
        {"khai_tru": 2, "canh_cao": 2, "khien_trach": 2},
        11,
        "member",
        None,
        "khien_trach",
        "HD 01: cộng dồn đến khiển trách (6/11)",
    ),
    (
        {"khai_tru": 2, "canh_cao": 2, "khien_trach": 1},
        11,
        "member",
        None,
        None,
        "HD 01: không hình thức nào đạt (5/11)",
    ),
    (
        {"canh_cao": 3, "khien_trach": 2},
        7,
        "probationary_member",
        None,
        "khien_trach",
        "QĐ 69 Điều 15 + HD 01 (dự bị): cảnh cáo 3/7 không đạt; cộng dồn 5/7 ở khiển trách",
    ),
    (
        {"giai_tan": 4, "canh_cao": 1},
        7,
        "organisation",
        None,
        "canh_cao",
        "giải tán cần 2/3 (CHƯA XÁC NHẬN): 4/7 không đạt; cộng dồn 5/7 ở cảnh cáo (QĐ 69 Điều 15)",
    ),
    (
        {"giai_tan": 5},
        7,
        "organisation",
        None,
        "giai_tan",
        "giải tán 5/7 ≥ 2/3 (ngưỡng CHƯA XÁC NHẬN)",
    ),
    (
        {"khien_trach": 4},
        7,
        "organisation",
        None,
        "khien_trach",
        "QĐ 69 Điều 15 (tổ chức): trên 1/2 (4/7)",
    ),
]


@pytest.mark.parametrize(("votes", "total", "kind", "has_post", "expected", "source"), TALLY)
def test_tally(votes, total, kind, has_post, expected, source):
    """The form decided by a secret ballot after cumulative counting."""
    assert tally(votes, total, kind, has_post=has_post) == (Form(expected) if expected else None), (
        source
    )


def test_the_competent_body_confirms_an_expulsion_with_more_than_half():
    """QĐ 69 Điều 15: khai trừ is proposed by two thirds and decided by more than half of the
    competent higher body."""
    assert tally({"khai_tru": 5}, 9, "member", confirming_proposal=True) == Form.KHAI_TRU
    assert tally({"khai_tru": 5}, 9, "member") == Form.CANH_CAO


@pytest.mark.parametrize(
    ("votes", "total", "kind", "message"),
    [
        ({"khien_trach": 8}, 7, "member", "only 7 members"),
        ({"cach_chuc": 1}, 7, "probationary_member", "not on the ballot"),
        ({"giai_tan": 1}, 7, "member", "not on the ballot"),
        ({"khien_trach": -1}, 7, "member", "negative"),
        ({"khien_trach": 1}, 0, "member", "at least one member"),
    ],
)
def test_tally_refuses_an_impossible_ballot(votes, total, kind, message):
    """A ballot with more votes than members, or a form the subject cannot receive, is refused."""
    with pytest.raises(BallotError, match=message):
        tally(votes, total, kind)


# (form, decided centrally, final level, source)
FINAL = [
    ("khien_trach", False, FinalLevel.CENTRAL_INSPECTION, "QĐ 22 Điều 22: UBKTTW cấp cuối cùng"),
    ("canh_cao", False, FinalLevel.CENTRAL_INSPECTION, "QĐ 22 Điều 22"),
    ("cach_chuc", False, FinalLevel.CENTRAL_INSPECTION, "QĐ 22 Điều 22"),
    (
        "khai_tru",
        False,
        FinalLevel.SECRETARIAT,
        "QĐ 22 Điều 22: Ban Bí thư cấp cuối cùng cho khai trừ",
    ),
    (
        "khien_trach",
        True,
        FinalLevel.CENTRAL_COMMITTEE,
        "QĐ 22 Điều 22: BCHTW cấp cuối cùng (kỷ luật do TW quyết định)",
    ),
]


@pytest.mark.parametrize(("form", "central", "expected", "source"), FINAL)
def test_final_complaint_level(form, central, expected, source):
    """The body whose answer to a complaint is final."""
    assert final_complaint_level(form, central) == expected, source


def test_a_child_under_12_months_defers_until_the_day_before_the_first_birthday():
    """QĐ 22 Điều 9 khoản 7: not yet considered while raising a child under 12 months."""
    assert child_deferral_end(D(2021, 3, 15)) == D(2022, 3, 14)
