"""Building blocks of the WMS tests: a small warehouse, items as GOODS would bring them, a
storekeeper, stock put straight into a bin, and the messages the WMS wrote to its outbox."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import GoodsItem, Unit
from dealerhub.wms.catalog.service import item_by_code, upsert_item
from dealerhub.wms.exchange_link.models import OUTBOX
from dealerhub.wms.layout.models import Bin, Warehouse
from dealerhub.wms.layout.service import LayoutPlan, bin_by_barcode, generate_layout
from dealerhub.wms.staff.service import create_storekeeper
from dealerhub.wms.stock.models import Stock, StockMove
from dealerhub.wms.stock.service import put

D = Decimal


def goods(code: str, barcode: str | None = None, *, serial: bool = False, decimals: int = 0,
          action: str = "upsert") -> GoodsItem:
    return GoodsItem(code=code, article=f"ART-{code}", brand="Liugong", group_code=None,
                     unit=Unit(code="pcs", name="piece", decimals=decimals), names={"ru": f"Товар {code}", "en": f"Item {code}"},
                     descriptions={}, barcodes=[barcode or f"460{code}"], serial_tracked=serial, action=action)


def warehouse(s: Session, code: str = "WH1", bins: int = 20) -> Warehouse:
    """RCV-01.., PCK-01-01-1.. (6 bins), STO-01-01-1.. (14 bins), PAK-01, SHP-01, DEF-01, QUA-01."""
    return generate_layout(s, code, f"Warehouse {code}", LayoutPlan(bins=bins, aisle_bins=40, levels=4))


def items(s: Session, *codes: str, serial: bool = False) -> None:
    for code in codes:
        upsert_item(s, goods(code, serial=serial))


def keeper(s: Session, login: str = "anna", role: str = "storekeeper") -> int:
    return create_storekeeper(s, login=login, name=login.title(), password="secret-pass", role=role).id


def stock_in(s: Session, wh: Warehouse, bin_barcode: str, item_code: str, quantity: str) -> None:
    put(s, bin_by_barcode(s, wh.id, bin_barcode), item_by_code(s, item_code).id, "available", D(quantity), "count")


def bin_stock(s: Session, wh: Warehouse, bin_barcode: str, item_code: str, status: str = "available") -> tuple[Decimal, Decimal]:
    """(quantity, allocated) of the item in the bin."""
    row = s.scalar(select(Stock).join(Bin, Bin.id == Stock.bin_id).where(
        Bin.warehouse_id == wh.id, Bin.barcode == bin_barcode, Stock.item_id == item_by_code(s, item_code).id,
        Stock.status == status))
    return (row.quantity, row.allocated) if row else (D(0), D(0))


def outbox(s: Session, type_: str | None = None) -> list[dict]:
    """The WMS's outbox in order: envelope columns + the payload parsed."""
    t = OUTBOX.messages
    query = select(t).order_by(t.c.id)
    if type_:
        query = query.where(t.c.type == type_)
    return [{**dict(r._mapping), "payload": json.loads(r.payload)} for r in s.execute(query)]


def ledger(s: Session) -> list[tuple]:
    return [(m.bin_id, m.item_id, m.status, m.quantity, m.reason) for m in s.scalars(select(StockMove).order_by(StockMove.id))]
