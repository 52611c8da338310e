"""`dealerhub wms ...` in-process against temporary SQLite databases (the CLI tests' fixtures)."""

from __future__ import annotations

import json

from sqlalchemy import select

from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.db import Database
from dealerhub.wms.exchange_link.models import OUTBOX
from dealerhub.wms.layout.models import Bin, Zone


def test_layout_remains_and_one_exchange_round(migrated_cli, tmp_path):
    result = migrated_cli("wms", "layout", "MSK01", "--name", "Moscow", "--bins", "300")
    assert result.exit_code == 0, result.output
    assert "warehouse MSK01: 7 zones, 310 bins" in result.output
    again = migrated_cli("wms", "layout", "MSK01")
    assert (again.exit_code, "exists already" in again.output) == (1, True)
    wms = Database(f"sqlite:///{tmp_path}/wms.sqlite3")
    with wms.session() as s:
        kinds = dict(s.execute(select(Zone.code, Zone.kind)).all())
        assert kinds == {"RCV": "receiving", "PCK": "picking", "STO": "storage", "PAK": "packing",
                         "SHP": "shipping", "DEF": "defect", "QUA": "quarantine"}
        first = s.execute(select(Bin.barcode).join(Zone).where(Zone.code == "STO").order_by(Bin.route_order).limit(3))
        assert list(first.scalars()) == ["STO-01-01-1", "STO-01-01-2", "STO-01-01-3"]
    assert migrated_cli("wms", "remains", "MSK01").exit_code == 0
    result = migrated_cli("wms", "exchange", "run", "--once")
    assert "relayed 1, taken 0" in result.output
    with wms.session() as s:
        (row,) = s.execute(select(OUTBOX.messages)).all()
        assert (row.type, row.sender, row.receiver, row.relayed_at is not None) == ("REMAINS", "wms", "core", True)
        assert json.loads(row.payload)["rows"] == []
    exchange = Database(f"sqlite:///{tmp_path}/exchange.sqlite3")
    assert ExchangeStore(exchange).get(row.message_id).status == "new"
    wms.dispose()
    exchange.dispose()


def test_storekeeper_and_item_place_commands(migrated_cli):
    assert migrated_cli("wms", "layout", "MSK01", "--bins", "10").exit_code == 0
    result = migrated_cli("wms", "add-storekeeper", "anna", "--name", "Anna", "--password", "long-secret")
    assert result.exit_code == 0, result.output
    missing = migrated_cli("wms", "item-place", "MSK01", "NOPE", "--pick-min", "2", "--pick-max", "5")
    assert missing.exit_code == 1
    assert "no item NOPE" in missing.output
