"""The inbox behind the exchange worker: messages published into the exchange are applied in the
core, answered through the core's outbox, and their exchange status follows the outcome."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.core.inbox.worker_handler import exchange_handler
from dealerhub.exchange.contracts import DespatchLine, DespatchV1, build_message
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.worker import Worker
from tests.inbox.builders import AT, answers, q
from tests.inbox.test_despatch import _setup
from tests.integration.sales_builders import status

D = Decimal


def _despatch(number, code, shipped, *, seq=None):
    payload = DespatchV1(
        order_number=number, despatch_number="D-1", final=True, shipped_at=AT,
        lines=[DespatchLine(line_no=1, item_code=code, picked=q(shipped), shipped=q(shipped), shortage=q(0))],
    )
    document = {"document_type": "picking_task", "document_number": number, "document_seq": seq} if seq else {}
    return build_message(payload, sender="wms", receiver="core", warehouse_code="MSK", **document)


def test_the_worker_applies_rejects_and_holds_back_through_the_inbox(core_db, exchange_db):
    _w, (a, _b), _order_id, task_id, number = _setup(core_db)
    store = ExchangeStore(exchange_db)
    good, bad, unknown = _despatch(number, a, "4", seq=1), _despatch(number, a, "9"), _despatch(number, "NEW", "1")
    for message in (bad, unknown, good):
        store.publish(message)
    worker = Worker(store, "core", exchange_handler(core_db), report_rejections=False)

    worker.run(once=True)

    assert store.get(good.message_id).status == "done"
    assert store.get(bad.message_id).status == "error"
    assert store.get(bad.message_id).last_error.startswith("quantity_mismatch: ")
    assert store.get(unknown.message_id).status == "new"  # waits for item NEW
    assert status(core_db, "get_picking_task", task_id) == "done"
    assert [(t, c) for t, c, _ in answers(core_db)] == [("ERROR", bad.message_id), ("ACK", good.message_id)]
