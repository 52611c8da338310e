"""What the moderation pages read: the queue of dealers' orders waiting for a manager, an order's
lines with what its warehouse can give each of them, the order's version (to refuse an action
decided on a page someone else has meanwhile acted on), and what a supplier order for the missing
goods would be prefilled with. Reads only: every change goes through the sales and purchasing use
cases (moderation.py, moderation_supply.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.purchasing.models import SupplierOrder, SupplierOrderLine
from dealerhub.core.sales import get_customer_order
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from dealerhub.core.sales.queries import reserved_by_line, shipped_by_line
from dealerhub.core.sales.rules import IN_MODERATION
from dealerhub.core.stock import get_balance

ZERO = Decimal(0)


@dataclass(frozen=True)
class QueueRow:
    order_id: int
    number: str
    doc_date: datetime
    status: str
    partner_id: int
    dealer: str
    warehouse_id: int
    lines: int
    amount: Decimal
    currency: str
    moderator_id: int | None


def moderation_queue(s: Session, *, limit: int, offset: int) -> tuple[list[QueueRow], int]:
    """Submitted orders and orders a manager has taken, oldest first."""
    o, ln = CustomerOrder, CustomerOrderLine
    waiting = o.status.in_(IN_MODERATION)
    total = s.scalar(select(func.count()).select_from(o).where(waiting)) or 0
    lines = (
        select(ln.order_id, func.count(ln.id).label("lines"), func.sum(ln.amount).label("amount"))
        .group_by(ln.order_id)
        .subquery()
    )
    rows = s.execute(
        select(
            o.id, o.number, o.doc_date, o.status, o.partner_id, Partner.name, o.warehouse_id,
            lines.c.lines, lines.c.amount, o.currency, o.moderator_id,
        )
        .join(Partner, Partner.id == o.partner_id)
        .outerjoin(lines, lines.c.order_id == o.id)
        .where(waiting)
        .order_by(o.doc_date, o.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        QueueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or 0, r[8] or ZERO, r[9], r[10]) for r in rows
    ], total


@dataclass(frozen=True)
class LineAvailability:
    """One order line against its warehouse: `free` is what the warehouse has free for it (shared
    out between lines of one item in line order), `reserved` what this order already holds for
    the line, `missing` what neither covers."""

    line_id: int
    line_no: int
    item_id: int
    ordered: Decimal
    price: Decimal
    amount: Decimal
    free: Decimal
    reserved: Decimal
    shipped: Decimal
    missing: Decimal


def availability(
    lines: Sequence[tuple[int, int, int, Decimal, Decimal, Decimal]],
    free_by_item: dict[int, Decimal],
    reserved: dict[int, Decimal],
    shipped: dict[int, Decimal],
) -> list[LineAvailability]:
    """`lines`: (line id, line no, item id, ordered, price, amount) in line order. Pure."""
    left = dict(free_by_item)
    result = []
    for line_id, line_no, item_id, ordered, price, amount in lines:
        held, gone = reserved.get(line_id, ZERO), shipped.get(line_id, ZERO)
        wanted = max(ZERO, ordered - gone - held)
        free = max(ZERO, left.get(item_id, ZERO))
        take = min(wanted, free)
        left[item_id] = free - take
        result.append(LineAvailability(line_id, line_no, item_id, ordered, price, amount, free, held, gone, wanted - take))
    return result


def order_availability(s: Session, order: CustomerOrder) -> list[LineAvailability]:
    ordered = sorted(order.lines, key=lambda ln: ln.line_no)
    free = {item_id: get_balance(s, item_id, order.warehouse_id).free for item_id in {ln.item_id for ln in ordered}}
    return availability(
        [(ln.id, ln.line_no, ln.item_id, ln.quantity, ln.price, ln.amount) for ln in ordered],
        free,
        reserved_by_line(s, order.id),
        shipped_by_line(s, order.id),
    )


def order_version(s: Session, order_id: int) -> int:
    """The id of the order's latest audit row: every moderation step writes one, so a page that
    carries an older version was decided on what is no longer there."""
    return s.scalar(
        select(func.max(AuditRecord.id)).where(
            AuditRecord.entity_type == CustomerOrder.doc_type, AuditRecord.entity_id == order_id
        )
    ) or 0


@dataclass(frozen=True)
class LastPurchase:
    """The item's most recent supplier order that was not cancelled."""

    item_id: int
    partner_id: int
    contractor_id: int
    currency: str
    exchange_rate: Decimal
    price: Decimal
    order_number: str


def last_purchases(s: Session, item_ids: Iterable[int]) -> dict[int, LastPurchase]:
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    so, sl = SupplierOrder, SupplierOrderLine
    rows = s.execute(
        select(sl.item_id, so.partner_id, so.contractor_id, so.currency, so.exchange_rate, sl.price, so.number)
        .join(so, so.id == sl.order_id)
        .where(sl.item_id.in_(ids), so.status != "cancelled")
        .order_by(so.id.desc(), sl.line_no)
    )
    found: dict[int, LastPurchase] = {}
    for row in rows:
        found.setdefault(row[0], LastPurchase(*row))
    return found


@dataclass(frozen=True)
class SupplyLine:
    item_id: int
    quantity: Decimal
    price: Decimal


@dataclass(frozen=True)
class SupplyGroup:
    """The missing goods one supplier order would ask for: the supplier's legal entity of the items'
    last purchases (None: never bought, the manager chooses), its currency, rate and last prices."""

    contractor_id: int | None
    currency: str
    exchange_rate: Decimal
    lines: list[SupplyLine]
    last_orders: list[str]


def supply_groups(s: Session, order_id: int) -> list[SupplyGroup]:
    """What is missing for the order, per item, grouped by the supplier each item was last bought
    from; the never-bought items come last, in one group."""
    order = get_customer_order(s, order_id)
    missing: dict[int, Decimal] = {}
    for line in order_availability(s, order):
        if line.missing > 0:
            missing[line.item_id] = missing.get(line.item_id, ZERO) + line.missing
    last = last_purchases(s, missing)
    # One supplier order per legal entity and currency the items were last bought in.
    groups: dict[tuple[int, str] | None, list[int]] = {}
    for item_id in missing:
        key = (last[item_id].contractor_id, last[item_id].currency) if item_id in last else None
        groups.setdefault(key, []).append(item_id)
    result = []
    for key in sorted(groups, key=lambda k: (k is None, k or (0, ""))):
        items = groups[key]
        known = [last[i] for i in items if i in last]
        head = known[0] if known else None
        result.append(
            SupplyGroup(
                head.contractor_id if head else None,
                head.currency if head else "RUB",
                head.exchange_rate if head else Decimal(1),
                [SupplyLine(i, missing[i], last[i].price if i in last else ZERO) for i in items],
                sorted({p.order_number for p in known}),
            )
        )
    return result


def supplier_contractors(s: Session) -> list[tuple[int, str]]:
    """(contractor id, "partner · legal entity") of every active supplier's active legal entity."""
    rows = s.execute(
        select(Contractor.id, Partner.name, Contractor.name)
        .join(Partner, Partner.id == Contractor.partner_id)
        .where(Partner.is_supplier, Partner.is_active, Contractor.is_active)
        .order_by(Partner.name, Contractor.name)
    )
    return [(cid, f"{partner} · {name}" if partner != name else name) for cid, partner, name in rows]
