"""Inventory documents: stock correction (surplus or write-off, with a reason) and transfer."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, id_column
from dealerhub.core.documents.models import DocumentMixin
from dealerhub.shared.types import Qty

CORRECTION_KINDS = ("surplus", "write_off")


class StockCorrection(CoreBase, DocumentMixin):
    __tablename__ = "stock_corrections"
    doc_type = "stock_correction"
    number_prefix = "SC"
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    lines: Mapped[list[StockCorrectionLine]] = relationship(
        cascade="all, delete-orphan", order_by="StockCorrectionLine.line_no", lazy="selectin"
    )


class StockCorrectionLine(CoreBase):
    __tablename__ = "stock_correction_lines"
    id: Mapped[int] = id_column()
    correction_id: Mapped[int] = mapped_column(ForeignKey("stock_corrections.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())


class Transfer(CoreBase, DocumentMixin):
    """Goods moved between warehouses; a transfer to a defect warehouse closes them for sale."""

    __tablename__ = "transfers"
    doc_type = "transfer"
    number_prefix = "TR"
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    lines: Mapped[list[TransferLine]] = relationship(
        cascade="all, delete-orphan", order_by="TransferLine.line_no", lazy="selectin"
    )


class TransferLine(CoreBase):
    __tablename__ = "transfer_lines"
    id: Mapped[int] = id_column()
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
