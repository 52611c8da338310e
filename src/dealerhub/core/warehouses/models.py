"""Warehouses. The WMS addresses a warehouse by its `wms_code`, which is locked once set."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, Timestamps, id_column

WAREHOUSE_KINDS = ("main", "regional", "transit", "defect", "loss")
# Stock on these kinds of warehouse is never free for sale or reservation.
CLOSED_FOR_SALE_KINDS = frozenset({"transit", "defect", "loss"})


class Warehouse(CoreBase, Timestamps):
    __tablename__ = "warehouses"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    wms_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def open_for_sale(self) -> bool:
        return self.kind not in CLOSED_FOR_SALE_KINDS


class WarehouseDefectLink(CoreBase):
    """Where the goods of a warehouse that the WMS puts to defect or quarantine are accounted: a
    warehouse of kind defect (closed for sale). Several warehouses may share one defect warehouse."""

    __tablename__ = "warehouse_defect_links"
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True, autoincrement=False)
    defect_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
