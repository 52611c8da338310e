"""A dealer's accountant in chromium: the Documents section lists the invoice of an approved order
with its payment status, the navigation shows documents and money but nothing of ordering, and the
invoice downloads as a PDF (a real browser download) whose text carries the order's number, the
distributor's bank details and the total; the reconciliation statement downloads as XLSX."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dealerhub.core import sales, settlements
from dealerhub.core.accounts import create_user
from dealerhub.core.demo.own_company import seed_own_company
from dealerhub.shared import clock

pytestmark = pytest.mark.browser

ACCOUNTANT, PASSWORD = "docs-accountant", "a documents-long password"


@pytest.fixture(scope="module")
def invoice(live_server):
    """The seeded dealer's approved order of 3 filters at 1 000.00 (VAT 20 % inside), 1 000.00 paid."""
    data = live_server.data
    with live_server.db.transaction() as s:
        seed_own_company(s)
        order = sales.create_customer_order(
            s, user_id=None, partner_id=data.dealer_id, contractor_id=data.contractor_id, warehouse_id=data.main_id,
            lines=[sales.OrderLineInput(data.filter_id, Decimal(3), Decimal("1000.00"))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=None)
        payment = settlements.create_incoming_payment(
            s, user_id=None, contractor_id=data.contractor_id, amount="1000.00", paid_on=clock.today(),
            bank_reference="п/п 901", customer_order_id=order.id,
        )
        settlements.post_incoming_payment(s, payment.id, user_id=None)
        create_user(
            s, user_id=None, login=ACCOUNTANT, password=PASSWORD, full_name="Alla Accountant", role="accountant",
            email="accountant@stroytech.example", language="en", partner_id=data.dealer_id,
        )
        return order.id, order.number


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_the_accountant_downloads_an_invoice(page, live_server, invoice, shoot, tmp_path):
    _order_id, number = invoice
    page.goto("/cabinet/login")
    page.fill("#f-login", ACCOUNTANT)
    page.fill("#f-password", PASSWORD)
    _go(page, "#login-form button[type=submit]")
    _go(page, "nav >> text=Documents")
    nav = page.inner_text("nav")
    assert "Documents" in nav and "Settlements" in nav
    assert "Carts" not in nav and "Catalog" not in nav
    row = page.locator(f"#invoices tr:has-text('{number}')")
    assert "3,000.00" in row.inner_text() and "partly paid" in row.inner_text()
    shoot(page, "documents-01-list")

    with page.expect_download() as info:
        row.locator("a.invoice-pdf").click()
    download = info.value
    assert download.suggested_filename == f"invoice-{number}.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert f"Счёт на оплату № {number}" in text
    for figure in ("044525225", "40702810200000012345", "3 000,00", "500,00", "Три тысячи рублей 00 копеек"):
        assert figure in text, figure

    # The reconciliation statement of this month, as a workbook.
    page.goto("/cabinet/finance/statement")
    today = clock.today()
    page.fill("#date_from", today.replace(day=1).isoformat())
    page.fill("#date_to", today.isoformat())
    shoot(page, "documents-02-statement-form")
    with page.expect_download() as info:
        page.click("#statement-form button[value=xlsx]")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    ws = load_workbook(saved).active
    assert ws["B6"].value == "Сальдо начальное"
    assert [ws["B8"].value, ws["C8"].value, ws["D8"].value] == ["Обороты за период", 0, 1000]
