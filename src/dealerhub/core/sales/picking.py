"""Picking tasks: the instruction to pick (part of) an approved order from its warehouse.

A task takes only what can be picked now: what is left of each line, as far as the line's own
reservation and the free stock cover it. Posting makes sure the reservation covers the task and
is the moment the task goes to the WMS.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.documents import change_status, new_document
from dealerhub.core.documents.names import status_name
from dealerhub.core.sales import wms_messages
from dealerhub.core.sales.errors import NothingToPick, PickingTaskHasSale
from dealerhub.core.sales.fulfilment import refresh_fulfilment_status, require_status
from dealerhub.core.sales.models import CustomerOrder, PickingTask, PickingTaskLine, Sale
from dealerhub.core.sales.queries import (
    get_picking_task,
    lock_order,
    open_task_claims,
    reserved_by_line,
    shipped_by_line,
    task_quantity_by_line,
)
from dealerhub.core.sales.reservations import reserve_exactly
from dealerhub.core.sales.rules import PICKABLE, ZERO, pickable, reservation_shortfall
from dealerhub.core.stock import DocRef, InsufficientStock, Shortage, get_balance
from dealerhub.shared.texts import T


def create_picking_task(s: Session, order_id: int, *, user_id: int | None) -> PickingTask:
    """A draft task for what can be picked now; InsufficientStock if nothing can."""
    order = lock_order(s, order_id)
    require_status(order, PICKABLE, "a picking task")
    lines = _pickable_lines(s, order)
    task_lines = [
        PickingTaskLine(line_no=no, order_line_id=line_id, item_id=item_id, quantity=quantity)
        for no, (line_id, item_id, quantity) in enumerate(lines, start=1)
    ]
    return new_document(
        s,
        PickingTask,
        user_id=user_id,
        customer_order_id=order.id,
        warehouse_id=order.warehouse_id,
        lines=task_lines,
    )


def post_picking_task(s: Session, task_id: int, *, user_id: int | None) -> PickingTask:
    """Post the task: the order lines' reservations grow to cover it (InsufficientStock, and nothing
    written, if they can't) and the order is being picked."""
    task = get_picking_task(s, task_id)
    order = lock_order(s, task.customer_order_id)
    require_status(order, PICKABLE, "posting a picking task")
    change_status(s, task, ("draft",), "posted", user_id=user_id, action="post")
    _cover_with_reservations(s, order, task)
    refresh_fulfilment_status(s, order, user_id=user_id, cause=task.number)
    # ORDERS to the WMS, as an outbox row in this same transaction: the WMS hears of exactly the
    # tasks that were posted.
    wms_messages.picking_task_posted(s, task)
    return task


def unpost_picking_task(s: Session, task_id: int, *, user_id: int | None) -> PickingTask:
    """Back to draft while no sale was made for it. The order keeps its reservations."""
    task = get_picking_task(s, task_id)
    order = lock_order(s, task.customer_order_id)
    _require_no_sale(s, task)
    change_status(s, task, ("posted",), "draft", user_id=user_id, action="unpost")
    refresh_fulfilment_status(s, order, user_id=user_id, cause=task.number)
    wms_messages.picking_task_unposted(s, task)
    return task


def cancel_picking_task(s: Session, task_id: int, *, user_id: int | None) -> PickingTask:
    task = get_picking_task(s, task_id)
    lock_order(s, task.customer_order_id)
    change_status(s, task, ("draft",), "cancelled", user_id=user_id, action="cancel")
    return task


def _pickable_lines(s: Session, order: CustomerOrder) -> list[tuple[int, int, Decimal]]:
    """(order line id, item id, quantity) of everything that can be picked now."""
    shipped = shipped_by_line(s, order.id)
    claimed = open_task_claims(s, order.id)
    reserved = reserved_by_line(s, order.id)
    free: dict[int, Decimal] = {}
    lines, shortages, anything_left = [], [], False
    for line in order.lines:
        if line.item_id not in free:
            free[line.item_id] = get_balance(s, line.item_id, order.warehouse_id).free
        line_shipped, line_claimed = shipped.get(line.id, ZERO), claimed.get(line.id, ZERO)
        line_reserved = reserved.get(line.id, ZERO)
        quantity = pickable(
            ordered=line.quantity,
            shipped=line_shipped,
            claimed=line_claimed,
            reserved=line_reserved,
            free=free[line.item_id],
        )
        left = line.quantity - line_shipped - line_claimed
        anything_left = anything_left or left > 0
        if quantity > 0:
            lines.append((line.id, line.item_id, quantity))
            # Two lines of one item share its free stock: take off what this one uses of it.
            free[line.item_id] -= max(ZERO, quantity - max(ZERO, line_reserved - line_claimed))
        elif left > 0:
            shortages.append(Shortage(line.item_id, order.warehouse_id, left, free[line.item_id]))
    if not lines and not anything_left:
        raise NothingToPick(
            T("everything of order %(number)s is shipped or on picking tasks", number=order.number),
            number=order.number,
        )
    if not lines:
        raise InsufficientStock(shortages)
    return lines


def _cover_with_reservations(s: Session, order: CustomerOrder, task: PickingTask) -> None:
    """Each order line's reservation must cover its posted tasks, this one included."""
    to_pick = task_quantity_by_line(s, order.id, ("posted",))
    reserved = reserved_by_line(s, order.id)
    shortages: list[Shortage] = []
    for line in sorted(task.lines, key=lambda ln: (ln.item_id, ln.id)):
        missing = reservation_shortfall(
            to_pick=to_pick[line.order_line_id], reserved=reserved.get(line.order_line_id, ZERO)
        )
        if missing <= 0:
            continue
        try:
            reserve_exactly(
                s,
                order_id=order.id,
                line_id=line.order_line_id,
                item_id=line.item_id,
                warehouse_id=task.warehouse_id,
                quantity=missing,
                doc=DocRef.of(task),
            )
        except InsufficientStock as short:
            shortages.extend(short.shortages)
    if shortages:
        raise InsufficientStock(shortages)


def _require_no_sale(s: Session, task: PickingTask) -> None:
    sale = s.scalar(
        select(Sale).where(Sale.picking_task_id == task.id, Sale.status.in_(("draft", "posted"))).limit(1)
    )
    if sale is not None:
        raise PickingTaskHasSale(
            T(
                "picking task %(task)s has sale %(sale)s («%(status)s»): unpost or cancel the sale first",
                task=task.number, sale=sale.number, status=status_name(sale.status),
            ),
            number=task.number,
        )
