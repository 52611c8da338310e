"""Where stock can lie: warehouses (by the exchange's warehouse code), their zones, and bins.

A bin has a barcode (scanned to confirm putaway and picks), a route order (the order a picker walks
the warehouse in; pick lists are sorted by it) and a capacity in units, volume and weight (NULL:
not limited in that measure).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared.types import Qty
from dealerhub.wms.db import WmsBase, id_column

ZONE_KINDS = ("receiving", "storage", "picking", "packing", "shipping", "defect", "quarantine")


class Warehouse(WmsBase):
    __tablename__ = "wms_warehouses"
    id: Mapped[int] = id_column()
    # The exchange's warehouse code (locked in the core once set): messages name warehouses by it.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Zone(WmsBase):
    __tablename__ = "wms_zones"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    # Zones are walked in this order (pick tasks of an order come zone by zone).
    route_order: Mapped[int] = mapped_column(Integer, default=0)


class Bin(WmsBase):
    __tablename__ = "wms_bins"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "barcode"),
        Index("ix_wms_bins_zone_id_route_order", "zone_id", "route_order"),
    )
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("wms_zones.id"))
    barcode: Mapped[str] = mapped_column(String(64))
    route_order: Mapped[int] = mapped_column(Integer, default=0)
    max_units: Mapped[Decimal | None] = mapped_column(Qty())
    # Cubic decimetres (litres) and kilograms.
    max_volume_l: Mapped[Decimal | None] = mapped_column(Qty())
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Qty())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
