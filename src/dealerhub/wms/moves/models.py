"""Moves of goods to and from the defect and quarantine zones, with the reason (MOVEMENT)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

DIRECTIONS = ("to_defect", "from_defect", "to_quarantine", "from_quarantine")


class Movement(WmsBase):
    __tablename__ = "wms_movements"
    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    direction: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(2000))
    moved_by: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class MovementLine(WmsBase):
    __tablename__ = "wms_movement_lines"
    id: Mapped[int] = id_column()
    movement_id: Mapped[int] = mapped_column(ForeignKey("wms_movements.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    from_bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    to_bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
