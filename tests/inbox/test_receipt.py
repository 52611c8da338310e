"""RECEIPT: the goods-receipt draft of the supplier invoice filled by partial acceptances and
completed by the final one (the purchaser posts it), discrepancies kept, a customer return's
quantities completed; bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from dealerhub.core import purchasing as p
from dealerhub.core import sales
from dealerhub.core.catalog.models import Item
from dealerhub.core.inbox import apply_batch
from dealerhub.core.inbox.models import ReceiptAcceptance, ReceiptDiscrepancy
from dealerhub.core.purchasing.models import GoodsReceipt
from dealerhub.core.warehouses import update_warehouse
from dealerhub.exchange.contracts import ReceiptLine, ReceiptV1
from tests.inbox.builders import AT, applied_once, q, refused, wms
from tests.integration import sales_builders as sb
from tests.integration.purchasing_builders import balance, create_order, make_world, order_line

D = Decimal


def _setup(core_db):
    w = make_world(core_db)
    with core_db.transaction() as s:
        update_warehouse(s, w.main_id, user_id=None, wms_code="MSK")
        order_id = create_order(s, w, [order_line(w.pump_id, "10", "100.00"), order_line(w.filter_id, "5", "20.00")])
        order = p.get_supplier_order(s, order_id)
        codes = {i: s.get(Item, i).code for i in (w.pump_id, w.filter_id, w.oil_id)}
        return w, order.id, order.number, [ln.id for ln in order.lines], codes


def _line(asn_line_no, code, accepted, rejected="0", disposition="stock", discrepancy=None, comment=None):
    return ReceiptLine(
        asn_line_no=asn_line_no, item_code=code, accepted=q(accepted), rejected=q(rejected),
        disposition=disposition, discrepancy=discrepancy, comment=comment,
    )


def _receipt(asn, lines, *, final, number="R-1", invoice="INV-77", seq=1):
    return wms(
        ReceiptV1(asn_number=asn, receipt_number=number, supplier_invoice=invoice, final=final, received_at=AT, lines=lines),
        document=("asn", asn, seq),
    )


def _receipt_state(core_db):
    with core_db.session() as s:
        receipts = [
            (r.number, r.status, r.supplier_invoice_number, r.warehouse_id, r.comment,
             [(ln.item_id, ln.quantity, ln.price, ln.supplier_order_line_id) for ln in r.lines])
            for r in s.scalars(select(GoodsReceipt).order_by(GoodsReceipt.id))
        ]
        acceptances = s.execute(
            select(ReceiptAcceptance.asn_number, ReceiptAcceptance.invoice_reference, ReceiptAcceptance.complete)
        ).all()
        discrepancies = s.execute(
            select(ReceiptDiscrepancy.asn_line_no, ReceiptDiscrepancy.item_id, ReceiptDiscrepancy.accepted,
                   ReceiptDiscrepancy.rejected, ReceiptDiscrepancy.disposition, ReceiptDiscrepancy.discrepancy,
                   ReceiptDiscrepancy.comment).order_by(ReceiptDiscrepancy.id)
        ).all()
    return receipts, acceptances, discrepancies


def test_partial_acceptances_fill_one_draft_per_invoice_and_the_final_one_completes_it(core_db):
    w, order_id, number, (l1, l2), codes = _setup(core_db)
    pump, flt, oil = codes[w.pump_id], codes[w.filter_id], codes[w.oil_id]
    first = _receipt(number, [_line(1, pump, "4"), _line(2, flt, "2", "1", discrepancy="damaged", comment="torn box")],
                     final=False)

    applied_once(core_db, first, lambda: _receipt_state(core_db))

    receipts, acceptances, discrepancies = _receipt_state(core_db)
    [(gr_number, status, invoice, warehouse_id, comment, lines)] = receipts
    assert (status, invoice, warehouse_id) == ("draft", "INV-77", w.main_id)
    assert comment == f"WMS acceptance R-1 of ASN {number} (in progress)"
    assert lines == [(w.pump_id, D(4), D("100.00"), l1), (w.filter_id, D(2), D("20.00"), l2)]
    assert acceptances == [(number, "INV-77", False)]
    assert discrepancies == [(2, w.filter_id, D(2), D(1), "stock", "damaged", "torn box")]
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(0), D(0), D(0))  # nothing on stock before posting
        assert p.get_supplier_order(s, order_id).status == "confirmed"

    # The final part: 7 more pumps (one over the order), a filter to defect, unannounced oil.
    final = _receipt(
        number,
        [_line(1, pump, "7", discrepancy="over"), _line(2, flt, "1", disposition="defect", discrepancy="damaged"),
         _line(None, oil, "2.5", discrepancy="unannounced")],
        final=True, number="R-2", seq=2,
    )
    [outcome] = apply_batch(core_db, [final])
    assert type(outcome).__name__ == "Applied"
    assert outcome.note == f"goods receipt {gr_number} draft (complete: ready to post)"
    receipts, acceptances, discrepancies = _receipt_state(core_db)
    [(_, status, _, _, comment, lines)] = receipts
    assert comment == f"WMS acceptance R-2 of ASN {number} (final: ready to post)"
    assert lines == [
        (w.pump_id, D(10), D("100.00"), l1),
        (w.filter_id, D(2), D("20.00"), l2),
        (w.pump_id, D(1), D("100.00"), None),
        (w.oil_id, D("2.5"), D("0.00"), None),
    ]
    assert acceptances == [(number, "INV-77", True)]
    assert discrepancies[1:] == [
        (1, w.pump_id, D(7), D(0), "stock", "over", None),
        (2, w.filter_id, D(1), D(0), "defect", "damaged", None),
        (None, w.oil_id, D("2.5"), D(0), "stock", "unannounced", None),
    ]

    # The purchaser posts it: the goods are on stock, the order partially received (filters).
    with core_db.transaction() as s:
        receipt = p.list_goods_receipts(s)[0][0]
        p.post_goods_receipt(s, receipt.id, user_id=w.user_id)
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(11), D(0), D(11))
        assert p.get_supplier_order(s, order_id).status == "partially_received"

    # Anything after the final acceptance is refused.
    refused(core_db, _receipt(number, [_line(2, flt, "1")], final=True, number="R-3", seq=3), "quantity_mismatch")


def test_without_a_supplier_invoice_the_wms_receipt_number_stands_for_it(core_db):
    w, _order_id, number, (l1, _l2), codes = _setup(core_db)
    [outcome] = apply_batch(core_db, [_receipt(number, [_line(1, codes[w.pump_id], "3")], final=True, invoice=None)])
    assert type(outcome).__name__ == "Applied"
    [(_, status, invoice, _, _, lines)], acceptances, _ = _receipt_state(core_db)
    assert (status, invoice, lines) == ("draft", "R-1", [(w.pump_id, D(3), D("100.00"), l1)])
    assert acceptances == [(number, "R-1", True)]


def test_receipts_that_do_not_fit_the_asn_are_refused_with_nothing_written(core_db):
    w, order_id, number, _lines, codes = _setup(core_db)
    pump, flt = codes[w.pump_id], codes[w.filter_id]
    assert refused(core_db, _receipt("PO-2026-999999", [_line(1, pump, "1")], final=True), "unknown_document") == (
        "no supplier order or customer return PO-2026-999999"
    )
    assert refused(core_db, _receipt(number, [_line(9, pump, "1")], final=True), "quantity_mismatch") == (
        f"ASN {number} has no line 9"
    )
    assert refused(core_db, _receipt(number, [_line(1, flt, "1")], final=True), "quantity_mismatch") == (
        f"line 1 of ASN {number} is another item than {flt} (a wrong item is reported with discrepancy wrong_item)"
    )
    # A receipt entered by hand for the same invoice is not taken over.
    with core_db.transaction() as s:
        p.create_goods_receipt_from_order(s, order_id, user_id=w.user_id, supplier_invoice_number="INV-77",
                                          supplier_invoice_date=AT.date())
    reason = refused(core_db, _receipt(number, [_line(1, pump, "1")], final=True), "quantity_mismatch")
    assert reason.startswith("supplier invoice INV-77 already has goods receipt GR-")


def test_a_draft_posted_by_the_purchaser_takes_no_more_parts(core_db):
    w, _order_id, number, _lines, codes = _setup(core_db)
    pump = codes[w.pump_id]
    apply_batch(core_db, [_receipt(number, [_line(1, pump, "4")], final=False)])
    with core_db.transaction() as s:
        p.post_goods_receipt(s, p.list_goods_receipts(s)[0][0].id, user_id=w.user_id)
    reason = refused(core_db, _receipt(number, [_line(1, pump, "1")], final=True, number="R-2", seq=2), "quantity_mismatch")
    assert reason.endswith("is posted: unpost it to take more goods onto it")


def test_a_customer_returns_quantities_are_what_the_warehouse_accepted(core_db):
    world = sb.make_world(core_db, stock=("10", "10"))
    with core_db.transaction() as s:
        update_warehouse(s, world.warehouse_id, user_id=None, wms_code="MSK")
        codes = [s.get(Item, i).code for i in world.item_ids]
    order_id = sb.approved_order(core_db, world, ("4", "2"))
    sale_id = sb.posted_sale(core_db, world, sb.posted_task(core_db, world, order_id))
    with core_db.transaction() as s:
        sale_lines = {ln.item_id: ln.id for ln in sales.get_sale(s, sale_id).lines}
        doc = sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=world.warehouse_id, reason="wrong size",
            lines={sale_lines[world.item_ids[0]]: D(3), sale_lines[world.item_ids[1]]: D(2)},
        )
        return_id, return_number = doc.id, doc.number
    a, b = codes
    part = _receipt(return_number, [_line(1, a, "1"), _line(2, b, "0", "2", discrepancy="damaged")], final=False,
                    invoice=None)
    applied_once(core_db, part, lambda: sb.status(core_db, "get_customer_return", return_id))
    # More than was sold can't come back (1 accepted already + 4 > the 4 sold).
    too_many = _receipt(return_number, [_line(1, a, "4")], final=False, number="R-9", invoice=None, seq=2)
    assert refused(core_db, too_many, "quantity_mismatch") == "line 1: 5 came back, but only 4 of the 4 sold can"
    final = _receipt(return_number, [_line(1, a, "1")], final=True, number="R-2", invoice=None, seq=2)
    [outcome] = apply_batch(core_db, [final])
    assert type(outcome).__name__ == "Applied"
    with core_db.session() as s:
        doc = sales.get_customer_return(s, return_id)
        assert doc.status == "draft"
        assert [(ln.line_no, ln.quantity) for ln in doc.lines] == [(1, D(2)), (2, D(0))]
        assert doc.comment == "WMS acceptance R-2 (final: ready to post)"
    _, acceptances, discrepancies = _receipt_state(core_db)
    assert acceptances == [(return_number, "R-1", True)]
    assert discrepancies == [(2, world.item_ids[1], D(0), D(2), "stock", "damaged", None)]
    assert refused(core_db, _receipt(return_number, [_line(1, a, "1")], final=True, number="R-3", invoice=None),
                   "quantity_mismatch") == f"the acceptance of {return_number} was already final"
