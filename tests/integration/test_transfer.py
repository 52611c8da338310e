"""Transfers on a real database (SQLite and PostgreSQL): -q on the source and +q on the destination
in one posting, the defect warehouse closing goods for sale, and refusals leaving nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dealerhub.core import inventory as inv
from dealerhub.core import stock
from dealerhub.core.documents import DocumentNotDraft, DocumentNotInStatus, InvalidDocument, UnknownItem
from dealerhub.shared import clock
from tests.integration.purchasing_builders import (
    D,
    assert_refused,
    audit_of,
    balance,
    make_world,
    moves_of,
    put,
    reserve,
)

L = inv.TransferLineInput


@pytest.fixture
def w(core_db):
    clock.freeze(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    world = make_world(core_db)
    with core_db.transaction() as s:
        put(s, world.pump_id, world.main_id, "10")
        put(s, world.oil_id, world.main_id, "20.5")
    return world


def _create(s, w, lines, to_id=None, from_id=None, reason=None):
    return inv.create_transfer(
        s, user_id=w.user_id, from_warehouse_id=from_id or w.main_id, to_warehouse_id=to_id or w.regional_id,
        lines=lines, reason=reason,
    ).id


def test_a_transfer_moves_goods_and_unposting_moves_them_back(core_db, w):
    with core_db.transaction() as s:
        transfer_id = _create(s, w, [L(w.pump_id, D(4)), L(w.oil_id, D("0.5"))], reason="stock for the Ural branch")
        transfer = inv.get_transfer(s, transfer_id)
        assert (transfer.number, transfer.status, transfer.reason) == ("TR-2026-000001", "draft", "stock for the Ural branch")
        lines = [ln.id for ln in transfer.lines]
        inv.post_transfer(s, transfer_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "transfer", transfer_id) == [
            (w.pump_id, w.main_id, D(-4), lines[0], False), (w.pump_id, w.regional_id, D(4), lines[0], False),
            (w.oil_id, w.main_id, D("-0.5"), lines[1], False), (w.oil_id, w.regional_id, D("0.5"), lines[1], False),
        ]
        assert balance(s, w.pump_id, w.main_id) == (D(6), D(0), D(6))
        assert balance(s, w.pump_id, w.regional_id) == (D(4), D(0), D(4))
        assert balance(s, w.oil_id, w.main_id) == (D(20), D(0), D(20))
        assert balance(s, w.oil_id, w.regional_id) == (D("0.5"), D(0), D("0.5"))

    with core_db.transaction() as s:
        inv.unpost_transfer(s, transfer_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "transfer", transfer_id)[4:] == [
            (w.pump_id, w.regional_id, D(-4), lines[0], True), (w.pump_id, w.main_id, D(4), lines[0], True),
            (w.oil_id, w.regional_id, D("-0.5"), lines[1], True), (w.oil_id, w.main_id, D("0.5"), lines[1], True),
        ]
        assert balance(s, w.pump_id, w.main_id) == (D(10), D(0), D(10))
        assert balance(s, w.pump_id, w.regional_id) == (D(0), D(0), D(0))
        assert inv.get_transfer(s, transfer_id).status == "draft"
        assert audit_of(s, "transfer", transfer_id) == [
            ("create", None, "draft", w.user_id),
            ("post", "draft", "posted", w.user_id),
            ("unpost", "posted", "draft", w.user_id),
        ]
        assert stock.find_differences(s) == []


def test_a_transfer_to_the_defect_warehouse_closes_goods_for_sale(core_db, w):
    with core_db.transaction() as s:
        transfer_id = _create(s, w, [L(w.pump_id, D(3))], to_id=w.defect_id, reason="cracked housing")
        inv.post_transfer(s, transfer_id, user_id=w.user_id)
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(7), D(0), D(7))
        assert balance(s, w.pump_id, w.defect_id) == (D(3), D(0), D(0))  # on hand, but not for sale
    assert_refused(core_db, stock.WarehouseClosedForSale, lambda s: reserve(s, w.pump_id, w.defect_id, "1"))

    with core_db.transaction() as s:  # repaired: back on sale
        back = _create(s, w, [L(w.pump_id, D(3))], from_id=w.defect_id, to_id=w.main_id)
        inv.post_transfer(s, back, user_id=w.user_id)
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.main_id) == (D(10), D(0), D(10))
        assert balance(s, w.pump_id, w.defect_id) == (D(0), D(0), D(0))


def test_a_transfer_to_the_same_warehouse_is_refused(core_db, w):
    assert_refused(core_db, inv.SameWarehouse, lambda s: _create(s, w, [L(w.pump_id, D(1))], to_id=w.main_id))
    with core_db.transaction() as s:
        transfer_id = _create(s, w, [L(w.pump_id, D(1))])
    assert_refused(core_db, inv.SameWarehouse, lambda s: inv.update_transfer(
        s, transfer_id, user_id=w.user_id, to_warehouse_id=w.main_id))


def test_only_free_stock_leaves_the_source(core_db, w):
    with core_db.transaction() as s:
        reserve(s, w.pump_id, w.main_id, "8")
        transfer_id = _create(s, w, [L(w.pump_id, D(3))])
    error = assert_refused(core_db, stock.InsufficientStock, lambda s: inv.post_transfer(s, transfer_id, user_id=w.user_id))
    assert error.shortages == [stock.Shortage(w.pump_id, w.main_id, D(3), D(2))]


def test_unposting_is_refused_when_the_goods_are_no_longer_free_at_the_destination(core_db, w):
    with core_db.transaction() as s:
        transfer_id = _create(s, w, [L(w.pump_id, D(4))])
        inv.post_transfer(s, transfer_id, user_id=w.user_id)
        reserve(s, w.pump_id, w.regional_id, "1")
    error = assert_refused(core_db, stock.InsufficientStock, lambda s: inv.unpost_transfer(
        s, transfer_id, user_id=w.user_id))
    assert error.shortages == [stock.Shortage(w.pump_id, w.regional_id, D(4), D(3))]
    with core_db.session() as s:
        assert inv.get_transfer(s, transfer_id).status == "posted"


def test_a_draft_is_edited_and_a_posted_transfer_is_not(core_db, w):
    with core_db.transaction() as s:
        transfer_id = _create(s, w, [L(w.pump_id, D(1))])
        inv.update_transfer(s, transfer_id, user_id=w.user_id, to_warehouse_id=w.defect_id, lines=[L(w.oil_id, D(2))])
        inv.post_transfer(s, transfer_id, user_id=w.user_id)
    with core_db.session() as s:
        assert [(m[0], m[1], m[2]) for m in moves_of(s, "transfer", transfer_id)] == [
            (w.oil_id, w.main_id, D(-2)), (w.oil_id, w.defect_id, D(2))]
        assert [a for a, *_ in audit_of(s, "transfer", transfer_id)] == ["create", "update", "post"]
    assert_refused(core_db, DocumentNotDraft, lambda s: inv.update_transfer(
        s, transfer_id, user_id=w.user_id, lines=[L(w.pump_id, D(1))]))
    assert_refused(core_db, DocumentNotInStatus, lambda s: inv.post_transfer(s, transfer_id, user_id=w.user_id))


@pytest.mark.parametrize(
    ("item", "quantity", "error"),
    [
        pytest.param(None, "1", UnknownItem, id="unknown-item"),
        pytest.param("pump", "2.5", InvalidDocument, id="2.5-pieces"),
        pytest.param("pump", "0", InvalidDocument, id="zero"),
    ],
)
def test_an_invalid_transfer_is_refused_and_nothing_is_written(core_db, w, item, quantity, error):
    item_id = w.pump_id if item == "pump" else 999999
    assert_refused(core_db, error, lambda s: _create(s, w, [L(item_id, D(quantity))]))


def test_an_unknown_warehouse_is_refused(core_db, w):
    assert_refused(core_db, inv.UnknownWarehouse, lambda s: _create(s, w, [L(w.pump_id, D(1))], to_id=999999))
