"""The dealers' login in chromium, with the TOTP second factor: password, then the code from
the authenticator, then the cabinet; the profile shows the second factor on. A wrong code keeps
the user out. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from dealerhub.core.accounts import create_user, totp
from dealerhub.shared import clock

pytestmark = pytest.mark.browser

LOGIN, PASSWORD = "stroytech-owner", "owner's long password"


@pytest.fixture(scope="module")
def totp_dealer(live_server) -> str:
    """The seeded dealer's owner with the second factor on; returns the TOTP secret."""
    with live_server.db.transaction() as s:
        user = create_user(
            s,
            user_id=None,
            login=LOGIN,
            password=PASSWORD,
            full_name="Oleg Owner",
            role="owner",
            email="owner@stroytech.example",
            language="en",
            partner_id=live_server.data.dealer_id,
        )
        secret = totp.start_enrolment(s, user)
        # Enrolled with the code of a minute ago: the codes of now are still unused.
        clock.freeze(clock.now() - timedelta(seconds=60))
        try:
            totp.confirm_enrolment(s, user, pyotp.TOTP(secret).at(clock.now()))
        finally:
            clock.freeze(None)
    return secret


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_dealer_logs_in_with_password_and_one_time_code(page, live_server, totp_dealer, shoot):
    page.goto("/cabinet/")
    assert "/cabinet/login" in page.url
    page.fill("#f-login", LOGIN)
    page.fill("#f-password", PASSWORD)
    shoot(page, "cabinet-01-login")
    _submit(page, "#login-form button[type=submit]")
    assert "/cabinet/login/code" in page.url

    page.fill("#f-code", "000000")
    _submit(page, "#code-form button[type=submit]")
    assert "The code is wrong or has expired" in page.inner_text("#error-__all__")
    page.fill("#f-code", pyotp.TOTP(totp_dealer).now())
    shoot(page, "cabinet-02-code")
    _submit(page, "#code-form button[type=submit]")
    assert page.url.endswith("/cabinet/")
    assert "Stroytech Dealer" in page.inner_text("#company-name")
    assert "AG-2024-001" in page.inner_text("#agreements")
    shoot(page, "cabinet-03-home")

    page.click("#current-user")
    page.click("a.dropdown-item[href='/cabinet/profile']")
    page.wait_for_url("**/cabinet/profile")
    assert "On:" in page.inner_text("#totp-status")
    shoot(page, "cabinet-04-profile")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the menu folds
    page.goto("/cabinet/")
    assert not page.is_visible("#user-menu")
    page.click(".navbar-toggler")
    page.locator("#user-menu").wait_for(state="visible")
    shoot(page, "cabinet-05-home-phone")


def test_a_buyer_sets_up_the_second_factor_from_the_qr_code(page, live_server, shoot):
    with live_server.db.transaction() as s:
        user = create_user(
            s, user_id=None, login="stroytech-buyer", password=PASSWORD, full_name="Boris Buyer", role="buyer",
            email="buyer@stroytech.example", language="en", partner_id=live_server.data.dealer_id,
        )
        user_id = user.id
    page.goto("/cabinet/login")
    page.fill("#f-login", "stroytech-buyer")
    page.fill("#f-password", PASSWORD)
    _submit(page, "#login-form button[type=submit]")
    page.goto("/cabinet/profile")
    _submit(page, "#totp-start")
    qr = page.locator("#totp-qr svg")
    qr.wait_for()
    assert qr.bounding_box()["width"] > 100  # drawn, not refused by the content security policy
    shoot(page, "cabinet-06-totp-setup")
    with live_server.db.session() as s:
        from dealerhub.core.accounts.models import User

        secret = s.get(User, user_id).totp_secret
    assert page.inner_text("#totp-secret").replace(" ", "") == secret
    page.fill("#f-code", pyotp.TOTP(secret).now())
    _submit(page, "#totp-confirm button[type=submit]")
    assert page.url.endswith("/cabinet/profile?notice=saved")
    assert "On:" in page.inner_text("#totp-status")
