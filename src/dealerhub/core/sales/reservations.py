"""Reservations held by customer order lines: Holder("customer_order", order id, line id), no expiry.

Built on the stock area's reserve()/release(); the conditional update there is what keeps free
stock from going below zero, however many orders are approved at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.sales.queries import ORDER_HOLDER
from dealerhub.core.sales.rules import ZERO, to_reserve
from dealerhub.core.stock import (
    DocRef,
    Holder,
    InsufficientStock,
    get_balance,
    list_balances,
    list_for_holder,
    release,
    release_holder,
    reserve,
)

# Losing the race for free stock this many times in a row means other reservers keep taking it.
_MAX_ATTEMPTS = 50


def holder(order_id: int, line_id: int) -> Holder:
    return Holder(ORDER_HOLDER, order_id, line_id)


@dataclass(frozen=True)
class LineWant:
    line_id: int
    item_id: int
    quantity: Decimal


def reserve_lines_up_to(
    s: Session, *, order_id: int, warehouse_id: int, wants: list[LineWant], doc: DocRef
) -> dict[int, Decimal]:
    """Reserve for each line as much of what it wants as is free; returns what each line got.

    Free stock is read once for all the items, then taken line by line (by item, the lock order)
    with the conditional update; if a concurrent reserver took part of it meanwhile (PostgreSQL),
    the update matches nothing and that line looks again."""
    items = sorted({want.item_id for want in wants})
    free = {b.item_id: b.free for b in list_balances(s, item_ids=items, warehouse_id=warehouse_id)}
    got: dict[int, Decimal] = {}
    for want in sorted(wants, key=lambda w: (w.item_id, w.line_id)):
        got[want.line_id] = _reserve_up_to(s, order_id, warehouse_id, want, free.get(want.item_id, ZERO), doc)
        free[want.item_id] = free.get(want.item_id, ZERO) - got[want.line_id]
    return got


def _reserve_up_to(
    s: Session, order_id: int, warehouse_id: int, want: LineWant, free: Decimal, doc: DocRef
) -> Decimal:
    for _ in range(_MAX_ATTEMPTS):
        quantity = to_reserve(want.quantity, free)
        if quantity <= 0:
            return ZERO
        try:
            reserve(
                s,
                item_id=want.item_id,
                warehouse_id=warehouse_id,
                quantity=quantity,
                holder=holder(order_id, want.line_id),
                doc=doc,
            )
        except InsufficientStock:
            free = get_balance(s, want.item_id, warehouse_id).free
            continue
        return quantity
    return ZERO


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
