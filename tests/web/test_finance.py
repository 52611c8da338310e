"""The back office's finance pages: recording, posting and unposting an incoming payment (with its
settlement moves and audit trail), refusals that write nothing, the dealer's settlements page and
printed documents, and the distributor's details edited by the administrator only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import settlements
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.company import get_own_company
from dealerhub.core.demo.own_company import DEMO_COMPANY
from dealerhub.core.settlements.models import IncomingPayment, SettlementMove
from tests.printouts.builders import ordered, shipped
from tests.printouts.test_invoice import pdf_text
from tests.web.conftest import add_user, log_in
from tests.web.documents_builders import audit_actions, client_as, counts, doc_id_from, submit
from tests.web.pages import table_rows, text_of

D = Decimal
PAYMENTS = "/backoffice/finance/payments"
LEDGERS = (IncomingPayment, SettlementMove, AuditRecord)


def _moves(db, contractor_id):
    with db.session() as s:
        return [(m.document_type, m.amount, m.is_reversal) for m in s.scalars(
            select(SettlementMove).where(SettlementMove.contractor_id == contractor_id).order_by(SettlementMove.id)
        )]


def _inn(db, order):
    from dealerhub.core.partners import get_contractor

    with db.session() as s:
        return get_contractor(s, order.world.contractor_id).inn


@pytest.fixture
def order(core_db):
    return ordered(core_db)


def test_record_post_and_unpost_a_payment(admin_client, core_db, order):
    form = {
        "contractor_id": str(order.world.contractor_id), "paid_on": "2026-04-01", "amount": "1 000,50",
        "bank_reference": "п/п 17 от 01.04.2026", "invoice_number": order.order_number.lower(), "post_now": "on",
    }
    answer = submit(admin_client, f"{PAYMENTS}/new", form)
    assert answer.status_code == 303
    payment_id = doc_id_from(answer)
    assert _moves(core_db, order.world.contractor_id) == [("incoming_payment", D("-1000.50"), False)]
    with core_db.session() as s:
        p = settlements.get_incoming_payment(s, payment_id)
        assert (p.amount, p.customer_order_id, p.status) == (D("1000.50"), order.order_id, "posted")
    page = admin_client.get(f"{PAYMENTS}/{payment_id}")
    assert page.status_code == 200 and "1,000.50" in page.text and "п/п 17 от 01.04.2026" in page.text
    assert submit(admin_client, f"{PAYMENTS}/{payment_id}/unpost").status_code == 303
    assert _moves(core_db, order.world.contractor_id) == [
        ("incoming_payment", D("-1000.50"), False), ("incoming_payment", D("1000.50"), True)
    ]
    assert audit_actions(core_db, "incoming_payment", payment_id) == [
        ("create", None, "draft"), ("post", "draft", "posted"), ("unpost", "posted", "draft")
    ]
    assert submit(admin_client, f"{PAYMENTS}/{payment_id}/cancel").status_code == 303
    assert admin_client.get(PAYMENTS).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "-5"}, "a payment&#39;s amount must be positive"),
        ({"amount": "abc"}, "Enter a number"),
        ({"invoice_number": "CO-1999-000001"}, "No customer order has this number."),
        ({"bank_reference": ""}, "This field is required."),
    ],
)
def test_a_refused_payment_writes_nothing(admin_client, core_db, order, change, message):
    form = {
        "contractor_id": str(order.world.contractor_id), "paid_on": "2026-04-01", "amount": "10",
        "bank_reference": "п/п 1", "post_now": "on", **change,
    }
    before = counts(core_db, *LEDGERS)
    answer = submit(admin_client, f"{PAYMENTS}/new", form)
    assert answer.status_code == 422
    assert message in answer.text
    assert counts(core_db, *LEDGERS) == before


def test_a_purchaser_may_look_but_not_record(client, core_db, order):
    client_as(client, core_db, "petra", "purchaser")
    assert client.get(PAYMENTS).status_code == 200
    assert client.get(f"{PAYMENTS}/new").status_code == 403
    before = counts(core_db, *LEDGERS)
    form = {"contractor_id": str(order.world.contractor_id), "paid_on": "2026-04-01", "amount": "10", "bank_reference": "x"}
    assert submit(client, f"{PAYMENTS}/new", form).status_code == 403
    assert counts(core_db, *LEDGERS) == before


def test_the_dealer_settlements_page_and_documents(admin_client, core_db, order):
    sale_id = shipped(core_db, order)
    page = admin_client.get(f"/backoffice/finance/settlements/{order.world.partner_id}?date_from=2026-03-01&date_to=2026-04-30")
    assert page.status_code == 200
    assert "5,403.61" in page.text and order.order_number in page.text
    balances = admin_client.get("/backoffice/finance/settlements")
    assert "5,403.61" in balances.text
    invoice = admin_client.get(f"/backoffice/finance/invoices/{order.order_id}/pdf")
    assert invoice.status_code == 200 and "5 403,61" in pdf_text(invoice.content)
    assert admin_client.get(f"/backoffice/finance/sales/{sale_id}/pdf").status_code == 200
    # The sale's own page shows what it wrote on the settlements register.
    sale_page = admin_client.get(f"/backoffice/sales/sales/{sale_id}").text
    assert [row[1:] for row in table_rows(sale_page, "settlement-moves")] == [
        ["ООО «Стройтехника» (" + f"{_inn(core_db, order)})", "5,403.61", "", ""]
    ]
    url = f"/backoffice/finance/statement?contractor_id={order.world.contractor_id}&date_from=2026-03-01&date_to=2026-03-31"
    assert "Сальдо конечное" in pdf_text(admin_client.get(url + "&format=pdf").content)
    assert admin_client.get(url + "&format=xlsx").headers["content-type"].startswith("application/vnd.openxml")
    assert admin_client.get(f"/backoffice/finance/settlements/{order.world.partner_id}?date_from=2026-05-01&date_to=2026-04-01").status_code == 422


def test_the_company_details_are_the_administrators(client, core_db):
    values = {k: getattr(DEMO_COMPANY, k) or "" for k in DEMO_COMPANY.__dataclass_fields__}
    client_as(client, core_db, "sam", "sales_manager")
    assert client.get("/backoffice/company").status_code == 200
    assert submit(client, "/backoffice/company", values).status_code == 403
    client.cookies.clear()
    client_as(client, core_db, "ada", "administrator")
    bad = submit(client, "/backoffice/company", {**values, "inn": "7704123451"})
    assert bad.status_code == 422 and "fails its checksum" in bad.text
    with core_db.session() as s:
        assert get_own_company(s) is None
    assert submit(client, "/backoffice/company", values).status_code == 303
    with core_db.session() as s:
        own = get_own_company(s)
        assert (own.name, own.bik, own.account_number) == (DEMO_COMPANY.name, "044525225", "40702810200000012345")
    assert audit_actions(core_db, "own_company", 1) == [("create", None, None)]


def test_a_refused_payment_is_explained_in_the_language_of_the_page(client, core_db, order):
    add_user(core_db, "ru_accountant", "administrator", language="ru")
    log_in(client, "ru_accountant")
    form = {
        "contractor_id": str(order.world.contractor_id), "paid_on": "2026-04-01", "amount": "10,005",
        "bank_reference": "п/п 1", "post_now": "on",
    }
    before = counts(core_db, *LEDGERS)
    answer = submit(client, f"{PAYMENTS}/new", form)
    assert answer.status_code == 422
    assert text_of(answer.text, "error-amount") == "в сумме 10.005 больше двух знаков после запятой"
    assert counts(core_db, *LEDGERS) == before
