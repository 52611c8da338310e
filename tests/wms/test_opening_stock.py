"""The opening stock load of a warehouse's first day with the WMS: each item into a bin of the
zone of its status in route order, machines with their serial numbers; one bad line refuses all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.wms.errors import QuantityRefused, SerialRefused, StateConflict
from dealerhub.wms.stock.models import Serial, Stock, StockMove
from dealerhub.wms.stock.opening import OpeningLine, load_opening_stock
from tests.wms.helpers import bin_stock, items, warehouse

D = Decimal


def test_items_go_to_their_zone_in_route_order_machines_with_serials(wms_db) -> None:
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "P1", "P2")
        items(s, "EXC", serial=True)
        loaded = load_opening_stock(s, "WH1", [
            OpeningLine("P1", D("12")),
            OpeningLine("EXC", D("2"), ("SN-1", "SN-2")),
            OpeningLine("P2", D("3"), status="defect"),
            OpeningLine("P1", D("1"), status="defect"),
        ])
        assert (loaded.lines, loaded.units, loaded.serials) == (4, D(18), 2)
        assert bin_stock(s, wh, "STO-01-01-1", "P1") == (D(12), D(0))
        assert bin_stock(s, wh, "STO-01-01-2", "EXC") == (D(2), D(0))
        assert bin_stock(s, wh, "DEF-01", "P2", "defect") == (D(3), D(0))
        assert bin_stock(s, wh, "DEF-02", "P1", "defect") == (D(1), D(0))
        assert sorted(s.scalars(select(Serial.serial_no).where(Serial.status == "available"))) == ["SN-1", "SN-2"]
        assert s.scalar(select(func.count()).select_from(StockMove).where(StockMove.document_number == "OPENING")) == 4


@pytest.mark.parametrize(
    ("lines", "error", "message"),
    [
        ([OpeningLine("P1", D(1)), OpeningLine("P1", D(2))], QuantityRefused, "items listed more than once: P1 (available)"),
        ([OpeningLine("NOPE", D(1))], QuantityRefused, "items the WMS does not know (no GOODS yet): NOPE"),
        ([OpeningLine("P1", D(0))], QuantityRefused, "P1: quantity 0 must be positive"),
        ([OpeningLine("P1", D("1.5"))], QuantityRefused, "P1: 1.5 has more decimals than its unit allows (0)"),
        ([OpeningLine("EXC", D(2), ("SN-1",))], SerialRefused, "2 units of a serial-tracked item need 2 serial numbers, got 1"),
        ([OpeningLine("P1", D(1), ("SN-9",))], SerialRefused, "P1 is not serial-tracked: no serial numbers expected"),
        ([OpeningLine("P1", D(1), status="lost")], QuantityRefused, "P1: status 'lost' is not one of available, defect, quarantine"),
    ],
)
def test_a_bad_line_refuses_the_whole_load(wms_db, lines, error, message) -> None:
    with wms_db.transaction() as s:
        warehouse(s)
        items(s, "P1", "P2")
        items(s, "EXC", serial=True)
    with pytest.raises(error) as refused, wms_db.transaction() as s:
        load_opening_stock(s, "WH1", [OpeningLine("P2", D(5)), *lines])
    assert refused.value.message == message
    with wms_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Stock)) == 0
        assert s.scalar(select(func.count()).select_from(StockMove)) == 0


def test_a_warehouse_that_holds_stock_is_not_loaded_again(wms_db) -> None:
    with wms_db.transaction() as s:
        warehouse(s)
        items(s, "P1")
        load_opening_stock(s, "WH1", [OpeningLine("P1", D(1))])
    with pytest.raises(StateConflict), wms_db.transaction() as s:
        load_opening_stock(s, "WH1", [OpeningLine("P1", D(1))])
    with wms_db.session() as s:
        assert s.scalar(select(func.sum(Stock.quantity))) == D(1)
