"""Carts and their lines on SQLite and PostgreSQL: exact results, and nothing written on refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import carts
from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared.db import Database
from tests.carts.builders import cart_reserved, make_world, nothing_written

D = Decimal


def _cart(db: Database, w, name: str = "Ivanov") -> int:
    with db.transaction() as s:
        return carts.create_cart(s, partner_id=w.partner_id, user_id=None, name=name).id


def _lines(db: Database, w, cart_id: int) -> list[tuple[int, Decimal, Decimal | None]]:
    with db.session() as s:
        cart = carts.get_cart(s, cart_id, w.partner_id)
        return [(ln.item_id, ln.quantity, ln.price) for ln in cart.lines]


def _add(db: Database, w, cart_id: int, *pairs: tuple[int, str]) -> None:
    with db.transaction() as s:
        carts.add_items(
            s, cart_id, partner_id=w.partner_id, user_id=None,
            items=[carts.ItemQuantity(i, D(q)) for i, q in pairs],
        )


def test_several_named_carts_per_dealer_with_their_lines(core_db):
    w = make_world(core_db)
    first, _second = _cart(core_db, w, "  Ivanov   LLC "), _cart(core_db, w, "Petrov")
    _add(core_db, w, first, (w.piece, "2"), (w.litre, "1.25"))
    _add(core_db, w, first, (w.piece, "3"))  # the same item again: the line grows

    assert _lines(core_db, w, first) == [(w.piece, D("5"), D("100.00")), (w.litre, D("1.25"), D("50.50"))]
    with core_db.session() as s:
        listed = [(c.name, c.lines) for c in carts.list_carts(s, w.partner_id)]
        assert listed == [("Ivanov LLC", 2), ("Petrov", 0)]
        assert carts.get_cart(s, first, w.partner_id).version == 3  # created, then two changes


@pytest.mark.parametrize(
    ("item", "quantity", "message"),
    [
        ("piece", "1.5", "this item is sold in whole"),
        ("piece", "-2", "quantity must be positive"),
        ("piece", "0", "quantity must be positive"),
        ("litre", "0.0005", "at most 3 decimal places"),
    ],
)
def test_bad_quantities_are_refused_and_nothing_changes(core_db, item, quantity, message):
    w = make_world(core_db)
    cart_id = _cart(core_db, w)
    _add(core_db, w, cart_id, (w.litre, "1"))
    with nothing_written(core_db, carts.InvalidCartInput) as info:
        _add(core_db, w, cart_id, (w.litre, "2"), (getattr(w, item), quantity))
    assert message in info.value.message


def test_quantity_change_and_removal_release_what_the_line_no_longer_needs(core_db):
    w = make_world(core_db)
    cart_id = _cart(core_db, w)
    _add(core_db, w, cart_id, (w.piece, "6"), (w.litre, "2"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, cart_id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
    with core_db.session() as s:
        line_ids = {ln.item_id: ln.id for ln in carts.get_cart(s, cart_id, w.partner_id).lines}

    with core_db.transaction() as s:
        carts.set_quantity(s, cart_id, line_ids[w.piece], partner_id=w.partner_id, user_id=None, quantity="4")
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.main, D(4)), (w.litre, w.main, D(2))]

    with core_db.transaction() as s:
        carts.set_quantity(s, cart_id, line_ids[w.piece], partner_id=w.partner_id, user_id=None, quantity="9")
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.main, D(4)), (w.litre, w.main, D(2))]  # no top-up by itself

    with core_db.transaction() as s:
        carts.remove_lines(s, cart_id, [line_ids[w.litre]], partner_id=w.partner_id, user_id=None)
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.main, D(4))]
    assert _lines(core_db, w, cart_id) == [(w.piece, D(9), D("100.00"))]


def test_a_name_is_unique_per_dealer_and_rename_and_delete(core_db):
    w = make_world(core_db)
    first, second = _cart(core_db, w, "A"), _cart(core_db, w, "B")
    with nothing_written(core_db, carts.CartNameTaken), core_db.transaction() as s:
        carts.rename_cart(s, second, partner_id=w.partner_id, user_id=None, name="A")
    with nothing_written(core_db, carts.InvalidCartInput), core_db.transaction() as s:
        carts.create_cart(s, partner_id=w.partner_id, user_id=None, name="   ")
    with core_db.transaction() as s:
        carts.rename_cart(s, second, partner_id=w.partner_id, user_id=None, name="C")
    _add(core_db, w, first, (w.piece, "2"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, first, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
        carts.delete_cart(s, first, partner_id=w.partner_id, user_id=None)
    with core_db.session() as s:
        assert [c.name for c in carts.list_carts(s, w.partner_id)] == ["C"]
        actions = list(s.scalars(select(AuditRecord.action).where(AuditRecord.entity_type == "cart", AuditRecord.entity_id == first).order_by(AuditRecord.id)))
    assert actions == ["create", "add", "reserve", "delete"]
    assert cart_reserved(core_db, first) == []


def test_another_dealers_cart_is_not_found(core_db):
    w, other = make_world(core_db), make_world(core_db)
    cart_id = _cart(core_db, w)
    with nothing_written(core_db, carts.CartNotFound):
        _add(core_db, other, cart_id, (w.piece, "1"))
    with nothing_written(core_db, carts.CartNotFound), core_db.transaction() as s:
        carts.delete_cart(s, cart_id, partner_id=other.partner_id, user_id=None)


def test_moving_lines_merges_quantities_and_carries_reservations(core_db):
    w = make_world(core_db)
    source, target = _cart(core_db, w, "S"), _cart(core_db, w, "T")
    _add(core_db, w, source, (w.piece, "3"), (w.litre, "1"))
    _add(core_db, w, target, (w.piece, "2"))
    with core_db.transaction() as s:
        carts.reserve_lines(s, source, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
        carts.reserve_lines(s, target, partner_id=w.partner_id, user_id=None, warehouse_id=w.second)
    with core_db.session() as s:
        ids = [ln.id for ln in carts.get_cart(s, source, w.partner_id).lines]

    with core_db.transaction() as s:
        result = carts.move_lines(s, source, ids, to_cart_id=target, partner_id=w.partner_id, user_id=None)

    assert (result.moved, result.merged, result.released) == (2, 1, D(3))  # the pieces: target holds them elsewhere
    assert _lines(core_db, w, source) == []
    assert sorted(_lines(core_db, w, target)) == sorted([(w.piece, D(5), D("100.00")), (w.litre, D(1), D("50.50"))])
    assert cart_reserved(core_db, source) == []
    assert cart_reserved(core_db, target) == [(w.piece, w.second, D(2)), (w.litre, w.main, D(1))]


def test_repeat_an_order_into_a_cart(core_db):
    w = make_world(core_db)
    cart_id = _cart(core_db, w)
    from dealerhub.core import sales

    with core_db.transaction() as s:
        order = sales.create_customer_order(
            s, user_id=None, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.main,
            lines=[sales.OrderLineInput(w.piece, D(2)), sales.OrderLineInput(w.litre, D("0.5"))],
        )
    with core_db.transaction() as s:
        result = carts.repeat_order(s, order.id, cart_id, partner_id=w.partner_id, user_id=None)
    assert (result.added, result.skipped) == (2, [])
    assert _lines(core_db, w, cart_id) == [(w.piece, D(2), D("100.00")), (w.litre, D("0.5"), D("50.50"))]
    other = make_world(core_db)
    other_cart = _cart(core_db, other)
    with nothing_written(core_db, sales.SalesDocumentNotFound), core_db.transaction() as s:
        carts.repeat_order(s, order.id, other_cart, partner_id=other.partner_id, user_id=None)
