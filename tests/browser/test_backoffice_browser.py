"""The back office in chromium: a sales manager's day in one story. Log in, find an item in the
catalog, take a dealer's order for two lines, approve it, pick it, sell it, and see the stock
go down. Screenshots of the main pages land in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN_LOGIN, ADMIN_PASSWORD

pytestmark = pytest.mark.browser


def _status(page) -> str:
    return page.locator("#document-status").inner_text().strip()


def _status_code(page) -> str:
    return page.locator("#document-status .doc-status").get_attribute("data-status")


def _click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_an_order_from_catalog_search_to_sale(page, live_server, shoot):
    data = live_server.data

    page.goto("/backoffice/login")
    page.fill("#f-login", ADMIN_LOGIN)
    page.fill("#f-password", ADMIN_PASSWORD)
    _click_and_wait(page, "button[type=submit]")
    assert page.url.endswith("/backoffice/")
    assert "Anna Admin" in page.inner_text("#current-user")
    shoot(page, "01-dashboard")

    page.goto("/backoffice/catalog")
    page.fill("#f-q", "fl 100")
    page.press("#f-q", "Enter")
    item_link = page.locator("a", has_text="FL-100.20").first
    item_link.wait_for()
    shoot(page, "02-catalog-search")
    _click_and_wait(page, "a:text-is('FL-100.20')")
    assert "FL-100.20" in page.inner_text("#item-title")
    shoot(page, "03-item")

    page.goto("/backoffice/sales/orders")
    _click_and_wait(page, "#new-document")
    page.select_option("#f-contractor_id", str(data.contractor_id))
    page.select_option("#f-warehouse_id", str(data.main_id))
    page.fill("#f-line_1_article", "fl-100.20")
    page.fill("#f-line_1_quantity", "5")
    page.fill("#f-line_2_article", "OIL-15W40")
    page.fill("#f-line_2_quantity", "10.5")
    page.fill("#f-line_2_price", "450")
    shoot(page, "04-order-form")
    _click_and_wait(page, "#document-form button[type=submit]")
    assert re.search(r"/backoffice/sales/orders/\d+", page.url)
    assert _status(page) == "Draft"
    assert page.locator("#document-lines tbody tr").count() == 2

    _click_and_wait(page, "#action-submit")
    assert _status(page) == "Submitted"
    _click_and_wait(page, "#action-approve")
    assert _status(page) == "Approved"
    assert page.locator("#reservation-moves tbody tr").count() == 2
    shoot(page, "05-order-approved")

    _click_and_wait(page, "#action-picking-task")
    assert "/backoffice/sales/picking-tasks/" in page.url and _status(page) == "Draft"
    _click_and_wait(page, "#action-post")
    assert _status(page) == "Posted"
    shoot(page, "06-picking-task")

    _click_and_wait(page, "#action-sale")
    shoot(page, "07-sale-form")
    _click_and_wait(page, "#document-form button[type=submit]")
    assert "/backoffice/sales/sales/" in page.url and _status(page) == "Draft"
    _click_and_wait(page, "#action-post")
    assert _status(page) == "Posted"
    assert page.locator("#stock-moves tbody tr").count() == 2
    shoot(page, "08-sale-posted")

    page.goto("/backoffice/stock?q=FL-100.20")
    row = page.locator(f"tr.balance[data-item='{data.filter_id}'][data-warehouse='{data.main_id}']")
    assert row.locator("td.on-hand").inner_text().strip() == "7"
    assert row.locator("td.free").inner_text().strip() == "7"
    shoot(page, "09-stock")
    page.goto("/backoffice/stock?q=OIL-15W40")
    oil = page.locator(f"tr.balance[data-item='{data.oil_id}'][data-warehouse='{data.main_id}']")
    assert oil.locator("td.free").inner_text().strip() == "190"

    page.goto("/backoffice/sales/orders")
    shoot(page, "10-order-list")
    _click_and_wait(page, "#document-list tbody tr a")
    assert _status(page) == "Shipped"
    _click_and_wait(page, "#language-switch button[value=ru]")
    assert _status(page) == "Отгружен"
    shoot(page, "11-order-ru")
    _click_and_wait(page, "#language-switch button[value=en]")


def test_a_refused_write_off_shows_what_is_short(page, live_server, shoot):
    data = live_server.data
    page.goto("/backoffice/login")
    page.fill("#f-login", ADMIN_LOGIN)
    page.fill("#f-password", ADMIN_PASSWORD)
    _click_and_wait(page, "button[type=submit]")

    page.goto("/backoffice/inventory/corrections/new")
    page.select_option("#f-warehouse_id", str(data.main_id))
    page.select_option("#f-kind", "write_off")
    page.fill("#f-reason", "Lost in the yard")
    page.fill("#f-line_1_article", "FL-100.20")
    page.fill("#f-line_1_quantity", "500")
    _click_and_wait(page, "#document-form button[type=submit]")
    assert _status_code(page) == "draft"
    _click_and_wait(page, "#action-post")
    assert page.locator("#document-error").is_visible()
    shortage = page.locator("#shortages tbody tr td")
    assert [shortage.nth(i).inner_text().strip() for i in (0, 2, 3)] == [
        "FL-100.20",
        "MSK · Moscow main",
        "500",
    ]
    assert _status_code(page) == "draft"
    shoot(page, "12-write-off-refused")
