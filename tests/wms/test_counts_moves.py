"""Counts with a recount beyond the threshold and INVENTORY; moves to and from defect and quarantine
(MOVEMENT); measuring an item (PACKAGING); REMAINS in parts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from dealerhub.shared import clock
from dealerhub.wms.catalog.packaging import Level, measure_item
from dealerhub.wms.counts.service import (
    count_lines,
    finish_round,
    mark_bin_counted,
    needs_recount,
    record_count,
    start_count,
)
from dealerhub.wms.errors import NotEnoughStock, StateConflict, WrongScan
from dealerhub.wms.layout.service import zones_of
from dealerhub.wms.moves.service import MoveLine, move_goods
from dealerhub.wms.remains.service import send_due, send_remains
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, stock_in, warehouse


def test_recount_rule():
    assert not needs_recount(D(100), D(100), D(5))
    assert not needs_recount(D(100), D(95), D(5))
    assert needs_recount(D(100), D(94), D(5))
    assert needs_recount(D(0), D(1), D(5))


def test_count_by_zone_with_recount_ends_in_corrections_and_inventory(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "A", "B", "C")
        user = keeper(s)
        stock_in(s, wh, "STO-01-01-1", "A", "100")
        stock_in(s, wh, "STO-01-01-2", "B", "10")
        stock_in(s, wh, "PCK-01-01-1", "C", "5")  # another zone: not counted
        storage = next(z for z in zones_of(s, wh.id) if z.kind == "storage")
        count = start_count(s, wh.id, zone_id=storage.id, threshold_percent=D(5), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(98), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-2", item_barcode="460B", counted=D(7), user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-02-1", item_barcode="460C", counted=D(2), user_id=user)
        with pytest.raises(StateConflict, match="not on this count"):
            record_count(s, count.id, bin_barcode="PCK-01-01-1", item_barcode="460C", counted=D(1), user_id=user)
        finish_round(s, count.id, user_id=user)
        assert (count.status, count.round) == ("recount", 2)
        # A is within 5 %; B (30 % short) and C (found where the book has none) are counted again.
        assert sorted((x.book, x.counted, x.needs_recount) for x in count_lines(s, count.id)) == [
            (D(0), D(2), True), (D(10), D(7), True), (D(100), D(98), False)]
        with pytest.raises(StateConflict, match="recount is not finished"):
            finish_round(s, count.id, user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-2", item_barcode="460B", counted=D(8), user_id=user)
        mark_bin_counted(s, count.id, "STO-01-02-1", user_id=user)  # C is not there after all
        finish_round(s, count.id, user_id=user)
        assert count.status == "closed"
        assert bin_stock(s, wh, "STO-01-01-1", "A") == (D(98), D(0))
        assert bin_stock(s, wh, "STO-01-01-2", "B") == (D(8), D(0))
        assert bin_stock(s, wh, "STO-01-02-1", "C") == (D(0), D(0))
        assert [x[3:] for x in ledger(s)[3:]] == [(D(-2), "count"), (D(-2), "count")]
        (message,) = outbox(s, "INVENTORY")
        assert message["payload"]["count_number"] == count.number
        assert message["payload"]["lines"] == [
            {"item_code": "A", "book_quantity": "100.000", "counted_quantity": "98.000"},
            {"item_code": "B", "book_quantity": "10.000", "counted_quantity": "8.000"},
            {"item_code": "C", "book_quantity": "0.000", "counted_quantity": "0.000"},
        ]


def test_count_by_item_covers_every_bin_holding_it(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "A")
        user = keeper(s)
        stock_in(s, wh, "STO-01-01-1", "A", "3")
        stock_in(s, wh, "PCK-01-01-1", "A", "2")
        count = start_count(s, wh.id, item_id=item_by_code(s, "A").id, user_id=user)
        with pytest.raises(StateConflict, match="not counted yet"):
            finish_round(s, count.id, user_id=user)
        record_count(s, count.id, bin_barcode="STO-01-01-1", item_barcode="460A", counted=D(3), user_id=user)
        record_count(s, count.id, bin_barcode="PCK-01-01-1", item_barcode="460A", counted=D(2), user_id=user)
        finish_round(s, count.id, user_id=user)
        assert count.status == "closed"
        assert outbox(s, "INVENTORY")[0]["payload"]["lines"] == [
            {"item_code": "A", "book_quantity": "5.000", "counted_quantity": "5.000"}]


def test_moves_to_and_from_defect_send_movement(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "A")
        user = keeper(s)
        stock_in(s, wh, "STO-01-01-1", "A", "5")
        with pytest.raises(WrongScan):
            move_goods(s, wh, direction="to_defect", reason="x", user_id=user,
                       lines=[MoveLine("460A", "STO-01-01-1", D(1), to_bin="STO-01-01-2")])
        movement = move_goods(s, wh, direction="to_defect", reason="cracked housing", user_id=user,
                              lines=[MoveLine("460A", "STO-01-01-1", D(2))])
        assert bin_stock(s, wh, "STO-01-01-1", "A") == (D(3), D(0))
        assert bin_stock(s, wh, "DEF-01", "A", "defect") == (D(2), D(0))
        move_goods(s, wh, direction="from_defect", reason="repaired", user_id=user,
                   lines=[MoveLine("460A", "DEF-01", D(1), to_bin="STO-01-01-1")])
        assert bin_stock(s, wh, "STO-01-01-1", "A") == (D(4), D(0))
        sent = outbox(s, "MOVEMENT")
        assert [m["payload"]["direction"] for m in sent] == ["to_defect", "from_defect"]
        assert sent[0]["payload"]["movement_number"] == movement.number
        assert (sent[0]["payload"]["reason"], sent[0]["payload"]["lines"]) == (
            "cracked housing", [{"item_code": "A", "quantity": "2.000"}])
        with pytest.raises(NotEnoughStock):
            move_goods(s, wh, direction="to_quarantine", reason="check", user_id=user,
                       lines=[MoveLine("460A", "STO-01-01-1", D(5))])


def test_measuring_sends_packaging(wms_db):
    with wms_db.transaction() as s:
        items(s, "A")
        item = item_by_code(s, "A")
        measure_item(s, item, weight_kg=D("1.25"), length_mm=200, width_mm=100, height_mm=50,
                     levels=[Level("box", D(12), barcode="BOX-A", weight_kg=D("15.5"))])
        (message,) = outbox(s, "PACKAGING")
        assert message["payload"] == {"items": [{
            "item_code": "A", "weight_kg": "1.250", "length_mm": "200", "width_mm": "100", "height_mm": "50",
            "levels": [{"name": "box", "quantity": "12.000", "barcode": "BOX-A", "weight_kg": "15.500",
                        "length_mm": None, "width_mm": None, "height_mm": None}]}]}


def test_remains_in_parts_and_on_schedule(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "A", "B", "C")
        user = keeper(s)
        stock_in(s, wh, "STO-01-01-1", "A", "5")
        stock_in(s, wh, "STO-01-01-2", "B", "3")
        stock_in(s, wh, "STO-01-01-3", "C", "1")
        move_goods(s, wh, direction="to_defect", reason="bent", user_id=user, lines=[MoveLine("460A", "STO-01-01-1", D(1))])
        snapshot = send_remains(s, wh, part_rows=2)
        sent = outbox(s, "REMAINS")
        assert [(m["document_type"], m["document_number"], m["document_seq"]) for m in sent] == [
            ("remains", snapshot.snapshot_id, 1), ("remains", snapshot.snapshot_id, 2)]
        assert [(m["payload"]["part"], m["payload"]["parts_total"]) for m in sent] == [(1, 2), (2, 2)]
        assert [r for m in sent for r in m["payload"]["rows"]] == [
            {"item_code": "A", "status": "available", "quantity": "4.000"},
            {"item_code": "A", "status": "defect", "quantity": "1.000"},
            {"item_code": "B", "status": "available", "quantity": "3.000"},
            {"item_code": "C", "status": "available", "quantity": "1.000"},
        ]
        assert send_due(s, every=timedelta(hours=1), part_rows=100) == []
        clock.freeze(clock.now() + timedelta(hours=2))
        (scheduled,) = send_due(s, every=timedelta(hours=1), part_rows=100)
        assert scheduled.trigger == "schedule"
