"""Tasks for storekeepers: receiving, putaway, pick, replenishment, count. A task has lines (one
step each: take from a bin, put to a bin, count a bin), an assignee and a status:
open -> in_progress -> done | cancelled. Lines: open -> done | short | cancelled.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

TASK_KINDS = ("receiving", "putaway", "pick", "replenishment", "count")
OPEN_TASK = ("open", "in_progress")


class Task(WmsBase):
    __tablename__ = "wms_tasks"
    __table_args__ = (
        Index("ix_wms_tasks_warehouse_id_status_kind", "warehouse_id", "status", "kind"),
        Index("ix_wms_tasks_assignee_id_status", "assignee_id", "status"),
    )
    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("wms_zones.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
    # The document the task serves: an order (pick), an acceptance (receiving, putaway), a count.
    order_id: Mapped[int | None] = mapped_column(ForeignKey("wms_orders.id"), index=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("wms_receipts.id"), index=True)
    count_id: Mapped[int | None] = mapped_column(ForeignKey("wms_counts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TaskLine(WmsBase):
    __tablename__ = "wms_task_lines"
    id: Mapped[int] = id_column()
    task_id: Mapped[int] = mapped_column(ForeignKey("wms_tasks.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("wms_items.id"))
    from_bin_id: Mapped[int | None] = mapped_column(ForeignKey("wms_bins.id"))
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("wms_bins.id"))
    # Putaway / defect moves: the stock status the goods have.
    stock_status: Mapped[str] = mapped_column(String(16), default="available")
    quantity: Mapped[Decimal] = mapped_column(Qty())
    done_quantity: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    status: Mapped[str] = mapped_column(String(16), default="open")
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("wms_order_lines.id"))
    shortage_reason: Mapped[str | None] = mapped_column(String(500))
    # Serial numbers scanned for this line (serial-tracked items).
    serials: Mapped[list] = mapped_column(JSON, default=list)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
