"""End to end through the real exchange and real databases (all SQLite, then all PostgreSQL): the
core's outbox and relay, the exchange store and worker, the WMS's inbox and outbox, and the core's
inbox, exactly as the two nodes run in production (tests/wms/landscape.py)."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from dealerhub.core import purchasing, sales
from dealerhub.core.catalog.models import Item as CoreItem
from dealerhub.core.catalog.wms_messages import send_full_catalog
from dealerhub.core.inbox.models import ReceiptAcceptance
from dealerhub.core.sales.models import Sale
from dealerhub.core.warehouses import update_warehouse
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.exchange_link.models import OUTBOX
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.layout.service import bin_by_barcode, warehouse_by_code
from dealerhub.wms.picking.despatch import PackageInput, despatch, pack
from dealerhub.wms.picking.models import Order
from dealerhub.wms.picking.orders import find_order
from dealerhub.wms.picking.picks import confirm_pick
from dealerhub.wms.putaway.service import confirm_move, plan_receipt_putaway
from dealerhub.wms.receiving import acceptance as acc
from dealerhub.wms.stock.queries import remains_totals
from dealerhub.wms.stock.service import put
from dealerhub.wms.tasks.models import Task
from dealerhub.wms.tasks.service import task_lines
from tests import factories as f
from tests.integration.sales_builders import approved_order, balance, make_world, posted_task
from tests.wms.helpers import bin_stock, keeper, warehouse
from tests.wms.helpers import item_by_code as wms_item
from tests.wms.landscape import Landscape

WH = "MSK"


def _wms_answers(db) -> list[tuple[str, str | None]]:
    """(type, answer) of every WMS outbox row but the WMS's own ACK/ERROR."""
    t = OUTBOX.messages
    with db.session() as s:
        return [(r.type, r.answer) for r in s.execute(select(t.c.type, t.c.answer).where(
            t.c.type.not_in(("ACK", "ERROR"))).order_by(t.c.id))]


def _core_world(land: Landscape, stock=("10", "10")):
    w = make_world(land.core, stock=stock)
    with land.core.transaction() as s:
        update_warehouse(s, w.warehouse_id, user_id=None, wms_code=WH)
        send_full_catalog(s)
        codes = [s.get(CoreItem, i).code for i in w.item_ids]
    return w, codes


def _wms_world(land: Landscape, codes, stock=("10", "10")):
    """The WMS's warehouse with the opening stock the core has (loaded when the WMS went live)."""
    land.sync()  # CLASSIFIER and GOODS arrive
    with land.wms.transaction() as s:
        wh = warehouse(s, WH)
        user = keeper(s)
        for n, (code, qty) in enumerate(zip(codes, stock, strict=True), start=1):
            if D(qty):
                bin_ = _bin(s, wh, f"PCK-01-01-{n}")
                put(s, bin_, wms_item(s, code).id, "available", D(qty), "opening", document_number="opening")
    return user


def _bin(s, wh, barcode):
    return bin_by_barcode(s, wh.id, barcode)


def _pick_all(land: Landscape, order_number: str, user: int) -> int:
    """A storekeeper picks every line of the order by scanning bin and item; returns the order id."""
    with land.wms.transaction() as s:
        wh = warehouse_by_code(s, WH)
        order = find_order(s, wh.id, order_number)
        for task in s.scalars(select(Task).where(Task.order_id == order.id, Task.kind == "pick")).all():
            for line in task_lines(s, task.id):
                confirm_pick(s, line.id, bin_barcode=s.get(Bin, line.from_bin_id).barcode,
                             item_barcode=s.get(Item, line.item_id).code, quantity=line.quantity, user_id=user)
        return order.id


def test_order_in_stock_is_picked_packed_despatched_and_sold(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b))
    order_id = approved_order(land.core, w, ("4", "3"))
    task_id = posted_task(land.core, w, order_id)
    with land.core.session() as s:
        task_number = sales.get_picking_task(s, task_id).number
    land.sync()  # COUNTERPARTY, ORDERS -> the WMS's pick tasks
    wms_order_id = _pick_all(land, task_number, user)
    with land.wms.transaction() as s:
        assert s.get(Order, wms_order_id).status == "picked"
        pack(s, wms_order_id, [PackageInput(weight_kg=D("7.5"), contents={a: D(4), b: D(3)})], user_id=user)
        despatch(s, wms_order_id, user_id=user)
    land.sync()  # DESPATCH -> the sale in the core; ACK back to the WMS
    with land.core.session() as s:
        (sale,) = s.scalars(select(Sale).where(Sale.customer_order_id == order_id)).all()
        assert sale.status == "posted"
        assert sales.get_picking_task(s, task_id).status == "done"
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(6), D(0))
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(7), D(0))
    with land.wms.session() as s:
        wh = warehouse_by_code(s, WH)
        assert bin_stock(s, wh, "PCK-01-01-1", a) == (D(6), D(0))
        assert bin_stock(s, wh, "PCK-01-01-2", b) == (D(7), D(0))
        assert bin_stock(s, wh, "PAK-01", a) == (D(0), D(0))
    assert _wms_answers(land.wms) == [("DESPATCH", "ack")]


def _supplier_order(land: Landscape, w, quantities) -> tuple[int, str, int]:
    """A purchaser orders the goods from the factory and confirms: the ASN goes to the WMS."""
    with land.core.transaction() as s:
        purchaser = f.staff(s, role="purchaser")
        supplier, contractor = f.dealer(s, "Shandong Machinery", supplier=True)
        order = purchasing.create_supplier_order(
            s, user_id=purchaser.id, partner_id=supplier.id, contractor_id=contractor.id, warehouse_id=w.warehouse_id,
            currency="CNY", exchange_rate=D("12.5"),
            lines=[purchasing.SupplierOrderLineInput(item_id, D(q), D(100), None)
                   for item_id, q in zip(w.item_ids, quantities, strict=True)],
        )
        purchasing.post_supplier_order(s, order.id, user_id=purchaser.id)
        return order.id, order.number, purchaser.id


def _scan(land: Landscape, receipt_id: int, code: str, quantity: str, **kwargs) -> None:
    with land.wms.transaction() as s:
        acc.scan_item(s, receipt_id, code, quantity=D(quantity), **kwargs)


def test_order_out_of_stock_waits_for_the_supplier_and_ships_after_partial_acceptances(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land, stock=("0", "0"))
    user = _wms_world(land, (a, b), stock=("0", "0"))
    order_id = approved_order(land.core, w, ("4", "3"))
    _po_id, po_number, purchaser = _supplier_order(land, w, ("4", "3"))
    land.sync()  # COUNTERPARTY, ASN
    with land.wms.transaction() as s:
        receipt_id = acc.start_receipt(s, warehouse_by_code(s, WH), asn_number=po_number, supplier_invoice="INV-77",
                                       user_id=user).id
    _scan(land, receipt_id, a, "2")
    with land.wms.transaction() as s:
        acc.send_part(s, receipt_id)
    land.sync()  # the first part: a goods-receipt draft in the core, waiting for more
    with land.core.session() as s:
        (acceptance,) = s.scalars(select(ReceiptAcceptance)).all()
        assert (acceptance.complete, acceptance.invoice_reference) == (False, "INV-77")
        draft = purchasing.get_goods_receipt(s, acceptance.goods_receipt_id)
        assert [(x.item_id, x.quantity) for x in draft.lines] == [(w.item_ids[0], D(2))]
    # The next day: the rest arrives.
    _scan(land, receipt_id, a, "2")
    _scan(land, receipt_id, b, "3")
    with land.wms.transaction() as s:
        acc.finish(s, receipt_id)
        put_away(s, receipt_id, user)
    land.sync()
    with land.core.transaction() as s:
        acceptance = s.scalars(select(ReceiptAcceptance)).one()
        assert acceptance.complete
        draft = purchasing.get_goods_receipt(s, acceptance.goods_receipt_id)
        assert sorted((x.item_id, x.quantity) for x in draft.lines) == [(w.item_ids[0], D(4)), (w.item_ids[1], D(3))]
        purchasing.post_goods_receipt(s, draft.id, user_id=purchaser)
    assert balance(land.core, w.item_ids[0], w.warehouse_id)[0] == D(4)
    # Now in stock: the order is picked and ships.
    task_id = posted_task(land.core, w, order_id)
    with land.core.session() as s:
        task_number = sales.get_picking_task(s, task_id).number
    land.sync()
    wms_order_id = _pick_all(land, task_number, user)
    with land.wms.transaction() as s:
        pack(s, wms_order_id, [PackageInput(weight_kg=D(3), contents={a: D(4), b: D(3)})], user_id=user)
        despatch(s, wms_order_id, user_id=user)
    land.sync()
    with land.core.session() as s:
        assert sales.get_customer_order(s, order_id).status == "shipped"
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(0), D(0))
    with land.wms.session() as s:
        assert remains_totals(s, warehouse_by_code(s, WH).id) == []
    assert _wms_answers(land.wms) == [("RECEIPT", "ack"), ("RECEIPT", "ack"), ("DESPATCH", "ack")]


def put_away(s, receipt_id: int, user: int) -> None:
    """Everything on the dock goes to the suggested bins (scanned)."""
    task = plan_receipt_putaway(s, receipt_id)
    for line in task_lines(s, task.id):
        confirm_move(s, line.id, s.get(Bin, line.to_bin_id).barcode, user_id=user)
