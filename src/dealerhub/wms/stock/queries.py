"""Reading stock: per bin (the supervisor's page), per item on a warehouse, and the totals by REMAINS
status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Integer, case, func, select, type_coerce
from sqlalchemy.orm import Session

from dealerhub.shared.types import Qty
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.stock.models import Stock

# Goods in these zones were picked for an order: allocated, whatever their row says.
OUTBOUND_ZONES = ("packing", "shipping")


@dataclass(frozen=True)
class BinStock:
    bin_barcode: str
    zone_code: str
    zone_kind: str
    item_code: str
    item_name: str
    status: str
    quantity: Decimal
    allocated: Decimal


def stock_by_bin(s: Session, warehouse_id: int, *, zone_id: int | None = None, item_id: int | None = None,
                 limit: int = 200, offset: int = 0) -> list[BinStock]:
    query = (
        select(Bin.barcode, Zone.code, Zone.kind, Item.code, Item.names, Stock.status, Stock.quantity, Stock.allocated)
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .join(Item, Item.id == Stock.item_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.quantity > 0)
    )
    if zone_id:
        query = query.where(Bin.zone_id == zone_id)
    if item_id:
        query = query.where(Stock.item_id == item_id)
    rows = s.execute(query.order_by(Zone.route_order, Bin.route_order, Item.code, Stock.status).limit(limit).offset(offset))
    return [
        BinStock(r[0], r[1], r[2], r[3], next(iter(r[4].values()), r[3]) if r[4] else r[3], r[5], r[6], r[7])
        for r in rows
    ]


def remains_totals(s: Session, warehouse_id: int) -> list[tuple[str, str, Decimal]]:
    """(item code, REMAINS status, quantity) for every item with stock, sorted by code and status:
    available = free in receiving/storage/picking; allocated = promised to tasks plus everything in
    packing and shipping; defect; quarantine."""
    outbound = Zone.kind.in_(OUTBOUND_ZONES)
    available = case((Stock.status != "available", 0), (outbound, 0), else_=Stock.quantity - Stock.allocated)
    allocated = case((Stock.status != "available", 0), (outbound, Stock.quantity), else_=Stock.allocated)
    defect = case((Stock.status == "defect", Stock.quantity), else_=0)
    quarantine = case((Stock.status == "quarantine", Stock.quantity), else_=0)
    rows = s.execute(
        select(Item.code, *(_total(x) for x in (available, allocated, defect, quarantine)))
        .join(Item, Item.id == Stock.item_id)
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id)
        .group_by(Item.code)
        .order_by(Item.code)
    )
    out = []
    for code, *sums in rows:
        for status, value in zip(("available", "allocated", "defect", "quarantine"), sums, strict=True):
            if value:
                out.append((code, status, value))
    return out


def _total(expr):
    # Sums of scaled integers are scaled integers: read them back as exact quantities.
    return type_coerce(func.coalesce(func.sum(type_coerce(expr, Integer)), 0), Qty())


def free_in_zone(s: Session, warehouse_id: int, item_id: int, kind: str) -> Decimal:
    """Free (available, not allocated) units of the item in the warehouse's zones of `kind`."""
    return s.scalar(
        select(_total(Stock.quantity - Stock.allocated))
        .join(Bin, Bin.id == Stock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.item_id == item_id, Stock.status == "available", Zone.kind == kind)
    )
