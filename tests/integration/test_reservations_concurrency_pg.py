"""Scarce stock under real concurrency on PostgreSQL: parallel connections, each thread with its own
transaction, all released at once. However the race goes, nothing is reserved or written off beyond
what is on hand, and the balances agree with the moves."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import sales, stock
from dealerhub.core.documents import DocumentNotInStatus
from dealerhub.core.stock.models import Reservation
from dealerhub.shared.db import Database
from tests.integration.sales_builders import add_stock, balance, make_world, posted_task

pytestmark = pytest.mark.postgresql

D = Decimal


def run_parallel(db: Database, jobs: list[Callable]) -> list[object]:
    """Run each job in its own thread and transaction, started together; returns results or errors."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable) -> object:
        barrier.wait()
        try:
            with db.transaction() as s:
                return job(s)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _submitted_orders(db: Database, w, quantities_per_order: list[list[tuple[int, str]]]) -> list[int]:
    ids = []
    with db.transaction() as s:
        for lines in quantities_per_order:
            order = sales.create_customer_order(
                s,
                user_id=None,
                partner_id=w.partner_id,
                contractor_id=w.contractor_id,
                warehouse_id=w.warehouse_id,
                lines=[sales.OrderLineInput(item_id, D(q)) for item_id, q in lines],
            )
            sales.submit_customer_order(s, order.id, user_id=None)
            ids.append(order.id)
    return ids


def _reserved_per_order(db: Database, order_ids: list[int]) -> dict[int, Decimal]:
    with db.session() as s:
        rows = s.execute(
            select(Reservation.holder_id, func.sum(Reservation.quantity))
            .where(Reservation.holder_type == "customer_order", Reservation.holder_id.in_(order_ids))
            .group_by(Reservation.holder_id)
        )
        found = dict(rows.all())
    return {order_id: found.get(order_id, D(0)) for order_id in order_ids}


def _assert_consistent(db: Database) -> None:
    with db.session() as s:
        assert stock.find_differences(s) == []


def _approve(order_id: int) -> Callable:
    return lambda s: sales.approve_customer_order(s, order_id, user_id=None).status


def test_twenty_orders_approved_at_once_reserve_exactly_the_seven_there_are(pg_core_db):
    w = make_world(pg_core_db, stock=("7", "0"))
    item = w.item_ids[0]
    order_ids = _submitted_orders(pg_core_db, w, [[(item, "2")]] * 20)

    results = run_parallel(pg_core_db, [_approve(order_id) for order_id in order_ids])

    assert results == ["approved"] * 20  # approval with partial (or no) reservation always succeeds
    reserved = _reserved_per_order(pg_core_db, order_ids)
    assert sum(reserved.values()) == D(7)
    assert all(D(0) <= r <= D(2) for r in reserved.values())
    assert balance(pg_core_db, item, w.warehouse_id) == (D(7), D(7))
    _assert_consistent(pg_core_db)


def test_concurrent_reserve_calls_never_oversell(pg_core_db):
    w = make_world(pg_core_db, stock=("7", "0"))
    item, wh = w.item_ids[0], w.warehouse_id

    def reserve_one(n: int) -> Callable:
        return lambda s: (
            stock.reserve(
                s,
                item_id=item,
                warehouse_id=wh,
                quantity=D(1) if n % 3 else D(2),
                holder=stock.Holder("cart", n),
                doc=stock.DocRef("cart", n),
            ).quantity
        )

    results = run_parallel(pg_core_db, [reserve_one(n) for n in range(30)])

    granted = [r for r in results if isinstance(r, Decimal)]
    refused = [r for r in results if isinstance(r, stock.InsufficientStock)]
    assert len(granted) + len(refused) == 30  # no other error (no deadlock, no constraint violation)
    assert sum(granted) <= D(7)
    # Whatever the order of arrival, a 1 always fits while 1 is free: free stock ends below 1.
    assert D(7) - sum(granted) < D(1)
    assert balance(pg_core_db, item, wh) == (D(7), sum(granted))
    _assert_consistent(pg_core_db)


def test_orders_with_the_same_items_in_opposite_order_do_not_deadlock(pg_core_db):
    w = make_world(pg_core_db, stock=("15", "15"))
    a, b = w.item_ids
    order_ids = _submitted_orders(pg_core_db, w, [[(a, "1"), (b, "1")], [(b, "1"), (a, "1")]] * 10)

    results = run_parallel(pg_core_db, [_approve(order_id) for order_id in order_ids])

    assert results == ["approved"] * 20
    assert balance(pg_core_db, a, w.warehouse_id) == (D(15), D(15))
    assert balance(pg_core_db, b, w.warehouse_id) == (D(15), D(15))
    _assert_consistent(pg_core_db)


def test_picking_tasks_posted_at_once_reserve_no_more_than_arrived(pg_core_db):
    w = make_world(pg_core_db, stock=("0", "0"))
    item = w.item_ids[0]
    order_ids = _submitted_orders(pg_core_db, w, [[(item, "2")]] * 10)
    with pg_core_db.transaction() as s:
        for order_id in order_ids:
            sales.approve_customer_order(s, order_id, user_id=None)  # nothing to reserve yet
        add_stock(s, item, w.warehouse_id, "7")

    def create_and_post(order_id: int) -> Callable:
        def job(s):
            task = sales.create_picking_task(s, order_id, user_id=None)
            sales.post_picking_task(s, task.id, user_id=None)
            return sum(line.quantity for line in task.lines)

        return job

    results = run_parallel(pg_core_db, [create_and_post(order_id) for order_id in order_ids])

    picked = [r for r in results if isinstance(r, Decimal)]
    assert all(isinstance(r, Decimal | stock.InsufficientStock) for r in results), results
    assert sum(picked) <= D(7)
    assert balance(pg_core_db, item, w.warehouse_id) == (D(7), sum(picked))
    assert sum(_reserved_per_order(pg_core_db, order_ids).values()) == sum(picked)
    _assert_consistent(pg_core_db)


def test_shipping_while_others_approve(pg_core_db):
    w = make_world(pg_core_db, stock=("10", "0"))
    item = w.item_ids[0]
    [shipping] = _submitted_orders(pg_core_db, w, [[(item, "4")]])
    with pg_core_db.transaction() as s:
        sales.approve_customer_order(s, shipping, user_id=None)
    task_id = posted_task(pg_core_db, w, shipping)
    with pg_core_db.transaction() as s:
        sale_id = sales.create_sale(s, task_id, user_id=None).id
    others = _submitted_orders(pg_core_db, w, [[(item, "1")]] * 10)

    def post_sale(s):
        return sales.post_sale(s, sale_id, user_id=None).status

    results = run_parallel(pg_core_db, [post_sale] + [_approve(order_id) for order_id in others])

    assert results == ["posted"] + ["approved"] * 10
    # The 4 reserved for the shipping order never were free: the others share the other 6.
    assert sum(_reserved_per_order(pg_core_db, others).values()) == D(6)
    assert balance(pg_core_db, item, w.warehouse_id) == (D(6), D(6))
    _assert_consistent(pg_core_db)


def test_one_order_approved_ten_times_at_once_reserves_once(pg_core_db):
    w = make_world(pg_core_db, stock=("10", "0"))
    [order_id] = _submitted_orders(pg_core_db, w, [[(w.item_ids[0], "4")]])

    results = run_parallel(pg_core_db, [_approve(order_id)] * 10)

    assert results.count("approved") == 1
    assert all(isinstance(r, DocumentNotInStatus) for r in results if r != "approved"), results
    assert balance(pg_core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(4))
    _assert_consistent(pg_core_db)


def test_picking_tasks_made_at_once_for_one_order_never_claim_it_twice(pg_core_db):
    w = make_world(pg_core_db, stock=("10", "0"))
    [order_id] = _submitted_orders(pg_core_db, w, [[(w.item_ids[0], "4")]])
    with pg_core_db.transaction() as s:
        sales.approve_customer_order(s, order_id, user_id=None)

    results = run_parallel(
        pg_core_db, [lambda s: sales.create_picking_task(s, order_id, user_id=None).id] * 10
    )

    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 1
    assert all(isinstance(r, sales.NothingToPick) for r in results if not isinstance(r, int)), results
    with pg_core_db.session() as s:
        assert [p.picked for p in sales.get_order_progress(s, order_id)] == [D(0)]  # a draft, not picked yet
        assert [ln.quantity for ln in sales.get_picking_task(s, made[0]).lines] == [D(4)]
