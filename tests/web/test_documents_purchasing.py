"""Supplier orders and goods receipts through the back office: the order is entered and confirmed,
goods are received against it (partly), the receipt puts them on stock and the order shows what
remains; an over-receipt is refused with its reason and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core import partners
from dealerhub.core.purchasing.models import GoodsReceipt, GoodsReceiptLine, SupplierOrder
from tests.factories import valid_inn
from tests.web.conftest import add_user, log_in
from tests.web.documents_builders import (
    audit_actions,
    balance,
    cells,
    counts,
    doc_id_from,
    stock_moves,
    submit,
)
from tests.web.pages import table_rows, text_of
from tests.web.seed import Seeded, seed

D = Decimal
ORDERS = "/backoffice/purchasing/orders"
RECEIPTS = "/backoffice/purchasing/receipts"


@pytest.fixture
def data(core_db, admin) -> Seeded:
    return seed(core_db, admin)


@pytest.fixture
def supplier_entity(core_db, admin, data) -> int:
    with core_db.transaction() as s:
        return partners.add_contractor(
            s,
            data.supplier_id,
            user_id=admin,
            name="Zoomlion Trading Ltd",
            inn=valid_inn(4242),
            kpp="770101001",
        ).id


def _order(client, data: Seeded, contractor_id: int) -> int:
    answer = submit(
        client,
        f"{ORDERS}/new",
        {
            "rows": "8",
            "contractor_id": str(contractor_id),
            "warehouse_id": str(data.main_id),
            "currency": "CNY",
            "exchange_rate": "12.5",
            "expected_date": "2030-03-01",
            "line_1_article": "fl10020",
            "line_1_quantity": "10",
            "line_1_price": "15.50",
            "line_3_article": "OIL 15W40",
            "line_3_quantity": "20.5",
            "line_3_price": "3",
        },
    )
    return doc_id_from(answer)


def _order_line_ids(db, order_id: int) -> list[int]:
    with db.session() as s:
        return [line.id for line in s.get(SupplierOrder, order_id).lines]


def _receipt_from(
    client, data: Seeded, order_id: int, line_ids: list[int], quantities: list[str], invoice: str
):
    form = {
        "supplier_invoice_number": invoice,
        "supplier_invoice_date": "2030-03-05",
        "warehouse_id": str(data.main_id),
    }
    form.update({f"qty_{line_id}": qty for line_id, qty in zip(line_ids, quantities, strict=True)})
    return submit(client, f"{ORDERS}/{order_id}/receipt", form)


def test_an_order_is_confirmed_received_in_part_and_shows_what_remains(
    admin_client, core_db, data, supplier_entity
):
    order_id = _order(admin_client, data, supplier_entity)
    with core_db.session() as s:
        order = s.get(SupplierOrder, order_id)
        assert (order.status, order.partner_id, order.currency, order.exchange_rate) == (
            "draft",
            data.supplier_id,
            "CNY",
            D("12.5"),
        )
        assert [(ln.item_id, ln.quantity, ln.price, ln.amount) for ln in order.lines] == [
            (data.filter_id, D(10), D("15.50"), D("155.00")),
            (data.oil_id, D("20.5"), D(3), D("61.50")),
        ]
    page = admin_client.get(submit(admin_client, f"{ORDERS}/{order_id}/post").headers["location"]).text
    assert text_of(page, "document-status") == "Confirmed"
    assert text_of(page, "no-registers") == "This document writes no register moves."
    assert text_of(page, "document-totals") == "Currency CNY Total 216.50 Total, RUB 2,706.25"
    assert "action-receipt" in page and "action-unpost" in page and "action-edit" not in page

    line_ids = _order_line_ids(core_db, order_id)
    form = admin_client.get(f"{ORDERS}/{order_id}/receipt").text
    assert table_rows(form, "source-lines") == [
        ["1", "FL-100.20", "Oil filter", "10", ""],
        ["2", "OIL-15W40", "Engine oil", "20.5", ""],
    ]
    assert f'name="qty_{line_ids[0]}" value="10"' in form
    receipt_id = doc_id_from(_receipt_from(admin_client, data, order_id, line_ids, ["4", "20.5"], "INV-77"))
    receipt = admin_client.get(f"{RECEIPTS}/{receipt_id}").text
    number = text_of(page, "document-title").split()[-2]
    assert table_rows(receipt, "document-lines") == [
        ["1", "FL-100.20", "Oil filter", "4", "15.50", "62.00", f"{number} / 1"],
        ["2", "OIL-15W40", "Engine oil", "20.5", "3.00", "61.50", f"{number} / 2"],
    ]
    receipt = admin_client.get(submit(admin_client, f"{RECEIPTS}/{receipt_id}/post").headers["location"]).text
    assert cells(table_rows(receipt, "stock-moves")) == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "4", ""],
        ["OIL-15W40", "Engine oil", "MSK · Moscow main", "20.5", ""],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(16), D(0), D(16))
    page = admin_client.get(f"{ORDERS}/{order_id}").text
    assert text_of(page, "document-status") == "Partially received"
    assert [row[3:6] for row in table_rows(page, "document-lines")] == [
        ["10", "4", "6"],
        ["20.5", "20.5", "0"],
    ]
    assert audit_actions(core_db, "supplier_order", order_id) == [
        ("create", None, "draft"),
        ("post", "draft", "confirmed"),
        ("receipt_posted", "confirmed", "partially_received"),
    ]

    submit(admin_client, f"{RECEIPTS}/{receipt_id}/unpost")
    assert stock_moves(core_db, "goods_receipt", receipt_id) == [
        (data.filter_id, data.main_id, D(4), False),
        (data.oil_id, data.main_id, D("20.5"), False),
        (data.filter_id, data.main_id, D(-4), True),
        (data.oil_id, data.main_id, D("-20.5"), True),
    ]
    assert text_of(admin_client.get(f"{ORDERS}/{order_id}").text, "document-status") == "Confirmed"


def test_an_over_receipt_at_posting_is_refused_and_writes_nothing(
    admin_client, core_db, data, supplier_entity
):
    order_id = _order(admin_client, data, supplier_entity)
    submit(admin_client, f"{ORDERS}/{order_id}/post")
    line_ids = _order_line_ids(core_db, order_id)
    first = doc_id_from(_receipt_from(admin_client, data, order_id, line_ids, ["10", ""], "INV-1"))
    second = doc_id_from(_receipt_from(admin_client, data, order_id, line_ids, ["10", ""], "INV-2"))
    submit(admin_client, f"{RECEIPTS}/{first}/post")
    before = counts(core_db)
    answer = submit(admin_client, f"{RECEIPTS}/{second}/post")
    assert answer.status_code == 422
    message = text_of(answer.text, "document-error-message")
    assert message.startswith("more than was ordered: line 1 of supplier order PO-")
    assert message.endswith(": receiving 10, remaining 0")
    assert text_of(answer.text, "document-status") == "Draft"
    assert counts(core_db) == before
    assert balance(core_db, data.filter_id, data.main_id) == (D(22), D(0), D(22))


def test_an_over_receipt_is_refused_in_the_language_of_the_page(client, core_db, data, supplier_entity):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    order_id = _order(client, data, supplier_entity)
    submit(client, f"{ORDERS}/{order_id}/post")
    line_ids = _order_line_ids(core_db, order_id)
    first = doc_id_from(_receipt_from(client, data, order_id, line_ids, ["10", ""], "INV-1"))
    second = doc_id_from(_receipt_from(client, data, order_id, line_ids, ["10", ""], "INV-2"))
    submit(client, f"{RECEIPTS}/{first}/post")
    answer = submit(client, f"{RECEIPTS}/{second}/post")
    assert answer.status_code == 422
    message = text_of(answer.text, "document-error-message")
    assert message.startswith("больше, чем заказано: строка 1 заказа поставщику PO-")
    assert message.endswith(": принимается 10, осталось принять 0")


def test_an_over_receipt_on_the_form_is_shown_beside_its_line(admin_client, core_db, data, supplier_entity):
    order_id = _order(admin_client, data, supplier_entity)
    submit(admin_client, f"{ORDERS}/{order_id}/post")
    line_ids = _order_line_ids(core_db, order_id)
    before = counts(core_db, GoodsReceipt, GoodsReceiptLine)
    answer = _receipt_from(admin_client, data, order_id, line_ids, ["11", "1"], "INV-3")
    assert answer.status_code == 422
    assert "receiving 11, remaining 10" in text_of(answer.text, f"error-qty_{line_ids[0]}")
    assert counts(core_db, GoodsReceipt, GoodsReceiptLine) == before


def test_a_free_receipt_refuses_a_second_receipt_for_the_same_invoice(
    admin_client, core_db, data, supplier_entity
):
    form = {
        "rows": "8",
        "contractor_id": str(supplier_entity),
        "warehouse_id": str(data.main_id),
        "supplier_invoice_number": "INV-9",
        "supplier_invoice_date": "2030-01-10",
        "currency": "RUB",
        "exchange_rate": "1",
        "line_1_article": "FL-100.21",
        "line_1_quantity": "3",
        "line_1_price": "900",
    }
    receipt_id = doc_id_from(submit(admin_client, f"{RECEIPTS}/new", form))
    with core_db.session() as s:
        receipt = s.get(GoodsReceipt, receipt_id)
        assert [(ln.item_id, ln.quantity, ln.price, ln.supplier_order_line_id) for ln in receipt.lines] == [
            (data.analogue_id, D(3), D(900), None)
        ]
    before = counts(core_db, GoodsReceipt)
    answer = submit(admin_client, f"{RECEIPTS}/new", form)
    assert answer.status_code == 409
    assert "already has goods receipt" in text_of(answer.text, "error-supplier_invoice_number")
    assert counts(core_db, GoodsReceipt) == before
    missing_price = {**form, "supplier_invoice_number": "INV-10", "line_1_price": ""}
    answer = submit(admin_client, f"{RECEIPTS}/new", missing_price)
    assert answer.status_code == 422
    assert text_of(answer.text, "error-line_1_price") == "This field is required."


def test_a_draft_order_is_cancelled_with_its_reason(admin_client, core_db, data, supplier_entity):
    order_id = _order(admin_client, data, supplier_entity)
    answer = submit(admin_client, f"{ORDERS}/{order_id}/cancel", {"reason": "Price changed"})
    page = admin_client.get(answer.headers["location"]).text
    assert text_of(page, "document-status") == "Cancelled"
    assert cells(table_rows(page, "audit-trail"))[-1] == [
        "Admin Staff",
        "cancelled",
        "Draft",
        "Cancelled",
        "reason: Price changed",
    ]
    assert text_of(page, "document-actions") == ""
    before = counts(core_db)
    answer = submit(admin_client, f"{ORDERS}/{order_id}/post")
    assert answer.status_code == 409
    message = text_of(answer.text, "document-error-message")
    assert message.startswith("Supplier order PO-")
    assert message.endswith(" is «Cancelled»: this can be done only in status «Draft»")
    assert counts(core_db) == before


def test_the_order_form_without_csrf_or_permission_is_refused(client, core_db, admin, data, supplier_entity):
    add_user(core_db, "keeper", "storekeeper_supervisor")
    log_in(client, "keeper")
    before = counts(core_db, SupplierOrder)
    assert client.get(f"{ORDERS}/new").status_code == 403
    assert submit(client, f"{ORDERS}/new", {"contractor_id": str(supplier_entity)}).status_code == 403
    assert client.post(f"{ORDERS}/new", data={"contractor_id": str(supplier_entity)}).status_code == 403
    assert counts(core_db, SupplierOrder) == before


def test_editing_a_receipt_from_an_order_keeps_its_links(admin_client, core_db, data, supplier_entity):
    order_id = _order(admin_client, data, supplier_entity)
    submit(admin_client, f"{ORDERS}/{order_id}/post")
    line_ids = _order_line_ids(core_db, order_id)
    receipt_id = doc_id_from(_receipt_from(admin_client, data, order_id, line_ids, ["4", "2"], "INV-5"))
    form = admin_client.get(f"{RECEIPTS}/{receipt_id}/edit").text
    assert f'name="line_1_link" value="{line_ids[0]}"' in form
    answer = submit(
        admin_client,
        f"{RECEIPTS}/{receipt_id}/edit",
        {
            "rows": "11",
            "warehouse_id": str(data.main_id),
            "supplier_invoice_number": "INV-5A",
            "supplier_invoice_date": "2030-03-06",
            "currency": "CNY",
            "exchange_rate": "12.5",
            "line_1_article": "FL-100.20",
            "line_1_quantity": "6",
            "line_1_price": "15.50",
            "line_1_link": str(line_ids[0]),
        },
    )
    assert answer.headers["location"] == f"{RECEIPTS}/{receipt_id}?notice=saved"
    with core_db.session() as s:
        receipt = s.get(GoodsReceipt, receipt_id)
        assert receipt.supplier_invoice_number == "INV-5A"
        assert [(ln.item_id, ln.quantity, ln.supplier_order_line_id) for ln in receipt.lines] == [
            (data.filter_id, D(6), line_ids[0])
        ]


def test_a_confirmed_order_is_unposted_to_a_draft(admin_client, core_db, data, supplier_entity):
    order_id = _order(admin_client, data, supplier_entity)
    submit(admin_client, f"{ORDERS}/{order_id}/post")
    page = admin_client.get(submit(admin_client, f"{ORDERS}/{order_id}/unpost").headers["location"]).text
    assert "The document is unposted: it is a draft again." in page
    assert text_of(page, "document-status") == "Draft"
    assert audit_actions(core_db, "supplier_order", order_id)[-1] == ("unpost", "confirmed", "draft")
