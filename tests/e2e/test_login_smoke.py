"""A user logs in through the browser and lands on the home page in Vietnamese."""

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, add_totp_device, make_user


def test_login_with_password_and_second_factor(page, tree):
    user = make_user("inspection", tree.city, username="ubkt_e2e")
    device = add_totp_device(user)
    login(page, "ubkt_e2e", PASSWORD, totp_device=device)
    page.wait_for_selector("h1")
    assert "Xin chào" in page.inner_text("h1")
    assert "Đảng bộ thành phố Thanh Hóa" in page.content()
    screenshot(page, "login-home")
