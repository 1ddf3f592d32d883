"""The read API: batches, rows and missing members of the caller's organisations only."""

from tests.conftest import client_for
from tests.imports.conftest import member


def test_batches_rows_and_missing_are_scoped(tree, stage, clerk, users, members):
    batch = stage(
        "members",
        [member(tree.cell_a1), member(tree.cell_a2, name="X", card="12")],
        unit=tree.ward_a,
    )
    api = client_for(clerk)
    listed = api.get("/api/v1/imports/batches").json()
    assert listed["count"] == 1
    assert listed["items"][0]["rejected"] == 1
    detail = api.get(f"/api/v1/imports/batches/{batch.pk}").json()
    assert (detail["status"], detail["created"], detail["missing"]) == ("ready", 1, 4)
    rows = api.get(f"/api/v1/imports/batches/{batch.pk}/rows", {"action": "reject"}).json()
    assert rows["items"][0]["row"] == 3
    assert rows["items"][0]["errors"][0][0] == "party_card_number"
    assert api.get(f"/api/v1/imports/batches/{batch.pk}/missing").json()["count"] == 4

    outsider = client_for(users.outsider)
    assert outsider.get("/api/v1/imports/batches").json()["count"] == 0
    assert outsider.get(f"/api/v1/imports/batches/{batch.pk}").status_code == 404
