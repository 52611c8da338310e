"""Picking: each pick is confirmed by scanning the bin and the item (and, for machines, their
serial numbers); what the bin does not have is reported short with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.errors import QuantityRefused, StateConflict, WrongScan
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.picking.models import OrderLine
from dealerhub.wms.picking.orders import get_order, update_progress
from dealerhub.wms.stock.service import check_serials, move, move_serials, release
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine
from dealerhub.wms.tasks.service import finish_if_complete, get_line, get_task, start


@dataclass(frozen=True)
class Picked:
    line_id: int
    done: Decimal
    remaining: Decimal
    task_done: bool


def _open_pick_line(s: Session, line_id: int, user_id: int) -> tuple[TaskLine, Task]:
    line = get_line(s, line_id)
    task = get_task(s, line.task_id, lock=True)
    if task.kind != "pick":
        raise StateConflict(T("task %(task)s is not a picking task", task=task.number))
    if task.status not in OPEN_TASK or line.status != "open":
        raise StateConflict(T("task %(task)s line %(line)s is not open (the order may have changed)",
                              task=task.number, line=line.seq))
    if task.status == "open":
        start(s, task.id, user_id)
    elif task.assignee_id != user_id:
        raise StateConflict(T("task %(task)s is given to another storekeeper", task=task.number))
    return line, task


def confirm_pick(s: Session, line_id: int, *, bin_barcode: str, item_barcode: str, quantity: Decimal,
                 user_id: int, serials: list[str] | None = None) -> Picked:
    line, task = _open_pick_line(s, line_id, user_id)
    from_bin = s.get(Bin, line.from_bin_id)
    if bin_barcode.strip() != from_bin.barcode:
        raise WrongScan(T("wrong bin: take it from %(bin)s", bin=from_bin.barcode), expected=from_bin.barcode)
    item = item_by_barcode(s, item_barcode)
    if item.id != line.item_id:
        raise WrongScan(T("wrong item: %(scanned)s scanned, %(expected)s expected",
                          scanned=item.code, expected=s.get(Item, line.item_id).code))
    quantity = check_quantity(quantity, item.unit_decimals)
    remaining = line.quantity - line.done_quantity
    if quantity > remaining:
        raise QuantityRefused(T("only %(remaining)s more to pick on this line", remaining=f"{remaining.normalize():f}"))
    chosen = check_serials(serials or [], quantity) if item.serial_tracked else []
    to_bin = s.get(Bin, line.to_bin_id)
    move(s, from_bin, to_bin, item.id, quantity, "pick", allocated=True, task_id=task.id, user_id=user_id)
    if chosen:
        move_serials(s, from_bin, to_bin, item.id, chosen)
        line.serials = [*line.serials, *chosen]
    line.done_quantity += quantity
    order_line = s.get(OrderLine, line.order_line_id)
    order_line.picked += quantity
    if line.done_quantity == line.quantity:
        line.status, line.done_at, line.done_by = "done", clock.now(), user_id
    s.flush()
    closed = finish_if_complete(s, task)
    update_progress(s, get_order(s, task.order_id))
    return Picked(line.id, line.done_quantity, line.quantity - line.done_quantity, closed)


def report_shortage(s: Session, line_id: int, *, reason: str, user_id: int) -> Picked:
    """The bin lacks what is left on the line: the allocation is released and the order line is short."""
    if not reason.strip():
        raise QuantityRefused(T("say why the goods are short (damaged, not in the bin...)"))
    line, task = _open_pick_line(s, line_id, user_id)
    missing = line.quantity - line.done_quantity
    release(s, line.from_bin_id, line.item_id, missing)
    order_line = s.get(OrderLine, line.order_line_id)
    order_line.shortage += missing
    order_line.shortage_reason = reason.strip()[:500]
    line.status, line.shortage_reason, line.done_at, line.done_by = "short", reason.strip()[:500], clock.now(), user_id
    s.flush()
    closed = finish_if_complete(s, task)
    update_progress(s, get_order(s, task.order_id))
    return Picked(line.id, line.done_quantity, missing, closed)
