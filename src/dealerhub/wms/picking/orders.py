"""Orders from the core (ORDERS create / replace / cancel) and what follows them in the WMS.

Create makes the order and its pick tasks. Replace and cancel are honoured while the order is new
or picking: open pick lines are cancelled and their allocations released; goods already picked
beyond what the order now needs go back to stock on a putaway task; the rest is allocated again.
Once picking has finished (picked, packed, shipped) a change is refused: the core hears an ERROR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.errors import StateConflict, WmsNotFound
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.layout.service import first_bin
from dealerhub.wms.names import order_status_name
from dealerhub.wms.picking.allocation import create_pick_tasks
from dealerhub.wms.picking.models import CHANGEABLE, Order, OrderLine
from dealerhub.wms.putaway.service import plan_return_to_stock
from dealerhub.wms.stock.service import release
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine
from dealerhub.wms.tasks.service import cancel as cancel_task
from dealerhub.wms.tasks.service import task_lines

ZERO = Decimal(0)


@dataclass(frozen=True)
class WantedLine:
    line_no: int
    item_id: int
    quantity: Decimal


class PickingFinished(StateConflict):
    """The order is past picking: the core can no longer change or cancel it in the WMS."""


def find_order(s: Session, warehouse_id: int, order_number: str, *, lock: bool = False) -> Order | None:
    query = select(Order).where(Order.warehouse_id == warehouse_id, Order.order_number == order_number)
    return s.scalar(query.with_for_update() if lock else query)


def get_order(s: Session, order_id: int, *, lock: bool = False) -> Order:
    query = select(Order).where(Order.id == order_id)
    order = s.scalar(query.with_for_update() if lock else query)
    if order is None:
        raise WmsNotFound(T("the order is not found"), order_id=order_id)
    return order


def order_lines(s: Session, order_id: int) -> list[OrderLine]:
    return list(s.scalars(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)))


def create_order(s: Session, warehouse_id: int, *, order_number: str, customer_order_number: str,
                 counterparty_code: str, ship_by: date | None, comment: str | None,
                 lines: list[WantedLine]) -> Order:
    if find_order(s, warehouse_id, order_number) is not None:
        raise StateConflict(T("order %(order)s exists already", order=order_number), order=order_number)
    order = Order(warehouse_id=warehouse_id, order_number=order_number, customer_order_number=customer_order_number,
                  counterparty_code=counterparty_code, ship_by=ship_by, comment=comment, status="new", revision=1)
    s.add(order)
    s.flush()
    added = [OrderLine(order_id=order.id, line_no=line.line_no, item_id=line.item_id, ordered=line.quantity,
                       picked=ZERO, shortage=ZERO) for line in lines]
    s.add_all(added)
    s.flush()
    create_pick_tasks(s, order, new_lines=added)
    return order


def replace_order(s: Session, order: Order, *, ship_by: date | None, comment: str | None,
                  lines: list[WantedLine]) -> Order:
    _changeable(order)
    _stop_picking(s, order)
    existing = {x.line_no: x for x in order_lines(s, order.id)}
    wanted = {x.line_no: x for x in lines}
    for line_no, line in existing.items():
        new = wanted.get(line_no)
        if new is not None and new.item_id != line.item_id:
            raise StateConflict(T("line %(line)s of order %(order)s names another item now",
                                  line=line_no, order=order.order_number))
        line.ordered = new.quantity if new else ZERO
        line.shortage, line.shortage_reason = ZERO, None
        if line.picked > line.ordered:
            _back_to_stock(s, order, line, line.picked - line.ordered)
            line.picked = line.ordered
    for line_no, new in wanted.items():
        if line_no not in existing:
            s.add(OrderLine(order_id=order.id, line_no=line_no, item_id=new.item_id, ordered=new.quantity,
                            picked=ZERO, shortage=ZERO))
    order.ship_by, order.comment, order.revision = ship_by, comment, order.revision + 1
    s.flush()
    create_pick_tasks(s, order)
    update_progress(s, order)
    return order


def cancel_order(s: Session, order: Order) -> Order:
    if order.status == "cancelled":
        return order
    _changeable(order)
    _stop_picking(s, order)
    for line in order_lines(s, order.id):
        if line.picked > 0:
            _back_to_stock(s, order, line, line.picked)
            line.picked = ZERO
    order.status = "cancelled"
    s.flush()
    return order


def _changeable(order: Order) -> None:
    if order.status not in CHANGEABLE:
        raise PickingFinished(
            T("order %(order)s is %(status)s: picking has finished, it can no longer be changed",
              order=order.order_number, status=order_status_name(order.status)),
            order=order.order_number,
        )


def _stop_picking(s: Session, order: Order) -> None:
    """Cancel the order's open pick lines and give their allocations back."""
    for task in s.scalars(select(Task).where(Task.order_id == order.id, Task.kind == "pick",
                                             Task.status.in_(OPEN_TASK))).all():
        for line in task_lines(s, task.id):
            if line.status == "open":
                release(s, line.from_bin_id, line.item_id, line.quantity - line.done_quantity)
        cancel_task(s, task)


def _back_to_stock(s: Session, order: Order, line: OrderLine, quantity: Decimal) -> None:
    packing = first_bin(s, order.warehouse_id, "packing")
    plan_return_to_stock(s, order.warehouse_id, packing, s.get(Item, line.item_id), quantity, order.id)


def update_progress(s: Session, order: Order) -> None:
    """new -> picking on the first pick; -> picked when no pick line of the order is open."""
    if order.status not in CHANGEABLE:
        return
    open_lines = s.scalar(
        select(TaskLine.id).join(Task, Task.id == TaskLine.task_id)
        .where(Task.order_id == order.id, Task.kind == "pick", TaskLine.status == "open").limit(1)
    )
    started = s.scalar(
        select(TaskLine.id).join(Task, Task.id == TaskLine.task_id)
        .where(Task.order_id == order.id, Task.kind == "pick", TaskLine.status.in_(("done", "short"))).limit(1)
    )
    if open_lines is None:
        order.status = "picked"
    elif started is not None:
        order.status = "picking"
    s.flush()


def packing_bin(s: Session, order: Order) -> Bin:
    return first_bin(s, order.warehouse_id, "packing")
