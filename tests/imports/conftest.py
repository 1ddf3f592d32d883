"""Fixtures for import tests: files built from rows, a clerk of the city's organisation
commission, and a helper that stages and previews an import."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.accounts.roles import Role
from giamsat.core.excel import write_xlsx
from giamsat.imports.columns import TEMPLATES
from giamsat.imports.services import preview_batch, stage_import
from tests.factories import make_user

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def headers_of(kind: str) -> list[str]:
    return [c.header() for c in TEMPLATES[kind].columns]


def file_bytes(
    kind: str, rows: list[dict], *, fmt: str = "xlsx", headers: list[str] | None = None
) -> bytes:
    """A file in the template's layout; ``rows`` map field names to cell values."""
    template = TEMPLATES[kind]
    names = [c.name for c in template.columns]
    heads = headers or headers_of(kind)
    matrix = [[row.get(name) for name in names] for row in rows]
    if fmt == "xlsx":
        return write_xlsx([("Data", heads, matrix)])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(heads)
    for line in matrix:
        writer.writerow(
            [
                "" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v)
                for v in line
            ]
        )
    return buffer.getvalue().encode("utf-8")


def upload(data: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def member(cell, name="Nguyễn Thị Lan", card="38000001", **fields) -> dict:
    row = {
        "full_name": name,
        "birth_date": "12/03/1985",
        "gender": "Nữ",
        "party_card_number": card,
        "identity_number": None,
        "joined_on": "19/05/2010",
        "official_on": "19/05/2011",
        "status": "Chính thức",
        "cell_code": cell.code if hasattr(cell, "code") else cell,
        "membership_kind": "Chính thức",
    }
    row.update(fields)
    return row


@pytest.fixture
def clerk(tree):
    """Organisation commission of the city: may import into the city's subtree."""
    return make_user(Role.ORGANISATION, tree.city, username="tochuc_city")


@pytest.fixture
def stage(clerk, tree):
    """stage(kind, rows, ...) → a previewed batch."""

    def _stage(
        kind,
        rows,
        *,
        user=None,
        unit=None,
        as_of=TODAY,
        fmt="xlsx",
        headers=None,
        data=None,
        name=None,
    ):
        raw = data if data is not None else file_bytes(kind, rows, fmt=fmt, headers=headers)
        batch = stage_import(
            kind=kind,
            upload=upload(raw, name or f"file.{fmt}"),
            unit=unit or tree.city,
            as_of=as_of,
            acting_user=user or clerk,
        )
        if batch.status == "processing":
            batch = preview_batch(batch=batch)
        return batch

    return _stage


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def row_of(batch, number):
    """The stored preview row ``number`` of ``batch`` (None when unchanged)."""
    return batch.rows.filter(row_number=number).first()


def error_fields(batch, number) -> list[str]:
    row = row_of(batch, number)
    return [field for field, _message in row.errors] if row else []


def counts(batch) -> tuple[int, int, int, int]:
    return (batch.created_count, batch.updated_count, batch.unchanged_count, batch.rejected_count)
