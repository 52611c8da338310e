"""Customer orders: a dealer's order from draft through moderation to approval, cancellation and
closing. Approving reserves free stock for the lines; see picking.py and sale.py for fulfilment."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.audit import record_change
from dealerhub.core.documents import InvalidDocument, assert_draft, change_status
from dealerhub.core.sales.fulfilment import cancel_draft_tasks, require_no_posted_task
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from dealerhub.core.sales.order_context import OrderLineInput, PricedLine, load_context, price_lines
from dealerhub.core.sales.order_rows import (
    ORDER,
    insert_order,
    lock_for_approval,
    move_order,
    send_move_order,
    status_error,
)
from dealerhub.core.sales.queries import lock_order
from dealerhub.core.sales.reservations import LineWant, plan_lines_up_to, release_order
from dealerhub.core.sales.rules import APPROVED, CANCELLABLE, CLOSABLE, IN_MODERATION, SUBMITTABLE
from dealerhub.core.stock import DocRef, send_reservations_of
from dealerhub.shared import clock
from dealerhub.shared.statements import batch
from dealerhub.shared.texts import T

__all__ = [
    "OrderLineInput",
    "approve_customer_order",
    "cancel_customer_order",
    "close_customer_order",
    "create_customer_order",
    "reject_customer_order",
    "submit_customer_order",
    "take_for_moderation",
    "unapprove_customer_order",
    "update_customer_order",
]


def create_customer_order(
    s: Session,
    *,
    user_id: int | None,
    partner_id: int,
    contractor_id: int,
    warehouse_id: int,
    lines: Sequence[OrderLineInput],
    agreement_id: int | None = None,
    comment: str | None = None,
) -> CustomerOrder:
    on = clock.today()
    s.flush()
    context = load_context(
        s,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=warehouse_id,
        agreement_id=agreement_id,
        on=on,
        lines=lines,
    )
    context.check_contractor()
    context.check_warehouse()
    agreement = context.agreement()
    priced = price_lines(
        s, lines, agreement, on, items=context.items, prices=context.prices, programs=context.programs
    )
    return insert_order(
        s,
        user_id=user_id,
        lines=priced,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=warehouse_id,
        agreement_id=agreement.id if agreement else None,
        currency=agreement.currency if agreement else "RUB",
        comment=comment,
    )


def update_customer_order(
    s: Session,
    order_id: int,
    *,
    user_id: int | None,
    lines: Sequence[OrderLineInput] | None = None,
    warehouse_id: int | None = None,
    comment: str | None = None,
) -> CustomerOrder:
    """Change a draft order; new lines are priced again as of today."""
    order = lock_order(s, order_id)
    assert_draft(order)
    on = clock.today()
    changed = []
    moved_to = warehouse_id if warehouse_id != order.warehouse_id else None
    if moved_to is not None or lines is not None:
        context = load_context(
            s,
            partner_id=order.partner_id,
            contractor_id=order.contractor_id,
            warehouse_id=moved_to if moved_to is not None else order.warehouse_id,
            agreement_id=order.agreement_id,
            on=on,
        )
        if moved_to is not None:
            context.check_warehouse()
            order.warehouse_id = moved_to
            changed.append("warehouse_id")
        if lines is not None:
            agreement = context.agreement(in_force=False)
            order.lines = [_line_object(line) for line in price_lines(s, lines, agreement, on)]
            order.agreement_id = agreement.id if agreement else None
            changed.append("lines")
    if comment is not None:
        order.comment = comment
        changed.append("comment")
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=CustomerOrder.doc_type,
        entity_id=order.id,
        action="update",
        fields=changed,
    )
    return order


def submit_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    s.flush()
    return move_order(s, order_id, SUBMITTABLE, "submitted", user_id=user_id, action="submit")


def take_for_moderation(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """A sales manager takes a submitted order to review it."""
    s.flush()
    return move_order(
        s,
        order_id,
        ("submitted",),
        "awaiting_moderation",
        user_id=user_id,
        action="take_for_moderation",
        values={"moderator_id": user_id},
    )


def approve_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Approve the order and reserve, line by line, as much as is free on its warehouse.

    Two round trips on PostgreSQL: the order, its lines and their balance rows read under their
    locks; then the status change with its audit row, the balance updates and the reservations."""
    s.flush()
    found, stock = lock_for_approval(s, order_id)
    if found.status not in IN_MODERATION:
        raise status_error(found.number, found.status, IN_MODERATION)
    moderator_id = found.moderator_id if found.moderator_id is not None else user_id
    wants = [LineWant(line.line_id, line.item_id, line.quantity - line.reserved) for line in found.lines]
    plan = plan_lines_up_to(s, order_id=order_id, warehouse_id=found.warehouse_id, wants=wants, locked=stock)
    with batch(s.connection()) as b:
        order = send_move_order(
            b, s, order_id, IN_MODERATION, "approved", from_status=found.status, user_id=user_id,
            action="approve", values={"moderator_id": moderator_id},
        )  # fmt: skip
        reserved = send_reservations_of(b, plan, DocRef(ORDER, order_id))
    reserved()
    return order()


def unapprove_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Back to moderation: the reservations are released, draft picking tasks cancelled."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "unapprove")
    change_status(s, order, APPROVED, "awaiting_moderation", user_id=user_id, action="unapprove")
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} unapproved")
    release_order(s, order.id, doc=DocRef.of(order))
    return order


def reject_customer_order(s: Session, order_id: int, *, user_id: int | None, reason: str) -> CustomerOrder:
    """The manager refuses the order; the reason is shown to the dealer."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDocument(T("rejecting an order needs a reason for the dealer"))
    order = lock_order(s, order_id)
    change_status(s, order, IN_MODERATION, "cancelled", user_id=user_id, action="reject", reason=reason)
    order.moderation_note = reason
    order.moderator_id = user_id
    s.flush()
    release_order(s, order.id, doc=DocRef.of(order))  # what a submitted cart passed to the order
    bonus.settle_order(s, order, user_id=user_id)  # bonus spent on it goes back
    return order


def cancel_customer_order(
    s: Session, order_id: int, *, user_id: int | None, reason: str | None = None
) -> CustomerOrder:
    """Cancel an order while nothing of it is shipped or being picked: releases its reservations."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "cancel")
    change_status(s, order, CANCELLABLE, "cancelled", user_id=user_id, action="cancel", reason=reason)
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} cancelled")
    release_order(s, order.id, doc=DocRef.of(order))
    bonus.settle_order(s, order, user_id=user_id)  # bonus spent on it goes back
    return order


def close_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Nothing more will be shipped: release what the order still holds."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "close")
    change_status(s, order, CLOSABLE, "closed", user_id=user_id, action="close")
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} closed")
    release_order(s, order.id, doc=DocRef.of(order))
    bonus.settle_order(s, order, user_id=user_id)  # bonus on what was not shipped goes back
    return order


def _line_object(line: PricedLine) -> CustomerOrderLine:
    return CustomerOrderLine(
        line_no=line.line_no,
        item_id=line.item_id,
        quantity=line.quantity,
        price=line.price,
        discount_percent=line.discount_percent,
        amount=line.amount,
        vat_rate=line.vat_rate,
    )
