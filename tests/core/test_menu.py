"""The main menu shows an entry to whoever holds any of its capabilities, and nothing else."""

from django.test import RequestFactory

from giamsat.accounts.roles import Role
from giamsat.core.menu import menu_for
from tests.factories import make_user


def _labels(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [str(item["url"]) for item in menu_for(request)]


def test_a_leader_who_decides_evaluations_finds_the_evaluation_page(db, tree):
    """Leaders decide levels (step 3) without managing campaigns: the entry is theirs too."""
    leader = make_user(Role.LEADER, tree.city)
    assert "/evaluation/" in _labels(leader)


def test_an_entry_stays_hidden_without_any_of_its_capabilities(db, tree):
    petitions_officer = make_user(Role.PETITION_OFFICER, tree.city)
    urls = _labels(petitions_officer)
    assert "/evaluation/" not in urls and "/petitions/" in urls
