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
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.core.stock.balances import (
    Key,
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
from dealerhub.core.stock.models import Reservation
from dealerhub.core.stock.reservation_rows import INSERT_MOVES, move_row, reservation_row, send_reservations
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.core.warehouses.names import warehouse_kind_name
from dealerhub.shared import clock
from dealerhub.shared.statements import Batch, Prepared, batch, in_list
from dealerhub.shared.texts import T

_WAREHOUSES = Warehouse.__table__
# Every reservation runs these: compiled once, run on the driver's cursor (shared/statements.py).
_WAREHOUSE_KINDS = Prepared(
    select(_WAREHOUSES.c.id, _WAREHOUSES.c.kind).where(in_list(_WAREHOUSES.c.id, "ids"))
)


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
    if not requests:
        return []
    plan = plan_reservations(session, requests, expires_at=expires_at, partial=partial)
    with batch(session.connection()) as b:  # the balances, the reservations and their moves: one round trip on PostgreSQL
        done = send_reservations_of(b, plan, doc)
    return done()


@dataclass(frozen=True)
class LockedStock:
    """What a reservation reads under the locks before it writes: the warehouses' kinds and
    (on hand, reserved) of the balance rows of `keys` (a key without a row has nothing on hand).
    A caller may read it in its own batch of statements (send_lock_where()) and pass it on."""

    kinds: dict[int, str]
    figures: dict[Key, tuple[Decimal, Decimal]]
    keys: frozenset[Key]


@dataclass(frozen=True)
class ReservationPlan:
    requests: list[ReserveRequest]
    grants: list[Decimal]
    deltas: dict[Key, tuple[Decimal, Decimal]]
    figures: dict[Key, tuple[Decimal, Decimal]]
    rows: list[dict]
    now: datetime


def plan_reservations(
    session: Session,
    requests: list[ReserveRequest],
    *,
    expires_at: datetime | None = None,
    partial: bool = False,
    locked: LockedStock | None = None,
) -> ReservationPlan:
    """The first half of reserve_many(): lock the balances (unless `locked` covers the requests),
    check the warehouses, share out the free stock; raises InsufficientStock or
    WarehouseClosedForSale (and has written nothing then, but released expired reservations)."""
    if any(r.quantity <= 0 for r in requests):
        raise ValueError("a reservation needs a positive quantity")
    warehouse_ids = {r.warehouse_id for r in requests}
    keys = sorted({(r.item_id, r.warehouse_id) for r in requests})
    if locked is None or not warehouse_ids <= locked.kinds.keys() or not locked.keys.issuperset(keys):
        locked = _lock(session, keys, warehouse_ids) if requests else LockedStock({}, {}, frozenset())
    _check_open_for_sale(warehouse_ids, locked.kinds)
    figures = locked.figures
    grants, shortages = _grant(requests, figures)
    if shortages or any(g < r.quantity for g, r in zip(grants, requests, strict=True)):
        # Expired reservations may still be holding goods: let them go, then look again.
        short_keys = {(r.item_id, r.warehouse_id) for g, r in zip(grants, requests, strict=True) if g < r.quantity}
        if sum(expire_due(session, item_id=i, warehouse_id=w) for i, w in sorted(short_keys)):
            figures = lock_balances(session, keys)
            grants, shortages = _grant(requests, figures)
    if shortages and not partial:
        raise InsufficientStock(shortages)
    deltas: dict[Key, tuple[Decimal, Decimal]] = {}
    for granted, r in zip(grants, requests, strict=True):
        key = (r.item_id, r.warehouse_id)
        deltas[key] = (ZERO, deltas.get(key, (ZERO, ZERO))[1] + granted)
    now = clock.now()
    rows = [
        reservation_row(r.item_id, r.warehouse_id, _holder(r.holder), g, now, expires_at)
        for g, r in zip(grants, requests, strict=True)
        if g > 0
    ]
    return ReservationPlan(requests, grants, deltas, figures, rows, now)


def send_reservations_of(
    b: Batch, plan: ReservationPlan, doc: DocRef
) -> Callable[[], list[tuple[Decimal, int | None]]]:
    """The second half of reserve_many(): the balance updates, the reservations and their moves
    sent in a batch (a caller's, with its own statements); after the batch, call the result for
    (granted quantity, reservation id) per request (it checks the balance updates)."""
    updated = send_updates(b, plan.deltas, plan.figures) if plan.deltas else None
    ids = send_reservations(b, plan.rows, doc, plan.now)

    def done() -> list[tuple[Decimal, int | None]]:
        check_updated(updated)
        by_request = iter(ids())
        return [(g, next(by_request) if g > 0 else None) for g in plan.grants]

    return done


def send_lock_where(b: Batch, balances: Prepared, params: dict[str, Any]) -> Callable[[dict[int, str], frozenset[Key]], LockedStock]:
    """Send a caller's read of LockedStock's balances: `balances` is a lock_statement(); after the
    batch, call the result with the kinds of the warehouses (which the caller read in the same
    batch, e.g. with its document) and the keys those balances cover."""
    balances_read = b.send(balances, params)
    return lambda kinds, keys: LockedStock(kinds, locked_figures(balances_read), keys)


def _holder(holder: Holder) -> tuple[str, int, int | None]:
    return holder.holder_type, holder.holder_id, holder.holder_line_id


def _lock(session: Session, keys: list[Key], warehouse_ids: set[int]) -> LockedStock:
    with batch(session.connection()) as b:  # one round trip on PostgreSQL
        kinds = b.send(_WAREHOUSE_KINDS, {"ids": warehouse_ids})
        lock = send_lock(b, keys)
    return LockedStock(dict(kinds.rows), locked_figures(lock), frozenset(keys))


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
    INSERT_MOVES.rowcount(
        session.connection(),
        move_row(reservation.id, reservation.item_id, reservation.warehouse_id, -qty, reason, doc, clock.now()),
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
                T(
                    "warehouse #%(warehouse)s (%(kind)s) is closed for sale",
                    warehouse=warehouse_id, kind=warehouse_kind_name(kind),
                ),
                warehouse_id=warehouse_id,
            )
