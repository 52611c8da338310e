"""The dealer's view of its orders: a list scoped to the dealer, the status timeline from the audit
trail, and cancelling an order the distributor has not approved yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.sales.errors import SalesDocumentNotFound
from dealerhub.core.sales.fulfilment import require_status
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from dealerhub.core.sales.orders import cancel_customer_order
from dealerhub.core.sales.queries import lock_order, order_not_found
from dealerhub.core.sales.rules import ZERO
from dealerhub.shared.texts import T

# The dealer may cancel until the order is approved.
DEALER_CANCELLABLE = ("draft", "submitted", "awaiting_moderation")
_TIMELINE_ACTIONS = (
    "create", "submit", "take_for_moderation", "approve", "unapprove", "reject", "cancel", "close",
    "fulfilment", "change_quantities",
)


@dataclass(frozen=True)
class DealerOrderRow:
    id: int
    number: str
    doc_date: datetime
    status: str
    total: Any
    lines: int


def list_dealer_orders(s: Session, partner_id: int, *, limit: int = 50, offset: int = 0) -> tuple[list[DealerOrderRow], int]:
    o, ln = CustomerOrder, CustomerOrderLine
    total = s.scalar(select(func.count()).select_from(o).where(o.partner_id == partner_id)) or 0
    rows = s.execute(
        select(o.id, o.number, o.doc_date, o.status, func.count(ln.id))
        .outerjoin(ln, ln.order_id == o.id)
        .where(o.partner_id == partner_id)
        .group_by(o.id, o.number, o.doc_date, o.status)
        .order_by(o.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    sums: dict[int, Any] = {}
    ids = [r[0] for r in rows]
    if ids:
        for order_id, amount in s.execute(select(ln.order_id, ln.amount).where(ln.order_id.in_(ids))):
            sums[order_id] = sums.get(order_id, ZERO) + amount
    return [DealerOrderRow(r[0], r[1], r[2], r[3], sums.get(r[0], ZERO), r[4]) for r in rows], total


def get_dealer_order(s: Session, partner_id: int, order_id: int) -> CustomerOrder:
    order = s.get(CustomerOrder, order_id)
    if order is None or order.partner_id != partner_id:
        raise SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    return order


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    changes: list[dict]


def order_timeline(s: Session, order_id: int) -> list[TimelineEntry]:
    """What happened to the order, oldest first, as the audit trail recorded it."""
    rows = s.scalars(
        select(AuditRecord)
        .where(
            AuditRecord.entity_type == CustomerOrder.doc_type,
            AuditRecord.entity_id == order_id,
            AuditRecord.action.in_(_TIMELINE_ACTIONS),
        )
        .order_by(AuditRecord.id)
    )
    return [
        TimelineEntry(
            r.occurred_at, r.action, r.from_status, r.to_status,
            (r.details or {}).get("reason"), list((r.details or {}).get("changes") or []),
        )
        for r in rows
    ]


def cancel_by_dealer(s: Session, order_id: int, *, partner_id: int, user_id: int | None) -> CustomerOrder:
    """The dealer withdraws an order not yet approved; anything it holds is released."""
    order = lock_order(s, order_id)
    if order.partner_id != partner_id:
        raise SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    require_status(
        order, DEALER_CANCELLABLE, "cancelling by the dealer", hint=T("ask your manager once it is approved")
    )
    return cancel_customer_order(s, order_id, user_id=user_id, reason="cancelled by the dealer")
