"""ORDERS from picking tasks: the exact envelope and payload on posting and unposting, the
per-document sequence, the lazy COUNTERPARTY before the first document, nothing for a warehouse the
WMS doesn't run or for items it doesn't know, nothing at all when the posting fails."""

from __future__ import annotations

import pytest

from dealerhub.core import sales, stock
from dealerhub.core.catalog.models import Item
from dealerhub.core.sales.models import CustomerOrder, PickingTask
from tests.integration.sales_builders import add_stock, approved_order, nothing_written, posted_task, status
from tests.outbox.helpers import envelopes, of_type, of_type_in, outbox, wms_world


def _numbers(db, task_id):
    with db.session() as s:
        task = s.get(PickingTask, task_id)
        order = s.get(CustomerOrder, task.customer_order_id)
        return task.number, order.number


def _codes(db, item_ids):
    with db.session() as s:
        return [s.get(Item, i).code for i in item_ids]


def test_posting_a_task_sends_the_counterparty_then_orders_create(core_db):
    w = wms_world(core_db)
    a, b = _codes(core_db, w.item_ids)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("2", "3.000")))
    task_no, order_no = _numbers(core_db, task_id)
    rows = outbox(core_db)
    assert [r.type for r in rows] == ["COUNTERPARTY", "ORDERS"]
    counterparty, orders = rows
    assert (orders.schema_version, orders.sender, orders.receiver) == (1, "core", "wms")
    assert (orders.warehouse_code, orders.document_type, orders.document_number, orders.document_seq) == (
        "MSK01", "picking_task", task_no, 1,
    )
    assert orders.correlation_id is None and not orders.relayed
    assert orders.payload == {
        "order_number": task_no,
        "customer_order_number": order_no,
        "counterparty_code": str(w.contractor_id),
        "action": "create",
        "ship_by": None,
        "comment": None,
        "lines": [
            {"line_no": 1, "item_code": a, "quantity": "2.000"},
            {"line_no": 2, "item_code": b, "quantity": "3.000"},
        ],
    }
    assert (counterparty.document_type, counterparty.document_number, counterparty.document_seq) == (
        "counterparties", "counterparties", 1,
    )
    assert counterparty.warehouse_code is None
    assert [c["code"] for c in counterparty.payload["counterparties"]] == [str(w.contractor_id)]


def test_unposting_cancels_and_posting_again_creates_with_the_next_sequence_numbers(core_db):
    w = wms_world(core_db)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("1", "1")))
    task_no, order_no = _numbers(core_db, task_id)
    with core_db.transaction() as s:
        sales.unpost_picking_task(s, task_id, user_id=w.manager_id)
    with core_db.transaction() as s:
        sales.post_picking_task(s, task_id, user_id=w.manager_id)
    orders = of_type(core_db, "ORDERS")
    assert [(r.payload["action"], r.document_seq) for r in orders] == [("create", 1), ("cancel", 2), ("create", 3)]
    assert orders[1].payload == {
        "order_number": task_no,
        "customer_order_number": order_no,
        "counterparty_code": str(w.contractor_id),
        "action": "cancel",
        "ship_by": None,
        "comment": None,
        "lines": [],
    }
    assert orders[2].payload == orders[0].payload
    # The counterparty went once, before the first document.
    assert [r.type for r in outbox(core_db)] == ["COUNTERPARTY", "ORDERS", "ORDERS", "ORDERS"]


def test_each_task_is_its_own_sequence(core_db):
    w = wms_world(core_db, stock=("10", "10"))
    first = posted_task(core_db, w, approved_order(core_db, w, ("1", "1")))
    second = posted_task(core_db, w, approved_order(core_db, w, ("2", "")))
    assert envelopes(core_db)[1:] == [
        ("ORDERS", "MSK01", "picking_task", _numbers(core_db, first)[0], 1),
        ("ORDERS", "MSK01", "picking_task", _numbers(core_db, second)[0], 1),
    ]


def test_a_warehouse_without_a_wms_code_sends_nothing(core_db):
    w = wms_world(core_db, wms_code=None)
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("1", "1")))
    with core_db.transaction() as s:
        sales.unpost_picking_task(s, task_id, user_id=w.manager_id)
    assert outbox(core_db) == []


def test_items_the_wms_does_not_know_are_left_out_and_a_task_of_only_those_sends_nothing(core_db):
    w = wms_world(core_db)
    _a, b = _codes(core_db, w.item_ids)
    with core_db.transaction() as s:
        s.get(Item, w.item_ids[0]).use_in_wms = False
    posted_task(core_db, w, approved_order(core_db, w, ("1", "2")))
    (orders,) = of_type(core_db, "ORDERS")
    assert orders.payload["lines"] == [{"line_no": 2, "item_code": b, "quantity": "2.000"}]

    only_a = posted_task(core_db, w, approved_order(core_db, w, ("1", "")))
    assert len(of_type(core_db, "ORDERS")) == 1
    with core_db.transaction() as s:  # unposting a task the WMS never heard of: no cancel either
        sales.unpost_picking_task(s, only_a, user_id=w.manager_id)
    assert len(of_type(core_db, "ORDERS")) == 1


def test_a_posting_that_fails_leaves_no_outbox_row(core_db):
    w = wms_world(core_db, stock=("3", "10"))
    order_id = approved_order(core_db, w, ("4",))  # reserves the 3 there are
    with core_db.transaction() as s:
        add_stock(s, w.item_ids[0], w.warehouse_id, "5")
        task_id = sales.create_picking_task(s, order_id, user_id=None).id  # 3 reserved + 1 free
    approved_order(core_db, w, ("5",))  # another dealer takes all the free stock
    with nothing_written(core_db, stock.InsufficientStock), core_db.transaction() as s:
        sales.post_picking_task(s, task_id, user_id=None)
    assert outbox(core_db) == []


def test_a_unit_of_work_failing_after_the_posting_takes_its_message_with_it(core_db):
    w = wms_world(core_db, stock=("3", "10"))
    first = approved_order(core_db, w, ("1",))
    second = approved_order(core_db, w, ("3",))  # reserves the 2 left
    with core_db.transaction() as s:
        ok_task = sales.create_picking_task(s, first, user_id=None).id
        add_stock(s, w.item_ids[0], w.warehouse_id, "1")
        failing_task = sales.create_picking_task(s, second, user_id=None).id  # 2 reserved + 1 free
    approved_order(core_db, w, ("1",))  # the free unit goes elsewhere
    with pytest.raises(stock.InsufficientStock), core_db.transaction() as s:
        sales.post_picking_task(s, ok_task, user_id=None)
        assert [r.type for r in of_type_in(s)] == ["COUNTERPARTY", "ORDERS"]  # written, not committed
        sales.post_picking_task(s, failing_task, user_id=None)
    assert outbox(core_db) == []
    assert status(core_db, "get_picking_task", ok_task) == "draft"


@pytest.mark.parametrize("mode", ["lazy", "upfront"])
def test_the_counterparty_goes_once_whatever_the_mode(core_db, exchange_settings, mode):
    exchange_settings(exchange_counterparties=mode)
    w = wms_world(core_db)  # the contractor was inserted directly: not sent even "upfront"
    posted_task(core_db, w, approved_order(core_db, w, ("1", "")))
    posted_task(core_db, w, approved_order(core_db, w, ("1", "")))
    assert [r.type for r in outbox(core_db)] == ["COUNTERPARTY", "ORDERS", "ORDERS"]
