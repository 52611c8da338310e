"""Reservations held by customer order lines: Holder("customer_order", order id, line id), no expiry.

Built on the stock area's reserve_many()/release(): the locked, guarded balance update there is
what keeps free stock from going below zero, however many orders are approved at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.sales.queries import ORDER_HOLDER
from dealerhub.core.stock import (
    DocRef,
    Holder,
    LockedStock,
    ReservationPlan,
    ReserveRequest,
    list_for_holder,
    plan_reservations,
    release,
    release_holder,
    reserve,
)


def holder(order_id: int, line_id: int) -> Holder:
    return Holder(ORDER_HOLDER, order_id, line_id)


@dataclass(frozen=True)
class LineWant:
    line_id: int
    item_id: int
    quantity: Decimal


def plan_lines_up_to(
    s: Session, *, order_id: int, warehouse_id: int, wants: list[LineWant], locked: LockedStock
) -> ReservationPlan:
    """Reserve for each line as much of what it wants as is free, in two halves: this plan (free
    stock shared out line by line over the balance rows the caller read under their locks,
    `locked`), then the writes the caller sends with its own (stock.send_reservations_of()).
    Nothing a concurrent approval holds can be counted twice: its balance rows are locked."""
    return plan_reservations(s, _requests(order_id, warehouse_id, _wanted(wants)), partial=True, locked=locked)


def _wanted(wants: list[LineWant]) -> list[LineWant]:
    return sorted((w for w in wants if w.quantity > 0), key=lambda w: (w.item_id, w.line_id))


def _requests(order_id: int, warehouse_id: int, wants: list[LineWant]) -> list[ReserveRequest]:
    return [ReserveRequest(w.item_id, warehouse_id, w.quantity, holder(order_id, w.line_id)) for w in wants]


def reserve_exactly(
    s: Session,
    *,
    order_id: int,
    line_id: int,
    item_id: int,
    warehouse_id: int,
    quantity: Decimal,
    doc: DocRef,
) -> None:
    """Reserve all of `quantity` or raise InsufficientStock."""
    reserve(
        s,
        item_id=item_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        holder=holder(order_id, line_id),
        doc=doc,
    )


def release_line(
    s: Session, *, order_id: int, line_id: int, quantity: Decimal, doc: DocRef, reason: str = "release"
) -> Decimal:
    """Release up to `quantity` of what the order line holds (oldest reservation first)."""
    left = quantity
    for reservation in list_for_holder(s, ORDER_HOLDER, order_id):
        if left <= 0:
            break
        if reservation.holder_line_id == line_id:
            left -= release(s, reservation, doc=doc, reason=reason, quantity=min(left, reservation.quantity))
    return quantity - left


def release_order(s: Session, order_id: int, *, doc: DocRef) -> Decimal:
    """Release everything the order's lines hold; returns the total released."""
    return release_holder(s, ORDER_HOLDER, order_id, doc=doc)
