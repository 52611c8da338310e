"""End to end (all SQLite, then all PostgreSQL): an order packed in several packages leaves in two
parts; the core makes a sale per DESPATCH part and closes the picking task on the final one. A count
that sees defect stock beside the good one ends in the right correction in the core."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from dealerhub.core import sales
from dealerhub.core.inbox.models import DespatchPackage
from dealerhub.core.sales.models import Sale
from dealerhub.core.warehouses import set_defect_warehouse
from dealerhub.wms.counts.service import count_lines, finish_round, record_count, start_count
from dealerhub.wms.layout.service import warehouse_by_code
from dealerhub.wms.moves.service import MoveLine, move_goods
from dealerhub.wms.picking.despatch import despatch
from dealerhub.wms.picking.packing import PackageInput, add_package
from tests import factories as f
from tests.integration.sales_builders import approved_order, balance, posted_task
from tests.wms.helpers import bin_stock
from tests.wms.helpers import item_by_code as wms_item
from tests.wms.landscape import Landscape
from tests.wms.test_scenarios import WH, _core_world, _pick_all, _wms_answers, _wms_world


def test_an_order_leaves_in_two_parts_and_the_core_sells_each(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b))
    order_id = approved_order(land.core, w, ("4", "3"))
    task_id = posted_task(land.core, w, order_id)
    with land.core.session() as s:
        task_number = sales.get_picking_task(s, task_id).number
    land.sync()
    wms_order_id = _pick_all(land, task_number, user)
    with land.wms.transaction() as s:
        add_package(s, wms_order_id, PackageInput(weight_kg=D(5), contents={a: D(4)}), user_id=user)
        add_package(s, wms_order_id, PackageInput(weight_kg=D("2.5"), contents={b: D(3)}), user_id=user)
        despatch(s, wms_order_id, user_id=user, package_nos=[f"{task_number}-1"])
    land.sync()  # the first part: a sale of A, the task still posted
    with land.core.session() as s:
        (first,) = s.scalars(select(Sale).where(Sale.customer_order_id == order_id)).all()
        assert first.status == "posted"
        assert sales.get_picking_task(s, task_id).status == "posted"
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(6), D(0))
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(10), D(3))  # B still reserved
    with land.wms.transaction() as s:
        despatch(s, wms_order_id, user_id=user)
    land.sync()
    with land.core.session() as s:
        sold = s.scalars(select(Sale).where(Sale.customer_order_id == order_id).order_by(Sale.id)).all()
        assert [x.status for x in sold] == ["posted", "posted"]
        assert sales.get_picking_task(s, task_id).status == "done"
        assert sorted(s.scalars(select(DespatchPackage.package_no))) == [f"{task_number}-1", f"{task_number}-2"]
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(7), D(0))
    assert _wms_answers(land.wms) == [("DESPATCH", "ack"), ("DESPATCH", "ack")]


def test_a_count_by_item_sees_its_defect_stock_and_the_core_corrects_only_what_it_holds(landscape: Landscape):
    """3 of A moved to defect (the core's defect warehouse has them); a count of A finds one good unit
    missing and the 3 defect ones: INVENTORY carries the good stock (7 -> 6), the defect line is
    counted and stays out of the core's warehouse."""
    land = landscape
    w, (a, b) = _core_world(land)
    with land.core.transaction() as s:
        defect_id = f.warehouse(s, "defect").id
        set_defect_warehouse(s, w.warehouse_id, user_id=None, defect_warehouse_id=defect_id)
    user = _wms_world(land, (a, b))
    with land.wms.transaction() as s:
        wh = warehouse_by_code(s, WH)
        move_goods(s, wh, direction="to_defect", reason="cracked housing", user_id=user,
                   lines=[MoveLine(a, "PCK-01-01-1", D(3))])
        count = start_count(s, wh.id, item_id=wms_item(s, a).id, threshold_percent=D(20), user_id=user)
        assert sorted((x.status, x.book) for x in count_lines(s, count.id)) == [("available", D(7)), ("defect", D(3))]
        record_count(s, count.id, bin_barcode="PCK-01-01-1", item_barcode=a, counted=D(6), user_id=user)
        record_count(s, count.id, bin_barcode="DEF-01", item_barcode=a, counted=D(3), user_id=user)  # the zone's status
        finish_round(s, count.id, user_id=user)
        assert count.status == "closed"
        assert bin_stock(s, wh, "DEF-01", a, "defect") == (D(3), D(0))
    land.sync()
    assert balance(land.core, w.item_ids[0], w.warehouse_id) == (D(6), D(0))
    assert balance(land.core, w.item_ids[0], defect_id) == (D(3), D(0))
    assert _wms_answers(land.wms) == [("MOVEMENT", "ack"), ("INVENTORY", "ack")]
