"""The stock ledger and reservations on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from dealerhub.core import stock
from dealerhub.core.stock.models import Reservation, ReservationMove, StockBalance, StockMove
from dealerhub.shared import clock
from tests import factories as f

D = Decimal


def _setup(core_db):
    with core_db.transaction() as s:
        it, wh = f.item(s), f.warehouse(s)
        f.put_stock(s, it, wh, "10")
        return it.id, wh.id


def test_moves_build_balance_and_free(core_db):
    item_id, wh_id = _setup(core_db)
    with core_db.transaction() as s:
        stock.write_stock_moves(s, stock.DocRef("test", 1), clock.now(), [stock.Move(item_id, wh_id, D("-3"))])
    with core_db.session() as s:
        b = stock.get_balance(s, item_id, wh_id)
        assert (b.on_hand, b.reserved, b.free) == (D("7.000"), D("0"), D("7"))
        assert [m.quantity for m in stock.list_moves(s, item_id=item_id)] == [D("-3"), D("10")]


def test_write_off_beyond_free_writes_nothing(core_db):
    item_id, wh_id = _setup(core_db)
    with core_db.transaction() as s:
        stock.reserve(
            s, item_id=item_id, warehouse_id=wh_id, quantity=D(8),
            holder=stock.Holder("test", 1), doc=stock.DocRef("test", 1),
        )
    with pytest.raises(stock.InsufficientStock) as err, core_db.transaction() as s:
        stock.write_stock_moves(s, stock.DocRef("test", 2), clock.now(), [stock.Move(item_id, wh_id, D("-3"))])
    assert err.value.shortages == [stock.Shortage(item_id, wh_id, D(3), D(2))]
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(StockMove)) == 1
        b = s.get(StockBalance, (item_id, wh_id))
        assert (b.on_hand, b.reserved) == (D(10), D(8))


def test_reserve_release_and_expire(core_db):
    item_id, wh_id = _setup(core_db)
    with core_db.transaction() as s:
        r = stock.reserve(
            s, item_id=item_id, warehouse_id=wh_id, quantity=D(6), holder=stock.Holder("cart", 5),
            doc=stock.DocRef("cart", 5), expires_at=clock.now() + timedelta(hours=1),
        )
        rid = r.id
    with pytest.raises(stock.InsufficientStock), core_db.transaction() as s:
        stock.reserve(s, item_id=item_id, warehouse_id=wh_id, quantity=D(5), holder=stock.Holder("cart", 6), doc=stock.DocRef("cart", 6))
    # Two hours later the first reservation has expired: the next reserver gets the goods.
    clock.freeze(clock.now() + timedelta(hours=2))
    with core_db.transaction() as s:
        stock.reserve(s, item_id=item_id, warehouse_id=wh_id, quantity=D(5), holder=stock.Holder("cart", 6), doc=stock.DocRef("cart", 6))
    with core_db.session() as s:
        assert stock.get_balance(s, item_id, wh_id).reserved == D(5)
        reasons = s.execute(select(ReservationMove.reason, ReservationMove.quantity).order_by(ReservationMove.id)).all()
        assert reasons == [("reserve", D(6)), ("expire", D(-6)), ("reserve", D(5))]
        assert s.get(Reservation, rid).quantity == D(0)


def test_moves_are_append_only(core_db):
    _setup(core_db)
    with pytest.raises(DBAPIError), core_db.transaction() as s:
        s.execute(text("UPDATE stock_moves SET quantity = 0"))
    with pytest.raises(DBAPIError), core_db.transaction() as s:
        s.execute(text("DELETE FROM stock_moves"))


def test_rebuild_restores_balances_from_moves(core_db):
    item_id, wh_id = _setup(core_db)
    with core_db.transaction() as s:
        stock.reserve(s, item_id=item_id, warehouse_id=wh_id, quantity=D(4), holder=stock.Holder("t", 1), doc=stock.DocRef("t", 1))
        s.execute(text("UPDATE stock_balances SET on_hand = 99000"))  # corrupt the derived table
    with core_db.session() as s:
        [diff] = stock.find_differences(s)
        assert (diff.stored_on_hand, diff.moves_on_hand) == (D(99), D(10))
    with core_db.transaction() as s:
        assert stock.rebuild_balances(s) == 1
    with core_db.session() as s:
        assert stock.find_differences(s) == []
        b = stock.get_balance(s, item_id, wh_id)
        assert (b.on_hand, b.reserved) == (D(10), D(4))


def test_defect_warehouse_is_closed_for_sale(core_db):
    with core_db.transaction() as s:
        it, wh = f.item(s), f.warehouse(s, kind="defect")
        f.put_stock(s, it, wh, "5")
        ids = it.id, wh.id
    with pytest.raises(stock.WarehouseClosedForSale), core_db.transaction() as s:
        stock.reserve(s, item_id=ids[0], warehouse_id=ids[1], quantity=D(1), holder=stock.Holder("t", 1), doc=stock.DocRef("t", 1))
    with core_db.session() as s:
        assert stock.get_balance(s, *ids).free == D(0)


def test_reserve_many_maps_ids_back_even_for_repeated_holders(core_db):
    """Two requests of one holder for one item take the ordered-insert path; ids still match rows."""
    item_id, wh_id = _setup(core_db)
    holder = stock.Holder("cart", 9, 1)
    with core_db.transaction() as s:
        granted = stock.reserve_many(
            s,
            [stock.ReserveRequest(item_id, wh_id, D(3), holder), stock.ReserveRequest(item_id, wh_id, D(4), holder)],
            doc=stock.DocRef("cart", 9),
        )
        rows = {rid: s.get(Reservation, rid).quantity for _, rid in granted}
    assert [g for g, _ in granted] == [D(3), D(4)]
    assert [rows[rid] for _, rid in granted] == [D(3), D(4)]
    with core_db.session() as s:
        assert stock.get_balance(s, item_id, wh_id).reserved == D(7)
        assert stock.find_differences(s) == []
