"""Turning an order into pick tasks: stock is allocated bin by bin (picking zone first, then
storage, each in route order), one pick task per zone with its lines in route order. When a pick
takes the picking zone's free stock of an item below the item's minimum, a replenishment task from
storage (refilling to the item's maximum) is made at once, unless one is open already."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import item_place
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.layout.service import first_bin
from dealerhub.wms.picking.models import Order, OrderLine
from dealerhub.wms.putaway.service import suggest
from dealerhub.wms.stock.models import Stock
from dealerhub.wms.stock.queries import free_in_zone
from dealerhub.wms.stock.service import allocate
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine
from dealerhub.wms.tasks.service import add_line, new_task

ZERO = Decimal(0)
_SOURCE_ZONES = {"picking": 0, "storage": 1}


def sources(s: Session, warehouse_id: int, item_id: int, kinds: tuple[str, ...] = ("picking", "storage")):
    """Stock rows with free units of the item, locked, in the order they are picked from."""
    return s.execute(
        select(Stock, Bin, Zone)
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.item_id == item_id, Stock.status == "available",
               Stock.quantity > Stock.allocated, Zone.kind.in_(kinds))
        .order_by(Zone.kind != "picking", Zone.route_order, Bin.route_order)
        .with_for_update(of=Stock)
    ).all()


def planned_quantity(s: Session, order_line_id: int) -> Decimal:
    """What open pick lines of the order line still have to take."""
    lines = s.scalars(select(TaskLine).where(TaskLine.order_line_id == order_line_id, TaskLine.status == "open"))
    return sum((x.quantity - x.done_quantity for x in lines), ZERO)


def create_pick_tasks(s: Session, order: Order) -> list[Task]:
    """Allocate what the order still needs and make its pick tasks (one per zone). What no bin has
    free stays unallocated: it is the order's shortage unless stock arrives before picking ends."""
    packing = first_bin(s, order.warehouse_id, "packing")
    by_zone: dict[int, list[tuple[Bin, OrderLine, Decimal]]] = defaultdict(list)
    zones: dict[int, Zone] = {}
    touched: set[int] = set()
    lines = s.scalars(select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)).all()
    for line in lines:
        need = line.ordered - line.picked - line.shortage - planned_quantity(s, line.id)
        for stock, bin_, zone in sources(s, order.warehouse_id, line.item_id) if need > 0 else []:
            take = min(need, stock.quantity - stock.allocated)
            allocate(s, stock, take)
            by_zone[zone.id].append((bin_, line, take))
            zones[zone.id] = zone
            need -= take
            if need == 0:
                break
        touched.add(line.item_id)
    tasks = []
    for zone_id in sorted(by_zone, key=lambda z: (zones[z].route_order, z)):
        task = new_task(s, order.warehouse_id, "pick", zone_id=zone_id, order_id=order.id)
        for bin_, line, quantity in sorted(by_zone[zone_id], key=lambda x: (x[0].route_order, x[1].line_no)):
            add_line(s, task, item_id=line.item_id, quantity=quantity, from_bin_id=bin_.id, to_bin_id=packing.id,
                     order_line_id=line.id)
        tasks.append(task)
    for item_id in sorted(touched):
        replenish_if_low(s, order.warehouse_id, item_id)
    return tasks


def replenish_if_low(s: Session, warehouse_id: int, item_id: int) -> Task | None:
    """A replenishment task when the picking zone's free stock of the item is below its minimum."""
    place = item_place(s, warehouse_id, item_id)
    if place is None or place.pick_min <= 0:
        return None
    free = free_in_zone(s, warehouse_id, item_id, "picking")
    if free >= place.pick_min or _open_replenishment(s, warehouse_id, item_id):
        return None
    need = place.pick_max - free
    item = s.get(Item, item_id)
    target_id = suggest(s, warehouse_id, item, need, "picking") if need > 0 else None
    target = _picking_bin(s, warehouse_id, item_id, target_id)
    if target is None or need <= 0:
        return None
    task = None
    for stock, bin_, _zone in sources(s, warehouse_id, item_id, ("storage",)):
        take = min(need, stock.quantity - stock.allocated)
        allocate(s, stock, take)
        task = task or new_task(s, warehouse_id, "replenishment", zone_id=target.zone_id)
        add_line(s, task, item_id=item_id, quantity=take, from_bin_id=bin_.id, to_bin_id=target.id)
        need -= take
        if need == 0:
            break
    return task


def _picking_bin(s: Session, warehouse_id: int, item_id: int, suggested: int | None) -> Bin | None:
    """The picking bin that holds the item already, else a suggested one in the picking zone."""
    holder = s.scalar(
        select(Bin).join(Stock, Stock.bin_id == Bin.id).join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.item_id == item_id, Zone.kind == "picking")
        .order_by(Bin.route_order).limit(1)
    )
    if holder is not None:
        return holder
    if suggested is not None:
        candidate = s.get(Bin, suggested)
        if s.get(Zone, candidate.zone_id).kind == "picking":
            return candidate
    return s.scalar(
        select(Bin).join(Zone, Zone.id == Bin.zone_id).outerjoin(Stock, Stock.bin_id == Bin.id)
        .where(Bin.warehouse_id == warehouse_id, Zone.kind == "picking", Stock.id.is_(None), Bin.active.is_(True))
        .order_by(Bin.route_order).limit(1)
    )


def _open_replenishment(s: Session, warehouse_id: int, item_id: int) -> bool:
    return s.scalar(
        select(TaskLine.id).join(Task, Task.id == TaskLine.task_id)
        .where(Task.warehouse_id == warehouse_id, Task.kind == "replenishment", Task.status.in_(OPEN_TASK),
               TaskLine.item_id == item_id, TaskLine.status == "open").limit(1)
    ) is not None
