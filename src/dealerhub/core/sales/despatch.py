"""A despatch reported by the warehouse for a posted picking task, possibly in several parts.

Each part becomes a posted sale of what it shipped (the order lines' reservations consumed, the goods
written off); the task stays posted until the final part, which marks it done even if not all of
it was shipped. What was not shipped stays on the order, reserved, for a later picking task.
This is how the exchange's DESPATCH takes effect; a manager's sale goes through sale.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.documents import InvalidDocument, change_status, new_document
from dealerhub.core.sales.errors import DespatchExceedsPicked
from dealerhub.core.sales.fulfilment import refresh_fulfilment_status, require_status
from dealerhub.core.sales.models import PickingTask, Sale, SaleLine
from dealerhub.core.sales.queries import get_picking_task, lock_order, unit_precision_of
from dealerhub.core.sales.rules import ZERO, fits_unit, show
from dealerhub.core.sales.sale import post_sale, sale_lines
from dealerhub.shared.texts import T


def despatched_by_task_line(s: Session, task_id: int) -> dict[int, Decimal]:
    """What posted sales of the picking task shipped, per task line."""
    rows = s.execute(
        select(SaleLine.picking_task_line_id, func.sum(SaleLine.quantity))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.picking_task_id == task_id, Sale.status == "posted")
        .group_by(SaleLine.picking_task_line_id)
    )
    return {line_id: qty for line_id, qty in rows if line_id is not None}


def record_despatch(
    s: Session,
    task_id: int,
    *,
    user_id: int | None,
    despatched: Mapping[int, Decimal],
    final: bool,
    comment: str | None = None,
) -> Sale | None:
    """Ship `despatched` (picking task line id -> quantity) of a posted task as a posted sale.

    Each quantity is at most what is left of its line after earlier despatches (DespatchExceedsPicked
    otherwise) and fits the item's unit; zero quantities are allowed (nothing of that line went).
    `final` marks the task done. Returns the sale, or None when nothing at all was shipped."""
    task = get_picking_task(s, task_id)
    order = lock_order(s, task.customer_order_id)
    s.refresh(task, ["status"])
    require_status(task, ("posted",), "a despatch")
    quantities = _checked(s, task, despatched)
    if not quantities:
        if final:
            change_status(s, task, ("posted",), "done", user_id=user_id, action="despatch", sale=None)
            refresh_fulfilment_status(s, order, user_id=user_id, cause=task.number)
        return None
    sale = new_document(
        s,
        Sale,
        user_id=user_id,
        customer_order_id=order.id,
        picking_task_id=task.id,
        partner_id=order.partner_id,
        contractor_id=order.contractor_id,
        warehouse_id=task.warehouse_id,
        currency=order.currency,
        comment=comment,
        lines=sale_lines(order, task, quantities),
    )
    return post_sale(s, sale.id, user_id=user_id, close_task=final)


def _checked(s: Session, task: PickingTask, despatched: Mapping[int, Decimal]) -> dict[int, Decimal]:
    lines = {line.id: line for line in task.lines}
    unknown = sorted(set(despatched) - set(lines))
    if unknown:
        raise InvalidDocument(
            T("some of the lines are not lines of picking task %(number)s", number=task.number), number=task.number
        )
    done = despatched_by_task_line(s, task.id)
    precision = unit_precision_of(s, [line.item_id for line in lines.values()])
    quantities: dict[int, Decimal] = {}
    for line_id, quantity in despatched.items():
        line, quantity = lines[line_id], Decimal(quantity)
        left = line.quantity - done.get(line_id, ZERO)
        if quantity < 0:
            raise InvalidDocument(
                T(
                    "line %(line)s: despatched quantity %(quantity)s is negative",
                    line=line.line_no, quantity=show(quantity),
                ),
                line=line.line_no,
            )
        if quantity > left:
            raise DespatchExceedsPicked(
                T(
                    "line %(line)s: despatched %(quantity)s, but only %(left)s of the %(picked)s "
                    "on picking task %(number)s is left to ship",
                    line=line.line_no, quantity=show(quantity), left=show(left), picked=show(line.quantity),
                    number=task.number,
                ),
                line=line.line_no,
            )
        if not fits_unit(quantity, precision[line.item_id]):
            raise InvalidDocument(
                T("line %(line)s: %(quantity)s does not fit the item's unit", line=line.line_no, quantity=show(quantity)),
                line=line.line_no,
            )
        if quantity > 0:
            quantities[line_id] = quantity
    return quantities
