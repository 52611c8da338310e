"""Moving an approved order between approved / picking / partially_shipped / shipped as its picking
tasks and sales are posted and unposted, and what every order operation checks first."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.documents import DocumentNotInStatus, change_status
from dealerhub.core.documents.names import not_in_status_text
from dealerhub.core.sales.errors import OrderHasPostedPickingTasks
from dealerhub.core.sales.models import CustomerOrder, PickingTask
from dealerhub.core.sales.queries import has_posted_task, shipped_by_line
from dealerhub.core.sales.rules import FULFILMENT, ZERO, LineShipment, fulfilment_status
from dealerhub.shared.texts import T, Text


def require_status(doc: object, statuses: Iterable[str], action: str, *, hint: Text | None = None) -> None:
    """Refuse `action` unless the (locked, freshly read) document is in one of `statuses`;
    `hint` (what the person can do instead) ends the refusal."""
    allowed = tuple(statuses)
    status = doc.status  # type: ignore[attr-defined]
    if status not in allowed:
        number = doc.number  # type: ignore[attr-defined]
        message = not_in_status_text(type(doc).doc_type, number, status, allowed)  # type: ignore[attr-defined]
        if hint is not None:
            message = T("%(refusal)s (%(hint)s)", refusal=message, hint=hint)
        raise DocumentNotInStatus(message, number=number, status=status)


def require_no_posted_task(s: Session, order: CustomerOrder, action: str) -> None:
    """`action`: "unapprove", "cancel" or "close"."""
    if has_posted_task(s, order.id):
        raise OrderHasPostedPickingTasks(_picking_refusal(order.number, action), number=order.number)


def _picking_refusal(number: str, action: str) -> Text:
    if action == "unapprove":
        return T("the WMS is picking order %(number)s: unpost its picking tasks before you unapprove it", number=number)
    if action == "close":
        return T("the WMS is picking order %(number)s: unpost its picking tasks before you close it", number=number)
    return T("the WMS is picking order %(number)s: unpost its picking tasks before you cancel it", number=number)


def refresh_fulfilment_status(s: Session, order: CustomerOrder, *, user_id: int | None, cause: str) -> str:
    """Set the order's status from what its posted sales shipped and whether a posted picking task
    is open; writes an audit row only when the status changes."""
    shipped = shipped_by_line(s, order.id)
    status = fulfilment_status(
        [LineShipment(line.quantity, shipped.get(line.id, ZERO)) for line in order.lines],
        has_posted_task=has_posted_task(s, order.id),
    )
    if status != order.status:
        change_status(s, order, FULFILMENT, status, user_id=user_id, action="fulfilment", cause=cause)
    return status


def cancel_draft_tasks(s: Session, order: CustomerOrder, *, user_id: int | None, cause: str) -> int:
    """Cancel the order's draft picking tasks (they hold nothing); returns how many."""
    drafts = s.scalars(
        select(PickingTask)
        .where(PickingTask.customer_order_id == order.id, PickingTask.status == "draft")
        .order_by(PickingTask.id)
    ).all()
    for task in drafts:
        change_status(s, task, ("draft",), "cancelled", user_id=user_id, action="cancel", cause=cause)
    return len(drafts)
