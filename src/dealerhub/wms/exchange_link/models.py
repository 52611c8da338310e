"""The WMS's outbox and inbox (sidekit's tables, prefix wms_), and the REMAINS snapshots taken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.exchange.sidekit.tables import inbox_table, outbox_tables
from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime
from dealerhub.wms.db import WmsBase

OUTBOX = outbox_tables(WmsBase, prefix="wms_", class_prefix="Wms")
INBOX = inbox_table(WmsBase, prefix="wms_", class_prefix="Wms")


class RemainsSnapshot(WmsBase):
    __tablename__ = "wms_remains_snapshots"
    snapshot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"), index=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    parts_total: Mapped[int] = mapped_column(Integer)
    rows_total: Mapped[int] = mapped_column(Integer)
    # "request" (someone asked) or "schedule".
    trigger: Mapped[str] = mapped_column(String(16))
