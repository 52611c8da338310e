"""Turning an order into pick tasks: stock is allocated bin by bin (picking zone first, then
storage, each in route order), one pick task per zone with its lines in route order. When a pick
takes the picking zone's free stock of an item below the item's minimum, a replenishment task from
storage (refilling to the item's maximum) is made at once, unless one is open already."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.wms.catalog.models import Item, ItemPlace
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
    return _planned(s, [order_line_id]).get(order_line_id, ZERO)


def _planned(s: Session, order_line_ids: list[int]) -> dict[int, Decimal]:
    """planned_quantity of many order lines in one query."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    if order_line_ids:
        for line_id, quantity, done in s.execute(
            select(TaskLine.order_line_id, TaskLine.quantity, TaskLine.done_quantity)
            .where(TaskLine.order_line_id.in_(order_line_ids), TaskLine.status == "open")
        ):
            out[line_id] += quantity - done
    return out


def sources_of(s: Session, warehouse_id: int, item_ids: set[int]) -> dict[int, list[tuple[Stock, Bin, Zone]]]:
    """`sources` of many items in one locking query (rows locked in one statement, in item order,
    so two orders wanting the same items lock them in the same order)."""
    out: dict[int, list[tuple[Stock, Bin, Zone]]] = defaultdict(list)
    if not item_ids:
        return out
    rows = s.execute(
        select(Stock, Bin, Zone)
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.item_id.in_(sorted(item_ids)), Stock.status == "available",
               Stock.quantity > Stock.allocated, Zone.kind.in_(tuple(_SOURCE_ZONES)))
        .order_by(Stock.item_id, Zone.kind != "picking", Zone.route_order, Bin.route_order)
        .with_for_update(of=Stock)
    ).all()
    for stock, bin_, zone in rows:
        out[stock.item_id].append((stock, bin_, zone))
    return out


def create_pick_tasks(s: Session, order: Order, new_lines: list[OrderLine] | None = None) -> list[Task]:
    """Allocate what the order still needs and make its pick tasks (one per zone). What no bin has
    free stays unallocated: it is the order's shortage unless stock arrives before picking ends.

    A fixed number of statements whatever the order's size (a 50-line order is the usual): the
    order's lines, what open lines already plan, every source row locked at once, the item places,
    then the tasks and all their lines in one flush. `new_lines`: the lines of an order created in
    this transaction (flushed): neither read again nor planned by any task yet."""
    packing = packing_bin_of(s, order.warehouse_id)
    if new_lines is not None:
        lines, planned = sorted(new_lines, key=lambda x: x.line_no), {}
    else:
        lines = s.scalars(select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)).all()
        planned = _planned(s, [x.id for x in lines])
    touched = {x.item_id for x in lines}
    sources_by_item = sources_of(s, order.warehouse_id, touched)
    wanted = [(line, line.ordered - line.picked - line.shortage - planned.get(line.id, ZERO)) for line in lines]
    tasks = []
    for zone, picks in allocate_lines(wanted, sources_by_item):
        task = new_task(s, order.warehouse_id, "pick", zone_id=zone.id, order_id=order.id)
        s.add_all([
            TaskLine(task_id=task.id, seq=seq, item_id=line.item_id, quantity=quantity, done_quantity=ZERO,
                     status="open", from_bin_id=bin_.id, to_bin_id=packing.id, order_line_id=line.id)
            for seq, (bin_, line, quantity) in enumerate(picks, start=1)
        ])
        tasks.append(task)
    s.flush()
    places = {p.item_id: p for p in s.scalars(select(ItemPlace).where(
        ItemPlace.warehouse_id == order.warehouse_id, ItemPlace.item_id.in_(sorted(touched))))} if touched else {}
    for item_id in below_minimum(touched, places, sources_by_item):
        replenish_if_low(s, order.warehouse_id, item_id)
    return tasks


def allocate_lines(wanted: list[tuple[Any, Decimal]], sources_by_item: dict[int, list[tuple[Stock, Bin, Zone]]]
                   ) -> list[tuple[Zone, list[tuple[Bin, Any, Decimal]]]]:
    """Allocate each (order line, quantity still needed) from the locked source rows, in their order,
    raising the rows' `allocated` (the UPDATEs go out with the next flush). Returns the picks by
    zone in route order, each zone's picks in walking order (bin, line number); an order line is
    anything with `id`, `line_no` and `item_id`."""
    by_zone: dict[int, list[tuple[Bin, Any, Decimal]]] = defaultdict(list)
    zones: dict[int, Zone] = {}
    for line, need in wanted:
        for stock, bin_, zone in sources_by_item.get(line.item_id, []) if need > 0 else []:
            take = min(need, stock.quantity - stock.allocated)
            if take <= 0:
                continue  # an earlier line (of this order or of an order before it) took what was free here
            stock.allocated += take
            by_zone[zone.id].append((bin_, line, take))
            zones[zone.id] = zone
            need -= take
            if need == 0:
                break
    return [
        (zones[zone_id], sorted(by_zone[zone_id], key=lambda x: (x[0].route_order, x[1].line_no)))
        for zone_id in sorted(by_zone, key=lambda z: (zones[z].route_order, z))
    ]


def below_minimum(items: set[int], places: dict[int, Any],
                  sources_by_item: dict[int, list[tuple[Stock, Bin, Zone]]]) -> list[int]:
    """The items (in id order) whose free units in the picking zone, counted on the locked source
    rows (rows not among them have none free), are below their place's minimum (`places`: by item,
    anything with `pick_min`)."""
    low = []
    for item_id in sorted(items):
        place = places.get(item_id)
        if place is None or place.pick_min <= 0:
            continue
        free = sum((stock.quantity - stock.allocated for stock, _bin, zone in sources_by_item.get(item_id, [])
                    if zone.kind == "picking"), ZERO)
        if free < place.pick_min:
            low.append(item_id)
    return low


def packing_bin_of(s: Session, warehouse_id: int) -> Bin:
    """first_bin(packing), read once per transaction (a batch of ORDERS asks it for every order)."""
    cache = s.info.setdefault("wms_packing_bin", {})
    if warehouse_id not in cache:
        cache[warehouse_id] = first_bin(s, warehouse_id, "packing")
    return cache[warehouse_id]


def replenish_if_low(s: Session, warehouse_id: int, item_id: int) -> Task | None:
    """A replenishment task when the picking zone's free stock of the item is below its minimum."""
    place = item_place(s, warehouse_id, item_id)
    if place is None or place.pick_min <= 0:
        return None
    free = free_in_zone(s, warehouse_id, item_id, "picking")
    if free >= place.pick_min or _open_replenishment(s, warehouse_id, item_id):
        return None
    need = place.pick_max - free
    if need <= 0:
        return None
    item = s.get(Item, item_id)
    # The suggestion reads every bin's load: asked only when no picking bin holds the item yet.
    target = _picking_bin(s, warehouse_id, item_id, lambda: suggest(s, warehouse_id, item, need, "picking"))
    if target is None:
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


def _picking_bin(s: Session, warehouse_id: int, item_id: int, suggest_bin: Callable[[], int | None]) -> Bin | None:
    """The picking bin that holds the item already, else a suggested one in the picking zone."""
    holder = s.scalar(
        select(Bin).join(Stock, Stock.bin_id == Bin.id).join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.item_id == item_id, Zone.kind == "picking")
        .order_by(Bin.route_order).limit(1)
    )
    if holder is not None:
        return holder
    suggested = suggest_bin()
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
