"""Purchasing under real parallel connections on PostgreSQL: receipts racing for the same
supplier-order line never over-receive, and receipts racing for the same supplier invoice end with
exactly one receipt and a clear DuplicateSupplierInvoice for the others."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from dealerhub.core import purchasing as p
from dealerhub.core.purchasing.models import GoodsReceipt
from tests.integration.purchasing_builders import (
    D,
    balance,
    count,
    create_order,
    create_receipt,
    make_world,
    order_line,
    order_line_ids,
)

pytestmark = pytest.mark.postgresql
RACERS = 8


def _race(work, arguments):
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        barrier.wait()
        try:
            work(argument)
            return "ok"
        except p.OverReceipt:
            return "over"
        except p.DuplicateSupplierInvoice:
            return "duplicate"

    with ThreadPoolExecutor(len(arguments)) as pool:
        return sorted(pool.map(run, arguments))


def test_parallel_receipts_for_one_order_line_never_over_receive(pg_core_db):
    w = make_world(pg_core_db)
    with pg_core_db.transaction() as s:
        order_id = create_order(s, w, [order_line(w.pump_id, "5", "100")])
        [line] = order_line_ids(s, order_id)
        receipts = [
            create_receipt(s, w, [p.ReceiptLineInput(w.pump_id, D(5), D(100), line)], invoice=f"INV-{i}")
            for i in range(RACERS)
        ]

    def post(receipt_id):
        with pg_core_db.transaction() as s:
            p.post_goods_receipt(s, receipt_id, user_id=w.user_id)

    assert _race(post, receipts) == ["ok"] + ["over"] * (RACERS - 1)
    with pg_core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(5), D(0), D(5))
        assert p.get_supplier_order(s, order_id).status == "received"
        assert [r.received for r in p.get_supplier_order_progress(s, order_id)] == [D(5)]


def test_parallel_receipts_for_one_invoice_leave_exactly_one(pg_core_db):
    w = make_world(pg_core_db)

    def create(i):
        with pg_core_db.transaction() as s:
            p.create_goods_receipt(
                s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=w.contractor_id, warehouse_id=w.main_id,
                supplier_invoice_number="SD-77", supplier_invoice_date=date(2026, 3, 1), currency="RUB",
                exchange_rate=D(1), lines=[p.ReceiptLineInput(w.pump_id, D(i + 1), D(10))],
            )

    assert _race(create, list(range(RACERS))) == ["duplicate"] * (RACERS - 1) + ["ok"]
    with pg_core_db.session() as s:
        assert count(s, GoodsReceipt) == 1
