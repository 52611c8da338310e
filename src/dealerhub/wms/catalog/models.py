"""Items, groups and counterparties as the core sent them (CLASSIFIER, GOODS, COUNTERPARTY), plus
what only the WMS knows: measured weight and dimensions, packaging levels, and per warehouse the
item's home zone and the picking zone's minimum and refill level.

A withdrawal makes a row inactive and never deletes it: documents keep referring to it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column


class ItemGroup(WmsBase):
    __tablename__ = "wms_item_groups"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(64), unique=True)
    parent_code: Mapped[str | None] = mapped_column(String(64))
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Item(WmsBase):
    __tablename__ = "wms_items"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(64), unique=True)
    article: Mapped[str] = mapped_column(String(64))
    brand: Mapped[str | None] = mapped_column(String(500))
    group_code: Mapped[str | None] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(String(16))
    unit_name: Mapped[str] = mapped_column(String(500))
    unit_decimals: Mapped[int] = mapped_column(Integer, default=0)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Measured in the WMS (PACKAGING): one unit's weight and size.
    weight_kg: Mapped[Decimal | None] = mapped_column(Qty())
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    # [{"name": "box", "quantity": "10.000", "barcode": ..., "weight_kg": ..., "length_mm": ...}]
    packaging: Mapped[list] = mapped_column(JSON, default=list)
    measured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    def name(self, language: str = "ru") -> str:
        return self.names.get(language) or next(iter(self.names.values()), self.code)


class ItemBarcode(WmsBase):
    __tablename__ = "wms_item_barcodes"
    barcode: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"), index=True)


class ItemPlace(WmsBase):
    """An item's settings on one warehouse: where it is put away and how much the picking zone keeps."""

    __tablename__ = "wms_item_places"
    __table_args__ = (UniqueConstraint("warehouse_id", "item_id"),)
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    home_zone_id: Mapped[int | None] = mapped_column(ForeignKey("wms_zones.id"))
    # Below `pick_min` available units in the picking zone a replenishment refills it to `pick_max`.
    pick_min: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    pick_max: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))


class Counterparty(WmsBase):
    __tablename__ = "wms_counterparties"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(64), unique=True)
    partner_code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    address: Mapped[str | None] = mapped_column(Text)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
