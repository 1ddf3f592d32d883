"""Vietnamese sort and search keys."""

from giamsat.core.text import person_sort_key, search_key, vi_sort_key


def test_people_sort_by_given_then_middle_then_family_name():
    names = [
        "Phạm Minh Đức",
        "Nguyễn Ấn",
        "Trần Văn Dũng",
        "Bùi Thị Ân",
        "Nguyễn Văn An",
        "Lê Đức Anh",
        "Hoàng Anh",
        "Trần Thị Ánh",
        "Nguyễn Thị Dung",
        "Đặng Văn Dũng",
    ]
    assert sorted(names, key=person_sort_key) == [
        "Nguyễn Văn An",
        "Hoàng Anh",
        "Lê Đức Anh",
        "Trần Thị Ánh",
        "Bùi Thị Ân",
        "Nguyễn Ấn",
        "Nguyễn Thị Dung",
        "Đặng Văn Dũng",
        "Trần Văn Dũng",
        "Phạm Minh Đức",
    ]


def test_words_sort_in_vietnamese_letter_order():
    words = ["Đức", "Anh", "Ấn", "Dũng", "Ân", "Bình"]
    assert sorted(words, key=vi_sort_key) == ["Anh", "Ân", "Ấn", "Bình", "Dũng", "Đức"]


def test_sort_key_is_digits_only_so_any_collation_agrees():
    assert vi_sort_key("Đường dây nóng").isdigit()


def test_search_key_drops_diacritics_and_case_and_treats_dd_as_d():
    assert search_key("  Đường  dây NÓNG ") == "duong day nong"
    assert search_key("Đảng bộ phường Trường Thi") == search_key("dang bo phuong truong thi")
