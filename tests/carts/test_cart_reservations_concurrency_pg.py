"""Many dealers reserving the same items at once on PostgreSQL, with real parallel connections:
nobody gets more than is free, nothing is lost, and the balances agree with the moves."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import carts, stock
from dealerhub.core.pricing.models import AgreementWarehouse
from dealerhub.core.stock.models import Reservation
from tests import factories as f
from tests.carts.builders import balance

pytestmark = pytest.mark.postgresql
D = Decimal


def _dealers(db, count: int, stock_by_item: list[str]):
    """`count` dealers, each with an agreement on one warehouse and a cart of every item."""
    with db.transaction() as s:
        wh, pt = f.warehouse(s), f.price_type(s)
        items = []
        for qty in stock_by_item:
            it = f.item(s)
            f.price(s, it, pt, "10.00")
            f.put_stock(s, it, wh, qty)
            items.append(it.id)
        dealers = []
        for _ in range(count):
            partner, _contractor = f.dealer(s)
            ag = f.agreement(s, partner, pt)
            s.add(AgreementWarehouse(agreement_id=ag.id, warehouse_id=wh.id, priority=1))
            s.flush()
            cart = carts.create_cart(s, partner_id=partner.id, user_id=None, name="Hot")
            carts.add_items(s, cart.id, partner_id=partner.id, user_id=None, items=[carts.ItemQuantity(i, D(3)) for i in items])
            dealers.append((partner.id, cart.id))
    return wh.id, items, dealers


def test_forty_dealers_reserving_the_same_items_never_oversell(pg_core_db):
    wh, items, dealers = _dealers(pg_core_db, 40, ["25", "7"])
    barrier = threading.Barrier(len(dealers))

    def reserve(dealer):
        partner_id, cart_id = dealer
        barrier.wait()
        try:
            with pg_core_db.transaction() as s:
                got = carts.reserve_lines(s, cart_id, partner_id=partner_id, user_id=None, warehouse_id=wh)
                return [r.reserved for r in got]
        except stock.InsufficientStock as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(dealers)) as pool:
        results = list(pool.map(reserve, dealers))

    unexpected = [r for r in results if not isinstance(r, list | stock.InsufficientStock)]
    assert unexpected == []
    granted = [r for r in results if isinstance(r, list)]
    assert sum(r[0] for r in granted) == D(25)  # every unit reserved, not one more
    assert sum(r[1] for r in granted) == D(7)
    assert all(D(0) <= q <= D(3) for r in granted for q in r)
    assert balance(pg_core_db, items[0], wh) == (D(25), D(25))
    assert balance(pg_core_db, items[1], wh) == (D(7), D(7))
    with pg_core_db.session() as s:
        held = s.scalar(select(func.sum(Reservation.quantity)).where(Reservation.holder_type == carts.CART_HOLDER))
        assert held == D(32)
        assert stock.find_differences(s) == []
