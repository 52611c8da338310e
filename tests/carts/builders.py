"""A small world for the cart tests: a dealer with an agreement (two priority warehouses, 48 h
reservations), a piece item and a litre item with prices and stock, and readers of the registers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core.carts.models import CART_HOLDER
from dealerhub.core.db import CoreBase
from dealerhub.core.pricing.models import AgreementWarehouse
from dealerhub.core.stock.models import Reservation
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal
TABLES = (
    "carts",
    "cart_lines",
    "customer_orders",
    "customer_order_lines",
    "reservations",
    "reservation_moves",
    "stock_balances",
    "audit_records",
    "document_counters",
)


@dataclass(frozen=True)
class World:
    partner_id: int
    contractor_id: int
    user_id: int
    piece: int  # item sold in pieces, 100.00
    litre: int  # item sold in litres (3 places), 50.50
    main: int  # priority 1 warehouse: 10 pieces, 5.5 litres
    second: int  # priority 2 warehouse: 3 pieces
    other: int  # a warehouse not in the agreement: 100 pieces
    agreement_id: int
    price_type_id: int


def make_world(db: Database, *, hours: int = 48) -> World:
    with db.transaction() as s:
        partner, contractor = f.dealer(s)
        user = f.staff(s, role="sales_manager")
        main, second, other = f.warehouse(s), f.warehouse(s), f.warehouse(s)
        pt = f.price_type(s)
        piece = f.item(s, article="6I-2503")
        litre = f.item(s, u=f.unit(s, "l", precision=3), article="OIL.15W40", name="Engine oil")
        f.price(s, piece, pt, "100.00")
        f.price(s, litre, pt, "50.50")
        f.put_stock(s, piece, main, "10")
        f.put_stock(s, litre, main, "5.5")
        f.put_stock(s, piece, second, "3")
        f.put_stock(s, piece, other, "100")
        ag = f.agreement(s, partner, pt, reservation_hours=hours)
        s.add_all([AgreementWarehouse(agreement_id=ag.id, warehouse_id=main.id, priority=1),
                   AgreementWarehouse(agreement_id=ag.id, warehouse_id=second.id, priority=2)])
        s.flush()
        return World(partner.id, contractor.id, user.id, piece.id, litre.id, main.id, second.id, other.id, ag.id, pt.id)


def snapshot(db: Database) -> dict[str, object]:
    tables = CoreBase.metadata.tables
    with db.session() as s:
        shot: dict[str, object] = {n: s.scalar(select(func.count()).select_from(tables[n])) for n in TABLES}
        for name in ("carts", "cart_lines", "reservations", "stock_balances", "customer_orders"):
            t = tables[name]
            shot[f"{name}.rows"] = s.execute(select(t).order_by(*t.primary_key.columns)).all()
    return shot


@contextmanager
def nothing_written(db: Database, error: type[Exception]) -> Iterator[pytest.ExceptionInfo]:
    before = snapshot(db)
    with pytest.raises(error) as info:
        yield info
    assert snapshot(db) == before


def cart_reserved(db: Database, cart_id: int) -> list[tuple[int, int, Decimal]]:
    """(item, warehouse, quantity) of the cart's reservations still holding goods."""
    with db.session() as s:
        rows = s.execute(
            select(Reservation.item_id, Reservation.warehouse_id, Reservation.quantity)
            .where(Reservation.holder_type == CART_HOLDER, Reservation.holder_id == cart_id, Reservation.quantity > 0)
            .order_by(Reservation.item_id, Reservation.warehouse_id, Reservation.id)
        )
        return [tuple(r) for r in rows]


def balance(db: Database, item_id: int, warehouse_id: int) -> tuple[Decimal, Decimal]:
    from dealerhub.core.stock.models import StockBalance

    with db.session() as s:
        b = s.get(StockBalance, (item_id, warehouse_id))
        return (b.on_hand, b.reserved) if b else (D(0), D(0))
