"""Picking: an order becomes pick tasks per zone in route order; replenishment when the picking zone
falls below its minimum; picks confirmed by scans; shortages with a reason; cancel / replace while
picking; packing and DESPATCH with what actually left."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from dealerhub.wms.catalog.service import set_item_place
from dealerhub.wms.errors import QuantityRefused, StateConflict, WrongScan
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.layout.service import zones_of
from dealerhub.wms.picking.despatch import PackageInput, despatch, pack
from dealerhub.wms.picking.orders import (
    PickingFinished,
    WantedLine,
    cancel_order,
    create_order,
    replace_order,
)
from dealerhub.wms.picking.picks import confirm_pick, report_shortage
from dealerhub.wms.putaway.service import confirm_move
from dealerhub.wms.stock.models import Serial
from dealerhub.wms.stock.service import receive_serials
from dealerhub.wms.tasks.models import Task
from dealerhub.wms.tasks.service import task_lines
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, stock_in, warehouse


def _setup(s):
    wh = warehouse(s)
    items(s, "A", "B")
    user = keeper(s)
    stock_in(s, wh, "PCK-01-01-2", "A", "4")
    stock_in(s, wh, "STO-01-02-1", "A", "20")
    stock_in(s, wh, "PCK-01-01-1", "B", "10")
    return wh, user


def _order(s, wh, lines, number="PT-1"):
    return create_order(s, wh.id, order_number=number, customer_order_number="CO-1", counterparty_code="7",
                        ship_by=None, comment=None,
                        lines=[WantedLine(n, item_by_code(s, code).id, D(q)) for n, (code, q) in enumerate(lines, 1)])


def _tasks(s, order_id, kind="pick"):
    return list(s.scalars(select(Task).where(Task.order_id == order_id, Task.kind == kind).order_by(Task.id)))


def _plan(s, task):
    return [(s.get(Bin, x.from_bin_id).barcode, x.item_id, x.quantity, x.status) for x in task_lines(s, task.id)]


def test_order_becomes_pick_tasks_per_zone_in_route_order_and_replenishment_follows(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        a, b = item_by_code(s, "A"), item_by_code(s, "B")
        set_item_place(s, wh.id, a.id, pick_min=D(3), pick_max=D(10))
        order = _order(s, wh, [("A", "6"), ("B", "2")])
        picking, storage = _tasks(s, order.id)
        assert (s.get(Zone, picking.zone_id).kind, s.get(Zone, storage.zone_id).kind) == ("picking", "storage")
        assert _plan(s, picking) == [("PCK-01-01-1", b.id, D(2), "open"), ("PCK-01-01-2", a.id, D(4), "open")]
        assert _plan(s, storage) == [("STO-01-02-1", a.id, D(2), "open")]
        assert bin_stock(s, wh, "PCK-01-01-2", "A") == (D(4), D(4))
        # The picking zone has 0 free of A now (minimum 3): a replenishment to 10 from storage.
        (refill,) = s.scalars(select(Task).where(Task.kind == "replenishment")).all()
        (line,) = task_lines(s, refill.id)
        assert (s.get(Bin, line.from_bin_id).barcode, s.get(Bin, line.to_bin_id).barcode, line.quantity) == (
            "STO-01-02-1", "PCK-01-01-2", D(10))
        assert bin_stock(s, wh, "STO-01-02-1", "A") == (D(20), D(12))
        confirm_move(s, line.id, "PCK-01-01-2", from_barcode="STO-01-02-1", user_id=user)
        assert bin_stock(s, wh, "PCK-01-01-2", "A") == (D(14), D(4))
        assert bin_stock(s, wh, "STO-01-02-1", "A") == (D(10), D(2))
        # A second order does not make a second replenishment while the zone is above its minimum.
        _order(s, wh, [("A", "1")], number="PT-2")
        assert len(s.scalars(select(Task).where(Task.kind == "replenishment")).all()) == 1


def test_picks_are_confirmed_by_scans_and_shortages_have_a_reason(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        order = _order(s, wh, [("A", "6"), ("B", "2")])
        picking, storage = _tasks(s, order.id)
        b_line, a_line = task_lines(s, picking.id)
        with pytest.raises(WrongScan, match="take it from PCK-01-01-1"):
            confirm_pick(s, b_line.id, bin_barcode="PCK-01-01-2", item_barcode="460B", quantity=D(2), user_id=user)
        with pytest.raises(WrongScan, match="wrong item"):
            confirm_pick(s, b_line.id, bin_barcode="PCK-01-01-1", item_barcode="460A", quantity=D(2), user_id=user)
        with pytest.raises(QuantityRefused):
            confirm_pick(s, b_line.id, bin_barcode="PCK-01-01-1", item_barcode="460B", quantity=D(3), user_id=user)
        assert ledger(s)[-1][4] == "count"  # nothing moved by the refused scans
        confirm_pick(s, b_line.id, bin_barcode="PCK-01-01-1", item_barcode="460B", quantity=D(2), user_id=user)
        confirm_pick(s, a_line.id, bin_barcode="PCK-01-01-2", item_barcode="460A", quantity=D(3), user_id=user)
        report_shortage(s, a_line.id, reason="one box damaged in the bin", user_id=user)
        s.refresh(order)
        assert order.status == "picking"
        (st_line,) = task_lines(s, storage.id)
        confirm_pick(s, st_line.id, bin_barcode="STO-01-02-1", item_barcode="460A", quantity=D(2), user_id=user)
        s.refresh(order)
        assert order.status == "picked"
        assert bin_stock(s, wh, "PAK-01", "A") == (D(5), D(0))
        assert bin_stock(s, wh, "PCK-01-01-2", "A") == (D(1), D(0))  # the short unit is no longer allocated
        pack(s, order.id, [PackageInput(weight_kg=D("12.5"), contents={"A": D(5)}, length_mm=600, width_mm=400, height_mm=300),
                           PackageInput(weight_kg=D("1.2"), contents={"B": D(2)})], user_id=user)
        number = despatch(s, order.id, user_id=user)
        assert bin_stock(s, wh, "PAK-01", "A") == (D(0), D(0))
        (message,) = outbox(s, "DESPATCH")
        assert (message["document_type"], message["document_number"], message["warehouse_code"]) == ("picking_task", "PT-1", "WH1")
        p = message["payload"]
        assert (p["order_number"], p["despatch_number"], p["final"]) == ("PT-1", number, True)
        assert p["lines"] == [
            {"line_no": 1, "item_code": "A", "picked": "5.000", "shipped": "5.000", "shortage": "1.000",
             "shortage_reason": "one box damaged in the bin"},
            {"line_no": 2, "item_code": "B", "picked": "2.000", "shipped": "2.000", "shortage": "0.000",
             "shortage_reason": None},
        ]
        assert p["packages"] == [
            {"package_no": "PT-1-1", "weight_kg": "12.500", "length_mm": "600", "width_mm": "400", "height_mm": "300",
             "contents": [{"item_code": "A", "quantity": "5.000"}]},
            {"package_no": "PT-1-2", "weight_kg": "1.200", "length_mm": None, "width_mm": None, "height_mm": None,
             "contents": [{"item_code": "B", "quantity": "2.000"}]},
        ]


def test_packages_must_hold_exactly_what_was_picked(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        order = _order(s, wh, [("B", "2")])
        (task,) = _tasks(s, order.id)
        (line,) = task_lines(s, task.id)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460B", quantity=D(2), user_id=user)
        order_id = order.id
    with pytest.raises(QuantityRefused, match="differ for B"), wms_db.transaction() as s:
        pack(s, order_id, [PackageInput(weight_kg=D(1), contents={"B": D(1)})], user_id=user)
    with wms_db.session() as s:
        assert s.scalars(select(Task)).all()  # the session still sees the order picked, nothing packed
        from dealerhub.wms.picking.models import Order, Package
        assert s.get(Order, order_id).status == "picked"
        assert s.scalars(select(Package)).all() == []


def test_cancel_while_picking_releases_allocations_and_returns_picked_goods(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        order = _order(s, wh, [("A", "6")])
        picking, storage = _tasks(s, order.id)
        (line,) = task_lines(s, picking.id)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-2", item_barcode="460A", quantity=D(4), user_id=user)
        cancel_order(s, order)
        assert order.status == "cancelled"
        assert bin_stock(s, wh, "STO-01-02-1", "A") == (D(20), D(0))
        s.refresh(storage)
        assert storage.status == "cancelled"
        (back,) = _tasks(s, order.id, "putaway")
        (back_line,) = task_lines(s, back.id)
        assert (s.get(Bin, back_line.from_bin_id).barcode, back_line.quantity) == ("PAK-01", D(4))
        assert s.get(Bin, back_line.to_bin_id).barcode == "STO-01-02-1"  # where A lies


def test_replace_while_picking_keeps_what_was_picked_and_allocates_the_rest(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        a, b = item_by_code(s, "A"), item_by_code(s, "B")
        order = _order(s, wh, [("A", "6"), ("B", "2")])
        picking, _storage = _tasks(s, order.id)
        b_line, _a_line = task_lines(s, picking.id)
        confirm_pick(s, b_line.id, bin_barcode="PCK-01-01-1", item_barcode="460B", quantity=D(2), user_id=user)
        replace_order(s, order, ship_by=None, comment="less A, one B", lines=[WantedLine(1, a.id, D(3)), WantedLine(2, b.id, D(1))])
        assert order.revision == 2
        open_picks = [t for t in _tasks(s, order.id) if t.status == "open"]
        assert [_plan(s, t) for t in open_picks] == [[("PCK-01-01-2", a.id, D(3), "open")]]
        assert bin_stock(s, wh, "STO-01-02-1", "A") == (D(20), D(0))
        (back,) = _tasks(s, order.id, "putaway")
        assert [(x.item_id, x.quantity) for x in task_lines(s, back.id)] == [(b.id, D(1))]


def test_changes_are_refused_once_picking_has_finished(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        order = _order(s, wh, [("B", "2")])
        (task,) = _tasks(s, order.id)
        (line,) = task_lines(s, task.id)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460B", quantity=D(2), user_id=user)
        with pytest.raises(PickingFinished, match="picking has finished"):
            cancel_order(s, order)
        with pytest.raises(StateConflict):
            replace_order(s, order, ship_by=None, comment=None, lines=[])


def test_serial_tracked_items_are_picked_and_shipped_by_serial(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "EXC", serial=True)
        user = keeper(s)
        exc = item_by_code(s, "EXC")
        stock_in(s, wh, "STO-01-01-1", "EXC", "2")
        receive_serials(s, s.scalar(select(Bin).where(Bin.barcode == "STO-01-01-1")), exc.id, ["SN1", "SN2"], "available", "X")
        order = _order(s, wh, [("EXC", "1")])
        (task,) = _tasks(s, order.id)
        (line,) = task_lines(s, task.id)
        with pytest.raises(Exception, match="serial"):
            confirm_pick(s, line.id, bin_barcode="STO-01-01-1", item_barcode="460EXC", quantity=D(1), user_id=user)
        confirm_pick(s, line.id, bin_barcode="STO-01-01-1", item_barcode="460EXC", quantity=D(1), user_id=user,
                     serials=["SN2"])
        pack(s, order.id, [PackageInput(weight_kg=D(8000), contents={"EXC": D(1)})], user_id=user)
        despatch(s, order.id, user_id=user)
        serials = {x.serial_no: (x.status, x.bin_id is None) for x in s.scalars(select(Serial))}
        assert serials == {"SN1": ("available", False), "SN2": ("shipped", True)}
        assert zones_of(s, wh.id, "picking")


def test_task_pages_read_steps_in_walking_order_and_the_supervisor_counts(wms_db):
    from dealerhub.wms.tasks.queries import my_tasks, open_tasks_by_kind_and_person, task_steps
    from dealerhub.wms.tasks.service import assign

    with wms_db.transaction() as s:
        wh, user = _setup(s)
        other = keeper(s, "boris")
        order = _order(s, wh, [("A", "6"), ("B", "2")])
        picking, storage = _tasks(s, order.id)
        assign(s, storage.id, other)
        steps = task_steps(s, picking.id, "en")
        assert [(x.from_bin, x.to_bin, x.item_code, x.item_name, x.quantity) for x in steps] == [
            ("PCK-01-01-1", "PAK-01", "B", "Item B", D(2)), ("PCK-01-01-2", "PAK-01", "A", "Item A", D(4))]
        assert [t.id for t in my_tasks(s, other, wh.id)] == [storage.id, picking.id]
        assert [t.id for t in my_tasks(s, user, wh.id)] == [picking.id]
        assert open_tasks_by_kind_and_person(s, wh.id) == [("pick", "Boris", 1), ("pick", None, 1)]
