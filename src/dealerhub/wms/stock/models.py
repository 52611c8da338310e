"""Stock per bin and status, serial numbers, and the append-only WMS stock ledger.

`wms_stock` holds one row per (bin, item, status): status is available, defect or quarantine;
`allocated` is the part of an available row promised to open pick or replenishment tasks (the
"allocated to a task" status of REMAINS). Every change of `quantity` writes a `wms_stock_moves`
row in the same transaction; the ledger is never updated or deleted, so the stock can always be
explained (and rebuilt) from it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

STOCK_STATUSES = ("available", "defect", "quarantine")


class Stock(WmsBase):
    __tablename__ = "wms_stock"
    __table_args__ = (
        UniqueConstraint("bin_id", "item_id", "status"),
        Index("ix_wms_stock_item_id_warehouse_id", "item_id", "warehouse_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("allocated >= 0 AND allocated <= quantity", name="allocated_within_quantity"),
    )
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    allocated: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))


class Serial(WmsBase):
    """One unit of a serial-tracked item (a machine): where it lies, or that it left."""

    __tablename__ = "wms_serials"
    __table_args__ = (UniqueConstraint("item_id", "serial_no"),)
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    serial_no: Mapped[str] = mapped_column(String(64))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    # NULL once shipped.
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("wms_bins.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # available | defect | quarantine | shipped
    received_in: Mapped[str | None] = mapped_column(String(64))
    shipped_in: Mapped[str | None] = mapped_column(String(64))


class StockMove(WmsBase):
    __tablename__ = "wms_stock_moves"
    __table_args__ = (Index("ix_wms_stock_moves_item_id_bin_id", "item_id", "bin_id"),)
    id: Mapped[int] = id_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    status: Mapped[str] = mapped_column(String(16))
    # Signed: + into the bin, - out of it.
    quantity: Mapped[Decimal] = mapped_column(Qty())
    # receipt | putaway | pick | replenish | despatch | count | movement | return
    reason: Mapped[str] = mapped_column(String(16))
    document_number: Mapped[str | None] = mapped_column(String(64), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("wms_tasks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
