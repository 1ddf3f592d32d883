"""The party document format (HD 36-HD/VPTW) and Vietnamese number formats, as pure rules."""

import datetime as dt
from decimal import Decimal

import pytest

from giamsat.reports.rules import (
    committee_name,
    date_line,
    default_issuer_code,
    format_number,
    header_lines,
    is_subheading,
    next_status,
    placeholder_codes,
    report_symbol,
    symbol_line,
)


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        # HD 36 box 4: "Thanh Hóa, ngày 30 tháng 9 năm 2022" (the brief's example)
        ("Thanh Hóa", dt.date(2022, 9, 30), "Thanh Hóa, ngày 30 tháng 9 năm 2022"),
        # HD 36 itself is dated "ngày 03 tháng 4 năm 2018": the day is padded, not month 4
        ("Hà Nội", dt.date(2018, 4, 3), "Hà Nội, ngày 03 tháng 4 năm 2018"),
        # its example table: "ngày 20 tháng 02 năm 2018": months 1 and 2 are padded
        ("Hạ Long", dt.date(2018, 2, 20), "Hạ Long, ngày 20 tháng 02 năm 2018"),
        ("", dt.date(2021, 12, 1), "ngày 01 tháng 12 năm 2021"),
    ],
)
def test_the_date_line_pads_days_and_the_first_two_months(place, day, expected):
    assert date_line(place, day) == expected


def test_the_symbol_has_a_hyphen_after_the_number_and_a_slash_before_the_issuer():
    assert report_symbol(125, "TU") == "125-BC/TU"
    assert report_symbol(3, "ĐU") == "03-BC/ĐU"
    assert symbol_line(125, "TU") == "Số 125-BC/TU"
    # before the office registers a number the place is visibly empty
    assert report_symbol(None, "TU") == "…-BC/TU"


@pytest.mark.parametrize(
    ("organisation", "committee"),
    [
        ("Đảng bộ thành phố Thanh Hóa", "Thành ủy Thanh Hóa"),
        ("Đảng bộ tỉnh Thanh Hóa", "Tỉnh ủy Thanh Hóa"),
        ("Đảng bộ thị xã Sầm Sơn", "Thị ủy Sầm Sơn"),
        ("Đảng bộ phường Trường Thi", "Đảng ủy phường Trường Thi"),
        ("Chi bộ Văn phòng Thành ủy", "Chi bộ Văn phòng Thành ủy"),
    ],
)
def test_the_issuing_committee_is_named_after_the_organisation(organisation, committee):
    assert committee_name(organisation) == committee


def test_the_header_puts_the_superior_body_above_the_issuing_committee_in_capitals():
    assert header_lines("Đảng bộ thành phố Thanh Hóa", "Đảng bộ tỉnh Thanh Hóa") == (
        "ĐẢNG BỘ TỈNH THANH HÓA",
        "THÀNH ỦY THANH HÓA",
    )
    assert header_lines("Ban Chấp hành Trung ương", None) == ("", "BAN CHẤP HÀNH TRUNG ƯƠNG")


def test_a_unit_without_issuer_code_gets_cb_for_a_cell_and_du_otherwise():
    assert default_issuer_code("TU", False) == "TU"
    assert default_issuer_code("", True) == "CB"
    assert default_issuer_code("", False) == "ĐU"


@pytest.mark.parametrize(
    ("value", "is_rate", "expected"),
    [
        (80412, False, "80.412"),
        (6, False, "6"),
        (1234567, False, "1.234.567"),
        (Decimal("96.0"), True, "96%"),
        (Decimal("96.2"), True, "96,2%"),
        (Decimal("33.3"), True, "33,3%"),
        (Decimal("1234.5"), True, "1.234,5%"),
    ],
)
def test_numbers_print_the_vietnamese_way(value, is_rate, expected):
    assert format_number(value, is_rate=is_rate) == expected


def test_placeholders_name_indicator_codes_but_not_report_fields():
    text = "{report.unit}: {study.attendances} lượt, {study.participation_rate:numerator} người"
    assert placeholder_codes(text) == ["study.attendances", "study.participation_rate"]
    assert placeholder_codes("{ not a code } {x}") == []


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        ("draft", "submit", "submitted"),
        ("returned", "submit", "submitted"),
        ("submitted", "return", "returned"),
        ("submitted", "accept", "accepted"),
        ("accepted", "sign", "signed"),
        ("draft", "accept", None),
        ("signed", "submit", None),
        ("accepted", "return", None),
    ],
)
def test_the_workflow_allows_only_its_transitions(status, action, after):
    assert next_status(status, action) == after


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("1. Công tác tự phê bình và phê bình", True),
        ("a) Kết quả học tập", True),
        ("1. Đã ban hành 12 kế hoạch.", False),  # a numbered sentence is body text
        ("Các cấp ủy đã ban hành kế hoạch", False),
    ],
)
def test_a_numbered_line_without_a_full_stop_is_a_sub_heading(line, heading):
    assert is_subheading(line) is heading
