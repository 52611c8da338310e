"""Customer orders: pricing of lines, moderation, approval with (partial) reservation, unapproval,
rejection, cancellation; every refusal leaves nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dealerhub.core import pricing, sales, stock
from dealerhub.core.documents import DocumentNotDraft, DocumentNotInStatus, InvalidDocument, UnknownItem
from dealerhub.shared import clock
from tests import factories as f
from tests.integration.sales_builders import (
    add_stock,
    approved_order,
    audit,
    balance,
    create_order,
    make_world,
    nothing_written,
    posted_task,
    progress,
    reservation_moves,
    status,
)

D = Decimal


def test_lines_are_priced_from_the_agreement_with_vat_inside(core_db):
    w = make_world(core_db, prices=("100.00", "33.33"))
    with core_db.transaction() as s:
        ag = pricing.get_agreement(s, w.agreement_id)
        pricing.update_agreement(
            s, ag.id, user_id=None, discounts=[pricing.DiscountInput("item", D("12.5"), w.item_ids[0])]
        )
        order = sales.create_customer_order(
            s,
            user_id=w.manager_id,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            comment="for the quarry",
            lines=[
                sales.OrderLineInput(w.item_ids[0], D(3)),
                sales.OrderLineInput(w.item_ids[1], D(3), D("40.00")),
            ],
        )
        order_id, number = order.id, order.number
    assert number == f"CO-{clock.today().year}-000001"
    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert (order.status, order.agreement_id, order.currency, order.author_id) == (
            "draft",
            w.agreement_id,
            "RUB",
            w.manager_id,
        )
        assert [
            (ln.line_no, ln.quantity, ln.price, ln.discount_percent, ln.amount, ln.vat_rate)
            for ln in order.lines
        ] == [
            (1, D(3), D("87.50"), D("12.5"), D("262.50"), D(20)),  # 100 less 12.5 %
            (2, D(3), D("40.00"), D(0), D("120.00"), D(20)),  # the price given wins
        ]
        # VAT inside each line: 262.50 * 20 / 120 = 43.75; 120.00 -> 20.00
        assert sales.order_totals(order) == sales.OrderTotals(D("382.50"), D("63.75"))
    assert audit(core_db, "customer_order", order_id) == [("create", None, "draft")]


def test_without_a_price_and_without_an_agreement_nothing_is_written(core_db):
    w = make_world(core_db)
    with core_db.transaction() as s:
        partner, contractor = f.dealer(s)  # no agreement
        stranger = f.item(s)  # no price under the world's agreement
        ids = partner.id, contractor.id, stranger.id
    with nothing_written(core_db, sales.NoPersonalPrice) as err, core_db.transaction() as s:
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=ids[0],
            contractor_id=ids[1],
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(w.item_ids[0], D(1))],
        )
    assert "no dealer agreement" in err.value.message
    with nothing_written(core_db, sales.NoPersonalPrice) as err, core_db.transaction() as s:
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(ids[2], D(1))],
        )
    assert "line 1" in err.value.message and "no price" in err.value.message


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ((999_999, "1"), UnknownItem),  # an unknown item
        (("item", "1.5"), InvalidDocument),  # half a piece
        (("item", "0"), InvalidDocument),
        (("item", "-2"), InvalidDocument),
        (("item", "1", "10.001"), InvalidDocument),  # a price finer than a kopeck
    ],
)
def test_bad_lines_write_nothing(core_db, line, error):
    w = make_world(core_db)
    item_id = w.item_ids[0] if line[0] == "item" else line[0]
    price = D(line[2]) if len(line) > 2 else None
    with nothing_written(core_db, error), core_db.transaction() as s:
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[
                sales.OrderLineInput(w.item_ids[1], D(1)),
                sales.OrderLineInput(item_id, D(line[1]), price),
            ],
        )


@pytest.mark.parametrize("wrong", ["contractor_id", "warehouse_id", "agreement_id"])
def test_another_dealers_contractor_or_agreement_or_a_closed_warehouse_is_refused(core_db, wrong):
    w = make_world(core_db)
    with core_db.transaction() as s:
        stranger, foreign_contractor = f.dealer(s)
        foreign = {
            "contractor_id": foreign_contractor.id,
            "warehouse_id": f.warehouse(s, kind="defect").id,
            "agreement_id": f.agreement(s, stranger, f.price_type(s)).id,
        }
    args = {"contractor_id": w.contractor_id, "warehouse_id": w.warehouse_id} | {wrong: foreign[wrong]}
    with nothing_written(core_db, InvalidDocument), core_db.transaction() as s:
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            lines=[sales.OrderLineInput(w.item_ids[0], D(1))],
            **args,
        )


def test_a_draft_is_edited_and_repriced_but_a_submitted_order_is_not(core_db):
    w = make_world(core_db)
    order_id = create_order(core_db, w, ("2",))
    with core_db.transaction() as s:
        sales.update_customer_order(
            s, order_id, user_id=None, comment="urgent", lines=[sales.OrderLineInput(w.item_ids[1], D(4))]
        )
        sales.submit_customer_order(s, order_id, user_id=None)
    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert [(ln.item_id, ln.quantity, ln.price, ln.amount) for ln in order.lines] == [
            (w.item_ids[1], D(4), D("250.00"), D("1000.00"))
        ]
        assert order.comment == "urgent"
    with nothing_written(core_db, DocumentNotDraft), core_db.transaction() as s:
        sales.update_customer_order(
            s, order_id, user_id=None, lines=[sales.OrderLineInput(w.item_ids[0], D(1))]
        )
    assert audit(core_db, "customer_order", order_id) == [
        ("create", None, "draft"),
        ("update", None, None),
        ("submit", "draft", "submitted"),
    ]


def test_moderation_and_approval_reserve_what_is_free(core_db):
    w = make_world(core_db, stock=("10", "3"))
    order_id = create_order(core_db, w, ("4", "5"))
    with core_db.transaction() as s:
        sales.submit_customer_order(s, order_id, user_id=None)
        sales.take_for_moderation(s, order_id, user_id=w.manager_id)
        sales.approve_customer_order(s, order_id, user_id=w.manager_id)
    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert (order.status, order.moderator_id) == ("approved", w.manager_id)
        lines = sales.get_order_progress(s, order_id)
        assert [(p.ordered, p.reserved, p.missing) for p in lines] == [(D(4), D(4), D(0)), (D(5), D(3), D(2))]
        holders = [
            (r.holder_type, r.holder_id, r.holder_line_id, r.quantity, r.expires_at)
            for r in stock.list_for_holder(s, "customer_order", order_id)
        ]
        assert holders == [
            ("customer_order", order_id, lines[0].line_id, D(4), None),
            ("customer_order", order_id, lines[1].line_id, D(3), None),
        ]
        assert stock.find_differences(s) == []
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(4))
    assert balance(core_db, w.item_ids[1], w.warehouse_id) == (D(3), D(3))
    assert reservation_moves(core_db, w.item_ids[0]) == [(D(4), "reserve", "customer_order", order_id)]
    assert reservation_moves(core_db, w.item_ids[1]) == [(D(3), "reserve", "customer_order", order_id)]
    assert audit(core_db, "customer_order", order_id) == [
        ("create", None, "draft"),
        ("submit", "draft", "submitted"),
        ("take_for_moderation", "submitted", "awaiting_moderation"),
        ("approve", "awaiting_moderation", "approved"),
    ]


def test_approving_twice_is_refused_and_writes_nothing(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.approve_customer_order(s, order_id, user_id=w.manager_id)
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(4))


def test_approval_of_an_order_without_free_stock_reserves_nothing(core_db):
    w = make_world(core_db, stock=("0", "10"))
    order_id = approved_order(core_db, w, ("4",))
    assert status(core_db, "get_customer_order", order_id) == "approved"
    assert progress(core_db, order_id) == [(D(4), D(0), D(0), D(0))]
    assert reservation_moves(core_db, w.item_ids[0]) == []


def test_unapproving_releases_and_approving_again_reserves(core_db):
    w = make_world(core_db, stock=("3", "10"))
    order_id = approved_order(core_db, w, ("4",))
    with core_db.transaction() as s:
        draft_task = sales.create_picking_task(s, order_id, user_id=None).id
        sales.unapprove_customer_order(s, order_id, user_id=w.manager_id)
    assert status(core_db, "get_customer_order", order_id) == "awaiting_moderation"
    assert status(core_db, "get_picking_task", draft_task) == "cancelled"
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(3), D(0))
    with core_db.transaction() as s:
        add_stock(s, w.item_ids[0], w.warehouse_id, "2")
        sales.approve_customer_order(s, order_id, user_id=w.manager_id)
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(5), D(4))
    assert reservation_moves(core_db, w.item_ids[0]) == [
        (D(3), "reserve", "customer_order", order_id),
        (D(-3), "release", "customer_order", order_id),
        (D(4), "reserve", "customer_order", order_id),
    ]
    assert [a for a, _, _ in audit(core_db, "customer_order", order_id)] == [
        "create",
        "submit",
        "approve",
        "unapprove",
        "approve",
    ]


def test_unapproving_or_cancelling_while_picking_is_refused(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    posted_task(core_db, w, order_id)
    for action in (sales.unapprove_customer_order, sales.cancel_customer_order, sales.close_customer_order):
        with nothing_written(core_db, sales.OrderHasPostedPickingTasks), core_db.transaction() as s:
            action(s, order_id, user_id=w.manager_id)
    assert status(core_db, "get_customer_order", order_id) == "picking"


def test_rejecting_needs_a_reason_and_ends_the_order(core_db):
    w = make_world(core_db)
    order_id = create_order(core_db, w, ("1",))
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.reject_customer_order(s, order_id, user_id=w.manager_id, reason="a draft is the dealer's")
    with core_db.transaction() as s:
        sales.submit_customer_order(s, order_id, user_id=None)
    with nothing_written(core_db, InvalidDocument), core_db.transaction() as s:
        sales.reject_customer_order(s, order_id, user_id=w.manager_id, reason="  ")
    with core_db.transaction() as s:
        sales.reject_customer_order(
            s, order_id, user_id=w.manager_id, reason="discontinued; take FL-2 instead"
        )
    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert (order.status, order.moderation_note, order.moderator_id) == (
            "cancelled",
            "discontinued; take FL-2 instead",
            w.manager_id,
        )
    assert audit(core_db, "customer_order", order_id)[-1] == ("reject", "submitted", "cancelled")


def test_cancelling_an_approved_order_releases_its_reservations(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4", "2"))
    with core_db.transaction() as s:
        task_id = sales.create_picking_task(s, order_id, user_id=None).id
        sales.cancel_customer_order(s, order_id, user_id=w.manager_id, reason="dealer changed his mind")
    assert status(core_db, "get_customer_order", order_id) == "cancelled"
    assert status(core_db, "get_picking_task", task_id) == "cancelled"
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(0))
    assert reservation_moves(core_db, w.item_ids[1]) == [
        (D(2), "reserve", "customer_order", order_id),
        (D(-2), "release", "customer_order", order_id),
    ]
    assert audit(core_db, "picking_task", task_id) == [
        ("create", None, "draft"),
        ("cancel", "draft", "cancelled"),
    ]
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.cancel_customer_order(s, order_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.close_customer_order(s, order_id, user_id=None)


def test_an_order_uses_the_agreement_valid_on_its_date(core_db):
    w = make_world(core_db)
    clock.freeze(clock.now().replace(year=2019))
    with nothing_written(core_db, sales.NoPersonalPrice), core_db.transaction() as s:  # agreement starts 2020
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(w.item_ids[0], D(1))],
        )
    with nothing_written(core_db, InvalidDocument), core_db.transaction() as s:
        sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            agreement_id=w.agreement_id,
            lines=[sales.OrderLineInput(w.item_ids[0], D(1), D(5))],
        )
    assert date(2020, 1, 1) > clock.today()
