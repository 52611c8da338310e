"""ASN from supplier orders (confirm, unpost, cancel, close with goods still open, reopen) and from
customer returns (created = goods awaited, cancelled): exact payloads and envelopes, the
per-document sequence, nothing for warehouses without a WMS code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dealerhub.core import purchasing as p
from dealerhub.core import sales
from dealerhub.core.catalog.models import Item
from dealerhub.core.purchasing.models import SupplierOrder
from dealerhub.core.warehouses.models import Warehouse
from tests import factories as f
from tests.integration.purchasing_builders import create_order, make_world, order_line, order_line_ids
from tests.integration.sales_builders import approved_order, posted_sale, posted_task
from tests.outbox.helpers import of_type, outbox, wms_world

D = Decimal


def _world(db, wms_code="MSK01"):
    w = make_world(db)
    if wms_code:
        with db.transaction() as s:
            s.get(Warehouse, w.main_id).wms_code = wms_code
    return w


def _code(db, item_id):
    with db.session() as s:
        return s.get(Item, item_id).code


def _number(db, order_id):
    with db.session() as s:
        return s.get(SupplierOrder, order_id).number


def _asn(number, contractor_id, action, lines, expected=None):
    return {
        "asn_number": number,
        "kind": "supplier_order",
        "source_number": number,
        "counterparty_code": str(contractor_id),
        "expected_date": expected,
        "action": action,
        "lines": lines,
    }


def test_confirming_a_supplier_order_sends_its_asn_and_unposting_cancelling_follow(core_db):
    w = _world(core_db)
    lines = [order_line(w.pump_id, "5", "100", date(2026, 6, 1)), order_line(w.oil_id, "12.5", "3", date(2026, 5, 20))]
    with core_db.transaction() as s:
        order_id = create_order(s, w, lines)
    number = _number(core_db, order_id)
    pump, oil = _code(core_db, w.pump_id), _code(core_db, w.oil_id)
    assert [r.type for r in outbox(core_db)] == ["COUNTERPARTY", "ASN"]
    (asn,) = of_type(core_db, "ASN")
    assert (asn.warehouse_code, asn.document_type, asn.document_number, asn.document_seq) == (
        "MSK01", "supplier_order", number, 1,
    )
    expected_lines = [
        {"line_no": 1, "item_code": pump, "quantity": "5.000"},
        {"line_no": 2, "item_code": oil, "quantity": "12.500"},
    ]
    # No date on the order: the earliest of its lines.
    assert asn.payload == _asn(number, w.contractor_id, "create", expected_lines, "2026-05-20")

    with core_db.transaction() as s:
        p.unpost_supplier_order(s, order_id, user_id=w.user_id)
    with core_db.transaction() as s:
        p.post_supplier_order(s, order_id, user_id=w.user_id)
    with core_db.transaction() as s:
        p.cancel_supplier_order(s, order_id, user_id=w.user_id, reason="supplier can't deliver")
    asns = of_type(core_db, "ASN")
    assert [(r.payload["action"], r.document_seq) for r in asns] == [
        ("create", 1), ("cancel", 2), ("create", 3), ("cancel", 4),
    ]
    assert asns[1].payload == _asn(number, w.contractor_id, "cancel", [])
    assert asns[2].payload == asns[0].payload


def test_the_order_date_wins_and_a_draft_cancelled_sends_nothing(core_db):
    w = _world(core_db)
    with core_db.transaction() as s:
        dated = create_order(s, w, [order_line(w.pump_id, "1", "10", date(2026, 5, 1))], expected_date=date(2026, 7, 1))
        draft = create_order(s, w, [order_line(w.pump_id, "1", "10")], post=False)
        p.cancel_supplier_order(s, draft, user_id=w.user_id)
    (asn,) = of_type(core_db, "ASN")
    assert (asn.document_number, asn.payload["expected_date"]) == (_number(core_db, dated), "2026-07-01")


def test_closing_with_goods_open_cancels_and_reopening_expects_only_what_is_left(core_db):
    w = _world(core_db)
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100"), order_line(w.filter_id, "2", "7")])
        pump_line, filter_line = order_line_ids(s, order_id)
        receipt = p.create_goods_receipt_from_order(
            s, order_id, user_id=w.user_id, supplier_invoice_number="INV-7",
            supplier_invoice_date=date(2026, 3, 2), quantities={pump_line: D(3), filter_line: D(2)},
        )
        p.post_goods_receipt(s, receipt.id, user_id=w.user_id)
    with core_db.transaction() as s:
        p.close_supplier_order(s, order_id, user_id=w.user_id, reason="the rest is not coming")
    with core_db.transaction() as s:
        p.reopen_supplier_order(s, order_id, user_id=w.user_id)
    number = _number(core_db, order_id)
    asns = of_type(core_db, "ASN")
    assert [(r.payload["action"], r.document_seq) for r in asns] == [("create", 1), ("cancel", 2), ("create", 3)]
    assert asns[2].payload["lines"] == [{"line_no": 1, "item_code": _code(core_db, w.pump_id), "quantity": "2.000"}]
    assert asns[2].document_number == number


def test_a_supplier_order_to_a_warehouse_without_wms_code_sends_nothing(core_db):
    w = _world(core_db, wms_code=None)
    with core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        p.cancel_supplier_order(s, order_id, user_id=w.user_id)
    assert outbox(core_db) == []


def test_a_customer_return_awaited_at_a_wms_warehouse_sends_an_asn_and_its_cancel(core_db):
    w = wms_world(core_db)
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, approved_order(core_db, w, ("4", "2"))))
    with core_db.session() as s:
        sale = sales.get_sale(s, sale_id)
        la, lb = [line.id for line in sale.lines]
    with core_db.transaction() as s:
        ret = sales.create_customer_return(
            s, sale_id, user_id=w.manager_id, warehouse_id=w.warehouse_id, reason="wrong part", lines={lb: D(1)}
        )
        ret_id, ret_number = ret.id, ret.number
    with core_db.transaction() as s:
        sales.cancel_customer_return(s, ret_id, user_id=w.manager_id)
    b = _code(core_db, w.item_ids[1])
    asns = of_type(core_db, "ASN")
    assert [(r.warehouse_code, r.document_type, r.document_number, r.document_seq) for r in asns] == [
        ("MSK01", "customer_return", ret_number, 1),
        ("MSK01", "customer_return", ret_number, 2),
    ]
    base = {"asn_number": ret_number, "kind": "customer_return", "source_number": ret_number,
            "counterparty_code": str(w.contractor_id), "expected_date": None}
    assert asns[0].payload == {**base, "action": "create", "lines": [{"line_no": 1, "item_code": b, "quantity": "1.000"}]}
    assert asns[1].payload == {**base, "action": "cancel", "lines": []}
    assert la


def test_a_return_onto_a_warehouse_without_wms_code_sends_nothing(core_db):
    w = wms_world(core_db)
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, approved_order(core_db, w, ("4", ""))))
    with core_db.session() as s:
        (line,) = sales.get_sale(s, sale_id).lines
        line_id = line.id
    before = len(outbox(core_db))
    with core_db.transaction() as s:
        defect = f.warehouse(s, "defect").id
        ret = sales.create_customer_return(
            s, sale_id, user_id=w.manager_id, warehouse_id=defect, reason="broken", lines={line_id: D(1)}
        )
        sales.cancel_customer_return(s, ret.id, user_id=w.manager_id)
    assert len(outbox(core_db)) == before
