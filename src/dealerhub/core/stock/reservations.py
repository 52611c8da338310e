"""Reservations of free stock for a holder (a customer order line now, a dealer's cart later).

Reserving raises `reserved` on the balance row with the same conditional update as any posting,
so free stock never goes below zero. A reservation that has expired still holds its goods until it
is released: lazily, when a reserver finds the free stock short, or by the periodic sweep
(`dealerhub stock expire-reservations`, also run by the server).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Insert, bindparam, literal, select, update
from sqlalchemy.orm import Session

from dealerhub.core.stock.balances import (
    apply_deltas,
    check_updated,
    lock_balances,
    locked_figures,
    send_lock,
    send_updates,
)
from dealerhub.core.stock.errors import (
    InsufficientStock,
    Shortage,
    WarehouseClosedForSale,
)
from dealerhub.core.stock.ledger import ZERO, DocRef
from dealerhub.core.stock.models import Reservation, ReservationMove
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.shared import clock
from dealerhub.shared.statements import Batch, Prepared, batch, in_list, insert_of

_RESERVATIONS = Reservation.__table__
_MOVES = ReservationMove.__table__
_WAREHOUSES = Warehouse.__table__
# Every reservation runs these: compiled once, run on the driver's cursor (shared/statements.py).
_WAREHOUSE_KINDS = Prepared(
    select(_WAREHOUSES.c.id, _WAREHOUSES.c.kind).where(in_list(_WAREHOUSES.c.id, "ids"))
)
_MOVE_COLUMNS = (
    "occurred_at", "reservation_id", "item_id", "warehouse_id", "quantity", "reason", "document_type", "document_id"
)
_INSERT_MOVES = Prepared(insert_of(_MOVES, *_MOVE_COLUMNS))


@dataclass(frozen=True)
class Holder:
    holder_type: str
    holder_id: int
    holder_line_id: int | None = None


@dataclass(frozen=True)
class ReserveRequest:
    item_id: int
    warehouse_id: int
    quantity: Decimal
    holder: Holder


def reserve(
    session: Session,
    *,
    item_id: int,
    warehouse_id: int,
    quantity: Decimal,
    holder: Holder,
    doc: DocRef,
    expires_at: datetime | None = None,
) -> Reservation:
    """Reserve `quantity` of free stock; raises InsufficientStock (and writes nothing) if it isn't free."""
    [(_granted, reservation_id)] = reserve_many(
        session, [ReserveRequest(item_id, warehouse_id, quantity, holder)], doc=doc, expires_at=expires_at
    )
    return session.get(Reservation, reservation_id)


def reserve_many(
    session: Session,
    requests: list[ReserveRequest],
    *,
    doc: DocRef,
    expires_at: datetime | None = None,
    partial: bool = False,
) -> list[tuple[Decimal, int | None]]:
    """Reserve every request in one batch; returns (granted quantity, reservation id) per request.

    partial=False: all or nothing, InsufficientStock names every short line. partial=True: each
    request gets as much as is free (in the order given), possibly nothing. Expired reservations
    holding goods that a request needs are released first."""
    if any(r.quantity <= 0 for r in requests):
        raise ValueError("a reservation needs a positive quantity")
    if not requests:
        return []
    conn = session.connection()
    warehouse_ids = {r.warehouse_id for r in requests}
    keys = sorted({(r.item_id, r.warehouse_id) for r in requests})
    with batch(conn) as b:  # one round trip on PostgreSQL
        kinds = b.send(_WAREHOUSE_KINDS, {"ids": warehouse_ids})
        lock = send_lock(b, keys)
    _check_open_for_sale(warehouse_ids, dict(kinds.rows))
    locked = locked_figures(lock)
    grants, shortages = _grant(requests, locked)
    if shortages or any(g < r.quantity for g, r in zip(grants, requests, strict=True)):
        # Expired reservations may still be holding goods: let them go, then look again.
        short_keys = {(r.item_id, r.warehouse_id) for g, r in zip(grants, requests, strict=True) if g < r.quantity}
        if sum(expire_due(session, item_id=i, warehouse_id=w) for i, w in sorted(short_keys)):
            locked = lock_balances(session, keys)
            grants, shortages = _grant(requests, locked)
    if shortages and not partial:
        raise InsufficientStock(shortages)
    deltas: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}
    for granted, r in zip(grants, requests, strict=True):
        key = (r.item_id, r.warehouse_id)
        deltas[key] = (ZERO, deltas.get(key, (ZERO, ZERO))[1] + granted)
    now = clock.now()
    made = [(g, r) for g, r in zip(grants, requests, strict=True) if g > 0]
    rows = [_reservation_row(g, r, now, expires_at) for g, r in made]
    with batch(conn) as b:  # the balances, the reservations and their moves: one round trip on PostgreSQL
        updated = send_updates(b, deltas, locked)
        ids = _send_reservations(b, rows, doc, now)
    check_updated(updated)
    by_request = iter(ids())
    return [(g, next(by_request) if g > 0 else None) for g in grants]


def _grant(
    requests: list[ReserveRequest], locked: dict[tuple[int, int], tuple[Decimal, Decimal]]
) -> tuple[list[Decimal], list[Shortage]]:
    free = {key: on_hand - reserved for key, (on_hand, reserved) in locked.items()}
    grants, shortages = [], []
    for r in requests:
        key = (r.item_id, r.warehouse_id)
        available = max(free.get(key, ZERO), ZERO)
        granted = min(r.quantity, available)
        if granted < r.quantity:
            shortages.append(Shortage(r.item_id, r.warehouse_id, r.quantity, available))
        free[key] = available - granted
        grants.append(granted)
    return grants, shortages


def _send_reservations(b: Batch, rows: list[dict], doc: DocRef, now: datetime) -> Callable[[], list[int]]:
    """Insert the reservations and their "reserve" moves; returns how to get their ids (in the
    rows' order) once the batch is done. PostgreSQL: one statement (`WITH r AS (INSERT INTO
    reservations ... RETURNING ...), m AS (INSERT INTO reservation_moves ... FROM r) SELECT ...`)."""
    if not rows:
        return list
    keys = [tuple(row[c] for c in _IDENTITY) for row in rows]
    if b.conn.dialect.name != "postgresql" or len(set(keys)) != len(keys) or len(rows) > _BATCH:
        ids = _insert_reservations(b.conn, rows)
        moves = [
            _move_row(rid, row["item_id"], row["warehouse_id"], row["quantity"], "reserve", doc, now)
            for rid, row in zip(ids, rows, strict=True)
        ]
        _INSERT_MOVES.many(b.conn, moves)
        return lambda: ids
    params = {f"{c}_{n}": row[c] for n, row in enumerate(rows) for c in _RESERVATION_COLUMNS}
    params.update({"document_type": doc.document_type, "document_id": doc.document_id})
    pending = b.send(_reserve_with_moves(len(rows)), params)

    def ids() -> list[int]:
        by_key = {tuple(r[1 : 1 + len(_IDENTITY)]): r.id for r in pending.rows}
        return [by_key[key] for key in keys]

    return ids


def _reservation_row(granted: Decimal, r: ReserveRequest, now: datetime, expires_at: datetime | None) -> dict:
    return {
        "item_id": r.item_id,
        "warehouse_id": r.warehouse_id,
        "holder_type": r.holder.holder_type,
        "holder_id": r.holder.holder_id,
        "holder_line_id": r.holder.holder_line_id,
        "quantity": granted,
        "created_at": now,
        "expires_at": expires_at,
    }


_IDENTITY = ("item_id", "warehouse_id", "holder_type", "holder_id", "holder_line_id")
_RESERVATION_COLUMNS = (*_IDENTITY, "quantity", "created_at", "expires_at")
_INSERT_ONE = Prepared(insert_of(_RESERVATIONS, *_RESERVATION_COLUMNS).returning(_RESERVATIONS.c.id))
_INSERTS_RETURNING: dict[int, Prepared] = {}
_BATCH = 100  # rows per INSERT: 900 parameters, well within every database's limit


def _insert_reservations(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert the rows and return their ids in the rows' order: one multi-row INSERT ... RETURNING.

    The database may return RETURNING rows in any order; when every row's (item, warehouse,
    holder) is distinct, that identity maps each id back to its row. Otherwise one INSERT per row."""
    keys = [tuple(row[c] for c in _IDENTITY) for row in rows]
    if len(set(keys)) != len(keys):
        return [_INSERT_ONE.one(conn, row).id for row in rows]
    by_key = {}
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        params = {f"{c}_{n}": row[c] for n, row in enumerate(batch) for c in _RESERVATION_COLUMNS}
        by_key.update({tuple(r[1 : 1 + len(_IDENTITY)]): r.id for r in _insert_returning(len(batch)).rows(conn, params)})
    return [by_key[key] for key in keys]


_RESERVE_WITH_MOVES: dict[int, Prepared] = {}


def _reserve_with_moves(count: int) -> Prepared:
    """PostgreSQL: `count` reservations and their "reserve" moves in one statement (see
    _send_reservations); returns the reservations' id and identity."""
    stmt = _RESERVE_WITH_MOVES.get(count)
    if stmt is None:
        r = _multi_row_insert(count).cte("r")
        moves = select(
            r.c.created_at,
            r.c.id,
            r.c.item_id,
            r.c.warehouse_id,
            r.c.quantity,
            literal("reserve", _MOVES.c.reason.type),
            bindparam("document_type", type_=_MOVES.c.document_type.type),
            bindparam("document_id", type_=_MOVES.c.document_id.type),
        ).select_from(r)
        m = _MOVES.insert().from_select(list(_MOVE_COLUMNS), moves).cte("m")
        query = select(r.c.id, *(r.c[c] for c in _IDENTITY)).select_from(r).add_cte(m)
        stmt = _RESERVE_WITH_MOVES[count] = Prepared(query)
    return stmt


def _multi_row_insert(count: int) -> Insert:
    t = _RESERVATIONS
    values = [
        {c: bindparam(f"{c}_{n}", type_=t.c[c].type, required=True) for c in _RESERVATION_COLUMNS}
        for n in range(count)
    ]
    return t.insert().values(values).returning(t.c.id, *(t.c[c] for c in _IDENTITY), t.c.quantity, t.c.created_at)


def _insert_returning(count: int) -> Prepared:
    """INSERT of `count` rows (parameters `column_n`) returning id and identity; one per row count."""
    stmt = _INSERTS_RETURNING.get(count)
    if stmt is None:
        stmt = _INSERTS_RETURNING[count] = Prepared(_multi_row_insert(count))
    return stmt


def release(
    session: Session, reservation: Reservation, *, doc: DocRef, reason: str = "release", quantity: Decimal | None = None
) -> Decimal:
    """Give back `quantity` (all that is left by default) of a reservation; returns what was released."""
    qty = reservation.quantity if quantity is None else quantity
    if qty <= 0:
        return ZERO
    result = session.execute(
        update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.quantity >= qty)
        .values(quantity=Reservation.quantity - qty)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        # Someone (the expiry sweep, a parallel release) already took it.
        session.refresh(reservation)
        return ZERO
    if apply_deltas(session, {(reservation.item_id, reservation.warehouse_id): (ZERO, -qty)}):
        raise RuntimeError(f"stock_balances disagrees with reservation {reservation.id}; run 'dealerhub stock rebuild'")
    _INSERT_MOVES.rowcount(
        session.connection(),
        _move_row(reservation.id, reservation.item_id, reservation.warehouse_id, -qty, reason, doc, clock.now()),
    )
    session.refresh(reservation, ["quantity"])
    return qty


def release_holder(session: Session, holder_type: str, holder_id: int, *, doc: DocRef, reason: str = "release") -> Decimal:
    total = ZERO
    for reservation in list_for_holder(session, holder_type, holder_id):
        total += release(session, reservation, doc=doc, reason=reason)
    return total


def expire_due(
    session: Session, *, now: datetime | None = None, item_id: int | None = None, warehouse_id: int | None = None,
    limit: int = 1000,
) -> int:
    """Release reservations whose time is up; returns how many were released."""
    now = now or clock.now()
    query = select(Reservation).where(
        Reservation.expires_at.is_not(None), Reservation.expires_at <= now, Reservation.quantity > 0
    )
    if item_id is not None:
        query = query.where(Reservation.item_id == item_id)
    if warehouse_id is not None:
        query = query.where(Reservation.warehouse_id == warehouse_id)
    query = query.order_by(Reservation.item_id, Reservation.warehouse_id, Reservation.id).limit(limit)
    count = 0
    for reservation in session.scalars(query).all():
        if release(session, reservation, doc=DocRef(reservation.holder_type, reservation.holder_id), reason="expire"):
            count += 1
    return count


def list_for_holder(session: Session, holder_type: str, holder_id: int, *, active_only: bool = True) -> list[Reservation]:
    query = select(Reservation).where(Reservation.holder_type == holder_type, Reservation.holder_id == holder_id)
    if active_only:
        query = query.where(Reservation.quantity > 0)
    return list(session.scalars(query.order_by(Reservation.item_id, Reservation.warehouse_id, Reservation.id)))


def _check_open_for_sale(warehouse_ids: set[int], kinds: dict[int, str]) -> None:
    for warehouse_id in sorted(warehouse_ids):
        kind = kinds.get(warehouse_id)
        if kind is None or kind in CLOSED_FOR_SALE_KINDS:
            raise WarehouseClosedForSale(
                f"warehouse {warehouse_id} ({kind}) is closed for sale", warehouse_id=warehouse_id
            )


def _move_row(
    reservation_id: int, item_id: int, warehouse_id: int, qty: Decimal, reason: str, doc: DocRef, at: datetime
) -> dict:
    return {
        "occurred_at": at,
        "reservation_id": reservation_id,
        "item_id": item_id,
        "warehouse_id": warehouse_id,
        "quantity": qty,
        "reason": reason,
        "document_type": doc.document_type,
        "document_id": doc.document_id,
    }
