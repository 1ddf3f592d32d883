"""Data for the SIGKILL tests, written into a scratch database by ``giamsat shell -c``:
a city with 40 cells, an administrator and the report templates; and a roster file of a few
thousand members."""

from __future__ import annotations

import csv
import io

CELLS = 40
ADMIN = "kill_admin"


def setup() -> None:
    """Run inside the scratch database (``giamsat shell -c``)."""
    from giamsat.accounts.models import User
    from giamsat.reports.services import sync_builtin_templates
    from giamsat.units.models import UnitKind
    from tests.factories import make_unit

    province = make_unit("Đảng bộ tỉnh", UnitKind.UNDER_CENTRE, code="KTINH", issuer_code="TU")
    city = make_unit("Đảng bộ thành phố", UnitKind.UPPER_GRASSROOTS, province, code="KCITY")
    ward = make_unit("Đảng bộ phường", UnitKind.GRASSROOTS_ORG, city, code="KWARD")
    for i in range(CELLS):
        make_unit(f"Chi bộ số {i + 1}", UnitKind.CELL, ward, code=f"KC{i:03d}")
    User.objects.create_superuser(ADMIN, password="kill-test-password-2026")
    sync_builtin_templates()  # the report templates, as after ``giamsat migrate`` and a first use
    print("world ready")  # noqa: T201


def roster_csv(rows: int) -> bytes:
    """A members roster in the import template's layout (UTF-8 CSV)."""
    from giamsat.imports.columns import TEMPLATES

    columns = TEMPLATES["members"].columns
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header() for c in columns])
    for n in range(rows):
        row = {
            "full_name": f"Nguyễn Văn Thử {n:05d}",
            "birth_date": f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 40}",
            "gender": "Nam" if n % 2 else "Nữ",
            "party_card_number": f"{50000000 + n}",
            "joined_on": "19/05/2010",
            "official_on": "19/05/2011",
            "status": "Chính thức",
            "cell_code": f"KC{n % CELLS:03d}",
            "membership_kind": "Chính thức",
        }
        writer.writerow([row.get(c.name, "") for c in columns])
    return buffer.getvalue().encode("utf-8")
