"""Stock corrections on a real database (SQLite and PostgreSQL): surplus and write-off with a reason,
the exact moves of posting and unposting, write-offs only from free stock."""

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

L = inv.CorrectionLineInput


@pytest.fixture
def w(core_db):
    clock.freeze(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    world = make_world(core_db)
    with core_db.transaction() as s:
        put(s, world.pump_id, world.main_id, "10")
    return world


def _create(s, w, kind, lines, reason="inventory count 2026-03", warehouse_id=None):
    return inv.create_stock_correction(
        s, user_id=w.user_id, warehouse_id=warehouse_id or w.main_id, kind=kind, reason=reason, lines=lines
    ).id


def test_surplus_puts_goods_on_stock_and_unposting_takes_them_back(core_db, w):
    with core_db.transaction() as s:
        correction_id = _create(s, w, "surplus", [L(w.pump_id, D(2)), L(w.oil_id, D("0.75"))])
        correction = inv.get_stock_correction(s, correction_id)
        assert (correction.number, correction.status, correction.kind, correction.reason) == (
            "SC-2026-000001", "draft", "surplus", "inventory count 2026-03")
        lines = [ln.id for ln in correction.lines]
        inv.post_stock_correction(s, correction_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "stock_correction", correction_id) == [
            (w.pump_id, w.main_id, D(2), lines[0], False), (w.oil_id, w.main_id, D("0.75"), lines[1], False)]
        assert balance(s, w.pump_id, w.main_id) == (D(12), D(0), D(12))
        assert balance(s, w.oil_id, w.main_id) == (D("0.75"), D(0), D("0.75"))

    with core_db.transaction() as s:
        inv.unpost_stock_correction(s, correction_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "stock_correction", correction_id)[2:] == [
            (w.pump_id, w.main_id, D(-2), lines[0], True), (w.oil_id, w.main_id, D("-0.75"), lines[1], True)]
        assert balance(s, w.pump_id, w.main_id) == (D(10), D(0), D(10))
        assert balance(s, w.oil_id, w.main_id) == (D(0), D(0), D(0))
        assert inv.get_stock_correction(s, correction_id).status == "draft"
        assert audit_of(s, "stock_correction", correction_id) == [
            ("create", None, "draft", w.user_id),
            ("post", "draft", "posted", w.user_id),
            ("unpost", "posted", "draft", w.user_id),
        ]
        assert stock.find_differences(s) == []


def test_write_off_takes_free_stock_and_unposting_returns_it(core_db, w):
    with core_db.transaction() as s:
        reserve(s, w.pump_id, w.main_id, "6")
        correction_id = _create(s, w, "write_off", [L(w.pump_id, D(4))], reason="broken in the warehouse")
        inv.post_stock_correction(s, correction_id, user_id=w.user_id)
        line_id = inv.get_stock_correction(s, correction_id).lines[0].id
    with core_db.session() as s:
        assert moves_of(s, "stock_correction", correction_id) == [(w.pump_id, w.main_id, D(-4), line_id, False)]
        assert balance(s, w.pump_id, w.main_id) == (D(6), D(6), D(0))
    with core_db.transaction() as s:
        inv.unpost_stock_correction(s, correction_id, user_id=w.user_id)
    with core_db.session() as s:
        assert moves_of(s, "stock_correction", correction_id)[1:] == [(w.pump_id, w.main_id, D(4), line_id, True)]
        assert balance(s, w.pump_id, w.main_id) == (D(10), D(6), D(4))


def test_write_off_beyond_free_stock_is_refused(core_db, w):
    with core_db.transaction() as s:
        reserve(s, w.pump_id, w.main_id, "7")
        correction_id = _create(s, w, "write_off", [L(w.pump_id, D(4)), L(w.oil_id, D(1))])
    error = assert_refused(core_db, stock.InsufficientStock, lambda s: inv.post_stock_correction(
        s, correction_id, user_id=w.user_id))
    assert error.shortages == [
        stock.Shortage(w.pump_id, w.main_id, D(4), D(3)), stock.Shortage(w.oil_id, w.main_id, D(1), D(0))]
    with core_db.session() as s:
        assert inv.get_stock_correction(s, correction_id).status == "draft"


def test_defective_goods_are_written_off_from_the_defect_warehouse(core_db, w):
    with core_db.transaction() as s:
        put(s, w.pump_id, w.defect_id, "3")
        correction_id = _create(s, w, "write_off", [L(w.pump_id, D(3))], reason="scrapped", warehouse_id=w.defect_id)
        inv.post_stock_correction(s, correction_id, user_id=w.user_id)
    with core_db.session() as s:
        assert balance(s, w.pump_id, w.defect_id) == (D(0), D(0), D(0))


def test_unposting_a_surplus_that_was_reserved_is_refused(core_db, w):
    with core_db.transaction() as s:
        correction_id = _create(s, w, "surplus", [L(w.pump_id, D(5))])
        inv.post_stock_correction(s, correction_id, user_id=w.user_id)
        reserve(s, w.pump_id, w.main_id, "12")
    assert_refused(core_db, stock.InsufficientStock, lambda s: inv.unpost_stock_correction(
        s, correction_id, user_id=w.user_id))


def test_a_draft_is_edited_and_a_posted_correction_is_not(core_db, w):
    with core_db.transaction() as s:
        correction_id = _create(s, w, "surplus", [L(w.pump_id, D(1))])
        inv.update_stock_correction(
            s, correction_id, user_id=w.user_id, kind="write_off", reason="lost", lines=[L(w.pump_id, D(3))])
        inv.post_stock_correction(s, correction_id, user_id=w.user_id)
    with core_db.session() as s:
        correction = inv.get_stock_correction(s, correction_id)
        assert (correction.kind, correction.reason, [(ln.line_no, ln.quantity) for ln in correction.lines]) == (
            "write_off", "lost", [(1, D(3))])
        assert [m[2] for m in moves_of(s, "stock_correction", correction_id)] == [D(-3)]
        assert [a for a, *_ in audit_of(s, "stock_correction", correction_id)] == ["create", "update", "post"]
    assert_refused(core_db, DocumentNotDraft, lambda s: inv.update_stock_correction(
        s, correction_id, user_id=w.user_id, lines=[L(w.pump_id, D(1))]))
    assert_refused(core_db, DocumentNotInStatus, lambda s: inv.post_stock_correction(s, correction_id, user_id=w.user_id))


@pytest.mark.parametrize(
    ("kind", "reason", "line", "error"),
    [
        pytest.param("surplus", "   ", ("pump", "1"), inv.ReasonRequired, id="blank-reason"),
        pytest.param("surplus", None, ("pump", "1"), inv.ReasonRequired, id="no-reason"),
        pytest.param("shrinkage", "count", ("pump", "1"), inv.UnknownCorrectionKind, id="unknown-kind"),
        pytest.param("surplus", "count", (None, "1"), UnknownItem, id="unknown-item"),
        pytest.param("surplus", "count", ("pump", "1.5"), InvalidDocument, id="1.5-pieces"),
        pytest.param("write_off", "count", ("oil", "0.0005"), InvalidDocument, id="oil-beyond-its-precision"),
        pytest.param("write_off", "count", ("pump", "-1"), InvalidDocument, id="negative-quantity"),
    ],
)
def test_an_invalid_correction_is_refused_and_nothing_is_written(core_db, w, kind, reason, line, error):
    item, quantity = line
    item_id = {"pump": w.pump_id, "oil": w.oil_id, None: 999999}[item]
    assert_refused(core_db, error, lambda s: _create(s, w, kind, [L(item_id, D(quantity))], reason=reason))


def test_an_unknown_warehouse_is_refused(core_db, w):
    assert_refused(core_db, inv.UnknownWarehouse, lambda s: _create(s, w, "surplus", [L(w.pump_id, D(1))],
                                                                    warehouse_id=999999))
