"""Balances are derived state: recompute them from the append-only moves, or check that they agree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from dealerhub.core.stock.models import Reservation, ReservationMove, StockBalance, StockMove


@dataclass(frozen=True)
class BalanceDifference:
    item_id: int
    warehouse_id: int
    stored_on_hand: Decimal
    stored_reserved: Decimal
    moves_on_hand: Decimal
    moves_reserved: Decimal


def balances_from_moves(session: Session) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    result: dict[tuple[int, int], list[Decimal]] = {}
    on_hand = select(StockMove.item_id, StockMove.warehouse_id, func.sum(StockMove.quantity)).group_by(
        StockMove.item_id, StockMove.warehouse_id
    )
    for item_id, warehouse_id, qty in session.execute(on_hand):
        result.setdefault((item_id, warehouse_id), [Decimal(0), Decimal(0)])[0] = qty
    reserved = select(ReservationMove.item_id, ReservationMove.warehouse_id, func.sum(ReservationMove.quantity)).group_by(
        ReservationMove.item_id, ReservationMove.warehouse_id
    )
    for item_id, warehouse_id, qty in session.execute(reserved):
        result.setdefault((item_id, warehouse_id), [Decimal(0), Decimal(0)])[1] = qty
    return {k: (v[0], v[1]) for k, v in result.items() if v != [0, 0]}


def find_differences(session: Session) -> list[BalanceDifference]:
    derived = balances_from_moves(session)
    stored = {
        (b.item_id, b.warehouse_id): (b.on_hand, b.reserved)
        for b in session.execute(select(StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved))
    }
    zero = (Decimal(0), Decimal(0))
    diffs = []
    for key in sorted(derived.keys() | stored.keys()):
        s, d = stored.get(key, zero), derived.get(key, zero)
        if s != d:
            diffs.append(BalanceDifference(key[0], key[1], s[0], s[1], d[0], d[1]))
    return diffs


def rebuild_balances(session: Session) -> int:
    """Replace stock_balances and reservations' remaining quantities with what the moves say.

    Run it inside one transaction; it locks the balance table on PostgreSQL so no posting
    interleaves. Returns the number of balance rows written."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("LOCK TABLE stock_balances IN EXCLUSIVE MODE")
    derived = balances_from_moves(session)
    session.execute(delete(StockBalance))
    if derived:
        session.execute(
            insert(StockBalance),
            [
                {"item_id": i, "warehouse_id": w, "on_hand": oh, "reserved": rs}
                for (i, w), (oh, rs) in sorted(derived.items())
            ],
        )
    remaining = dict(
        session.execute(
            select(ReservationMove.reservation_id, func.sum(ReservationMove.quantity)).group_by(
                ReservationMove.reservation_id
            )
        ).all()
    )
    for reservation_id, quantity in session.execute(select(Reservation.id, Reservation.quantity)).all():
        should = remaining.get(reservation_id, Decimal(0))
        if quantity != should:
            session.execute(update(Reservation).where(Reservation.id == reservation_id).values(quantity=should))
    return len(derived)
