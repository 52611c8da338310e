"""Warehouses: kinds, unique codes, and the WMS code that is locked once set (use case and trigger)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dealerhub.core import warehouses as wh
from dealerhub.core.warehouses.models import Warehouse
from tests import factories as f
from tests.integration.masterdata_helpers import audit, count, race


def _create(db, **fields):
    with db.transaction() as s:
        user = f.staff(s)
        w = wh.create_warehouse(
            s, user_id=user.id, **{"code": "MSK", "name": "Moscow main", "kind": "main", **fields}
        )
        return w.id, user.id


def test_create_writes_the_row_and_an_audit_record(core_db):
    wid, _ = _create(core_db, wms_code=" WMS-MSK ", address="Moscow, Lesnaya 1")
    with core_db.session() as s:
        w = wh.get_warehouse(s, wid)
        assert (w.code, w.name, w.kind, w.wms_code, w.address, w.is_active) == (
            "MSK",
            "Moscow main",
            "main",
            "WMS-MSK",
            "Moscow, Lesnaya 1",
            True,
        )
        assert w.open_for_sale
        assert audit(s, "warehouse", wid) == [
            (
                "create",
                {
                    "code": "MSK",
                    "name": "Moscow main",
                    "kind": "main",
                    "wms_code": "WMS-MSK",
                    "address": "Moscow, Lesnaya 1",
                },
            )
        ]


@pytest.mark.parametrize(
    "kind,open_for_sale",
    [
        ("main", True),
        ("regional", True),
        ("transit", False),
        ("defect", False),
        ("loss", False),
    ],
)
def test_every_kind(core_db, kind, open_for_sale):
    wid, _ = _create(core_db, kind=kind)
    with core_db.session() as s:
        assert wh.get_warehouse(s, wid).open_for_sale is open_for_sale


@pytest.mark.parametrize(
    "fields,error,status",
    [
        ({"kind": "virtual"}, wh.InvalidWarehouseData, 422),
        ({"code": "  "}, wh.InvalidWarehouseData, 422),
        ({"code": "X" * 17}, wh.InvalidWarehouseData, 422),
        ({"code": "MSK"}, wh.DuplicateWarehouseCode, 409),
        ({"code": "SPB", "wms_code": "W1"}, wh.DuplicateWarehouseCode, 409),
    ],
)
def test_refused_creation_writes_nothing(core_db, fields, error, status):
    _create(core_db, wms_code="W1")
    with pytest.raises(error) as err, core_db.transaction() as s:
        wh.create_warehouse(
            s, user_id=None, **{"code": "SPB", "name": "St Petersburg", "kind": "regional", **fields}
        )
    assert err.value.http_status == status
    with core_db.session() as s:
        assert count(s, Warehouse) == 1
        assert [a for a, _ in audit(s, "warehouse")] == ["create"]


def test_wms_code_can_be_set_once_then_is_locked(core_db):
    wid, user_id = _create(core_db)
    with core_db.transaction() as s:
        wh.update_warehouse(s, wid, user_id=user_id, wms_code="W-MSK", name="Moscow central")
    for new_code in ("W-OTHER", None):
        with pytest.raises(wh.WarehouseCodeLocked) as err, core_db.transaction() as s:
            wh.update_warehouse(s, wid, user_id=user_id, wms_code=new_code, name="Renamed")
        assert err.value.http_status == 409
    with core_db.transaction() as s:  # the same code again changes nothing
        wh.update_warehouse(s, wid, user_id=user_id, wms_code="W-MSK")
    with core_db.session() as s:
        w = wh.get_warehouse(s, wid)
        assert (w.wms_code, w.name) == ("W-MSK", "Moscow central")
        assert audit(s, "warehouse", wid)[1:] == [
            ("update", {"changes": {"name": ["Moscow main", "Moscow central"], "wms_code": [None, "W-MSK"]}})
        ]
        assert wh.find_warehouse_by_wms_code(s, "W-MSK").id == wid
        assert wh.find_warehouse_by_wms_code(s, "W-OTHER") is None


def test_the_database_refuses_a_raw_change_of_a_set_wms_code(core_db):
    wid, _ = _create(core_db, wms_code="W-MSK")
    for statement in ("UPDATE warehouses SET wms_code = 'W-HACK'", "UPDATE warehouses SET wms_code = NULL"):
        with pytest.raises(DBAPIError, match="locked"), core_db.transaction() as s:
            s.execute(text(statement))
    with core_db.transaction() as s:  # other columns stay editable
        s.execute(text("UPDATE warehouses SET name = 'Renamed'"))
    with core_db.session() as s:
        w = wh.get_warehouse(s, wid)
        assert (w.wms_code, w.name) == ("W-MSK", "Renamed")


def test_the_database_allows_setting_a_missing_wms_code(core_db):
    wid, _ = _create(core_db)
    with core_db.transaction() as s:
        s.execute(text("UPDATE warehouses SET wms_code = 'W-NEW'"))
    with core_db.session() as s:
        assert wh.get_warehouse(s, wid).wms_code == "W-NEW"


def test_update_refusals_write_nothing(core_db):
    wid, _ = _create(core_db)
    _create(core_db, code="SPB", wms_code="W-SPB")
    cases = [
        ({"code": "SPB"}, wh.DuplicateWarehouseCode),
        ({"wms_code": "W-SPB"}, wh.DuplicateWarehouseCode),
        ({"kind": "shop"}, wh.InvalidWarehouseData),
        ({"colour": "red"}, wh.InvalidWarehouseData),
    ]
    for fields, error in cases:
        with pytest.raises(error), core_db.transaction() as s:
            wh.update_warehouse(s, wid, user_id=None, name="Changed", **fields)
    with pytest.raises(wh.WarehouseNotFound) as err, core_db.transaction() as s:
        wh.update_warehouse(s, 9999, user_id=None, name="Ghost")
    assert err.value.http_status == 404
    with core_db.session() as s:
        w = wh.get_warehouse(s, wid)
        assert (w.code, w.name, w.kind, w.wms_code) == ("MSK", "Moscow main", "main", None)
        assert [a for a, _ in audit(s, "warehouse")] == ["create", "create"]


def test_list_warehouses(core_db):
    _create(core_db, code="SPB")
    wid, _ = _create(core_db, code="DEF", kind="defect")
    _create(core_db, code="EKB")
    with core_db.transaction() as s:
        wh.update_warehouse(s, wid, user_id=None, is_active=False)
    with core_db.session() as s:
        assert [w.code for w in wh.list_warehouses(s)] == ["DEF", "EKB", "SPB"]
        assert [w.code for w in wh.list_warehouses(s, active_only=True)] == ["EKB", "SPB"]


@pytest.mark.postgresql
def test_two_first_settings_of_the_wms_code_at_once_one_wins(pg_core_db):
    wid, _ = _create(pg_core_db)
    error = race(
        pg_core_db,
        lambda s: wh.update_warehouse(s, wid, user_id=None, wms_code="W-A"),
        lambda s: wh.update_warehouse(s, wid, user_id=None, wms_code="W-B"),
    )
    assert isinstance(error, wh.WarehouseCodeLocked)
    with pg_core_db.session() as s:
        assert wh.get_warehouse(s, wid).wms_code == "W-A"
        assert [a for a, _ in audit(s, "warehouse", wid)] == ["create", "update"]


@pytest.mark.postgresql
def test_two_creations_of_one_code_at_once_one_wins(pg_core_db):
    def create(s, name):
        wh.create_warehouse(s, user_id=None, code="NSK", name=name, kind="regional")

    error = race(pg_core_db, lambda s: create(s, "first"), lambda s: create(s, "second"))
    assert isinstance(error, wh.DuplicateWarehouseCode)
    with pg_core_db.session() as s:
        assert [w.name for w in wh.list_warehouses(s)] == ["first"]
