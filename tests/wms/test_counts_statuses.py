"""A count sees every stock status in the counted bins (available with what is allocated, defect,
quarantine), the storekeeper counts each status apart, corrections keep the status, and INVENTORY
carries the available stock only (what the core holds on the warehouse)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dealerhub.wms.counts.models import Count
from dealerhub.wms.counts.service import (
    count_lines,
    finish_round,
    mark_bin_counted,
    record_count,
    start_count,
)
from dealerhub.wms.errors import QuantityRefused, StateConflict
from dealerhub.wms.layout.service import bin_by_barcode, zones_of
from dealerhub.wms.stock.service import allocate, put, stock_row
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, stock_in, warehouse


def _world(s):
    wh = warehouse(s)
    items(s, "A", "B")
    user = keeper(s)
    stock_in(s, wh, "STO-01-01-1", "A", "10")
    sto1 = bin_by_barcode(s, wh.id, "STO-01-01-1")
    a, b = item_by_code(s, "A"), item_by_code(s, "B")
    allocate(s, stock_row(s, sto1.id, a.id, "available"), D(4))  # promised to a pick
    put(s, sto1, a.id, "defect", D(2), "receipt")
    put(s, bin_by_barcode(s, wh.id, "STO-01-01-2"), b.id, "quarantine", D(3), "receipt")
    storage = next(z for z in zones_of(s, wh.id) if z.kind == "storage")
    return wh, user, storage


def _lines(s, count_id):
    return sorted((s.get(type(x), x.id).status, x.book, x.book_allocated, x.counted, x.recounted, x.needs_recount)
                  for x in count_lines(s, count_id))


def test_every_status_is_counted_and_inventory_carries_the_available_stock(wms_db):
    with wms_db.transaction() as s:
        wh, user, storage = _world(s)
        count = start_count(s, wh.id, zone_id=storage.id, threshold_percent=D(5), user_id=user)
        assert _lines(s, count.id) == [
            ("available", D(10), D(4), None, None, False),
            ("defect", D(2), D(0), None, None, False),
            ("quarantine", D(3), D(0), None, None, False),
        ]
        # The storekeeper finds 10 good units (the 4 allocated among them) and 1 damaged one.
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(10), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(1), status="defect",
                     user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-2", item_barcode="460B", counted=D(3), status="quarantine",
                     user_id=user)
        finish_round(s, count.id, user_id=user)
        assert count.status == "recount"  # the defect line: 1 of 2
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(1), status="defect",
                     user_id=user)
        finish_round(s, count.id, user_id=user)
        assert count.status == "closed"
        assert bin_stock(s, wh, "STO-01-01-1", "A") == (D(10), D(4))
        assert bin_stock(s, wh, "STO-01-01-1", "A", "defect") == (D(1), D(0))
        assert bin_stock(s, wh, "STO-01-01-2", "B", "quarantine") == (D(3), D(0))
        assert [x[2:] for x in ledger(s)[3:]] == [("defect", D(-1), "count")]
        (message,) = outbox(s, "INVENTORY")
        # Counted as before (all goods of the bin as "available") this would have told the core of a
        # surplus of 1; by status, the core's stock of A on this warehouse is right.
        assert message["payload"]["lines"] == [
            {"item_code": "A", "book_quantity": "10.000", "counted_quantity": "10.000"}]


def test_all_goods_counted_as_good_go_to_a_recount(wms_db):
    """A storekeeper who counts the damaged units as good: the available line gets a surplus and the
    defect line (bin finished) a shortage; both pass the threshold and are counted again."""
    with wms_db.transaction() as s:
        wh, user, storage = _world(s)
        count = start_count(s, wh.id, zone_id=storage.id, threshold_percent=D(5), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(12), user_id=user)
        mark_bin_counted(s, count.id, "STO-01-01-1", user_id=user)
        mark_bin_counted(s, count.id, "STO-01-01-2", user_id=user)
        finish_round(s, count.id, user_id=user)
        assert _lines(s, count.id) == [
            ("available", D(10), D(4), D(12), None, True),
            ("defect", D(2), D(0), D(0), None, True),
            ("quarantine", D(3), D(0), D(0), None, True),
        ]


def test_the_zone_says_the_status_of_goods_found_unless_the_storekeeper_does(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "A")
        user = keeper(s)
        defect = next(z for z in zones_of(s, wh.id) if z.kind == "defect")
        count = start_count(s, wh.id, zone_id=defect.id, user_id=user)
        record_count(s, count.id, bin_barcode="DEF-01", item_barcode="460A", counted=D(2), user_id=user)
        assert [(x.status, x.book, x.counted) for x in count_lines(s, count.id)] == [("defect", D(0), D(2))]
        with pytest.raises(QuantityRefused, match="not broken"):
            record_count(s, count.id, bin_barcode="DEF-01", item_barcode="460A", counted=D(2), status="broken",
                         user_id=user)


def test_a_shortage_of_allocated_goods_is_refused_until_the_task_reports_it(wms_db):
    with wms_db.transaction() as s:
        wh, user, storage = _world(s)
        count = start_count(s, wh.id, zone_id=storage.id, threshold_percent=D(80), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(3), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(2), status="defect",
                     user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-2", item_barcode="460B", counted=D(3), status="quarantine",
                     user_id=user)
        count_id, moves = count.id, len(ledger(s))
    # 3 found of 10, 4 of them allocated: only 6 are free to write off, 7 are missing. Within the
    # 80 % threshold: this round closes the count, and closing is refused.
    with pytest.raises(StateConflict, match=r"STO-01-01-1 A \(4 allocated\)"), wms_db.transaction() as s:
        finish_round(s, count_id, user_id=user)
    with wms_db.session() as s:
        assert s.get(Count, count_id).status == "counting"
        assert len(ledger(s)) == moves
        assert outbox(s, "INVENTORY") == []
