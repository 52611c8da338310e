"""DESPATCH: the sale of what shipped, the rest of the order left open, parts and the final one,
shortages and packages kept, and every bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from dealerhub.core import sales
from dealerhub.core.catalog.models import Item
from dealerhub.core.inbox import apply_batch
from dealerhub.core.inbox.models import DespatchPackage, DespatchShortage
from dealerhub.core.warehouses import update_warehouse
from dealerhub.exchange.contracts import DespatchLine, DespatchV1, Package, PackageContent
from tests.inbox.builders import AT, answers, applied_once, inbox, q, refused, waits, wms
from tests.integration.sales_builders import (
    approved_order,
    balance,
    make_world,
    posted_task,
    progress,
    reservation_moves,
    status,
    stock_moves,
)

D = Decimal


def _setup(core_db, stock=("10", "3"), ordered=("4", "3")):
    w = make_world(core_db, stock=stock)
    with core_db.transaction() as s:
        update_warehouse(s, w.warehouse_id, user_id=None, wms_code="MSK")
        codes = [s.get(Item, i).code for i in w.item_ids]
    order_id = approved_order(core_db, w, ordered)
    task_id = posted_task(core_db, w, order_id)
    with core_db.session() as s:
        task_number = sales.get_picking_task(s, task_id).number
    return w, codes, order_id, task_id, task_number


def _line(no, code, picked, shipped, shortage="0", reason=None):
    return DespatchLine(
        line_no=no, item_code=code, picked=q(picked), shipped=q(shipped), shortage=q(shortage), shortage_reason=reason
    )


def _despatch(task_number, lines, *, final=True, number="D-1", packages=()):
    return wms(
        DespatchV1(
            order_number=task_number, despatch_number=number, final=final, shipped_at=AT, lines=lines,
            packages=list(packages),
        ),
        document=("picking_task", task_number, 1),
    )


def _sales_of(core_db, order_id):
    with core_db.session() as s:
        return [
            (sale.number, sale.status, [(ln.item_id, ln.quantity) for ln in sale.lines], sale.comment)
            for sale in sales.list_sales(s, order_id)
        ]


def test_a_final_despatch_of_everything_posts_the_sale_and_ships_the_order(core_db):
    w, (a, b), order_id, task_id, number = _setup(core_db)
    ia, ib = w.item_ids
    message = _despatch(number, [_line(1, a, "4", "4"), _line(2, b, "3", "3")])

    applied_once(core_db, message, lambda: (_sales_of(core_db, order_id), balance(core_db, ia, w.warehouse_id)))

    [(sale_number, sale_status, lines, comment)] = _sales_of(core_db, order_id)
    assert (sale_status, lines, comment) == ("posted", [(ia, D(4)), (ib, D(3))], "WMS despatch D-1")
    with core_db.session() as s:
        sale_id = sales.list_sales(s, order_id)[0].id
    assert stock_moves(core_db, "sale", sale_id) == [(ia, w.warehouse_id, D(-4), False), (ib, w.warehouse_id, D(-3), False)]
    assert balance(core_db, ia, w.warehouse_id) == (D(6), D(0))
    assert balance(core_db, ib, w.warehouse_id) == (D(0), D(0))
    assert status(core_db, "get_picking_task", task_id) == "done"
    assert status(core_db, "get_customer_order", order_id) == "shipped"
    mid = message.envelope.message_id
    assert inbox(core_db) == [(mid, "DESPATCH", "applied", sale_number, None)]
    assert [a[0] for a in answers(core_db)] == ["ACK"]


def test_a_part_leaves_the_task_and_the_rest_of_the_order_open_and_the_final_part_ships_it(core_db):
    w, (a, b), order_id, task_id, number = _setup(core_db)
    ia, ib = w.item_ids

    [first] = apply_batch(core_db, [_despatch(number, [_line(1, a, "2", "2")], final=False, number="D-1")])
    assert type(first).__name__ == "Applied"
    assert status(core_db, "get_picking_task", task_id) == "posted"
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    # Shipped 2 of A: its reservation is consumed by 2, the other 2 and all of B stay reserved.
    assert progress(core_db, order_id) == [(D(4), D(2), D(4), D(2)), (D(3), D(3), D(3), D(0))]
    assert balance(core_db, ia, w.warehouse_id) == (D(8), D(2))
    assert _sales_of(core_db, order_id)[0][1:3] == ("posted", [(ia, D(2))])
    assert _sales_of(core_db, order_id)[0][3] == "WMS despatch D-1 (a part)"

    # More than is left of line 1 (2 of 4 went already): refused, nothing written.
    refused(core_db, _despatch(number, [_line(1, a, "3", "3")], number="D-2"), "quantity_mismatch")

    second = _despatch(number, [_line(1, a, "2", "2"), _line(2, b, "3", "3")], number="D-2")
    [outcome] = apply_batch(core_db, [second])
    assert type(outcome).__name__ == "Applied"
    assert status(core_db, "get_picking_task", task_id) == "done"
    assert status(core_db, "get_customer_order", order_id) == "shipped"
    assert [lines for _, _, lines, _ in _sales_of(core_db, order_id)] == [[(ia, D(2))], [(ia, D(2)), (ib, D(3))]]
    assert balance(core_db, ia, w.warehouse_id) == (D(6), D(0))
    assert balance(core_db, ib, w.warehouse_id) == (D(0), D(0))


def test_a_final_despatch_short_keeps_the_rest_reserved_on_the_order_with_the_shortage_and_packages(core_db):
    w, (a, b), order_id, task_id, number = _setup(core_db)
    ia, _ib = w.item_ids
    package = Package(
        package_no="BOX-1", weight_kg="12.250", length_mm="600", width_mm="400", height_mm="300",
        contents=[PackageContent(item_code=a, quantity=q(3)), PackageContent(item_code=b, quantity=q(3))],
    )
    message = _despatch(
        number, [_line(1, a, "3", "3", "1", "damaged in the bin"), _line(2, b, "3", "3")], packages=[package]
    )

    [outcome] = apply_batch(core_db, [message])

    assert type(outcome).__name__ == "Applied"
    assert status(core_db, "get_picking_task", task_id) == "done"
    assert status(core_db, "get_customer_order", order_id) == "partially_shipped"
    assert progress(core_db, order_id) == [(D(4), D(1), D(4), D(3)), (D(3), D(0), D(3), D(3))]
    assert balance(core_db, ia, w.warehouse_id) == (D(7), D(1))
    assert _sales_of(core_db, order_id)[0][3] == "WMS despatch D-1; short: line 1: 1 (damaged in the bin)"
    with core_db.session() as s:
        task_line = sales.get_picking_task(s, task_id).lines[0]
        sale_id = sales.list_sales(s, order_id)[0].id
        shortages = s.execute(
            select(DespatchShortage.picking_task_line_id, DespatchShortage.item_id, DespatchShortage.quantity,
                   DespatchShortage.reason)
        ).all()
        packages = s.execute(
            select(DespatchPackage.sale_id, DespatchPackage.package_no, DespatchPackage.weight_kg,
                   DespatchPackage.length_mm, DespatchPackage.width_mm, DespatchPackage.height_mm,
                   DespatchPackage.contents)
        ).all()
    assert shortages == [(task_line.id, ia, D(1), "damaged in the bin")]
    assert packages == [
        (sale_id, "BOX-1", D("12.25"), 600, 400, 300,
         [{"item_code": a, "quantity": "3.000"}, {"item_code": b, "quantity": "3.000"}])
    ]
    # The rest (1 of A, still reserved) goes on a new picking task.
    with core_db.transaction() as s:
        task2 = sales.create_picking_task(s, order_id, user_id=None)
        assert [(ln.item_id, ln.quantity) for ln in task2.lines] == [(ia, D(1))]


def test_a_final_despatch_of_nothing_closes_the_task_and_makes_no_sale(core_db):
    _w, (a, _b), order_id, task_id, number = _setup(core_db)
    [outcome] = apply_batch(core_db, [_despatch(number, [_line(1, a, "0", "0", "4", "not found")])])
    assert type(outcome).__name__ == "Applied"
    assert _sales_of(core_db, order_id) == []
    assert status(core_db, "get_picking_task", task_id) == "done"
    assert status(core_db, "get_customer_order", order_id) == "approved"
    assert progress(core_db, order_id) == [(D(4), D(4), D(4), D(0)), (D(3), D(3), D(3), D(0))]


def test_quantities_that_do_not_fit_the_task_are_refused_with_nothing_written(core_db):
    w, (a, b), _order_id, task_id, number = _setup(core_db)
    reason = refused(core_db, _despatch(number, [_line(1, a, "5", "5")]), "quantity_mismatch")
    assert reason == f"line 1: despatched 5, but only 4 of the 4 on picking task {number} is left to ship"
    reason = refused(core_db, _despatch(number, [_line(3, a, "1", "1")]), "quantity_mismatch")
    assert reason == f"picking task {number} has no line 3"
    reason = refused(core_db, _despatch(number, [_line(1, b, "1", "1")]), "quantity_mismatch")
    assert reason == f"line 1 of picking task {number} is another item than {b}"
    reason = refused(core_db, _despatch(number, [_line(1, a, "1", "2")]), "quantity_mismatch")
    assert reason == "line 1: shipped 2 is more than the 1 picked"
    reason = refused(core_db, _despatch("PT-2026-999999", [_line(1, a, "1", "1")]), "unknown_document")
    assert reason == "no picking task PT-2026-999999"
    assert status(core_db, "get_picking_task", task_id) == "posted"
    assert reservation_moves(core_db, w.item_ids[0])[-1][1] != "consume"


def test_a_despatch_for_a_task_that_is_no_longer_posted_is_refused(core_db):
    _w, (a, _b), _order_id, task_id, number = _setup(core_db)
    with core_db.transaction() as s:
        sales.unpost_picking_task(s, task_id, user_id=None)
    reason = refused(core_db, _despatch(number, [_line(1, a, "1", "1")]), "unknown_document")
    assert reason == f"picking task {number} is draft: a despatch is taken for a posted task only"


def test_an_unknown_item_or_warehouse_code_waits_with_nothing_written(core_db):
    _w, (a, _b), _order_id, _task_id, number = _setup(core_db)
    reason = waits(core_db, _despatch(number, [_line(1, "NO-SUCH", "1", "1")]), "unknown_item")
    assert reason == "unknown item code(s) NO-SUCH"
    message = _despatch(number, [_line(1, a, "1", "1")])
    message = type(message)(message.envelope.model_copy(update={"warehouse_code": "SPB"}), message.payload)
    assert waits(core_db, message, "unknown_warehouse") == "unknown warehouse code SPB: no active warehouse has this WMS code"


def test_a_batch_with_a_bad_message_applies_the_good_ones(core_db):
    w, (a, b), order_id, _task_id, number = _setup(core_db)
    ia, _ib = w.item_ids
    good1 = _despatch(number, [_line(1, a, "1", "1")], final=False, number="D-1")
    bad = _despatch(number, [_line(1, a, "9", "9")], final=False, number="D-2")
    waiting = _despatch(number, [_line(1, "NO-SUCH", "1", "1")], final=False, number="D-3")
    good2 = _despatch(number, [_line(1, a, "3", "3"), _line(2, b, "3", "3")], number="D-4")

    outcomes = apply_batch(core_db, [good1, bad, waiting, good2, good1])

    assert [type(o).__name__ for o in outcomes] == ["Applied", "Rejected", "Wait", "Applied", "Applied"]
    assert outcomes[4].already
    assert [(t, c) for t, c, _ in answers(core_db)] == [
        ("ACK", good1.envelope.message_id), ("ERROR", bad.envelope.message_id), ("ACK", good2.envelope.message_id)
    ]
    assert status(core_db, "get_customer_order", order_id) == "shipped"
    assert balance(core_db, ia, w.warehouse_id) == (D(6), D(0))


def test_a_batch_that_applies_whole_is_one_go_with_each_answer_once(core_db):
    """The inbox's fast path (no savepoints, bulk inbox rows and ACKs): the same effects and
    answers as message by message, and a message repeated in the batch is applied once."""
    w, (a, b), order_id, _task_id, number = _setup(core_db)
    ia, ib = w.item_ids
    good1 = _despatch(number, [_line(1, a, "1", "1")], final=False, number="D-1")
    good2 = _despatch(number, [_line(1, a, "3", "3"), _line(2, b, "3", "3")], number="D-4")

    outcomes = apply_batch(core_db, [good1, good2, good1])

    assert [(type(o).__name__, o.already) for o in outcomes] == [
        ("Applied", False), ("Applied", False), ("Applied", True)
    ]
    assert [(t, c) for t, c, _ in answers(core_db)] == [
        ("ACK", good1.envelope.message_id), ("ACK", good2.envelope.message_id)
    ]
    assert sorted((m, t, st) for m, t, st, _d, _e in inbox(core_db)) == sorted(
        [(good1.envelope.message_id, "DESPATCH", "applied"), (good2.envelope.message_id, "DESPATCH", "applied")]
    )
    assert status(core_db, "get_customer_order", order_id) == "shipped"
    assert balance(core_db, ia, w.warehouse_id) == (D(6), D(0))
    assert balance(core_db, ib, w.warehouse_id)[1] == D(0)


def test_a_refused_message_delivered_again_is_not_answered_twice(core_db):
    _w, (a, _b), _order_id, _task_id, number = _setup(core_db)
    bad = _despatch(number, [_line(1, a, "9", "9")])
    refused(core_db, bad, "quantity_mismatch")
    [again] = apply_batch(core_db, [bad])
    assert type(again).__name__ == "Rejected" and again.already and again.code == "quantity_mismatch"
    assert [t for t, _, _ in answers(core_db)] == ["ERROR"]
