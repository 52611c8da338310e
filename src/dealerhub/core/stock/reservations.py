"""Reservations of free stock for a holder (a customer order line now, a dealer's cart later).

Reserving raises `reserved` on the balance row with the same conditional update as any posting,
so free stock never goes below zero. A reservation that has expired still holds its goods until it
is released: lazily, when a reserver finds the free stock short, or by the periodic sweep
(`dealerhub stock expire-reservations`, also run by the server).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dealerhub.core.stock.errors import InsufficientStock, ReservationNotFound, Shortage, WarehouseClosedForSale
from dealerhub.core.stock.ledger import ZERO, DocRef, change_balance, free_quantity
from dealerhub.core.stock.models import Reservation, ReservationMove
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.shared import clock


@dataclass(frozen=True)
class Holder:
    holder_type: str
    holder_id: int
    holder_line_id: int | None = None


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
    if quantity <= 0:
        raise ValueError("a reservation needs a positive quantity")
    _assert_open_for_sale(session, warehouse_id)
    if not change_balance(session, item_id, warehouse_id, d_reserved=quantity):
        # Expired reservations may still be holding goods: let them go, then try once more.
        if expire_due(session, item_id=item_id, warehouse_id=warehouse_id) == 0 or not change_balance(
            session, item_id, warehouse_id, d_reserved=quantity
        ):
            free = free_quantity(session, item_id, warehouse_id)
            raise InsufficientStock([Shortage(item_id, warehouse_id, quantity, free)])
    now = clock.now()
    reservation = Reservation(
        item_id=item_id,
        warehouse_id=warehouse_id,
        holder_type=holder.holder_type,
        holder_id=holder.holder_id,
        holder_line_id=holder.holder_line_id,
        quantity=quantity,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(reservation)
    session.flush()
    _write_move(session, reservation, quantity, "reserve", doc, now)
    return reservation


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
    if not change_balance(session, reservation.item_id, reservation.warehouse_id, d_reserved=-qty):
        raise RuntimeError(f"stock_balances disagrees with reservation {reservation.id}; run 'dealerhub stock rebuild'")
    _write_move(session, reservation, -qty, reason, doc, clock.now())
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


def get_reservation(session: Session, reservation_id: int) -> Reservation:
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        raise ReservationNotFound(f"reservation {reservation_id} not found")
    return reservation


def _assert_open_for_sale(session: Session, warehouse_id: int) -> None:
    kind = session.scalar(select(Warehouse.kind).where(Warehouse.id == warehouse_id))
    if kind is None or kind in CLOSED_FOR_SALE_KINDS:
        raise WarehouseClosedForSale(f"warehouse {warehouse_id} ({kind}) is closed for sale", warehouse_id=warehouse_id)


def _write_move(session: Session, r: Reservation, qty: Decimal, reason: str, doc: DocRef, at: datetime) -> None:
    session.execute(
        insert(ReservationMove).values(
            occurred_at=at,
            reservation_id=r.id,
            item_id=r.item_id,
            warehouse_id=r.warehouse_id,
            quantity=qty,
            reason=reason,
            document_type=doc.document_type,
            document_id=doc.document_id,
        )
    )
