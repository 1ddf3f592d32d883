"""Passwords: at least 12 characters, not common, not all digits, not like the user's name —
enforced where users choose them (the password change page)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamsat.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import PASSWORD, make_user


def test_the_four_validators_are_configured():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] >= 12


@pytest.mark.parametrize(
    "weak",
    ["short1!", "password1234", "123456789012345", "nguyenvanthanh1"],
)
def test_weak_passwords_are_refused(db, weak):
    user = make_user(username="nguyenvanthanh", first_name="Thanh", last_name="Nguyễn Văn")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_a_long_passphrase_is_accepted(db):
    user = make_user(username="nguyenvanthanh")
    validate_password("mùa thu Hà Nội lá vàng rơi", user)


def test_the_change_page_refuses_a_weak_password_and_keeps_the_old_one(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    client = client_for(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_change_page_accepts_a_strong_password_and_keeps_the_session(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    client = client_for(user)
    new = "cây đa bến nước sân đình"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/").status_code == 200


def test_the_change_page_needs_the_old_password(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    new = "cây đa bến nước sân đình"
    response = client_for(user).post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
