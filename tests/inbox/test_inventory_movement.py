"""INVENTORY: posted surplus and write-off from a count; MOVEMENT: posted transfers to and from the
defect warehouse (quarantine too); both wait for what they can't do yet and write nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from dealerhub.core import inventory
from dealerhub.core.inbox import apply_batch
from dealerhub.exchange.contracts import InventoryLine, InventoryV1, MovementLine, MovementV1
from tests.inbox.builders import AT, applied_once, q, refused, waits, wms
from tests.inbox.world import stocked
from tests.integration.purchasing_builders import balance, moves_of, reserve

D = Decimal


def _count(lines, number="INV-5", warehouse_code="MSK"):
    return wms(warehouse_code=warehouse_code, payload=InventoryV1(count_number=number, counted_at=datetime(2026, 3, 4, 18, tzinfo=UTC), lines=[
        InventoryLine(item_code=code, book_quantity=q(book), counted_quantity=q(counted)) for code, book, counted in lines
    ]))


def _move(direction, lines, number="MV-1", reason="crushed by a forklift"):
    return wms(payload=MovementV1(movement_number=number, direction=direction, reason=reason, moved_at=AT, lines=[
        MovementLine(item_code=code, quantity=q(quantity)) for code, quantity in lines
    ]))


def _corrections(core_db):
    with core_db.session() as s:
        found, _ = inventory.list_stock_corrections(s)
        return sorted(
            (c.kind, c.status, c.reason, c.warehouse_id, [(ln.item_id, ln.quantity) for ln in c.lines]) for c in found
        )


def test_a_count_posts_a_surplus_and_a_write_off_with_the_count_number(core_db):
    w = stocked(core_db)
    message = _count([(w.pump, "10", "12"), (w.filter, "5", "3"), (w.oil, "0", "0")])
    applied_once(core_db, message, lambda: _corrections(core_db))
    reason = "WMS inventory count INV-5 of 2026-03-04"
    assert _corrections(core_db) == [
        ("surplus", "posted", reason, w.main_id, [(w.pump_id, D(2))]),
        ("write_off", "posted", reason, w.main_id, [(w.filter_id, D(2))]),
    ]
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(12), D(0), D(12))
        assert balance(s, w.filter_id, w.main_id) == (D(3), D(0), D(3))


def test_a_count_without_differences_makes_no_document(core_db):
    w = stocked(core_db)
    [outcome] = apply_batch(core_db, [_count([(w.pump, "10", "10")])])
    assert type(outcome).__name__ == "Applied" and outcome.note == "count INV-5: no differences"
    assert _corrections(core_db) == []


def test_a_write_off_of_reserved_goods_waits_and_an_item_counted_twice_is_refused(core_db):
    w = stocked(core_db)
    with core_db.transaction() as s:
        reserve(s, w.filter_id, w.main_id, "4")
    reason = waits(core_db, _count([(w.filter, "5", "2")]), "quantity_mismatch")
    assert reason.endswith("waits until the goods are free (release their reservations)")
    assert refused(core_db, _count([(w.pump, "10", "9"), (w.pump, "10", "9")]), "quantity_mismatch") == (
        f"item {w.pump} is counted twice in INV-5"
    )
    assert waits(core_db, _count([(w.pump, "10", "9")], warehouse_code="SPB"), "unknown_warehouse") == (
        "unknown warehouse code SPB: no active warehouse has this WMS code"
    )
    assert _corrections(core_db) == []


def test_movements_transfer_to_and_from_the_defect_warehouse(core_db):
    w = stocked(core_db)
    to_defect = _move("to_defect", [(w.pump, "3")])
    applied_once(core_db, to_defect, lambda: _transfers(core_db))
    [(status, source, destination, reason, lines)] = _transfers(core_db)
    assert (status, source, destination, lines) == ("posted", w.main_id, w.defect_id, [(w.pump_id, D(3))])
    assert reason == "WMS movement MV-1 (to defect): crushed by a forklift"
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(7), D(0), D(7))
        assert balance(s, w.pump_id, w.defect_id) == (D(3), D(0), D(0))  # closed for sale
        transfer_id = inventory.list_transfers(s)[0][0].id
        assert moves_of(s, "transfer", transfer_id)[0][:3] == (w.pump_id, w.main_id, D(-3))

    [back] = apply_batch(core_db, [_move("from_quarantine", [(w.pump, "1")], number="MV-2", reason="")])
    assert type(back).__name__ == "Applied"
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(8), D(0), D(8))
        assert balance(s, w.pump_id, w.defect_id) == (D(2), D(0), D(0))


def test_a_movement_waits_for_a_defect_warehouse(core_db):
    w = stocked(core_db, link_defect=False)
    assert waits(core_db, _move("to_defect", [(w.pump, "1")]), "unknown_warehouse") == (
        f"warehouse {_code(core_db, w.main_id)} (WMS MSK) has no defect warehouse linked"
    )


def test_a_movement_of_goods_that_are_not_there_or_reserved_waits(core_db):
    w = stocked(core_db)
    assert "waits until the goods are free" in waits(core_db, _move("from_defect", [(w.pump, "1")]), "quantity_mismatch")
    with core_db.transaction() as s:
        reserve(s, w.filter_id, w.main_id, "5")
    assert "waits until the goods are free" in waits(core_db, _move("to_defect", [(w.filter, "1")]), "quantity_mismatch")
    assert _transfers(core_db) == []


def _code(core_db, warehouse_id):
    from dealerhub.core.warehouses import get_warehouse

    with core_db.session() as s:
        return get_warehouse(s, warehouse_id).code


def _transfers(core_db):
    with core_db.session() as s:
        found, _ = inventory.list_transfers(s)
        return [
            (t.status, t.from_warehouse_id, t.to_warehouse_id, t.reason, [(ln.item_id, ln.quantity) for ln in t.lines])
            for t in found
        ]
