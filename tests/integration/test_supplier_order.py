"""Supplier orders on a real database (SQLite and PostgreSQL): drafts, confirmation, the status that
follows the goods receipts, and every refusal leaving nothing written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dealerhub.core import purchasing as p
from dealerhub.core.documents import DocumentNotDraft, DocumentNotInStatus, InvalidDocument, UnknownItem
from dealerhub.core.inventory import UnknownWarehouse
from dealerhub.core.stock.models import StockMove
from dealerhub.shared import clock
from tests import factories as f
from tests.integration.purchasing_builders import (
    D,
    assert_refused,
    audit_of,
    count,
    create_order,
    make_world,
    order_line,
    order_line_ids,
)


@pytest.fixture
def w(core_db):
    clock.freeze(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    return make_world(core_db)


def _progress(s, order_id):
    return [(r.item_id, r.ordered, r.received, r.remaining) for r in p.get_supplier_order_progress(s, order_id)]


def test_draft_is_edited_confirmed_and_returned_to_draft(core_db, w):
    with core_db.transaction() as s:
        order = p.create_supplier_order(
            s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=w.contractor_id, warehouse_id=w.main_id,
            currency="cny", exchange_rate=D("12.345678"), expected_date=date(2026, 6, 1),
            lines=[order_line(w.pump_id, "3", "1999.99", date(2026, 5, 1)), order_line(w.oil_id, "2.125", "10.01")],
        )
        order_id = order.id
    with core_db.session() as s:
        order = p.get_supplier_order(s, order_id)
        assert (order.number, order.status, order.currency, order.exchange_rate) == (
            "PO-2026-000001", "draft", "CNY", D("12.345678"))
        assert [(ln.line_no, ln.item_id, ln.quantity, ln.price, ln.amount, ln.expected_date) for ln in order.lines] == [
            (1, w.pump_id, D(3), D("1999.99"), D("5999.97"), date(2026, 5, 1)),
            (2, w.oil_id, D("2.125"), D("10.01"), D("21.27"), None),
        ]
        assert p.get_document_totals(order) == p.Totals(amount=D("6021.24"), amount_rub=D("74336.29"))
        assert [p.line_amount_rub(order, ln) for ln in order.lines] == [D("74073.70"), D("262.59")]

    with core_db.transaction() as s:
        p.update_supplier_order(
            s, order_id, user_id=w.user_id, exchange_rate=D("12.4"), lines=[order_line(w.pump_id, "4", "2000")]
        )
        p.post_supplier_order(s, order_id, user_id=w.user_id)
    with core_db.session() as s:
        order = p.get_supplier_order(s, order_id)
        assert (order.status, order.exchange_rate, order.expected_date) == ("confirmed", D("12.4"), date(2026, 6, 1))
        assert [(ln.line_no, ln.item_id, ln.quantity, ln.amount) for ln in order.lines] == [(1, w.pump_id, D(4), D(8000))]
        assert _progress(s, order_id) == [(w.pump_id, D(4), D(0), D(4))]

    with core_db.transaction() as s:
        p.unpost_supplier_order(s, order_id, user_id=w.user_id)
    with core_db.session() as s:
        assert p.get_supplier_order(s, order_id).status == "draft"
        assert audit_of(s, "supplier_order", order_id) == [
            ("create", None, "draft", w.user_id),
            ("update", "draft", "draft", w.user_id),
            ("post", "draft", "confirmed", w.user_id),
            ("unpost", "confirmed", "draft", w.user_id),
        ]
        assert count(s, StockMove) == 0  # an order puts nothing on stock


def test_status_follows_two_partial_receipts_then_closes(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "10", "100"), order_line(w.filter_id, "4", "5.50")])
        pump_line, filter_line = order_line_ids(s, order_id)
        first = p.create_goods_receipt_from_order(
            s, order_id, user_id=w.user_id, supplier_invoice_number="SD-001", supplier_invoice_date=date(2026, 3, 1),
            quantities={pump_line: D(6)},
        ).id
        p.post_goods_receipt(s, first, user_id=w.user_id)
    with core_db.session() as s:
        assert p.get_supplier_order(s, order_id).status == "partially_received"
        assert _progress(s, order_id) == [(w.pump_id, D(10), D(6), D(4)), (w.filter_id, D(4), D(0), D(4))]

    with core_db.transaction() as s:
        second = p.create_goods_receipt_from_order(
            s, order_id, user_id=w.user_id, supplier_invoice_number="SD-002", supplier_invoice_date=date(2026, 3, 5)
        )
        assert [(ln.supplier_order_line_id, ln.quantity) for ln in second.lines] == [(pump_line, D(4)), (filter_line, D(4))]
        p.post_goods_receipt(s, second.id, user_id=w.user_id)
        second = second.id
    with core_db.session() as s:
        assert p.get_supplier_order(s, order_id).status == "received"
        assert _progress(s, order_id) == [(w.pump_id, D(10), D(10), D(0)), (w.filter_id, D(4), D(4), D(0))]

    with core_db.transaction() as s:
        p.unpost_goods_receipt(s, second, user_id=w.user_id)
        assert p.get_supplier_order(s, order_id).status == "partially_received"
        p.close_supplier_order(s, order_id, user_id=w.user_id, reason="the supplier will not ship the rest")
    with core_db.transaction() as s:
        p.reopen_supplier_order(s, order_id, user_id=w.user_id)
        p.post_goods_receipt(s, second, user_id=w.user_id)
        p.close_supplier_order(s, order_id, user_id=w.user_id)
    with core_db.session() as s:
        assert p.get_supplier_order(s, order_id).status == "closed"
        assert [(a, fr, to) for a, fr, to, _ in audit_of(s, "supplier_order", order_id)] == [
            ("create", None, "draft"),
            ("post", "draft", "confirmed"),
            ("receipt_posted", "confirmed", "partially_received"),
            ("receipt_posted", "partially_received", "received"),
            ("receipt_unposted", "received", "partially_received"),
            ("close", "partially_received", "closed"),
            ("reopen", "closed", "partially_received"),
            ("receipt_posted", "partially_received", "received"),
            ("close", "received", "closed"),
        ]


def test_cancel_only_while_nothing_is_received(core_db, w):
    with core_db.transaction() as s:
        draft = create_order(s, w, [order_line(w.pump_id, "1", "10")], post=False)
        confirmed = create_order(s, w, [order_line(w.pump_id, "1", "10")])
        received = create_order(s, w, [order_line(w.pump_id, "5", "10")])
        receipt = p.create_goods_receipt_from_order(
            s, received, user_id=w.user_id, supplier_invoice_number="A-1", supplier_invoice_date=date(2026, 3, 1),
            quantities={order_line_ids(s, received)[0]: D(2)},
        )
        p.post_goods_receipt(s, receipt.id, user_id=w.user_id)
        p.cancel_supplier_order(s, draft, user_id=w.user_id)
        p.cancel_supplier_order(s, confirmed, user_id=w.user_id, reason="ordered twice")
    with core_db.session() as s:
        assert [p.get_supplier_order(s, i).status for i in (draft, confirmed, received)] == [
            "cancelled", "cancelled", "partially_received"]
        assert audit_of(s, "supplier_order", confirmed)[-1] == ("cancel", "confirmed", "cancelled", w.user_id)

    error = assert_refused(core_db, DocumentNotInStatus, lambda s: p.cancel_supplier_order(s, received, user_id=w.user_id))
    assert "«Partially received»" in str(error)
    assert_refused(core_db, DocumentNotInStatus, lambda s: p.unpost_supplier_order(s, received, user_id=w.user_id))
    assert_refused(core_db, DocumentNotInStatus, lambda s: p.post_supplier_order(s, draft, user_id=w.user_id))


def test_a_confirmed_order_is_not_edited(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "1", "10")])
    assert_refused(core_db, DocumentNotDraft, lambda s: p.update_supplier_order(
        s, order_id, user_id=w.user_id, lines=[order_line(w.pump_id, "2", "10")]))
    assert_refused(core_db, DocumentNotDraft, lambda s: p.update_supplier_order(s, order_id, user_id=w.user_id, comment="x"))
    assert_refused(core_db, DocumentNotInStatus, lambda s: p.post_supplier_order(s, order_id, user_id=w.user_id))


def test_lines_referred_to_by_a_receipt_are_not_replaced(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "3", "10")])
        p.create_goods_receipt_from_order(
            s, order_id, user_id=w.user_id, supplier_invoice_number="B-1", supplier_invoice_date=date(2026, 3, 1))
        p.unpost_supplier_order(s, order_id, user_id=w.user_id)  # nothing received yet: allowed
    error = assert_refused(core_db, p.SupplierOrderInUse, lambda s: p.update_supplier_order(
        s, order_id, user_id=w.user_id, lines=[order_line(w.pump_id, "5", "10")]))
    assert "GR-2026-000001" in str(error)


def _other_partner_contractor(s, w):
    _, contractor = f.dealer(s, supplier=True)
    return p.create_supplier_order(
        s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=contractor.id, warehouse_id=w.main_id,
        currency="USD", exchange_rate=D(90), lines=[order_line(w.pump_id, "1", "1")])


def _not_a_supplier(s, w):
    dealer, contractor = f.dealer(s)
    return p.create_supplier_order(
        s, user_id=w.user_id, partner_id=dealer.id, contractor_id=contractor.id, warehouse_id=w.main_id,
        currency="USD", exchange_rate=D(90), lines=[order_line(w.pump_id, "1", "1")])


def _create(currency="USD", rate="90", lines=None, warehouse=None):
    def run(s, w):
        return create_order(s, w, lines(w) if lines else [order_line(w.pump_id, "1", "1")], currency=currency,
                            rate=rate, post=False, **({"warehouse_id": warehouse} if warehouse else {}))
    return run


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(_create("RUB", "2"), p.InvalidExchangeRate, id="rub-rate-not-1"),
        pytest.param(_create("USD", "0"), p.InvalidExchangeRate, id="zero-rate"),
        pytest.param(_create("USD", "-90"), p.InvalidExchangeRate, id="negative-rate"),
        pytest.param(_create("USD", "90.1234567"), p.InvalidExchangeRate, id="rate-7-places"),
        pytest.param(_create("EUR", "100"), p.UnknownCurrency, id="eur"),
        pytest.param(_create(lines=lambda w: [order_line(999999, "1", "1")]), UnknownItem, id="unknown-item"),
        pytest.param(_create(lines=lambda w: [order_line(w.pump_id, "1.5", "1")]), InvalidDocument, id="1.5-pieces"),
        pytest.param(_create(lines=lambda w: [order_line(w.pump_id, "0", "1")]), InvalidDocument, id="zero-qty"),
        pytest.param(_create(lines=lambda w: [order_line(w.pump_id, "1", "-1")]), p.InvalidPrice, id="negative-price"),
        pytest.param(_create(lines=lambda w: [order_line(w.pump_id, "1", "0.001")]), p.InvalidPrice, id="price-3-places"),
        pytest.param(_create(lines=lambda w: []), InvalidDocument, id="no-lines"),
        pytest.param(_not_a_supplier, p.UnknownSupplier, id="not-a-supplier"),
        pytest.param(_other_partner_contractor, p.UnknownSupplier, id="contractor-of-another-partner"),
    ],
)
def test_an_invalid_order_is_refused_and_nothing_is_written(core_db, w, make, error):
    assert_refused(core_db, error, lambda s: make(s, w))


def test_an_order_to_an_inactive_warehouse_is_refused(core_db, w):
    with core_db.transaction() as s:
        closed = f.warehouse(s)
        closed.is_active = False
        closed_id = closed.id
    assert_refused(core_db, UnknownWarehouse, lambda s: _create(warehouse=closed_id)(s, w))


def test_a_rouble_order_has_rate_one(core_db, w):
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.oil_id, "0.5", "333.33")], currency="RUB", rate="1")
    with core_db.session() as s:
        order = p.get_supplier_order(s, order_id)
        assert (order.currency, order.status, order.lines[0].amount) == ("RUB", "confirmed", D("166.67"))
        assert p.get_document_totals(order) == p.Totals(D("166.67"), D("166.67"))
        assert p.list_supplier_orders(s, status="confirmed") == ([order], 1)
