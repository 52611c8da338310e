"""The settlements register: a sale debits the dealer's contractor by its total, a customer return
and an incoming payment credit it, unposting appends the opposite move; balances at any date are
sums of moves; the register refuses UPDATE and DELETE."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dealerhub.core import sales, settlements
from dealerhub.shared import clock
from tests.integration.sales_builders import (
    approved_order,
    audit,
    make_world,
    nothing_written,
    posted_sale,
    posted_task,
)

D = Decimal


def moves(db, contractor_id, date_from=date(2000, 1, 1), date_to=date(2100, 1, 1)):
    with db.session() as s:
        return [
            (e.document_type, e.document_number, e.amount, e.is_reversal)
            for e in settlements.settlement_moves(s, contractor_id, date_from, date_to)
        ]


def balance(db, contractor_id, at=None):
    with db.session() as s:
        return settlements.contractor_balance(s, contractor_id, at)


def pay(db, w, amount, paid_on=date(2026, 4, 1), *, post=True, **kwargs):
    with db.transaction() as s:
        payment = settlements.create_incoming_payment(
            s, user_id=w.manager_id, contractor_id=w.contractor_id, amount=amount, paid_on=paid_on,
            bank_reference="п/п 512 от 01.04.2026", **kwargs,
        )
        if post:
            settlements.post_incoming_payment(s, payment.id, user_id=w.manager_id)
        return payment.id, payment.number


def test_sale_return_payment_and_their_unposting(core_db):
    clock.freeze(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    w = make_world(core_db)  # prices 100.00 and 250.00
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, approved_order(core_db, w, ("4", "2"))))
    with core_db.session() as s:
        sale = sales.get_sale(s, sale_id)
        sale_no, (line_a, _) = sale.number, [ln.id for ln in sale.lines]
    assert moves(core_db, w.contractor_id) == [("sale", sale_no, D("900.00"), False)]
    assert balance(core_db, w.contractor_id) == D("900.00")

    with core_db.transaction() as s:
        ret = sales.create_customer_return(
            s, sale_id, user_id=w.manager_id, warehouse_id=w.warehouse_id, reason="leak", lines={line_a: D(1)}
        )
        sales.post_customer_return(s, ret.id, user_id=w.manager_id)
        ret_id, ret_no = ret.id, ret.number
    clock.freeze(datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    pay_id, pay_no = pay(core_db, w, "500.00")
    assert moves(core_db, w.contractor_id) == [
        ("sale", sale_no, D("900.00"), False),
        ("customer_return", ret_no, D("-100.00"), False),
        ("incoming_payment", pay_no, D("-500.00"), False),
    ]
    assert balance(core_db, w.contractor_id) == D("300.00")
    assert balance(core_db, w.contractor_id, date(2026, 3, 30)) == D("0")
    assert balance(core_db, w.contractor_id, date(2026, 3, 31)) == D("800.00")
    assert balance(core_db, w.contractor_id, date(2026, 4, 1)) == D("300.00")

    with core_db.transaction() as s:
        settlements.unpost_incoming_payment(s, pay_id, user_id=w.manager_id)
        sales.unpost_customer_return(s, ret_id, user_id=w.manager_id)
        sales.unpost_sale(s, sale_id, user_id=w.manager_id)
    assert moves(core_db, w.contractor_id) == [
        ("sale", sale_no, D("900.00"), False),
        ("customer_return", ret_no, D("-100.00"), False),
        ("customer_return", ret_no, D("100.00"), True),
        ("sale", sale_no, D("-900.00"), True),
        ("incoming_payment", pay_no, D("-500.00"), False),
        ("incoming_payment", pay_no, D("500.00"), True),
    ]
    # Reversals carry the document's date: every day's balance is as if nothing had happened.
    assert balance(core_db, w.contractor_id, date(2026, 3, 31)) == D("0")
    assert balance(core_db, w.contractor_id) == D("0")
    assert audit(core_db, "incoming_payment", pay_id) == [
        ("create", None, "draft"), ("post", "draft", "posted"), ("unpost", "posted", "draft")
    ]


def test_posting_again_after_unposting_debits_once_more(core_db):
    w = make_world(core_db)
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, approved_order(core_db, w, ("1", "1"))))
    with core_db.transaction() as s:
        sales.unpost_sale(s, sale_id, user_id=w.manager_id)
        sales.post_sale(s, sale_id, user_id=w.manager_id)
    assert [(m[2], m[3]) for m in moves(core_db, w.contractor_id)] == [
        (D("350.00"), False), (D("-350.00"), True), (D("350.00"), False)
    ]
    assert balance(core_db, w.contractor_id) == D("350.00")


@pytest.mark.parametrize(
    ("amount", "reference", "message"),
    [
        ("0", "п/п 1", "must be positive"),
        ("-5", "п/п 1", "must be positive"),
        ("10.005", "п/п 1", "more than two decimal places"),
        ("ten", "п/п 1", "is not an amount"),
        ("10.00", "  ", "needs the bank's reference"),
    ],
)
def test_a_bad_payment_writes_nothing(core_db, amount, reference, message):
    w = make_world(core_db)
    with nothing_written(core_db, settlements.InvalidPayment) as info, core_db.transaction() as s:
        settlements.create_incoming_payment(
            s, user_id=w.manager_id, contractor_id=w.contractor_id, amount=amount,
            paid_on=date(2026, 4, 1), bank_reference=reference,
        )
    assert message in info.value.message


def test_a_payment_against_an_invoice_of_another_entity_or_a_draft_order_is_refused(core_db):
    w = make_world(core_db)
    other = make_world(core_db)
    foreign_order = approved_order(core_db, other, ("1",))
    from tests.integration.sales_builders import create_order

    draft_order = create_order(core_db, w, ("1",))
    for order_id, message in ((foreign_order, "another legal entity"), (draft_order, "has no invoice")):
        with nothing_written(core_db, settlements.InvalidPayment) as info:
            pay(core_db, w, "10.00", customer_order_id=order_id)
        assert message in info.value.message


def test_paid_by_order_counts_posted_payments_only(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("1", "1"))
    pay(core_db, w, "100.00", customer_order_id=order_id)
    pay(core_db, w, "50.00", customer_order_id=order_id, post=False)
    with core_db.session() as s:
        assert settlements.paid_by_order(s, [order_id]) == {order_id: D("100.00")}


def test_the_register_is_append_only(core_db):
    w = make_world(core_db)
    pay(core_db, w, "10.00")
    for sql in ("UPDATE settlement_moves SET amount = 1", "DELETE FROM settlement_moves"):
        with pytest.raises(DBAPIError, match="append-only"), core_db.transaction() as s:
            s.execute(text(sql))
    assert balance(core_db, w.contractor_id) == D("-10.00")
