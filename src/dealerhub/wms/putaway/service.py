"""Putaway: goods on the dock (or returned from packing) get a task line with a suggested bin; the
storekeeper confirms by scanning the bin actually used (the suggested one or another that takes
them). Replenishment lines are confirmed the same way (from a storage bin to the picking zone)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.shared.types import Qty
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import item_place
from dealerhub.wms.errors import CapacityExceeded, QuantityRefused, StateConflict, WrongScan
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.layout.names import zone_name, zones_named
from dealerhub.wms.layout.service import bin_by_barcode, first_bin
from dealerhub.wms.putaway.rules import BinRoom, fits, load_of, suggest_bin
from dealerhub.wms.receiving.acceptance import get_receipt, receipt_lines
from dealerhub.wms.stock.models import Serial, Stock
from dealerhub.wms.stock.service import move, move_serials
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine
from dealerhub.wms.tasks.names import task_kind_name
from dealerhub.wms.tasks.service import add_line, finish_if_complete, get_line, get_task, new_task, start

ZERO = Decimal(0)
# Where goods of each stock status may be put away; the first zone kind is where they are suggested
# to go (the picking zone is filled by replenishment, not by putaway).
_ZONE_FOR = {"available": ("storage", "picking"), "defect": ("defect",), "quarantine": ("quarantine",)}
_STATUS = {"stock": "available", "defect": "defect", "quarantine": "quarantine"}


def rooms(s: Session, warehouse_id: int, item: Item, kinds: tuple[str, ...]) -> list[BinRoom]:
    """Every active bin of the zones of `kinds` with what it holds (and is promised by open tasks);
    only the stock and tasks of those zones are read."""
    bins = s.execute(
        select(Bin.id, Bin.zone_id, Bin.route_order, Bin.max_units, Bin.max_volume_l, Bin.max_weight_kg)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Bin.warehouse_id == warehouse_id, Bin.active.is_(True), Zone.kind.in_(kinds))
        .order_by(Bin.route_order)
    ).all()
    qty = type_coerce(func.sum(type_coerce(Stock.quantity, Integer)), Qty())
    used: dict[int, list[Decimal]] = {}
    holds: set[int] = set()
    stock = s.execute(
        select(Stock.bin_id, Stock.item_id, Item.length_mm, Item.width_mm, Item.height_mm, Item.weight_kg, qty)
        .join(Item, Item.id == Stock.item_id)
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.quantity > 0, Zone.kind.in_(kinds))
        .group_by(Stock.bin_id, Stock.item_id, Item.length_mm, Item.width_mm, Item.height_mm, Item.weight_kg)
    )
    incoming = s.execute(
        select(TaskLine.to_bin_id, TaskLine.item_id, Item.length_mm, Item.width_mm, Item.height_mm, Item.weight_kg,
               TaskLine.quantity - TaskLine.done_quantity)
        .join(Task, Task.id == TaskLine.task_id)
        .join(Item, Item.id == TaskLine.item_id)
        .join(Bin, Bin.id == TaskLine.to_bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Task.warehouse_id == warehouse_id, Task.status.in_(OPEN_TASK), TaskLine.status == "open",
               Zone.kind.in_(kinds),
               TaskLine.to_bin_id.is_not(None), Task.kind.in_(("putaway", "replenishment")))
    )
    for bin_id, item_id, length, width, height, weight, quantity in [*stock, *incoming]:
        load = load_of(quantity, length, width, height, weight)
        u = used.setdefault(bin_id, [ZERO, ZERO, ZERO])
        u[0] += load.quantity
        u[1] += load.volume_l
        u[2] += load.weight_kg
        if item_id == item.id:
            holds.add(bin_id)
    return [
        BinRoom(b.id, b.zone_id, b.route_order, b.max_units, b.max_volume_l, b.max_weight_kg,
                *used.get(b.id, (ZERO, ZERO, ZERO)), holds_item=b.id in holds)
        for b in bins
    ]


def suggest(s: Session, warehouse_id: int, item: Item, quantity: Decimal, status: str = "available") -> int | None:
    place = item_place(s, warehouse_id, item.id)
    load = load_of(quantity, item.length_mm, item.width_mm, item.height_mm, item.weight_kg)
    kinds = ("picking",) if status == "picking" else _ZONE_FOR[status][:1]
    return suggest_bin(rooms(s, warehouse_id, item, kinds), load, place.home_zone_id if place else None)


def plan_receipt_putaway(s: Session, receipt_id: int) -> Task | None:
    """A putaway task for what an acceptance left on the dock and no task covers yet (None: nothing)."""
    receipt = get_receipt(s, receipt_id, lock=True)
    task = None
    for line in receipt_lines(s, receipt.id):
        quantity = line.accepted - line.putaway_planned
        if quantity <= 0:
            continue
        if task is None:
            task = new_task(s, receipt.warehouse_id, "putaway", receipt_id=receipt.id)
        item = s.get(Item, line.item_id)
        status = _STATUS[line.disposition]
        add_line(s, task, item_id=item.id, quantity=quantity, from_bin_id=receipt.dock_bin_id,
                 to_bin_id=suggest(s, receipt.warehouse_id, item, quantity, status), stock_status=status)
        line.putaway_planned = line.accepted
    s.flush()
    return task


def plan_return_to_stock(s: Session, warehouse_id: int, from_bin: Bin, item: Item, quantity: Decimal,
                         order_id: int | None = None) -> Task:
    """Goods picked for an order that no longer needs them go back to stock."""
    task = new_task(s, warehouse_id, "putaway", order_id=order_id)
    add_line(s, task, item_id=item.id, quantity=quantity, from_bin_id=from_bin.id,
             to_bin_id=suggest(s, warehouse_id, item, quantity))
    return task


def confirm_move(s: Session, line_id: int, to_barcode: str, *, user_id: int, quantity: Decimal | None = None,
                 from_barcode: str | None = None, serials: list[str] | None = None) -> TaskLine:
    """Confirm a putaway or replenishment line by scanning the bin the goods went to (and, for a
    replenishment, the bin they came from). Another bin than suggested is accepted when it is in the
    right zone and takes the goods."""
    line = get_line(s, line_id)
    task = get_task(s, line.task_id, lock=True)
    if task.kind not in ("putaway", "replenishment"):
        raise StateConflict(T("task %(task)s is %(kind)s, not a putaway or replenishment task",
                               task=task.number, kind=task_kind_name(task.kind)))
    if task.status not in OPEN_TASK or line.status != "open":
        raise StateConflict(T("task %(task)s line %(line)s is done already", task=task.number, line=line.seq))
    if task.assignee_id not in (None, user_id):
        raise StateConflict(T("task %(task)s is given to another storekeeper", task=task.number))
    from_bin = s.get(Bin, line.from_bin_id)
    if from_barcode is not None and from_barcode.strip() != from_bin.barcode:
        raise WrongScan(T("take the goods from bin %(bin)s, not %(scanned)s", bin=from_bin.barcode, scanned=from_barcode))
    to_bin = bin_by_barcode(s, task.warehouse_id, to_barcode)
    item = s.get(Item, line.item_id)
    remaining = line.quantity - line.done_quantity
    quantity = remaining if quantity is None else quantity
    if quantity <= 0 or quantity > remaining:
        raise QuantityRefused(T("between 0 and %(remaining)s can be confirmed on this line, not %(quantity)s",
                                 remaining=remaining, quantity=quantity))
    kinds = ("picking",) if task.kind == "replenishment" else _ZONE_FOR[line.stock_status]
    zone = s.get(Zone, to_bin.zone_id)
    if zone.kind not in kinds:
        raise WrongScan(T("bin %(bin)s is in %(zone)s; these goods go to %(zones)s only", bin=to_bin.barcode,
                           zone=zone_name(zone.kind), zones=zones_named(kinds)))
    if to_bin.id != line.to_bin_id:
        room = next(r for r in rooms(s, task.warehouse_id, item, kinds) if r.bin_id == to_bin.id)
        if not fits(room, load_of(quantity, item.length_mm, item.width_mm, item.height_mm, item.weight_kg)):
            raise CapacityExceeded(T("bin %(bin)s cannot take %(quantity)s more of %(item)s", bin=to_bin.barcode,
                                      quantity=quantity, item=item.code))
    move(s, from_bin, to_bin, item.id, quantity, task.kind if task.kind == "putaway" else "replenish",
         from_status=line.stock_status, allocated=task.kind == "replenishment", task_id=task.id, user_id=user_id)
    if item.serial_tracked:
        chosen = serials or list(s.scalars(select(Serial.serial_no).where(
            Serial.item_id == item.id, Serial.bin_id == from_bin.id).order_by(Serial.id).limit(int(quantity))))
        move_serials(s, from_bin, to_bin, item.id, chosen)
    if task.status == "open":
        start(s, task.id, user_id)
    line.to_bin_id = to_bin.id
    line.done_quantity += quantity
    if line.done_quantity == line.quantity:
        line.status, line.done_at, line.done_by = "done", clock.now(), user_id
    s.flush()
    finish_if_complete(s, task)
    return line


def dock_of(s: Session, warehouse_id: int) -> Bin:
    return first_bin(s, warehouse_id, "receiving")
