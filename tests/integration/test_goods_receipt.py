"""Goods receipts on a real database (SQLite and PostgreSQL): one per supplier invoice, lines linked
to supplier-order lines, the exact stock moves of posting and unposting, and every refusal leaving
nothing written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dealerhub.core import purchasing as p
from dealerhub.core import stock
from dealerhub.core.documents import DocumentNotDraft, DocumentNotInStatus, InvalidDocument, UnknownItem
from dealerhub.shared import clock
from tests import factories as f
from tests.integration.purchasing_builders import (
    D,
    assert_refused,
    audit_of,
    balance,
    create_order,
    create_receipt,
    make_world,
    moves_of,
    order_line,
    order_line_ids,
    reserve,
)

R = p.ReceiptLineInput


@pytest.fixture
def w(core_db):
    clock.freeze(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    return make_world(core_db)


def _from_order(s, w, order_id, invoice="INV-1", **kwargs):
    return p.create_goods_receipt_from_order(
        s, order_id, user_id=w.user_id, supplier_invoice_number=invoice, supplier_invoice_date=date(2026, 3, 1),
        **kwargs,
    ).id


def test_posting_puts_goods_on_stock_and_unposting_takes_them_off(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100"), order_line(w.oil_id, "2.5", "8")])
        pump_line, oil_line = order_line_ids(s, order_id)
        receipt_id = _from_order(s, w, order_id)
    with core_db.session() as s:
        receipt = p.get_goods_receipt(s, receipt_id)
        assert (receipt.number, receipt.status, receipt.partner_id, receipt.contractor_id, receipt.warehouse_id,
                receipt.currency, receipt.exchange_rate, receipt.supplier_invoice_number) == (
            "GR-2026-000001", "draft", w.supplier_id, w.contractor_id, w.main_id, "CNY", D("12.5"), "INV-1")
        assert [(ln.supplier_order_line_id, ln.item_id, ln.quantity, ln.price, ln.amount) for ln in receipt.lines] == [
            (pump_line, w.pump_id, D(5), D(100), D(500)), (oil_line, w.oil_id, D("2.5"), D(8), D(20))]
        assert p.get_document_totals(receipt) == p.Totals(D(520), D(6500))
        lines = [ln.id for ln in receipt.lines]
        assert moves_of(s, "goods_receipt", receipt_id) == []

    with core_db.transaction() as s:
        p.post_goods_receipt(s, receipt_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "goods_receipt", receipt_id) == [
            (w.pump_id, w.main_id, D(5), lines[0], False), (w.oil_id, w.main_id, D("2.5"), lines[1], False)]
        assert balance(s, w.pump_id, w.main_id) == (D(5), D(0), D(5))
        assert balance(s, w.oil_id, w.main_id) == (D("2.5"), D(0), D("2.5"))
        assert p.get_supplier_order(s, order_id).status == "received"

    with core_db.transaction() as s:
        p.unpost_goods_receipt(s, receipt_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "goods_receipt", receipt_id)[2:] == [
            (w.pump_id, w.main_id, D(-5), lines[0], True), (w.oil_id, w.main_id, D("-2.5"), lines[1], True)]
        assert balance(s, w.pump_id, w.main_id) == (D(0), D(0), D(0))
        assert balance(s, w.oil_id, w.main_id) == (D(0), D(0), D(0))
        assert p.get_goods_receipt(s, receipt_id).status == "draft"
        assert p.get_supplier_order(s, order_id).status == "confirmed"
        assert audit_of(s, "goods_receipt", receipt_id) == [
            ("create", None, "draft", w.user_id),
            ("post", "draft", "posted", w.user_id),
            ("unpost", "posted", "draft", w.user_id),
        ]
        assert stock.find_differences(s) == []  # balances agree with the moves


def test_partial_line_and_unordered_goods_in_another_currency(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "1250.50")], currency="USD", rate="90")
        [pump_line] = order_line_ids(s, order_id)
        receipt_id = create_receipt(
            s, w, [R(w.pump_id, D(2), D("1250.50"), pump_line), R(w.oil_id, D("3.5"), D("4.99"))],
            currency="USD", rate="92.4537", warehouse_id=w.regional_id,
        )
        p.post_goods_receipt(s, receipt_id, user_id=w.user_id)
    with core_db.session() as s:
        receipt = p.get_goods_receipt(s, receipt_id)
        assert [(ln.amount, p.line_amount_rub(receipt, ln)) for ln in receipt.lines] == [
            (D("2501.00"), D("231226.70")), (D("17.47"), D("1615.17"))]
        assert p.get_document_totals(receipt) == p.Totals(D("2518.47"), D("232841.87"))
        assert [(m[0], m[1], m[2]) for m in moves_of(s, "goods_receipt", receipt_id)] == [
            (w.pump_id, w.regional_id, D(2)), (w.oil_id, w.regional_id, D("3.5"))]
        assert p.get_supplier_order(s, order_id).status == "partially_received"
        assert [(r.received, r.remaining) for r in p.get_supplier_order_progress(s, order_id)] == [(D(2), D(3))]
        assert p.list_goods_receipts(s, supplier_order_id=order_id) == ([receipt], 1)


def test_receiving_more_than_remains_on_the_order_line_is_refused(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        [line] = order_line_ids(s, order_id)
        p.post_goods_receipt(s, _from_order(s, w, order_id, "INV-1", quantities={line: D(3)}), user_id=w.user_id)

    error = assert_refused(core_db, p.OverReceipt, lambda s: create_receipt(
        s, w, [R(w.pump_id, D(3), D(100), line)], invoice="INV-2"))
    assert "receiving 3, remaining 2" in str(error)
    # Two lines of one receipt on the same order line count together.
    assert_refused(core_db, p.OverReceipt, lambda s: create_receipt(
        s, w, [R(w.pump_id, D(2), D(100), line), R(w.pump_id, D(1), D(100), line)], invoice="INV-2"))


def test_a_draft_that_no_longer_fits_is_refused_at_posting(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        first, second = _from_order(s, w, order_id, "INV-1"), _from_order(s, w, order_id, "INV-2")
        p.post_goods_receipt(s, first, user_id=w.user_id)
    assert_refused(core_db, p.OverReceipt, lambda s: p.post_goods_receipt(s, second, user_id=w.user_id))
    with core_db.session() as s:
        assert (p.get_goods_receipt(s, second).status, moves_of(s, "goods_receipt", second)) == ("draft", [])
        assert balance(s, w.pump_id, w.main_id) == (D(5), D(0), D(5))


def test_a_second_receipt_for_the_same_invoice_is_refused(core_db, w):
    with core_db.transaction() as s:
        first = create_receipt(s, w, [R(w.pump_id, D(1), D(10))], invoice="SD-2026/17")
        other = create_receipt(s, w, [R(w.pump_id, D(1), D(10))], invoice="SD-2026/18")
    error = assert_refused(core_db, p.DuplicateSupplierInvoice, lambda s: create_receipt(
        s, w, [R(w.filter_id, D(2), D(10))], invoice=" SD-2026/17 "))
    assert "GR-2026-000001" in str(error)
    assert_refused(core_db, p.DuplicateSupplierInvoice, lambda s: p.update_goods_receipt(
        s, other, user_id=w.user_id, supplier_invoice_number="SD-2026/17"))
    with core_db.transaction() as s:  # the same number from another legal entity is another invoice
        _, contractor = f.dealer(s, supplier=True)
        contractor.partner_id = w.supplier_id
        s.flush()
        p.create_goods_receipt(
            s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=contractor.id, warehouse_id=w.main_id,
            supplier_invoice_number="SD-2026/17", supplier_invoice_date=date(2026, 3, 1), currency="RUB",
            exchange_rate=D(1), lines=[R(w.pump_id, D(1), D(10))],
        )
    with core_db.session() as s:
        assert p.get_goods_receipt(s, first).supplier_invoice_number == "SD-2026/17"
        assert p.list_goods_receipts(s)[1] == 3


def _receipt_against(make_line):
    def run(s, w):
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        return create_receipt(s, w, [make_line(w, order_line_ids(s, order_id)[0])], invoice="X-1")
    return run


def _against_draft_order(s, w):
    order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")], post=False)
    return create_receipt(s, w, [R(w.pump_id, D(1), D(100), order_line_ids(s, order_id)[0])])


def _against_another_suppliers_order(s, w):
    order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
    supplier, contractor = f.dealer(s, supplier=True)
    return p.create_goods_receipt(
        s, user_id=w.user_id, partner_id=supplier.id, contractor_id=contractor.id, warehouse_id=w.main_id,
        supplier_invoice_number="X-1", supplier_invoice_date=date(2026, 3, 1), currency="RUB", exchange_rate=D(1),
        lines=[R(w.pump_id, D(1), D(100), order_line_ids(s, order_id)[0])],
    )


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(_receipt_against(lambda w, ln: R(w.filter_id, D(1), D(100), ln)), p.OrderLineMismatch,
                     id="item-differs-from-order-line"),
        pytest.param(_receipt_against(lambda w, ln: R(w.pump_id, D(1), D(100), ln + 1000)), p.OrderLineMismatch,
                     id="unknown-order-line"),
        pytest.param(_against_another_suppliers_order, p.OrderLineMismatch, id="another-suppliers-order"),
        pytest.param(_against_draft_order, p.SupplierOrderNotOpen, id="draft-order"),
        pytest.param(_receipt_against(lambda w, ln: R(999999, D(1), D(100))), UnknownItem, id="unknown-item"),
        pytest.param(_receipt_against(lambda w, ln: R(w.pump_id, D("0.5"), D(100), ln)), InvalidDocument,
                     id="half-a-pump"),
        pytest.param(_receipt_against(lambda w, ln: R(w.pump_id, D(1), D("-1"), ln)), p.InvalidPrice,
                     id="negative-price"),
    ],
)
def test_an_invalid_receipt_is_refused_and_nothing_is_written(core_db, w, make, error):
    assert_refused(core_db, error, lambda s: make(s, w))


def test_filling_from_an_order_is_refused_when_it_makes_no_sense(core_db, w):
    with core_db.transaction() as s:
        draft = create_order(s, w, [order_line(w.pump_id, "5", "100")], post=False)
        done = create_order(s, w, [order_line(w.pump_id, "1", "100")])
        p.post_goods_receipt(s, _from_order(s, w, done, "D-1"), user_id=w.user_id)
    assert_refused(core_db, p.SupplierOrderNotOpen, lambda s: _from_order(s, w, draft))
    assert_refused(core_db, InvalidDocument, lambda s: _from_order(s, w, done, "D-2"))
    assert_refused(core_db, p.OrderLineMismatch, lambda s: _from_order(s, w, done, "D-2", quantities={999999: D(1)}))


def test_a_draft_is_edited_and_a_posted_receipt_is_not(core_db, w):
    with core_db.transaction() as s:
        receipt_id = create_receipt(s, w, [R(w.pump_id, D(1), D(10))])
        p.update_goods_receipt(
            s, receipt_id, user_id=w.user_id, warehouse_id=w.regional_id, exchange_rate=D("12.75"),
            lines=[R(w.filter_id, D(4), D("2.5")), R(w.oil_id, D("1.25"), D(3))],
        )
        p.post_goods_receipt(s, receipt_id, user_id=w.user_id)
    with core_db.session() as s:
        lines = [ln.id for ln in p.get_goods_receipt(s, receipt_id).lines]
        assert moves_of(s, "goods_receipt", receipt_id) == [
            (w.filter_id, w.regional_id, D(4), lines[0], False), (w.oil_id, w.regional_id, D("1.25"), lines[1], False)]
        assert p.get_document_totals(p.get_goods_receipt(s, receipt_id)) == p.Totals(D("13.75"), D("175.31"))
        assert [a for a, *_ in audit_of(s, "goods_receipt", receipt_id)] == ["create", "update", "post"]
    assert_refused(core_db, DocumentNotDraft, lambda s: p.update_goods_receipt(
        s, receipt_id, user_id=w.user_id, lines=[R(w.filter_id, D(5), D("2.5"))]))
    assert_refused(core_db, DocumentNotInStatus, lambda s: p.post_goods_receipt(s, receipt_id, user_id=w.user_id))


def test_unposting_goods_that_were_reserved_is_refused(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        receipt_id = _from_order(s, w, order_id)
        p.post_goods_receipt(s, receipt_id, user_id=w.user_id)
        reserve(s, w.pump_id, w.main_id, "3")
    error = assert_refused(core_db, stock.InsufficientStock, lambda s: p.unpost_goods_receipt(
        s, receipt_id, user_id=w.user_id))
    assert error.shortages == [stock.Shortage(w.pump_id, w.main_id, D(5), D(2))]
    with core_db.session() as s:
        assert p.get_goods_receipt(s, receipt_id).status == "posted"
        assert p.get_supplier_order(s, order_id).status == "received"
        assert balance(s, w.pump_id, w.main_id) == (D(5), D(3), D(2))


def test_posting_against_an_order_returned_to_draft_is_refused(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        receipt_id = _from_order(s, w, order_id)
        p.unpost_supplier_order(s, order_id, user_id=w.user_id)
    assert_refused(core_db, p.SupplierOrderNotOpen, lambda s: p.post_goods_receipt(s, receipt_id, user_id=w.user_id))
