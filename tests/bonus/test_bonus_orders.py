"""Spending the balance at cart submit: the cap, the balance, the spread to the kopeck, the
write-off linked to the order; given back on cancel, rejection, moderation's cut and closing;
nothing written on bad input. SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import bonus, carts, sales
from dealerhub.core.bonus.models import BonusEntry
from dealerhub.core.partners.models import Contractor
from tests.bonus.builders import counts, earn_balance
from tests.carts.builders import make_world

D = Decimal


def _cart(db, w, *pairs):
    with db.transaction() as s:
        cart = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name="Petrov")
        carts.add_items(s, cart.id, partner_id=w.partner_id, user_id=None, items=[carts.ItemQuantity(i, D(q)) for i, q in pairs])
        return cart.id


def _submit(db, w, cart_id, program, amount):
    with db.session() as s:
        fingerprint = carts.preview_submit(
            s, cart_id, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.main
        ).fingerprint
    with db.transaction() as s:
        return carts.submit_cart(
            s, cart_id, partner_id=w.partner_id, user_id=None, contractor_id=w.contractor_id, warehouse_id=w.main,
            fingerprint=fingerprint, bonus_program_id=program, bonus_amount=D(amount),
        ).id


def _order(db, order_id):
    with db.session() as s:
        order = sales.get_customer_order(s, order_id)
        return [(ln.quantity, ln.price, ln.amount) for ln in order.lines]


def _order_entries(db, order_id):
    with db.session() as s:
        return [tuple(r) for r in s.execute(
            select(BonusEntry.kind, BonusEntry.amount).where(BonusEntry.order_id == order_id).order_by(BonusEntry.id)
        )]


def _balance(db, w, program):
    with db.session() as s:
        return bonus.balances(s, w.partner_id)[program]


def test_bonus_lowers_the_line_prices_exactly_by_what_is_written_off(core_db):
    w = make_world(core_db)
    program = earn_balance(core_db, w)
    # 3 x 100.00 + 2.5 l x 50.50 (126.25) + 1 x 100.00 in a second cart line? one line per item:
    cart_id = _cart(core_db, w, (w.piece, "3"), (w.litre, "2.5"))  # 300.00 + 126.25 = 426.25, cap 127.87
    order_id = _submit(core_db, w, cart_id, program, "100.00")

    # shares 70.38 and 29.61 of 100.00: 3 x 23.46 = 70.38 and 2.5 x 11.85 = 29.62 (126.25 - 96.63);
    # one kopeck over would overshoot, so the lines drop by 70.38 + 29.62 = 100.00 exactly
    assert _order(core_db, order_id) == [(D(3), D("76.54"), D("229.62")), (D("2.5"), D("38.65"), D("96.63"))]
    assert _order_entries(core_db, order_id) == [("write_off", D("-100.00"))]
    assert _balance(core_db, w, program) == D("0.00")


def test_cancel_by_the_dealer_gives_the_bonus_back(core_db):
    w = make_world(core_db)
    program = earn_balance(core_db, w)
    order_id = _submit(core_db, w, _cart(core_db, w, (w.piece, "4")), program, "99.99")  # 4 x 25.00 would be 100.00
    assert _order(core_db, order_id) == [(D(4), D("75.01"), D("300.04"))]  # 4 x 24.99 = 99.96 of 99.99
    assert _order_entries(core_db, order_id) == [("write_off", D("-99.96"))]
    with core_db.transaction() as s:
        sales.cancel_by_dealer(s, order_id, partner_id=w.partner_id, user_id=None)
    assert _order_entries(core_db, order_id) == [("write_off", D("-99.96")), ("write_off_return", D("99.96"))]
    assert _balance(core_db, w, program) == D("100.00")
    with core_db.transaction() as s:  # settling again changes nothing
        assert bonus.settle_order(s, sales.get_customer_order(s, order_id), user_id=None) == []


def test_a_cut_by_moderation_and_then_rejection_return_their_shares(core_db):
    w = make_world(core_db)
    program = earn_balance(core_db, w)
    order_id = _submit(core_db, w, _cart(core_db, w, (w.piece, "3"), (w.litre, "2")), program, "100.00")
    # 300.00 + 101.00: shares 74.81 and 25.18 rounded down per unit (3 x 24.93, 2 x 12.59: 99.97);
    # a kopeck more a litre drops 0.02 more (99.99), a kopeck more a piece would overshoot
    assert _order(core_db, order_id) == [(D(3), D("75.07"), D("225.21")), (D(2), D("37.90"), D("75.80"))]
    assert _order_entries(core_db, order_id) == [("write_off", D("-99.99"))]
    with core_db.transaction() as s:
        sales.take_for_moderation(s, order_id, user_id=w.user_id)
        piece_line = sales.get_customer_order(s, order_id).lines[0].id
        sales.change_order_quantities(s, order_id, user_id=w.user_id, quantities={piece_line: D(1)}, reason="only one")
    # what stays: 1 x 24.93 + 2 x 12.60 = 50.13; back: 99.99 - 50.13
    assert _order_entries(core_db, order_id) == [("write_off", D("-99.99")), ("write_off_return", D("49.86"))]
    with core_db.transaction() as s:
        sales.reject_customer_order(s, order_id, user_id=w.user_id, reason="no stock")
    assert _order_entries(core_db, order_id) == [
        ("write_off", D("-99.99")), ("write_off_return", D("49.86")), ("write_off_return", D("50.13")),
    ]
    assert _balance(core_db, w, program) == D("100.00")


def test_closing_a_partly_shipped_order_returns_the_unshipped_share(core_db):
    w = make_world(core_db)
    program = earn_balance(core_db, w)
    order_id = _submit(core_db, w, _cart(core_db, w, (w.piece, "4")), program, "100.00")  # 4 x 25.00
    with core_db.transaction() as s:
        sales.take_for_moderation(s, order_id, user_id=w.user_id)
        sales.approve_customer_order(s, order_id, user_id=w.user_id)
        task = sales.create_picking_task(s, order_id, user_id=w.user_id)
        sales.post_picking_task(s, task.id, user_id=w.user_id)
        sale = sales.create_sale(s, task.id, user_id=w.user_id, despatched={task.lines[0].id: D(1)})
        sales.post_sale(s, sale.id, user_id=w.user_id)
        sales.close_customer_order(s, order_id, user_id=w.user_id)
    assert _order_entries(core_db, order_id) == [("write_off", D("-100.00")), ("write_off_return", D("75.00"))]
    assert _balance(core_db, w, program) == D("75.00")


@pytest.mark.parametrize(
    ("cap", "amount", "message"),
    [
        ("20", "80.21", "bonus may pay at most 20.00 % of an order: 80.20 of 401.00"),
        ("20", "80.20", None),  # exactly the cap
        ("100", "100.01", "you have 100.00 of bonus in Quarterly bonus, less than 100.01"),
        ("30", "0.001", "bonus to apply (0.001) must be positive, in kopecks at most"),
        ("30", "-5", "bonus to apply (-5) must be positive, in kopecks at most"),
    ],
)
def test_bad_bonus_is_refused_and_nothing_is_written(core_db, cap, amount, message):
    w = make_world(core_db)
    program = earn_balance(core_db, w, cap=cap)
    cart_id = _cart(core_db, w, (w.piece, "3"), (w.litre, "2"))
    before = counts(core_db)
    if message is None:
        order_id = _submit(core_db, w, cart_id, program, amount)
        assert _order_entries(core_db, order_id) == [("write_off", D("-80.20"))]
        return
    with pytest.raises(bonus.InvalidBonusUse) as refused:
        _submit(core_db, w, cart_id, program, amount)
    assert refused.value.message == message
    assert counts(core_db) == before
    with core_db.session() as s:
        assert len(carts.get_cart(s, cart_id, w.partner_id).lines) == 2


def test_a_program_that_does_not_allow_spending_refuses(core_db):
    w = make_world(core_db)
    program = earn_balance(core_db, w, usable=False)
    cart_id = _cart(core_db, w, (w.piece, "3"))
    before = counts(core_db)
    with pytest.raises(bonus.InvalidBonusUse) as refused:
        _submit(core_db, w, cart_id, program, "10.00")
    assert refused.value.message == "this program's bonus can't pay for orders"
    assert counts(core_db) == before
    with core_db.session() as s:
        assert s.scalar(select(Contractor.id).where(Contractor.id == w.contractor_id)) == w.contractor_id
