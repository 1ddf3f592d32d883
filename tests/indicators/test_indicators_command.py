"""``giamsat indicators``: unit by id, code or name without diacritics; ambiguity exits 2."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.study.factories import make_directive, make_session, mark


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def recorded(tree, members):
    nq04 = make_directive(4)
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    for person in members[tree.cell_a1.code]:
        mark(session, person)
    return nq04


def test_json_lists_code_label_value_and_unit_of_measure(tree, recorded):
    out, _err = run("--unit", "truong thi", "--from", "01/01/2022", "--to", "30/09/2022", "--json")
    data = {item["code"]: item for item in json.loads(out)}
    assert data["study.attendances"]["value"] == 2
    assert data["study.participation_rate"]["value"] == 50.0
    assert data["study.participation_rate"]["numerator"] == 2
    assert data["study.participation_rate"]["denominator"] == 4
    for item in data.values():
        assert {"code", "label", "value", "unit_of_measure"} <= set(item)
    assert data["study.attendances"]["label"] == "Lượt người tham gia học tập"


def test_code_filters_and_accepts_a_prefix(tree, recorded):
    out, _err = run(
        "--unit",
        str(tree.city.pk),
        "--from",
        "2022-01-01",
        "--to",
        "2022-09-30",
        "--code",
        "study.attendances",
        "--json",
    )
    assert [i["code"] for i in json.loads(out)] == ["study.attendances"]
    out, _err = run(
        "--unit",
        tree.city.code,
        "--from",
        "2022-01-01",
        "--to",
        "2022-09-30",
        "--code",
        "study",
        "--json",
    )
    assert len(json.loads(out)) > 5


def test_an_ambiguous_fragment_lists_the_candidates_and_exits_2(tree, recorded):
    with pytest.raises(CommandError) as failed:
        run("--unit", "phuong", "--from", "01/01/2022", "--to", "30/09/2022")
    assert failed.value.returncode == 2


def test_the_candidates_are_printed(tree, recorded, capsys):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "indicators",
            "--unit",
            "phuong",
            "--from",
            "01/01/2022",
            "--to",
            "30/09/2022",
            stderr=err,
        )
    text = err.getvalue()
    assert "Đảng bộ phường Trường Thi" in text and "Đảng bộ phường Điện Biên" in text
    assert str(tree.ward_a.pk) in text


def test_unknown_unit_code_or_date_exit_1(tree, recorded):
    for args in (
        ("--unit", "khong co", "--from", "01/01/2022", "--to", "30/09/2022"),
        ("--unit", "truong thi", "--from", "32/01/2022", "--to", "30/09/2022"),
        ("--unit", "truong thi", "--from", "01/01/2022", "--to", "30/09/2022", "--code", "nope"),
    ):
        with pytest.raises(CommandError) as failed:
            run(*args)
        assert failed.value.returncode == 1


def test_the_table_and_the_breakdown_by_child(tree, recorded):
    out, _err = run(
        "--unit",
        "thanh pho thanh hoa",
        "--from",
        "01/01/2022",
        "--to",
        "30/09/2022",
        "--code",
        "study.attendances",
        "--by-child",
    )
    assert "study.attendances" in out and "Đảng bộ phường Trường Thi: 2" in out
    out, _err = run(
        "--unit",
        "thanh pho",
        "--from",
        "01/01/2022",
        "--to",
        "30/09/2022",
        "--code",
        "study.attendances",
        "--json",
        "--by-child",
    )
    by_child = {c["unit"]: c["value"] for c in json.loads(out)[0]["by_child"]}
    assert by_child == {"Đảng bộ phường Trường Thi": 2, "Đảng bộ phường Điện Biên": 0}


def test_a_directive_filter_by_symbol(tree, recorded):
    other = make_directive(8, doc_type="QĐi")
    out, _err = run(
        "--unit",
        "truong thi",
        "--from",
        "01/01/2022",
        "--to",
        "30/09/2022",
        "--code",
        "study.attendances",
        "--directive",
        "04-NQ/TW",
        "--json",
    )
    assert json.loads(out)[0]["value"] == 2
    out, _err = run(
        "--unit",
        "truong thi",
        "--from",
        "01/01/2022",
        "--to",
        "30/09/2022",
        "--code",
        "study.attendances",
        "--directive",
        str(other.pk),
        "--json",
    )
    assert json.loads(out)[0]["value"] == 0
