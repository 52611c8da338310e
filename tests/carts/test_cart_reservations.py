"""Reserving cart lines on a priority warehouse: within free stock, for the agreement's reservation
lifetime; prolong, release, expiry by the sweeper shown on the cart. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from dealerhub.core import carts, stock
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from tests.carts.builders import balance, cart_reserved, make_world, nothing_written

D = Decimal
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _cart_with(db, w, *pairs):
    with db.transaction() as s:
        cart = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name="C")
        carts.add_items(s, cart.id, partner_id=w.partner_id, user_id=None, items=[carts.ItemQuantity(i, D(q)) for i, q in pairs])
        return cart.id, {ln.item_id: ln.id for ln in cart.lines}


def _holds(db, w, cart_id):
    with db.session() as s:
        cart = carts.get_cart(s, cart_id, w.partner_id)
        return {ln.item_id: carts.line_holds(s, cart)[ln.id] for ln in cart.lines}


def test_reserve_a_cart_takes_what_is_free_for_the_agreements_lifetime(core_db):
    clock.freeze(T0)
    w = make_world(core_db, hours=48)
    cart_id, _ = _cart_with(core_db, w, (w.piece, "4"), (w.litre, "7.5"))
    with core_db.transaction() as s:
        result = carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
    assert [(r.item_id, r.asked, r.reserved, r.short) for r in result] == [
        (w.piece, D(4), D(4), D(0)), (w.litre, D("7.5"), D("5.5"), D(2))
    ]
    assert balance(core_db, w.piece, w.main) == (D(10), D(4))
    assert balance(core_db, w.litre, w.main) == (D("5.5"), D("5.5"))
    holds = _holds(core_db, w, cart_id)
    assert holds[w.piece] == carts.LineHold(w.main, D(4), T0 + timedelta(hours=48), False, None)


def test_reserving_on_a_warehouse_outside_the_agreement_or_with_nothing_free_changes_nothing(core_db):
    w = make_world(core_db)
    cart_id, _lines = _cart_with(core_db, w, (w.litre, "1"))
    with nothing_written(core_db, carts.WarehouseNotOfAgreement), core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.other)
    # No litres on the second warehouse.
    with nothing_written(core_db, stock.InsufficientStock) as refused, core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.second)
    with core_db.session() as s:
        second = s.get(Warehouse, w.second)
        where = f"{second.code} · {second.name}"
    # What the dealer knows the item and the warehouse by, not their ids.
    assert str(refused.value) == f"not enough free stock: OIL.15W40 on warehouse {where}: needed 1, free 0"


def test_a_line_reserved_elsewhere_moves_to_the_new_warehouse(core_db):
    w = make_world(core_db)
    cart_id, lines = _cart_with(core_db, w, (w.piece, "2"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.second)
    with core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main, line_ids=[lines[w.piece]])
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.main, D(2))]
    assert balance(core_db, w.piece, w.second) == (D(3), D(0))


def test_prolong_release_and_expiry(core_db):
    clock.freeze(T0)
    w = make_world(core_db, hours=24)
    cart_id, lines = _cart_with(core_db, w, (w.piece, "2"), (w.litre, "1"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)

    clock.freeze(T0 + timedelta(hours=20))
    with core_db.transaction() as s:
        until = carts.prolong_lines(s, cart_id, partner_id=w.partner_id, user_id=None, line_ids=[lines[w.piece]])
    assert until == T0 + timedelta(hours=44)

    clock.freeze(T0 + timedelta(hours=30))  # the litre's reservation ran out, the piece's runs
    with core_db.transaction() as s:
        assert stock.expire_due(s) == 1  # the sweeper
    holds = _holds(core_db, w, cart_id)
    assert holds[w.litre] == carts.LineHold(w.main, D(0), None, True, T0 + timedelta(hours=24))
    assert holds[w.piece].reserved == D(2) and not holds[w.piece].expired
    with nothing_written(core_db, carts.ReservationExpired) as info, core_db.transaction() as s:
        carts.prolong_lines(s, cart_id, partner_id=w.partner_id, user_id=None, line_ids=[lines[w.litre]])
    assert "reserve it again" in info.value.message

    with core_db.transaction() as s:
        released = carts.release_by_dealer(s, cart_id, partner_id=w.partner_id, user_id=None)
    assert released == D(2)
    holds = _holds(core_db, w, cart_id)
    assert holds[w.piece] == carts.LineHold(None, D(0), None, False, None)
    assert holds[w.litre].expired is False  # released by the dealer: no longer shown as expired
    assert balance(core_db, w.piece, w.main) == (D(10), D(0))
    with nothing_written(core_db, carts.NothingReserved), core_db.transaction() as s:
        carts.prolong_lines(s, cart_id, partner_id=w.partner_id, user_id=None)


def test_reservation_never_outlives_the_agreement(core_db):
    clock.freeze(T0)
    w = make_world(core_db, hours=72)
    from dealerhub.core.pricing.models import DealerAgreement

    with core_db.transaction() as s:
        s.get(DealerAgreement, w.agreement_id).valid_to = T0.date()
    cart_id, _ = _cart_with(core_db, w, (w.piece, "1"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
    assert _holds(core_db, w, cart_id)[w.piece].expires_at == datetime(2026, 11, 29, tzinfo=UTC)
