"""The cabinet's documents and settlements: the lists with statuses, the downloads (invoice and
sale PDFs, the reconciliation statement as PDF and XLSX) scoped to the dealer, bad input refused,
and the roles: the accountant sees documents and money but nothing of ordering, the buyer sees
documents but not the money pages. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dealerhub.core import settlements
from dealerhub.core.carts.models import Cart
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared import clock
from tests.cabinet.conftest import cabinet_token, log_in_dealer
from tests.cabinet.matrix_objects import make_invoice, make_sale
from tests.printouts.test_invoice import pdf_text

D = Decimal


@pytest.fixture
def papers(core_db, dealer_a):
    """Dealer A: an invoice (approved order, 2 x 150.00) partly paid (100.00), and a posted sale
    (300.00) of another order to another of its legal entities."""
    invoice = make_invoice(core_db, dealer_a, {})
    sale = make_sale(core_db, dealer_a, {})
    with core_db.transaction() as s:
        contractor_id = s.scalar(select(CustomerOrder.contractor_id).where(CustomerOrder.id == invoice.id))
        p = settlements.create_incoming_payment(
            s, user_id=None, contractor_id=contractor_id, amount="100.00", paid_on=clock.today(),
            bank_reference="п/п 42", customer_order_id=invoice.id,
        )
        settlements.post_incoming_payment(s, p.id, user_id=None)
    return invoice, sale, contractor_id


def _nav(html: str) -> set[str]:
    return {label for label in ("Catalog", "Carts", "Orders", "Documents", "Settlements") if f">{label}</a>" in html}


def test_the_accountant_sees_documents_and_money_and_nothing_of_ordering(client, core_db, dealer_a, papers):
    invoice, sale, _ = papers
    log_in_dealer(client, dealer_a.login("accountant"))
    page = client.get("/cabinet/documents")
    assert page.status_code == 200
    assert invoice.probe in page.text and sale.probe in page.text
    assert "partly paid" in page.text and "Reconciliation statement" in page.text
    assert _nav(page.text) == {"Documents", "Settlements"}
    for path in ("/cabinet/catalog", "/cabinet/carts", "/cabinet/orders", "/cabinet/catalog/price-list.xlsx"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/cabinet/orders/{invoice.id}").status_code == 404  # names an object: 404
    token = cabinet_token(client)
    with core_db.session() as s:
        carts_before = s.scalar(select(func.count()).select_from(Cart))
    assert client.post("/cabinet/carts", data={"csrf_token": token, "name": "x"}).status_code == 403
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cart)) == carts_before
    finance = client.get("/cabinet/finance")
    assert finance.status_code == 200
    # The invoice's legal entity paid 100.00 in advance; the sale's owes 300.00.
    assert re.findall(r'class="balance">([^<]*)<', finance.text) == ["-100.00", "300.00"]


def test_the_buyer_sees_documents_but_not_the_money_pages(client, dealer_a, papers):
    invoice, _, contractor_id = papers
    log_in_dealer(client, dealer_a.login("buyer"))
    page = client.get("/cabinet/documents")
    assert page.status_code == 200 and invoice.probe in page.text
    assert "Reconciliation statement" not in page.text
    assert _nav(page.text) == {"Catalog", "Carts", "Orders", "Documents"}
    assert client.get("/cabinet/finance").status_code == 403
    url = f"/cabinet/finance/statement?contractor_id={contractor_id}&date_from=2026-01-01&date_to=2026-12-31&format=pdf"
    assert client.get(url).status_code == 403
    assert client.get(f"/cabinet/documents/invoices/{invoice.id}/pdf").status_code == 200


def test_the_invoice_and_sale_downloads(client, dealer_a, papers):
    invoice, sale, _ = papers
    log_in_dealer(client, dealer_a.login("accountant"))
    answer = client.get(f"/cabinet/documents/invoices/{invoice.id}/pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="invoice-{invoice.probe}.pdf"'
    text = " ".join(pdf_text(answer.content).split())
    assert f"Счёт на оплату № {invoice.probe}" in text and "300,00" in text and "50,00" in text  # VAT 20 % of 300
    answer = client.get(f"/cabinet/documents/sales/{sale.id}/pdf")
    assert answer.status_code == 200
    assert f"Реализация товаров № {sale.probe}" in " ".join(pdf_text(answer.content).split())


def test_no_invoice_for_an_order_still_in_moderation(client, core_db, dealer_a):
    from tests.cabinet.matrix_objects import make_order

    order = make_order(core_db, dealer_a, {})  # a draft
    log_in_dealer(client, dealer_a.login("owner"))
    assert client.get(f"/cabinet/documents/invoices/{order.id}/pdf").status_code == 404


def test_the_statement_downloads_and_refusals(client, core_db, dealer_a, dealer_b, papers):
    _, _, contractor_id = papers
    theirs = make_invoice(core_db, dealer_b, {})
    with core_db.session() as s:
        their_contractor = s.scalar(select(CustomerOrder.contractor_id).where(CustomerOrder.id == theirs.id))
    log_in_dealer(client, dealer_a.login("accountant"))
    form = client.get("/cabinet/finance/statement")
    assert form.status_code == 200 and 'name="contractor_id"' in form.text
    today = clock.today()
    period = f"date_from={today.replace(day=1)}&date_to={today}"
    xlsx = client.get(f"/cabinet/finance/statement?contractor_id={contractor_id}&{period}&format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(xlsx.content)).active
    assert [ws["B6"].value, ws["C6"].value] == ["Сальдо начальное", 0]
    assert ws["B7"].value.startswith("Оплата от покупателя № IP-") and ws["D7"].value == 100
    assert [ws["B8"].value, ws["C8"].value, ws["D8"].value] == ["Обороты за период", 0, 100]
    assert [ws["B9"].value, ws["C9"].value, ws["D9"].value] == ["Сальдо конечное", None, 100]
    pdf = client.get(f"/cabinet/finance/statement?contractor_id={contractor_id}&{period}&format=pdf")
    assert pdf.status_code == 200 and "Акт сверки" in pdf_text(pdf.content)
    # Another dealer's legal entity: not found, as any other object of theirs.
    assert client.get(f"/cabinet/finance/statement?contractor_id={their_contractor}&{period}&format=pdf").status_code == 404
    bad = client.get(f"/cabinet/finance/statement?contractor_id={contractor_id}&date_from=2026-05-02&date_to=2026-05-01&format=pdf")
    assert bad.status_code == 422 and "The period ends before it starts." in bad.text
    bad = client.get(f"/cabinet/finance/statement?contractor_id={contractor_id}&date_from=soon&date_to=2026-05-01&format=xlsx")
    assert bad.status_code == 422 and "Enter a date as YYYY-MM-DD." in bad.text


def test_the_finance_page_lists_moves_of_the_period(client, dealer_a, papers):
    log_in_dealer(client, dealer_a.login("owner"))
    page = client.get(f"/cabinet/finance?date_from={date(2020, 1, 1)}&date_to={clock.today()}")
    assert page.status_code == 200
    assert "п/п 42" in page.text and "100.00" in page.text
    assert client.get("/cabinet/finance?date_from=2026-02-01&date_to=2026-01-01").status_code == 422
