"""Submitting a cart: the review with differences, the fingerprint, a stale cart refused, and the
reservations passing to the order (approval then reserves only the rest). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from dealerhub.core import carts, sales
from dealerhub.core.pricing.models import ItemPrice
from dealerhub.shared import clock
from tests.carts.builders import balance, cart_reserved, make_world, nothing_written

D = Decimal
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _cart_with(db, w, *pairs, reserve_on=None, name="Ivanov"):
    with db.transaction() as s:
        cart = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name=name)
        carts.add_items(s, cart.id, partner_id=w.partner_id, user_id=None, items=[carts.ItemQuantity(i, D(q)) for i, q in pairs])
        if reserve_on:
            carts.reserve_lines(s, cart.id, partner_id=w.partner_id, user_id=None, warehouse_id=reserve_on)
        return cart.id


def _preview(db, w, cart_id, warehouse_id=None):
    with db.session() as s:
        return carts.preview_submit(
            s, cart_id, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=warehouse_id or w.main
        )


def _submit(db, w, cart_id, fingerprint, warehouse_id=None):
    with db.transaction() as s:
        return carts.submit_cart(
            s, cart_id, partner_id=w.partner_id, user_id=None, contractor_id=w.contractor_id,
            warehouse_id=warehouse_id or w.main, fingerprint=fingerprint,
        ).id


def test_submit_passes_reservations_to_the_order_and_approval_reserves_the_rest(core_db):
    w = make_world(core_db)
    cart_id = _cart_with(core_db, w, (w.piece, "4"), reserve_on=w.main)
    with core_db.transaction() as s:  # more pieces wanted after the reservation: 4 held, 2 not
        line_id = carts.get_cart(s, cart_id, w.partner_id).lines[0].id
        carts.set_quantity(s, cart_id, line_id, partner_id=w.partner_id, user_id=None, quantity="6")
    preview = _preview(core_db, w, cart_id)
    assert [(p.quantity, p.price, p.reserved, p.free, p.short) for p in preview.lines] == [(D(6), D("100.00"), D(4), D(6), D(0))]
    assert preview.differences == [] and preview.total == D("600.00")

    order_id = _submit(core_db, w, cart_id, preview.fingerprint)

    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert (order.status, order.partner_id, [(ln.quantity, ln.price) for ln in order.lines]) == (
            "submitted", w.partner_id, [(D(6), D("100.00"))]
        )
        assert carts.get_cart(s, cart_id, w.partner_id).lines == []
    assert cart_reserved(core_db, cart_id) == []
    with core_db.session() as s:
        assert [(p.ordered, p.reserved) for p in sales.get_order_progress(s, order_id)] == [(D(6), D(4))]
    assert balance(core_db, w.piece, w.main) == (D(10), D(4))  # held all along, never free in between

    with core_db.transaction() as s:
        sales.approve_customer_order(s, order_id, user_id=w.user_id)
    assert balance(core_db, w.piece, w.main) == (D(10), D(6))  # approval added only the 2 missing


def test_differences_are_shown_price_shortage_and_reservations_released(core_db):
    clock.freeze(T0)
    w = make_world(core_db, hours=24)
    cart_id = _cart_with(core_db, w, (w.piece, "12"), (w.litre, "2"), reserve_on=w.second)  # 3 pieces held on W2
    with core_db.transaction() as s:  # the price list changes after the dealer filled the cart
        s.add(ItemPrice(item_id=w.piece, price_type_id=w.price_type_id, price=D("110.00"), currency="RUB", valid_from=T0.date()))
    preview = _preview(core_db, w, cart_id, w.main)
    kinds = [(d.kind, d.old, d.new) for d in preview.differences]
    assert kinds == [
        ("price", D("100.00"), D("110.00")),
        ("short", D(12), D(10)),
        ("released", D(3), None),
    ]
    order_id = _submit(core_db, w, cart_id, preview.fingerprint, w.main)
    with core_db.session() as s:
        assert [ln.price for ln in sales.get_customer_order(s, order_id).lines] == [D("110.00"), D("50.50")]
    assert balance(core_db, w.piece, w.second) == (D(3), D(0))


def test_a_cart_changed_by_another_user_is_refused_and_nothing_changes(core_db):
    w = make_world(core_db)
    cart_id = _cart_with(core_db, w, (w.piece, "2"))
    seen = _preview(core_db, w, cart_id).fingerprint
    with core_db.transaction() as s:  # a colleague adds a line meanwhile
        carts.add_items(s, cart_id, partner_id=w.partner_id, user_id=None, items=[carts.ItemQuantity(w.litre, D(1))])
    with nothing_written(core_db, carts.StaleCart) as info:
        _submit(core_db, w, cart_id, seen)
    assert "changed by another user" in info.value.message


def test_stock_taken_between_review_and_confirmation_asks_for_a_new_review(core_db):
    w = make_world(core_db)
    cart_id = _cart_with(core_db, w, (w.piece, "2"))
    seen = _preview(core_db, w, cart_id).fingerprint
    other = _cart_with(core_db, w, (w.piece, "9"), name="Petrov")  # another cart reserves most of the stock
    with core_db.transaction() as s:
        carts.reserve_lines(s, other, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
    with nothing_written(core_db, carts.SubmitPreviewOutdated):
        _submit(core_db, w, cart_id, seen)


def test_expired_reservations_are_released_on_submit(core_db):
    clock.freeze(T0)
    w = make_world(core_db, hours=1)
    cart_id = _cart_with(core_db, w, (w.piece, "2"), reserve_on=w.main)
    clock.freeze(T0 + timedelta(hours=2))
    preview = _preview(core_db, w, cart_id)
    assert [(d.kind, d.old) for d in preview.differences] == [("released", D(2))]
    order_id = _submit(core_db, w, cart_id, preview.fingerprint)
    with core_db.session() as s:
        assert [p.reserved for p in sales.get_order_progress(s, order_id)] == [D(0)]
    assert balance(core_db, w.piece, w.main) == (D(10), D(0))


def test_empty_cart_and_a_warehouse_outside_the_agreement_are_refused(core_db):
    w = make_world(core_db)
    with core_db.transaction() as s:
        cart_id = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name="Empty").id
    with nothing_written(core_db, carts.CannotSubmit):
        _submit(core_db, w, cart_id, "1-x")
    full = _cart_with(core_db, w, (w.piece, "1"))
    with nothing_written(core_db, carts.WarehouseNotOfAgreement):
        _submit(core_db, w, full, "1-x", w.other)
