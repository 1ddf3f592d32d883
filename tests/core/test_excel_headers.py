"""Headers match ignoring case, diacritics, "(*)" and punctuation."""

from giamsat.core.excel import match_headers


def test_headers_match_whatever_the_spelling():
    headers = ["STT", "HỌ VÀ TÊN (*)", "Ngay sinh:", "Số thẻ đảng viên *"]
    expected = {
        "full_name": ["Họ và tên"],
        "birth_date": ["Ngày sinh"],
        "card": ["so the dang vien"],
        "absent": ["Giới tính"],
    }
    assert match_headers(headers, expected) == {"full_name": 1, "birth_date": 2, "card": 3}


def test_a_column_is_used_for_one_field_only():
    assert match_headers(["Ngày"], {"a": ["ngay"], "b": ["Ngày"]}) == {"a": 0}
