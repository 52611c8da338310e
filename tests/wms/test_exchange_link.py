"""The WMS's inbox and outbox (sidekit): messages applied once with their inbox row, waiting for what
the WMS does not know yet, refusals answered with one ERROR; the relay idempotent and safe to repeat."""

from __future__ import annotations

import json
from decimal import Decimal as D

from sqlalchemy import select, update

from dealerhub.exchange.contracts import (
    AckV1,
    AsnLine,
    AsnV1,
    GoodsV1,
    Message,
    OrderLine,
    OrdersV1,
    PackagingItem,
    PackagingV1,
    build_message,
    decimal_text,
)
from dealerhub.exchange.sidekit import Applied, Rejected, Wait
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import upsert_item
from dealerhub.wms.exchange_link.inbox import WMS_INBOX
from dealerhub.wms.exchange_link.models import INBOX, OUTBOX
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.exchange_link.runner import relay
from dealerhub.wms.picking.models import Order
from dealerhub.wms.picking.orders import find_order
from dealerhub.wms.picking.picks import confirm_pick
from dealerhub.wms.tasks.models import Task
from dealerhub.wms.tasks.service import task_lines
from tests.wms.helpers import goods, keeper, ledger, outbox, stock_in, warehouse
from tests.wms.landscape import Landscape


def _core(payload, **document) -> Message:
    return build_message(payload, sender="core", receiver="wms", **document)


def _orders(action="create", quantity="2", number="PT-1"):
    return _core(OrdersV1(order_number=number, customer_order_number="CO-1", counterparty_code="7", action=action,
                          lines=[OrderLine(line_no=1, item_code="A", quantity=decimal_text(D(quantity)))]),
                 warehouse_code="WH1", document_type="picking_task", document_number=number, document_seq=1)


def _inbox(db):
    t = INBOX.table
    with db.session() as s:
        return [(r.type, r.status, r.error_code) for r in s.execute(select(t).order_by(t.c.recorded_at))]


def test_orders_wait_for_their_items_then_apply_once(wms_db):
    with wms_db.transaction() as s:
        warehouse(s)
    orders = _orders()
    (outcome,) = WMS_INBOX.apply_batch(wms_db, [orders])
    assert outcome == Wait("item(s) A are not known to the WMS yet", 30.0, "unknown_item")
    with wms_db.session() as s:
        assert s.scalars(select(Order)).all() == []
        assert outbox(s) == []
    assert _inbox(wms_db) == []
    goods_message = _core(GoodsV1(items=[goods("A")]), document_type="catalog", document_number="catalog", document_seq=1)
    outcomes = WMS_INBOX.apply_batch(wms_db, [goods_message, orders])
    assert outcomes == [Applied("1 item(s)"), Applied("order PT-1: 1 line(s) to pick")]
    assert WMS_INBOX.apply_batch(wms_db, [orders]) == [Applied("order PT-1: 1 line(s) to pick", already=True)]
    with wms_db.session() as s:
        acks = outbox(s, "ACK")
        assert [(m["correlation_id"], m["receiver"]) for m in acks] == [
            (goods_message.message_id, "core"), (orders.message_id, "core")]
        assert s.scalars(select(Order)).one().status == "new"
    assert _inbox(wms_db) == [("GOODS", "applied", None), ("ORDERS", "applied", None)]


def test_unknown_warehouse_waits(wms_db):
    with wms_db.transaction() as s:
        upsert_item(s, goods("A"))
    asn = _core(AsnV1(asn_number="PO-1", kind="supplier_order", source_number="PO-1", counterparty_code="7",
                      action="create", lines=[AsnLine(line_no=1, item_code="A", quantity="1.000")]),
                warehouse_code="NOPE", document_type="supplier_order", document_number="PO-1", document_seq=1)
    (outcome,) = WMS_INBOX.apply_batch(wms_db, [asn])
    assert outcome == Wait("warehouse NOPE is not set up in the WMS", 30.0, "unknown_warehouse")


def test_a_change_after_picking_is_refused_with_one_error(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        user = keeper(s)
        upsert_item(s, goods("A"))
        stock_in(s, wh, "PCK-01-01-1", "A", "5")
    WMS_INBOX.apply_batch(wms_db, [_orders()])
    with wms_db.transaction() as s:
        order = find_order(s, 1, "PT-1")
        (task,) = s.scalars(select(Task).where(Task.order_id == order.id)).all()
        (line,) = task_lines(s, task.id)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460A", quantity=D(2), user_id=user)
        moves = len(ledger(s))
    cancel = _orders("cancel")
    reason = "order PT-1 is picked: picking has finished, it can no longer be changed"
    assert WMS_INBOX.apply_batch(wms_db, [cancel]) == [Rejected("quantity_mismatch", reason)]
    assert WMS_INBOX.apply_batch(wms_db, [cancel]) == [Rejected("quantity_mismatch", reason, already=True)]
    with wms_db.session() as s:
        (error,) = outbox(s, "ERROR")
        assert error["payload"] == {"message_id": cancel.message_id, "code": "quantity_mismatch", "reason": reason}
        assert s.scalars(select(Order)).one().status == "picked"
        assert len(ledger(s)) == moves


def test_withdrawn_items_stay_inactive_and_answers_are_noted(wms_db):
    with wms_db.transaction() as s:
        upsert_item(s, goods("A"))
        sent = enqueue(s, PackagingV1(items=[PackagingItem(item_code="A", weight_kg="1.000")]))
    withdraw = _core(GoodsV1(items=[goods("A", action="withdraw")]))
    ack = _core(AckV1(message_id=sent.message_id, result="applied"), correlation_id=sent.message_id)
    assert WMS_INBOX.apply_batch(wms_db, [withdraw, ack]) == [Applied("1 item(s)"), Applied(None)]
    with wms_db.session() as s:
        item = s.scalars(select(Item)).one()
        assert (item.code, item.active) == ("A", False)
        t = OUTBOX.messages
        assert s.execute(select(t.c.answer).where(t.c.message_id == sent.message_id)).scalar_one() == "ack"
        assert [m["type"] for m in outbox(s)] == ["PACKAGING", "ACK"]  # no ACK for an ACK


def test_relay_is_idempotent_and_keeps_conflicts_visible(landscape: Landscape):
    land = landscape
    with land.wms.transaction() as s:
        first = enqueue(s, PackagingV1(items=[PackagingItem(item_code="A", weight_kg="1.000")]))
        second = enqueue(s, PackagingV1(items=[PackagingItem(item_code="B", weight_kg="2.000")]))
    # A relay that died after publishing the first: the exchange has it, the outbox says unrelayed.
    land.store.publish(first)
    # Someone else took the second's id with another payload.
    land.store.publish(Message(envelope=second.envelope, payload=json.dumps({"items": []})))
    assert relay(land.wms, land.store) == 2
    assert relay(land.wms, land.store) == 0
    with land.wms.session() as s:
        rows = {m["message_id"]: (m["relayed_at"] is not None, m["answer"], m["error_code"]) for m in outbox(s)}
    assert rows == {first.message_id: (True, None, None), second.message_id: (True, "error", "duplicate_conflict")}
    assert land.store.get(first.message_id).payload == first.payload
    with land.wms.transaction() as s:
        s.execute(update(OUTBOX.messages).values(relayed_at=None))
    assert relay(land.wms, land.store) == 2  # re-relaying is a no-op in the exchange
    # The two published messages and the ERROR answering the refused one (recorded once).
    assert [(c.type, c.count) for c in land.store.status().counts] == [("ERROR", 1), ("PACKAGING", 2)]
