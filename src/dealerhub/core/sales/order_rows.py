"""The customer order as table rows: the Core statements behind creating an order and moving it
through moderation, without loading it through the ORM on the way.

Every status change is still the conditional `UPDATE ... WHERE status IN (...)` with its row count
checked, plus an audit row; an order object the session already holds is kept in step, and the use
cases return the ORM object (from the identity map, or loaded once at the end).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from dealerhub.core.audit import Change, audit_params, audited_insert, record_changes
from dealerhub.core.documents import DocumentNotInStatus, next_number
from dealerhub.core.documents.lifecycle import move_status, send_move_status
from dealerhub.core.documents.names import not_in_status_text
from dealerhub.core.documents.numbering import numbered_insert
from dealerhub.core.sales.errors import SalesDocumentNotFound
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from dealerhub.core.sales.order_context import PricedLine
from dealerhub.core.sales.queries import ORDER_HOLDER, order_not_found
from dealerhub.core.stock import LockedStock, lock_statement, send_lock_where
from dealerhub.core.stock.models import Reservation
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from dealerhub.shared.statements import (
    Batch,
    Prepared,
    batch,
    column_types,
    insert_of,
    row_lists,
    unnest_rows,
)

ORDER = CustomerOrder.doc_type
_ORDERS, _LINES, _RESERVATIONS = CustomerOrder.__table__, CustomerOrderLine.__table__, Reservation.__table__
_WAREHOUSES = Warehouse.__table__


def insert_order(
    s: Session, *, user_id: int | None, lines: Sequence[PricedLine], **fields: Any
) -> CustomerOrder:
    """A new draft order with its number, lines and the audit row of its creation; `fields` are
    partner_id, contractor_id, warehouse_id, agreement_id, currency and comment. The caller has
    checked everything. Returns the order as if loaded (in the session, nothing left to flush)."""
    now = clock.now()
    header = {
        "doc_date": now,
        "status": "draft",
        "author_id": user_id,
        "created_at": now,
        "updated_at": now,
        "moderation_note": None,
        "moderator_id": None,
        **fields,
    }
    conn = s.connection()
    created = Change(ORDER, 0, "create", to_status="draft")  # its entity_id: the order's, once written
    rows = [
        {
            "line_no": line.line_no,
            "item_id": line.item_id,
            "quantity": line.quantity,
            "price": line.price,
            "discount_percent": line.discount_percent,
            "amount": line.amount,
            "vat_rate": line.vat_rate,
        }
        for line in lines
    ]
    if conn.dialect.name == "postgresql":  # the number, the order, its lines and audit row: one statement
        params = {**header, "doc_type": ORDER, "year": clock.today().year, "prefix": CustomerOrder.number_prefix}
        params.update(row_lists(rows, *_LINE_COLUMNS))
        params.update(audit_params(user_id=user_id, change=created), at=now)
        row = _create_order().one(conn, params)
        header["number"] = row.number
        return _as_loaded(s, row.id, header)
    header["number"] = next_number(s, ORDER, CustomerOrder.number_prefix)
    order_id = _INSERT_ORDER.one(conn, header).id
    for row in rows:
        row["order_id"] = order_id
    with batch(conn) as b:  # nobody needs the line ids yet
        b.send_many(_INSERT_LINES, rows)
        record_changes(s, user_id=user_id, changes=[replace(created, entity_id=order_id)], at=now, via=b)
    return _as_loaded(s, order_id, header)


def move_order(
    s: Session,
    order_id: int,
    allowed: tuple[str, ...],
    to_status: str,
    *,
    user_id: int | None,
    action: str,
    from_status: str | None = None,
    values: dict[str, Any] | None = None,
    **details: Any,
) -> CustomerOrder:
    """Move the order to `to_status` if it is in one of `allowed`, also setting plain column
    `values`; writes the audit row. `from_status`: what the caller read under the order's lock
    (needed when several statuses are allowed). Raises DocumentNotInStatus or SalesDocumentNotFound."""
    if from_status is None:
        if len(allowed) != 1:
            raise ValueError("from which status? several are allowed")
        from_status = allowed[0]
    values = values or {}
    at = move_status(
        s,
        _ORDERS,
        ORDER,
        order_id,
        allowed,
        to_status,
        from_status=from_status,
        user_id=user_id,
        action=action,
        values=values,
        details=details,
    )
    if at is None:
        raise not_in_status(s, order_id, allowed)
    return _in_step(s, order_id, to_status, at, values)


def _in_step(s: Session, order_id: int, to_status: str, at: datetime, values: dict[str, Any]) -> CustomerOrder:
    """The order object after a status change: the one the session holds, kept in step, or loaded."""
    held = s.identity_map.get(identity_key(CustomerOrder, order_id))
    if held is None:
        return _get(s, order_id)
    for name, value in {"status": to_status, "updated_at": at, **values}.items():
        set_committed_value(held, name, value)
    return held


def not_in_status(s: Session, order_id: int, allowed: tuple[str, ...]) -> Exception:
    """The error for an order that is not in one of `allowed` (or doesn't exist)."""
    row = _NUMBER_AND_STATUS.one(s.connection(), {"order_id": order_id})
    if row is None:
        return SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    return status_error(row.number, row.status, allowed)


def status_error(number: str, status: str, allowed: tuple[str, ...]) -> DocumentNotInStatus:
    """As documents.change_status words it."""
    return DocumentNotInStatus(not_in_status_text(ORDER, number, status, allowed), number=number, status=status)


@dataclass(frozen=True)
class LineToReserve:
    line_id: int
    item_id: int
    quantity: Decimal
    reserved: Decimal


@dataclass(frozen=True)
class OrderForApproval:
    order_id: int
    number: str
    status: str
    warehouse_id: int
    moderator_id: int | None
    lines: list[LineToReserve]


def lock_for_approval(s: Session, order_id: int) -> tuple[OrderForApproval, LockedStock]:
    """The order's row locked (FOR UPDATE on PostgreSQL, as queries.lock_order) with its
    warehouse's kind, its lines and what each line holds reserved now, and, locked in (item,
    warehouse) order after it, the balance rows of its lines on its warehouse: one round trip."""
    conn = s.connection()
    query = _FOR_APPROVAL_LOCKED if conn.dialect.name == "postgresql" else _FOR_APPROVAL
    params = {"order_id": order_id}
    with batch(conn) as b:
        order = b.send(query, params)
        stock = send_lock_where(b, _ORDER_BALANCES_LOCK, params)
    rows = order.rows
    if not rows:
        raise SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    first = rows[0]
    lines = [
        LineToReserve(r.line_id, r.item_id, r.quantity, r.reserved or Decimal(0))
        for r in rows
        if r.line_id is not None
    ]
    found = OrderForApproval(order_id, first.number, first.status, first.warehouse_id, first.moderator_id, lines)
    kinds = {found.warehouse_id: first.warehouse_kind}
    return found, stock(kinds, frozenset((line.item_id, found.warehouse_id) for line in lines))


def send_move_order(
    b: Batch, s: Session, order_id: int, allowed: tuple[str, ...], to_status: str, *, from_status: str,
    user_id: int | None, action: str, values: dict[str, Any],
) -> Callable[[], CustomerOrder]:  # fmt: skip
    """move_order() sent in a batch, for a caller holding the order's lock that has read its
    status (`from_status`); after the batch, call the result for the order object."""
    at, moved = send_move_status(
        b, s, _ORDERS, ORDER, order_id, allowed, to_status,
        from_status=from_status, user_id=user_id, action=action, values=values,
    )  # fmt: skip

    def done() -> CustomerOrder:
        if moved.rowcount != 1:  # pragma: no cover - the status was read under the order's lock
            raise RuntimeError(f"{ORDER} {order_id} changed under its lock")
        return _in_step(s, order_id, to_status, at, values)

    return done


def _get(s: Session, order_id: int) -> CustomerOrder:
    order = s.get(CustomerOrder, order_id)
    if order is None:  # pragma: no cover - we just updated its row
        raise SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    return order


def _as_loaded(s: Session, order_id: int, header: dict[str, Any]) -> CustomerOrder:
    """The order just written, put in the session as though loaded from its row; its lines are
    loaded when first asked for."""
    order = CustomerOrder(id=order_id, **header)
    make_transient_to_detached(order)  # `lines`, not set, is left expired
    s.add(order)
    return order


def _approval_query(*, locked: bool):
    o, ln, r, w = _ORDERS, _LINES, _RESERVATIONS, _WAREHOUSES
    reserved = (
        select(r.c.holder_line_id, func.sum(r.c.quantity).label("reserved"))
        .where(r.c.holder_type == ORDER_HOLDER, r.c.holder_id == bindparam("order_id"))
        .group_by(r.c.holder_line_id)
        .subquery("reserved")
    )
    query = (
        select(
            o.c.number,
            o.c.status,
            o.c.warehouse_id,
            o.c.moderator_id,
            w.c.kind.label("warehouse_kind"),
            ln.c.id.label("line_id"),
            ln.c.item_id,
            ln.c.quantity,
            reserved.c.reserved,
        )
        .select_from(
            o.join(w, w.c.id == o.c.warehouse_id)
            .outerjoin(ln, ln.c.order_id == o.c.id)
            .outerjoin(reserved, reserved.c.holder_line_id == ln.c.id)
        )
        .where(o.c.id == bindparam("order_id"))
        .order_by(ln.c.line_no)
    )
    return query.with_for_update(of=o) if locked else query


# They run for every order: compiled once, run on the driver's cursor (shared/statements.py).
_HEADER = (
    "number", "doc_date", "status", "author_id", "created_at", "updated_at", "moderation_note", "moderator_id",
    "partner_id", "contractor_id", "warehouse_id", "agreement_id", "currency", "comment",
)
_INSERT_ORDER = Prepared(insert_of(_ORDERS, *_HEADER).returning(_ORDERS.c.id))
_LINE_COLUMNS = ("line_no", "item_id", "quantity", "price", "discount_percent", "amount", "vat_rate")
_INSERT_LINES = Prepared(insert_of(_LINES, "order_id", *_LINE_COLUMNS))


@cache
def _create_order() -> Prepared:
    """PostgreSQL: `WITH counter AS (...), o AS (INSERT INTO customer_orders ... RETURNING id,
    number), l AS (INSERT INTO customer_order_lines ... FROM o, unnest(...)), a AS (INSERT INTO
    audit_records ... FROM o) SELECT id, number FROM o`: what insert_order() writes, in one round trip."""
    o = numbered_insert(_ORDERS, _HEADER[1:]).cte("o")
    given = unnest_rows(column_types(_LINES, *_LINE_COLUMNS))
    lines = (
        select(o.c.id, *(given.c[c] for c in _LINE_COLUMNS))
        .select_from(o)
        .join(given, true())
        .order_by(given.c.line_no)  # the lines' ids in their order, as one by one
    )
    written = _LINES.insert().from_select(["order_id", *_LINE_COLUMNS], lines).cte("l")
    audited = audited_insert(o, o.c.id, bindparam("at", type_=_ORDERS.c.created_at.type)).cte("a")
    return Prepared(select(o.c.id, o.c.number).add_cte(written, audited))
_NUMBER_AND_STATUS = Prepared(
    select(_ORDERS.c.number, _ORDERS.c.status).where(_ORDERS.c.id == bindparam("order_id"))
)
_FOR_APPROVAL = Prepared(_approval_query(locked=False))
_FOR_APPROVAL_LOCKED = Prepared(_approval_query(locked=True))
_ORDER_WAREHOUSE = select(_ORDERS.c.warehouse_id).where(_ORDERS.c.id == bindparam("order_id"))
_ORDER_BALANCES_LOCK = Prepared(
    lock_statement(
        select(_LINES.c.item_id, _ORDER_WAREHOUSE.scalar_subquery()).where(_LINES.c.order_id == bindparam("order_id"))
    )
)
