"""Inventory counts started in the WMS, by zone or by item: a line per (bin, item) with the book
quantity when the count began and what the storekeeper counted (blind: the count page does not show
the book). A line whose variance passes the threshold is counted again (round 2) before the count
is closed; closing corrects the stock and sends INVENTORY.

Status: counting -> recount -> closed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Percent, Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column


class Count(WmsBase):
    __tablename__ = "wms_counts"
    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("wms_zones.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("wms_items.id"))
    # A line is recounted when |counted - book| > threshold % of the book (any difference on 0 book).
    threshold_percent: Mapped[Decimal] = mapped_column(Percent())
    status: Mapped[str] = mapped_column(String(16), default="counting")
    round: Mapped[int] = mapped_column(Integer, default=1)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CountLine(WmsBase):
    __tablename__ = "wms_count_lines"
    __table_args__ = (UniqueConstraint("count_id", "bin_id", "item_id", "status"),)
    id: Mapped[int] = id_column()
    count_id: Mapped[int] = mapped_column(ForeignKey("wms_counts.id"), index=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    # The stock status counted: available (free and allocated alike), defect or quarantine.
    status: Mapped[str] = mapped_column(String(16), default="available")
    # Of the book: how much was allocated to open tasks when the count began (shown, not counted apart).
    book_allocated: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    book: Mapped[Decimal] = mapped_column(Qty())
    counted: Mapped[Decimal | None] = mapped_column(Qty())
    recounted: Mapped[Decimal | None] = mapped_column(Qty())
    needs_recount: Mapped[bool] = mapped_column(default=False)
