"""Enqueuing under real concurrency on PostgreSQL (threads, each its own connection): the sequence
numbers of one document never repeat and follow the commit order, and a contractor referred to by
many documents at once is sent to the WMS once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from dealerhub.core.outbox import enqueue
from dealerhub.exchange.contracts import AsnV1
from tests.integration.sales_builders import approved_order, posted_task
from tests.outbox.helpers import outbox, wms_world

pytestmark = pytest.mark.postgresql


def _together(count: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_sequence_numbers_of_one_document_never_repeat(pg_core_db):
    def cancel(_n: int) -> None:
        payload = AsnV1(
            asn_number="PO-1", kind="supplier_order", source_number="PO-1", counterparty_code="1",
            action="cancel", lines=[],
        )
        for _ in range(5):
            with pg_core_db.transaction() as s:
                enqueue(s, payload, document_type="supplier_order", document_number="PO-1", warehouse_code="MSK01")

    _together(8, cancel)
    rows = outbox(pg_core_db)
    assert sorted(r.document_seq for r in rows) == list(range(1, 41))
    # The counter row is held until commit, so ids (given at insert) follow the sequence too.
    assert [r.document_seq for r in rows] == list(range(1, 41))


def test_a_new_contractor_is_sent_once_however_many_documents_refer_to_it_at_once(pg_core_db):
    w = wms_world(pg_core_db, stock=("100", "100"))
    orders = [approved_order(pg_core_db, w, ("1", "1")) for _ in range(6)]
    _together(6, lambda n: posted_task(pg_core_db, w, orders[n]))
    types = [r.type for r in outbox(pg_core_db)]
    assert sorted(types) == ["COUNTERPARTY"] + ["ORDERS"] * 6
    assert types[0] == "COUNTERPARTY"  # the first document's transaction sent it
