"""The back office's menu on a laptop screen in Russian (the longer labels): no label breaks in
two; the menu wraps as a whole instead."""

from __future__ import annotations

import pytest

from dealerhub.core.accounts import create_user
from tests.browser.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser


def test_menu_labels_stay_on_one_line_in_russian(browser, live_server):
    with live_server.db.transaction() as s:
        create_user(s, user_id=None, login="olga", password=ADMIN_PASSWORD, full_name="Ольга Соколова",
                    role="sales_manager", language="ru")  # fmt: skip
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="ru-RU")
    page = context.new_page()
    try:
        page.goto("/backoffice/login")
        page.fill("#f-login", "olga")
        page.fill("#f-password", ADMIN_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto("/backoffice/stock")
        heights = {
            link.inner_text().strip(): link.bounding_box()["height"]
            for link in page.locator("#main-menu > .navbar-nav > .nav-item > .nav-link").all()
        }
        assert "Пользователи дилеров" in heights
        one_line = heights["Каталог"]
        assert {label: h for label, h in heights.items() if h > one_line * 1.2} == {}
        assert page.inner_text("#current-user") == "Ольга Соколова"  # the role is in its title
    finally:
        context.close()
