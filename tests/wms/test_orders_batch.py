"""A batch of ORDERS applied at once (handle_orders_batch, create_orders) leaves exactly what the
same messages applied one by one leave: the same orders, lines, pick and replenishment tasks and
their numbers' order, allocations, inbox rows and answers. The same messages go to two identical
warehouses: WH1 takes them as one batch, WH2 one message per transaction; the rows of each are
compared with ids and task numbers replaced by their rank within the warehouse."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import event, select

from dealerhub.exchange.contracts import GoodsV1, OrderLine, OrdersV1, build_message, decimal_text
from dealerhub.exchange.sidekit import Applied, Rejected, Wait
from dealerhub.shared import clock
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import set_item_place
from dealerhub.wms.exchange_link.inbox import WMS_INBOX
from dealerhub.wms.exchange_link.models import INBOX, OUTBOX
from dealerhub.wms.layout.models import Bin, Warehouse, Zone
from dealerhub.wms.picking import batch
from dealerhub.wms.picking.models import Order
from dealerhub.wms.picking.models import OrderLine as WmsOrderLine
from dealerhub.wms.stock.models import Stock
from dealerhub.wms.tasks.models import Task, TaskLine
from tests.wms.helpers import goods, item_by_code, items, stock_in, warehouse

WAREHOUSES = ("WH1", "WH2")


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
    yield
    clock.freeze(None)


def _orders(code: str, number: str, action: str = "create", **lines: str):
    payload = OrdersV1(order_number=number, customer_order_number=f"CO-{number}", counterparty_code="7",
                       action=action, lines=[OrderLine(line_no=n, item_code=item, quantity=decimal_text(D(q)))
                                             for n, (item, q) in enumerate(lines.items(), start=1)])
    return build_message(payload, sender="core", receiver="wms", warehouse_code=code,
                         document_type="picking_task", document_number=number, document_seq=1)


def _goods(*codes: str):
    return build_message(GoodsV1(items=[goods(c) for c in codes]), sender="core", receiver="wms",
                         document_type="catalog", document_number="catalog", document_seq=1)


def _prepare(wms_db) -> None:
    """Two identical warehouses: A low in the picking zone (minimum 3: replenishments), B plenty,
    C short, D in storage only; order PT-0 exists in each before the batch."""
    with wms_db.transaction() as s:
        items(s, "A", "B", "C", "D")
        for code in WAREHOUSES:
            wh = warehouse(s, code)
            stock_in(s, wh, "PCK-01-01-2", "A", "4")
            stock_in(s, wh, "STO-01-02-1", "A", "20")
            stock_in(s, wh, "PCK-01-01-1", "B", "10")
            stock_in(s, wh, "PCK-01-01-3", "C", "3")
            stock_in(s, wh, "STO-01-03-1", "D", "5")
            set_item_place(s, wh.id, item_by_code(s, "A").id, pick_min=D(3), pick_max=D(10))
    for code in WAREHOUSES:
        assert WMS_INBOX.apply_batch(wms_db, [_orders(code, "PT-0", B="1")]) == [
            Applied("order PT-0: 1 line(s) to pick")]


def _both_ways(wms_db, messages_of) -> tuple[list, list]:
    """WH1: messages_of("WH1") as one batch; WH2: messages_of("WH2") one per transaction."""
    together = WMS_INBOX.apply_batch(wms_db, messages_of("WH1"))
    alone = [outcome for m in messages_of("WH2") for outcome in WMS_INBOX.apply_batch(wms_db, [m])]
    return together, alone


def _rows(s, code: str, messages: list) -> dict:
    """Everything the WMS holds about one warehouse, ids and task numbers as ranks."""
    wh = s.scalar(select(Warehouse).where(Warehouse.code == code))
    item = {i.id: i.code for i in s.scalars(select(Item))}
    bins = {b.id: b.barcode for b in s.scalars(select(Bin).where(Bin.warehouse_id == wh.id))}
    zones = {z.id: z.kind for z in s.scalars(select(Zone).where(Zone.warehouse_id == wh.id))}
    orders = list(s.scalars(select(Order).where(Order.warehouse_id == wh.id).order_by(Order.id)))
    order_rank = {o.id: n for n, o in enumerate(orders)}
    lines = list(s.scalars(select(WmsOrderLine).where(WmsOrderLine.order_id.in_(order_rank)).order_by(WmsOrderLine.id)))
    line_rank = {x.id: n for n, x in enumerate(lines)}
    tasks = list(s.scalars(select(Task).where(Task.warehouse_id == wh.id).order_by(Task.id)))
    task_rank = {t.id: n for n, t in enumerate(tasks)}
    number_rank = {t.number: n for n, t in enumerate(sorted(tasks, key=lambda t: t.number))}
    task_lines = s.scalars(select(TaskLine).where(TaskLine.task_id.in_(task_rank)).order_by(TaskLine.id))
    stock = s.scalars(select(Stock).where(Stock.warehouse_id == wh.id))
    index = {m.envelope.message_id: n for n, m in enumerate(messages)}
    inbox = s.execute(select(INBOX.table).where(INBOX.table.c.message_id.in_(index)))
    answers = s.execute(select(OUTBOX.messages).where(OUTBOX.messages.c.correlation_id.in_(index)))
    return {
        "orders": [(o.order_number, o.customer_order_number, o.status, o.revision, o.created_at) for o in orders],
        "lines": [(order_rank[x.order_id], x.line_no, item[x.item_id], x.ordered, x.picked, x.shortage, x.shipped)
                  for x in lines],
        "tasks": [(number_rank[t.number], t.kind, t.status, zones.get(t.zone_id),
                   order_rank.get(t.order_id), t.created_at, t.finished_at) for t in tasks],
        "task lines": [(task_rank[x.task_id], x.seq, item[x.item_id], bins[x.from_bin_id], bins[x.to_bin_id],
                        x.quantity, x.done_quantity, x.status, line_rank.get(x.order_line_id), x.serials)
                       for x in task_lines],
        "stock": sorted((bins[x.bin_id], item[x.item_id], x.status, x.quantity, x.allocated) for x in stock),
        "inbox": sorted((index[r.message_id], r.type, r.status, r.document_type, r.document_number, r.note,
                         r.error_code, r.error_reason, r.recorded_at) for r in inbox),
        "answers": sorted((index[r.correlation_id], r.type, r.receiver,
                           {k: v for k, v in json.loads(r.payload).items() if k != "message_id"})
                          for r in answers),
    }


def _compare(wms_db, first: list, second: list) -> dict:
    with wms_db.session() as s:
        together, alone = _rows(s, "WH1", first), _rows(s, "WH2", second)
    assert together == alone
    return together


def test_a_batch_of_orders_leaves_what_one_by_one_leaves(wms_db):
    _prepare(wms_db)
    sent: dict[str, list] = {}

    def messages(code):
        again = _orders(code, "PT-3", B="1", D="2", E="1")
        sent[code] = [
            _orders(code, "PT-1", A="3", B="2"),  # A's picking zone falls to 1 of minimum 3: replenishment
            _orders(code, "PT-2", A="4", C="5"),  # A from picking and storage; C short by 2
            _goods("E"),  # splits the run of ORDERS; E is known to the ORDERS after it
            again,  # B from picking, D from storage, E has no stock
            _orders(code, "PT-2", "cancel"),  # an order of this batch, one by one in its place
            _orders(code, "PT-4", A="2"),  # after the cancel gave back what PT-2 held
            _orders(code, "PT-1", A="1", B="2"),  # made in this batch: a replace
            again,  # the same message twice: already
            _orders(code, "PT-0", B="3"),  # existed before the batch: a replace
            _orders(code, "PT-5", C="1"),
        ]
        return sent[code]

    together, alone = _both_ways(wms_db, messages)
    assert together == alone == [
        Applied("order PT-1: 2 line(s) to pick"),
        Applied("order PT-2: 2 line(s) to pick"),
        Applied("1 item(s)"),
        Applied("order PT-3: 3 line(s) to pick"),
        Applied("order PT-2 cancelled"),
        Applied("order PT-4: 1 line(s) to pick"),
        Applied("order PT-1 replaced (revision 2)"),
        Applied("order PT-3: 3 line(s) to pick", already=True),
        Applied("order PT-0 replaced (revision 2)"),
        Applied("order PT-5: 1 line(s) to pick"),
    ]
    rows = _compare(wms_db, sent["WH1"], sent["WH2"])
    assert [(o[0], o[2], o[3]) for o in rows["orders"]] == [
        ("PT-0", "new", 2), ("PT-1", "new", 2), ("PT-2", "cancelled", 1), ("PT-3", "new", 1),
        ("PT-4", "new", 1), ("PT-5", "new", 1)]
    assert [t[1:4] for t in rows["tasks"]] == [
        ("pick", "cancelled", "picking"),  # PT-0, replaced
        ("pick", "cancelled", "picking"),  # PT-1, replaced
        ("replenishment", "open", "picking"),
        ("pick", "cancelled", "picking"),  # PT-2, cancelled
        ("pick", "cancelled", "storage"),
        ("pick", "open", "picking"),  # PT-3
        ("pick", "open", "storage"),
        ("pick", "open", "picking"),  # PT-4
        ("pick", "open", "storage"),
        ("pick", "open", "picking"),  # PT-1 again
        ("pick", "open", "picking"),  # PT-0 again
        ("pick", "open", "picking"),  # PT-5
    ]
    assert [t[0] for t in rows["tasks"]] == list(range(12))  # numbered in the order they were made
    assert ("STO-01-02-1", "A", "available", D(20), D(10)) in rows["stock"]  # 9 to refill to 10, 1 for PT-4
    assert ("PCK-01-01-3", "C", "available", D(3), D(1)) in rows["stock"]
    assert len(rows["answers"]) == 9  # an ACK per message applied, none for the repeat


def test_a_message_that_does_not_apply_leaves_nothing_and_the_others_apply(wms_db):
    _prepare(wms_db)
    sent: dict[str, list] = {}

    def messages(code):
        sent[code] = [
            _orders(code, "PT-6", A="1"),
            _orders(code, "PT-7", Z="1"),  # an item the WMS does not know yet: waits
            _orders(code, "PT-99", "cancel"),  # refused
            _orders(code, "PT-8", B="1", A="2"),
        ]
        return sent[code]

    together, alone = _both_ways(wms_db, messages)
    assert together == alone == [
        Applied("order PT-6: 1 line(s) to pick"),
        Wait("item(s) Z are not known to the WMS yet", 30.0, "unknown_item"),
        Rejected("unknown_document", "no order PT-99 to cancel"),
        Applied("order PT-8: 2 line(s) to pick"),
    ]
    rows = _compare(wms_db, sent["WH1"], sent["WH2"])
    assert [o[0] for o in rows["orders"]] == ["PT-0", "PT-6", "PT-8"]
    assert [(a[0], a[1]) for a in rows["answers"]] == [(0, "ACK"), (2, "ERROR"), (3, "ACK")]


def test_a_batch_that_fails_midway_is_undone_and_applied_message_by_message(wms_db, monkeypatch):
    _prepare(wms_db)
    calls = []
    write = batch._write_pick_tasks

    def failing(s, tasks):
        calls.append(len(tasks))
        if len(calls) == 1:  # the batch's orders and lines are written by now
            raise RuntimeError("the database went away mid-batch")
        write(s, tasks)

    monkeypatch.setattr(batch, "_write_pick_tasks", failing)
    sent: dict[str, list] = {}

    def messages(code):
        sent[code] = [_orders(code, "PT-1", A="1"), _orders(code, "PT-2", B="2"), _orders(code, "PT-3", C="1")]
        return sent[code]

    together, alone = _both_ways(wms_db, messages)
    assert together == alone == [Applied("order PT-1: 1 line(s) to pick"), Applied("order PT-2: 1 line(s) to pick"),
                                 Applied("order PT-3: 1 line(s) to pick")]
    assert calls[0] == 3  # the batch path was taken, then undone
    rows = _compare(wms_db, sent["WH1"], sent["WH2"])
    assert [o[0] for o in rows["orders"]] == ["PT-0", "PT-1", "PT-2", "PT-3"]


def test_a_batch_of_orders_takes_a_fixed_number_of_statements(wms_db):
    _prepare(wms_db)
    statements = []
    event.listen(wms_db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    messages = [_orders("WH1", f"PT-{n}", B="1", D="1") for n in range(1, 31)]
    outcomes = WMS_INBOX.apply_batch(wms_db, messages)
    assert outcomes == [Applied(f"order PT-{n}: 2 line(s) to pick") for n in range(1, 31)]
    # One by one, 30 ORDERS took over 300 statements; as a batch about 20, whatever their number.
    assert len(statements) < 30, statements
