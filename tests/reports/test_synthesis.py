"""Similar recommendations from many units are grouped: on the labelled paraphrases the
grouping keeps precision and recall high, and each group says how many units and which."""

import datetime as dt
import io

from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from giamsat.reports import services
from giamsat.reports.models import AddresseeLevel
from giamsat.reports.synthesis import (
    content_text,
    group_texts,
    pairwise_score,
    synthesise,
)
from giamsat.reports.synthesis_data import (
    HELD_OUT_RECOMMENDATIONS,
    LABELLED_RECOMMENDATIONS,
    flat,
    flat_held_out,
    flat_seed,
)
from giamsat.reports.synthesis_documents import synthesis_docx, synthesis_xlsx
from tests.conftest import client_for


def test_the_labelled_set_is_big_enough():
    assert len(flat()) >= 40 and len(LABELLED_RECOMMENDATIONS) >= 8
    assert len(HELD_OUT_RECOMMENDATIONS) >= 5


def test_grouping_precision_and_recall_on_the_labelled_sets():
    for data, precision, recall in (
        (flat(), 0.9, 0.9),
        (flat_held_out(), 0.95, 0.8),
        (flat_seed(), 0.7, 0.95),
    ):
        texts = [t for t, _ in data]
        labels = [label for _, label in data]
        score = pairwise_score(group_texts(texts), labels)
        assert score.precision >= precision and score.recall >= recall, score


def test_normalisation_ignores_diacritics_case_and_abbreviations():
    assert content_text("Đề nghị TW hướng dẫn TCCSĐ") == content_text(
        "de nghi Trung ương huong dan to chuc co so dang"
    )


def test_unrelated_proposals_stay_apart():
    groups = group_texts(
        [
            "Nâng mức phụ cấp cho bí thư chi bộ thôn.",
            "Sửa đổi Luật Đất đai để tháo gỡ vướng mắc.",
            "Tăng phụ cấp trách nhiệm cho bí thư chi bộ thôn, tổ dân phố.",
        ]
    )
    assert sorted(map(sorted, groups)) == [[0, 2], [1]]


def test_a_score_is_pairwise():
    score = pairwise_score([[0, 1], [2]], ["a", "a", "a"])
    assert (score.precision, round(score.recall, 3)) == (1.0, 0.333)


def _rec(unit, text, level=AddresseeLevel.CENTRE):
    return services.record_recommendation(
        unit=unit,
        addressee_level=level,
        addressee_body="Ban Bí thư",
        topic="Kiến nghị",
        text=text,
        made_on=dt.date(2022, 9, 30),
        acting_user=None,
    )


def test_groups_say_how_many_units_and_which(tree):
    a = _rec(tree.ward_a, "Hướng dẫn sinh hoạt đảng trong điều kiện thiên tai, dịch bệnh kéo dài.")
    b = _rec(tree.ward_b, "Cho phép sinh hoạt chi bộ trực tuyến khi thiên tai, dịch bệnh kéo dài.")
    c = _rec(tree.other, "Hướng dẫn duy trì sinh hoạt đảng trong hoàn cảnh thiên tai, dịch bệnh.")
    d = _rec(tree.ward_a, "Nâng mức phụ cấp cho bí thư chi bộ khu phố.")
    groups = synthesise([a, b, c, d])
    assert len(groups) == 2
    first = groups[0]
    assert {r.pk for r in first.items} == {a.pk, b.pk, c.pk}
    assert {u.pk for u in first.units} == {tree.ward_a.pk, tree.ward_b.pk, tree.other.pk}
    assert groups[1].units == [tree.ward_a]


def test_the_exports(tree):
    items = [
        _rec(tree.ward_a, "Hướng dẫn sinh hoạt đảng trong điều kiện thiên tai, dịch bệnh kéo dài."),
        _rec(tree.ward_b, "Cho phép sinh hoạt chi bộ trực tuyến khi thiên tai, dịch bệnh kéo dài."),
    ]
    groups = synthesise(items)
    workbook = load_workbook(io.BytesIO(synthesis_xlsx(groups)))
    summary = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert summary[1][0] == "1" and summary[1][2].startswith("2: ")
    assert len(list(workbook.worksheets[1].iter_rows())) == 3
    document = Document(io.BytesIO(synthesis_docx(groups, unit=tree.city)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "PHỤ LỤC" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("ĐẢNG CỘNG SẢN VIỆT NAM") for c in cells)
    assert any("Đảng bộ phường Trường Thi" in c for c in cells)


def test_the_page_is_scoped(tree, report_users):
    _rec(tree.ward_a, "Nâng mức phụ cấp cho bí thư chi bộ khu phố.")
    _rec(tree.other, "Tăng phụ cấp cho bí thư chi bộ thôn.")
    url = f"/reports/synthesis/?unit={tree.city.pk}&from=01/01/2022&to=31/12/2022"
    response = client_for(report_users.office).get(url)
    assert response.context["count"] == 1
    assert client_for(report_users.outsider).get(url).status_code == 404


def test_the_benchmark_command_prints_precision_and_recall(capsys):
    call_command("synthesis_benchmark")
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out
    assert "tuning set" in out and "held-out set" in out
