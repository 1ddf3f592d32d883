"""Pages answer only within scope (404 outside, never 403); readers cannot write (403);
list pages run a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.oversight import services as s
from giamsat.oversight.models import Case, CaseKind, CommitmentOrigin, StepKind
from tests.oversight.conftest import make_case

D = dt.date


@pytest.fixture
def records(tree, members, standing):
    case = make_case(tree.city_inspection, subjects=[tree.ward_a, members[tree.cell_a1.code][0]])
    s.conclude_case(
        case=case,
        expected_version=case.version,
        concluded_on=D(2021, 4, 1),
        shortcomings="x",
        acting_user=None,
    )
    criticism = s.record_criticism(
        by_unit=standing, date=D(2021, 5, 1), subject_unit=tree.ward_a, reason="x", acting_user=None
    )
    commitment = s.create_commitment(
        supervising_unit=standing,
        origin_kind=CommitmentOrigin.CRITICISM,
        origin=criticism,
        signed_on=D(2021, 5, 10),
        subject_unit=tree.ward_a,
        items=[s.ItemSpec("x", D(2021, 7, 1))],
        acting_user=None,
    )
    programme = s.create_programme(
        conducting_unit=tree.city_inspection, year=2021, title="CTr", acting_user=None
    )
    elsewhere = make_case(tree.other, subjects=[tree.cell_o1])
    return {
        "case": case,
        "criticism": criticism,
        "commitment": commitment,
        "programme": programme,
        "elsewhere": elsewhere,
    }


def _urls(r, tree):
    return [
        f"/oversight/cases/{r['case'].pk}/",
        f"/oversight/criticisms/{r['criticism'].pk}/",
        f"/oversight/commitments/{r['commitment'].pk}/",
        f"/oversight/programmes/{r['programme'].pk}/",
        f"/oversight/subjects/unit/{tree.ward_a.pk}/",
    ]


def test_authorised_and_read_only_users_see_the_records(records, tree, users, client_as):
    """The inspection officer and the leader of the city both read every page."""
    for user in (users.authorised, users.read_only):
        client = client_as(user)
        for url in _urls(records, tree):
            assert client.get(url).status_code == 200, (user, url)


def test_an_outsider_gets_404_never_403(records, tree, users, client_as):
    """Out of scope: the record's existence is not revealed."""
    client = client_as(users.outsider)
    for url in _urls(records, tree):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/oversight/cases/{records['case'].pk}/steps/", {}).status_code == 404
    own = client_as(users.authorised)
    assert own.get(f"/oversight/cases/{records['elsewhere'].pk}/").status_code == 404


def test_a_reader_cannot_write(records, users, client_as, tree):
    """The leader may read the case but recording a step answers 403 and writes nothing."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_b])
    client = client_as(users.read_only)
    response = client.post(
        f"/oversight/cases/{case.pk}/steps/", {"step-kind": "plan", "step-date": "2021-03-05"}
    )
    assert response.status_code == 403
    assert not case.steps.filter(kind=StepKind.PLAN).exists()
    assert client.get("/oversight/cases/new/").status_code == 404


def test_recording_a_step_from_the_page(users, client_as, tree):
    """A step with its document: recorded, symbol normalised, errors named with the field."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_b])
    client = client_as(users.authorised)
    response = client.post(
        f"/oversight/cases/{case.pk}/steps/",
        {"step-kind": "plan", "step-date": "05/03/2021", "step-document_symbol": "03 - KH/UBKTTU"},
    )
    assert response.status_code == 302
    assert case.steps.get(kind="plan").document_symbol == "03-KH/UBKTTU"
    response = client.post(
        f"/oversight/cases/{case.pk}/steps/", {"step-kind": "plan", "step-date": "31/02/2021"}
    )
    assert response.status_code == 400
    assert "31/02/2021" in response.content.decode()


def test_a_conflicting_conclusion_keeps_the_users_text(users, client_as, tree):
    """Two officers conclude the same version: the second sees a clear message and keeps
    what they typed."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_b])
    client = client_as(users.authorised)
    data = {
        "conclude-version": case.version,
        "conclude-concluded_on": "01/04/2021",
        "conclude-strengths": "Văn bản của người thứ hai",
    }
    s.update_case(
        case=case, expected_version=case.version, title="Sửa bởi người thứ nhất", acting_user=None
    )
    response = client.post(f"/oversight/cases/{case.pk}/conclude/", data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Văn bản của người thứ hai" in body
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_case_list_runs_a_bounded_number_of_queries(
    users, client_as, tree, django_assert_max_num_queries
):
    """Thirty cases or three: the list page costs the same few queries."""
    for i in range(30):
        make_case(
            tree.city_inspection,
            kind=CaseKind.FINANCE,
            subjects=[tree.ward_a],
            title=f"Kiểm tra {i}",
        )
    client = client_as(users.authorised)
    with django_assert_max_num_queries(20):
        response = client.get("/oversight/cases/")
    assert response.status_code == 200 and "Kiểm tra 29" in response.content.decode()


def test_the_figures_open_to_their_records(users, client_as, tree):
    """The home figure links to a drill-down listing exactly the counted cases."""
    make_case(
        tree.city_inspection,
        kind=CaseKind.FINANCE,
        subjects=[tree.ward_a],
        title="Kiểm tra tài chính A",
    )
    client = client_as(users.authorised)
    url = f"/oversight/figures/oversight.inspections/?unit={tree.city.pk}&start=2021-01-01&end=2021-12-31"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="figure-value">1<' in body and "Kiểm tra tài chính A" in body
    assert client_as(users.outsider).get(url).status_code == 404
