"""End to end, the other flows: a customer return through the receipt scenario, a count with surplus
and shortage ending in corrections in the core, a defect move closing goods for sale, and a REMAINS
reconciliation with a planted difference that the core reports (SQLite, then PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from dealerhub.core import sales
from dealerhub.core.inbox.models import ReconciliationReport
from dealerhub.core.inbox.reports import report_lines
from dealerhub.core.sales.models import Sale
from dealerhub.core.warehouses import set_defect_warehouse
from dealerhub.wms.counts.service import finish_round, record_count, start_count
from dealerhub.wms.layout.service import warehouse_by_code, zones_of
from dealerhub.wms.moves.service import MoveLine, move_goods
from dealerhub.wms.picking.despatch import PackageInput, despatch, pack
from dealerhub.wms.receiving import acceptance as acc
from dealerhub.wms.remains.service import send_remains
from tests import factories as f
from tests.integration.sales_builders import approved_order, balance, posted_task
from tests.wms.helpers import bin_stock
from tests.wms.landscape import Landscape
from tests.wms.test_scenarios import WH, _core_world, _pick_all, _wms_answers, _wms_world


def _ship(land: Landscape, w, codes, quantities, user) -> int:
    """A dealer order shipped through the WMS; returns the core's sale id."""
    order_id = approved_order(land.core, w, quantities)
    task_id = posted_task(land.core, w, order_id)
    with land.core.session() as s:
        number = sales.get_picking_task(s, task_id).number
    land.sync()
    wms_order_id = _pick_all(land, number, user)
    with land.wms.transaction() as s:
        contents = {code: D(q) for code, q in zip(codes, quantities, strict=True) if D(q)}
        pack(s, wms_order_id, [PackageInput(weight_kg=D(5), contents=contents)], user_id=user)
        despatch(s, wms_order_id, user_id=user)
    land.sync()
    with land.core.session() as s:
        return s.scalars(select(Sale.id).where(Sale.customer_order_id == order_id)).one()


def test_customer_return_goes_through_the_receipt_scenario(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b))
    sale_id = _ship(land, w, (a, b), ("4", "2"), user)
    with land.core.transaction() as s:
        line_b = next(x for x in sales.get_sale(s, sale_id).lines if x.item_id == w.item_ids[1])
        ret = sales.create_customer_return(s, sale_id, user_id=w.manager_id, warehouse_id=w.warehouse_id,
                                           reason="wrong part", lines={line_b.id: D(2)})
        ret_id, ret_number = ret.id, ret.number
    land.sync()  # ASN (customer_return)
    with land.wms.transaction() as s:
        receipt = acc.start_receipt(s, warehouse_by_code(s, WH), asn_number=ret_number, user_id=user)
        acc.scan_item(s, receipt.id, b, quantity=D(1))
        acc.scan_item(s, receipt.id, b, quantity=D(1), condition="damaged")
        acc.finish(s, receipt.id)
    land.sync()
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(8), D(0))
    with land.core.transaction() as s:
        ret = sales.get_customer_return(s, ret_id)
        assert [(x.item_id, x.quantity) for x in ret.lines] == [(w.item_ids[1], D(1))]  # the damaged one is not
        sales.post_customer_return(s, ret_id, user_id=w.manager_id)
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(9), D(0))
    with land.wms.session() as s:
        wh = warehouse_by_code(s, WH)
        assert bin_stock(s, wh, "RCV-01", b) == (D(1), D(0))
        assert bin_stock(s, wh, "RCV-01", b, "defect") == (D(1), D(0))
    assert _wms_answers(land.wms) == [("DESPATCH", "ack"), ("RECEIPT", "ack")]


def test_count_with_surplus_and_shortage_ends_in_corrections_in_the_core(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b))
    with land.wms.transaction() as s:
        wh = warehouse_by_code(s, WH)
        picking = next(z for z in zones_of(s, wh.id) if z.kind == "picking")
        count = start_count(s, wh.id, zone_id=picking.id, threshold_percent=D(5), user_id=user)
        record_count(s, count.id, bin_barcode="PCK-01-01-1", item_barcode=a, counted=D(12), user_id=user)
        record_count(s, count.id, bin_barcode="PCK-01-01-2", item_barcode=b, counted=D(7), user_id=user)
        finish_round(s, count.id, user_id=user)
        assert count.status == "recount"
        record_count(s, count.id, bin_barcode="PCK-01-01-1", item_barcode=a, counted=D(12), user_id=user)
        record_count(s, count.id, bin_barcode="PCK-01-01-2", item_barcode=b, counted=D(7), user_id=user)
        finish_round(s, count.id, user_id=user)
    land.sync()
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(12), D(0))
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(7), D(0))
    assert _wms_answers(land.wms) == [("INVENTORY", "ack")]


def test_a_defect_move_closes_the_goods_for_sale_in_the_core(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    with land.core.transaction() as s:
        defect_id = f.warehouse(s, "defect").id
        set_defect_warehouse(s, w.warehouse_id, user_id=None, defect_warehouse_id=defect_id)
    user = _wms_world(land, (a, b))
    with land.wms.transaction() as s:
        move_goods(s, warehouse_by_code(s, WH), direction="to_defect", reason="cracked housing", user_id=user,
                   lines=[MoveLine(a, "PCK-01-01-1", D(3))])
    land.sync()
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(7), D(0))
    assert balance(land.core, w.item_ids[0], defect_id) == (D(3), D(0))
    # Closed for sale: an order of 10 gets only the 7 left reserved.
    order_id = approved_order(land.core, w, ("10", ""))
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(7), D(7))
    assert order_id
    assert _wms_answers(land.wms) == [("MOVEMENT", "ack")]


def test_remains_reconciliation_reports_a_planted_difference(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b), stock=("10", "9"))  # the WMS holds one B less than the core books
    assert user
    with land.wms.transaction() as s:
        snapshot = send_remains(s, warehouse_by_code(s, WH), part_rows=1)
        assert snapshot.parts_total == 2
    land.sync()
    with land.core.session() as s:
        report = s.scalars(select(ReconciliationReport)).one()
        assert (report.snapshot_id, report.rows_total, report.differences) == (snapshot.snapshot_id, 2, 1)
        (line,) = report_lines(s, report.id, only_differences=True)
        assert (line.wms_available, line.core_on_hand, line.difference) == (D(9), D(10), D(-1))
    # Reported, never overwritten.
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(10), D(0))
    assert _wms_answers(land.wms) == [("REMAINS", "ack"), ("REMAINS", "ack")]
