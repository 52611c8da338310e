"""Picking tasks and sales: what a task may take, posting and unposting them, the exact stock and
reservation moves, and the order's status as it is picked and shipped."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from dealerhub.core import sales, stock
from dealerhub.core.documents import DocumentNotInStatus, InvalidDocument
from dealerhub.shared import clock
from tests.integration.sales_builders import (
    add_stock,
    approved_order,
    audit,
    balance,
    make_world,
    nothing_written,
    posted_sale,
    posted_task,
    progress,
    reservation_moves,
    status,
    stock_moves,
)

D = Decimal


def _task_lines(core_db, task_id):
    with core_db.session() as s:
        return [(ln.order_line_id, ln.quantity) for ln in sales.get_picking_task(s, task_id).lines]


def _line_ids(core_db, order_id):
    with core_db.session() as s:
        return [ln.id for ln in sales.get_customer_order(s, order_id).lines]


def test_an_order_is_picked_shipped_in_two_parts_and_closed(core_db):
    w = make_world(core_db, stock=("10", "3"))
    a, b = w.item_ids
    order_id = approved_order(core_db, w, ("4", "5"))  # reserves 4 of A and the 3 of B there are
    la, lb = _line_ids(core_db, order_id)

    # First task: everything reserved. Posting needs no more reservation; the WMS picks the order.
    task1 = posted_task(core_db, w, order_id)
    assert _task_lines(core_db, task1) == [(la, D(4)), (lb, D(3))]
    assert status(core_db, "get_customer_order", order_id) == "picking"
    assert progress(core_db, order_id) == [(D(4), D(4), D(4), D(0)), (D(5), D(3), D(3), D(0))]

    # The WMS despatched all of it: the sale consumes the reservations and writes the goods off.
    sale1 = posted_sale(core_db, w, task1)
    assert stock_moves(core_db, "sale", sale1) == [
        (a, w.warehouse_id, D(-4), False),
        (b, w.warehouse_id, D(-3), False),
    ]
    assert reservation_moves(core_db, b) == [
        (D(3), "reserve", "customer_order", order_id),
        (D(-3), "consume", "sale", sale1),
    ]
    assert balance(core_db, a, w.warehouse_id) == (D(6), D(0))
    assert balance(core_db, b, w.warehouse_id) == (D(0), D(0))
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    assert status(core_db, "get_picking_task", task1) == "done"
    with core_db.session() as s:
        sale = sales.get_sale(s, sale1)
        assert [(ln.quantity, ln.price, ln.amount, ln.vat_amount) for ln in sale.lines] == [
            (D(4), D("100.00"), D("400.00"), D("66.67")),
            (D(3), D("250.00"), D("750.00"), D("125.00")),
        ]

    # Two more of B arrive. A second task takes them from free stock; posting reserves them.
    with core_db.transaction() as s:
        add_stock(s, b, w.warehouse_id, "2")
    task2 = posted_task(core_db, w, order_id)
    assert _task_lines(core_db, task2) == [(lb, D(2))]
    assert reservation_moves(core_db, b)[-1] == (D(2), "reserve", "picking_task", task2)
    assert balance(core_db, b, w.warehouse_id) == (D(2), D(2))
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    posted_sale(core_db, w, task2)
    assert progress(core_db, order_id) == [(D(4), D(0), D(4), D(4)), (D(5), D(0), D(5), D(5))]
    assert status(core_db, "get_customer_order", order_id) == "shipped"

    with core_db.transaction() as s:
        sales.close_customer_order(s, order_id, user_id=w.manager_id)
        assert stock.find_differences(s) == []
    assert [(act, to) for act, _, to in audit(core_db, "customer_order", order_id)] == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("approve", "approved"),
        ("fulfilment", "picking"),
        ("fulfilment", "partially_shipped"),
        ("fulfilment", "shipped"),
        ("close", "closed"),
    ]
    assert audit(core_db, "picking_task", task1) == [
        ("create", None, "draft"),
        ("post", "draft", "posted"),
        ("despatch", "posted", "done"),
    ]
    assert audit(core_db, "sale", sale1) == [("create", None, "draft"), ("post", "draft", "posted")]


def test_a_partial_despatch_leaves_the_rest_reserved_for_the_next_task(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4", "2"))
    la, lb = _line_ids(core_db, order_id)
    task1 = posted_task(core_db, w, order_id)
    with core_db.session() as s:
        first_line = sales.get_picking_task(s, task1).lines[0].id
    sale1 = posted_sale(core_db, w, task1, despatched={first_line: D(3)})
    with core_db.session() as s:
        assert [(ln.order_line_id, ln.quantity) for ln in sales.get_sale(s, sale1).lines] == [(la, D(3))]
    assert progress(core_db, order_id) == [(D(4), D(1), D(4), D(3)), (D(2), D(2), D(2), D(0))]
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    with core_db.transaction() as s:
        task2 = sales.create_picking_task(s, order_id, user_id=None).id
    assert _task_lines(core_db, task2) == [(la, D(1)), (lb, D(2))]


def test_closing_a_partially_shipped_order_releases_the_rest(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4", "2"))
    task1 = posted_task(core_db, w, order_id)
    with core_db.session() as s:
        first_line = sales.get_picking_task(s, task1).lines[0].id
    posted_sale(core_db, w, task1, despatched={first_line: D(1)})
    with core_db.transaction() as s:
        draft = sales.create_picking_task(s, order_id, user_id=None).id
        sales.close_customer_order(s, order_id, user_id=None)
    assert status(core_db, "get_picking_task", draft) == "cancelled"
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(9), D(0))
    assert balance(core_db, w.item_ids[1], w.warehouse_id) == (D(10), D(0))
    assert reservation_moves(core_db, w.item_ids[0])[-1] == (D(-3), "release", "customer_order", order_id)


def test_nothing_free_means_no_picking_task(core_db):
    w = make_world(core_db, stock=("0", "0"))
    order_id = approved_order(core_db, w, ("4", "1"))
    with nothing_written(core_db, stock.InsufficientStock) as err, core_db.transaction() as s:
        sales.create_picking_task(s, order_id, user_id=None)
    assert [(sh.item_id, sh.requested, sh.free) for sh in err.value.shortages] == [
        (w.item_ids[0], D(4), D(0)),
        (w.item_ids[1], D(1), D(0)),
    ]


def test_everything_on_tasks_means_nothing_to_pick(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    with core_db.transaction() as s:
        sales.create_picking_task(s, order_id, user_id=None)  # a draft claims the whole line
    with nothing_written(core_db, sales.NothingToPick), core_db.transaction() as s:
        sales.create_picking_task(s, order_id, user_id=None)


def test_a_task_only_for_an_approved_order(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    with core_db.transaction() as s:
        sales.unapprove_customer_order(s, order_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.create_picking_task(s, order_id, user_id=None)


def test_two_lines_of_one_item_share_its_free_stock(core_db):
    w = make_world(core_db, stock=("0", "5"))
    b = w.item_ids[1]
    with core_db.transaction() as s:
        order_id = sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(b, D(4)), sales.OrderLineInput(b, D(4))],
        ).id
        sales.submit_customer_order(s, order_id, user_id=None)
        sales.approve_customer_order(s, order_id, user_id=None)  # reserves 4 + 1
        add_stock(s, b, w.warehouse_id, "2")
        task_id = sales.create_picking_task(s, order_id, user_id=None).id
    assert [q for _, q in _task_lines(core_db, task_id)] == [D(4), D(3)]  # 1 reserved + the 2 free


def test_posting_a_task_whose_free_stock_went_elsewhere_writes_nothing(core_db):
    w = make_world(core_db, stock=("3", "10"))
    order_id = approved_order(core_db, w, ("4",))  # reserves the 3 there are
    with core_db.transaction() as s:
        add_stock(s, w.item_ids[0], w.warehouse_id, "5")
        task_id = sales.create_picking_task(s, order_id, user_id=None).id  # 3 reserved + 1 free
    approved_order(core_db, w, ("5",))  # another dealer takes all the free stock
    with nothing_written(core_db, stock.InsufficientStock) as err, core_db.transaction() as s:
        sales.post_picking_task(s, task_id, user_id=None)
    assert [(sh.requested, sh.free) for sh in err.value.shortages] == [(D(1), D(0))]
    assert status(core_db, "get_picking_task", task_id) == "draft"


def test_unposting_a_task_keeps_the_reservation_and_returns_the_order_to_approved(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    task_id = posted_task(core_db, w, order_id)
    with core_db.transaction() as s:
        sales.unpost_picking_task(s, task_id, user_id=None)
    assert status(core_db, "get_picking_task", task_id) == "draft"
    assert status(core_db, "get_customer_order", order_id) == "approved"
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(4))
    with core_db.transaction() as s:
        sales.post_picking_task(s, task_id, user_id=None)
        sales.create_sale(s, task_id, user_id=None)
    with nothing_written(core_db, sales.PickingTaskHasSale), core_db.transaction() as s:
        sales.unpost_picking_task(s, task_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.post_picking_task(s, task_id, user_id=None)  # posted twice
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.cancel_picking_task(s, task_id, user_id=None)  # only a draft is cancelled


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        (D(5), sales.DespatchExceedsPicked),
        (D("1.5"), InvalidDocument),
        (D(-1), InvalidDocument),
        (D(0), InvalidDocument),
    ],
)
def test_a_sale_takes_no_more_than_was_picked(core_db, quantity, error):
    w = make_world(core_db)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("4",)))
    with core_db.session() as s:
        line_id = sales.get_picking_task(s, task_id).lines[0].id
    with nothing_written(core_db, error), core_db.transaction() as s:
        sales.create_sale(s, task_id, user_id=None, despatched={line_id: quantity})
    with nothing_written(core_db, InvalidDocument), core_db.transaction() as s:
        sales.create_sale(s, task_id, user_id=None, despatched={line_id + 1000: D(1)})


def test_a_posted_sale_is_never_posted_again_nor_made_twice(core_db):
    w = make_world(core_db)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("4",)))
    sale_id = posted_sale(core_db, w, task_id)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.post_sale(s, sale_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.create_sale(s, task_id, user_id=None)  # the task is done
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.cancel_sale(s, sale_id, user_id=None)


def test_unposting_a_sale_reverses_it_and_reserves_again(core_db):
    w = make_world(core_db)
    a = w.item_ids[0]
    order_id = approved_order(core_db, w, ("4",))
    task_id = posted_task(core_db, w, order_id)
    sale_id = posted_sale(core_db, w, task_id)
    assert status(core_db, "get_customer_order", order_id) == "shipped"
    with core_db.transaction() as s:
        sales.unpost_sale(s, sale_id, user_id=None)
    assert stock_moves(core_db, "sale", sale_id) == [
        (a, w.warehouse_id, D(-4), False),
        (a, w.warehouse_id, D(4), True),
    ]
    assert reservation_moves(core_db, a) == [
        (D(4), "reserve", "customer_order", order_id),
        (D(-4), "consume", "sale", sale_id),
        (D(4), "reserve", "sale", sale_id),
    ]
    assert balance(core_db, a, w.warehouse_id) == (D(10), D(4))
    assert (status(core_db, "get_sale", sale_id), status(core_db, "get_picking_task", task_id)) == (
        "draft",
        "posted",
    )
    assert status(core_db, "get_customer_order", order_id) == "picking"
    # The draft is dropped and the corrected sale (3 despatched, not 4) posted.
    with core_db.transaction() as s:
        sales.cancel_sale(s, sale_id, user_id=None)
        line_id = sales.get_picking_task(s, task_id).lines[0].id
    posted_sale(core_db, w, task_id, despatched={line_id: D(3)})
    assert balance(core_db, a, w.warehouse_id) == (D(7), D(1))
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    assert audit(core_db, "sale", sale_id) == [
        ("create", None, "draft"),
        ("post", "draft", "posted"),
        ("unpost", "posted", "draft"),
        ("cancel", "draft", "cancelled"),
    ]
    with core_db.session() as s:
        assert stock.find_differences(s) == []


def test_moves_and_their_reversals_carry_the_sale_date(core_db):
    w = make_world(core_db)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("4",)))
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with core_db.transaction() as s:
        sale_id = sales.create_sale(s, task_id, user_id=None).id
    clock.freeze(datetime(2026, 3, 3, 17, 30, tzinfo=UTC))
    with core_db.transaction() as s:
        sales.post_sale(s, sale_id, user_id=None)
        sales.unpost_sale(s, sale_id, user_id=None)
    with core_db.session() as s:
        moves = stock.list_moves(s, document_type="sale", document_id=sale_id)
        assert [(m.quantity, m.occurred_at) for m in moves] == [
            (D(4), datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
            (D(-4), datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ]


def test_a_sale_of_a_closed_order_is_not_unposted(core_db):
    w = make_world(core_db)
    order_id = approved_order(core_db, w, ("4",))
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, order_id))
    with core_db.transaction() as s:
        sales.close_customer_order(s, order_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.unpost_sale(s, sale_id, user_id=None)
