"""`dealerhub demo seed` takes the WMS live the way a distributor would: catalog and contractors
through the exchange, layout and storekeepers, the opening stock the books hold (machines with
serial numbers, defect goods in the defect zone), then the open documents. A REMAINS snapshot
right after finds no difference with the core. And the two commands of a real go-live's stock
file: `dealerhub stock export-for-wms`, `dealerhub wms load-stock`."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from dealerhub.core.inbox.models import ReconciliationReport
from dealerhub.shared.db import Database
from dealerhub.wms.db import load_all_models
from dealerhub.wms.picking.models import Order
from dealerhub.wms.receiving.models import Asn
from dealerhub.wms.stock.models import Serial, Stock


def _scalar(url: str, query):
    database = Database(url)
    try:
        with database.session() as s:
            return s.scalar(query)
    finally:
        database.dispose()


def _sync(cli, rounds: int = 3) -> None:
    for _ in range(rounds):
        assert cli("exchange", "run", "--once").exit_code == 0
        assert cli("wms", "exchange", "run", "--once").exit_code == 0


def test_the_demo_goes_live_with_the_wms_and_remains_agree(migrated_cli):
    load_all_models()
    core, wms = migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"], migrated_cli.env["DEALERHUB_WMS_DATABASE_URL"]
    seeded = migrated_cli("demo", "seed", "--seed", "3", "--items", "200", "--dealers", "6")
    assert seeded.exit_code == 0, seeded.output
    said = " ".join(seeded.output.split())  # as one line, however the console wrapped it
    assert "WMS live on MSK01, EKB01, NSK01, KRD01" in said
    for login in ("anna", "boris", "mike"):
        assert f"│ {login} " in seeded.output

    # The machines came with serial numbers, one per unit; defect goods sit in the defect zone.
    machines_on_hand = _scalar(wms, select(func.count()).select_from(Serial).where(Serial.status == "available"))
    assert machines_on_hand > 0
    assert _scalar(wms, select(func.count()).select_from(Stock).where(Stock.status == "defect")) > 0

    sent = re.search(r"(\d+) open picking task\(s\) and (\d+) expected receipt\(s\) sent", said)
    tasks, orders = int(sent[1]), int(sent[2])
    assert tasks > 0 and orders > 0
    _sync(migrated_cli)  # the open documents reach the WMS
    assert _scalar(wms, select(func.count()).select_from(Order)) == tasks
    assert _scalar(wms, select(func.count()).select_from(Asn)) == orders

    for code in ("MSK01", "EKB01", "NSK01", "KRD01"):
        assert migrated_cli("wms", "remains", code).exit_code == 0
    _sync(migrated_cli)
    assert _scalar(core, select(func.count()).select_from(ReconciliationReport)) == 4
    assert _scalar(core, select(func.sum(ReconciliationReport.differences))) == 0


def test_a_stock_file_goes_from_the_books_to_the_wms(migrated_cli, tmp_path):
    load_all_models()
    wms = migrated_cli.env["DEALERHUB_WMS_DATABASE_URL"]
    assert migrated_cli("demo", "seed", "--seed", "3", "--items", "200", "--dealers", "3", "--no-wms").exit_code == 0
    assert migrated_cli("exchange", "send-catalog").exit_code == 0
    _sync(migrated_cli, 2)
    assert migrated_cli("wms", "layout", "EKB01", "--bins", "50").exit_code == 0

    exported = migrated_cli("stock", "export-for-wms", "EKB01")
    assert exported.exit_code == 0, exported.output
    lines = exported.stdout.splitlines()
    assert lines[0] == "item_code,quantity,status,serials"
    path = tmp_path / "ekb01.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    broken = tmp_path / "broken.csv"
    broken.write_text(lines[0] + "\n" + lines[1] + "\nNO-SUCH-ITEM,1,,\n", encoding="utf-8")
    refused = migrated_cli("wms", "load-stock", "EKB01", str(broken))
    assert refused.exit_code == 1
    assert "items the WMS does not know (no GOODS yet): NO-SUCH-ITEM" in " ".join(refused.output.split())
    assert _scalar(wms, select(func.count()).select_from(Stock)) == 0  # all or nothing

    loaded = migrated_cli("wms", "load-stock", "EKB01", str(path))
    assert loaded.exit_code == 0, loaded.output
    booked = sum(Decimal(line.split(",")[1]) for line in lines[1:])
    assert _scalar(wms, select(func.sum(Stock.quantity))) == booked
    assert f"EKB01: {len(lines) - 1} items, {booked} units" in " ".join(loaded.output.split())

    again = migrated_cli("wms", "load-stock", "EKB01", str(path))
    assert again.exit_code == 1 and "holds stock already" in " ".join(again.output.split())
