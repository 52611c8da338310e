"""Purchasing documents: supplier order and goods receipt (one per supplier invoice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, id_column
from dealerhub.core.documents.models import DocumentMixin
from dealerhub.shared.types import Money, Qty, Rate

PURCHASE_CURRENCIES = ("CNY", "USD", "RUB")


class SupplierOrder(CoreBase, DocumentMixin):
    __tablename__ = "supplier_orders"
    doc_type = "supplier_order"
    number_prefix = "PO"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    currency: Mapped[str] = mapped_column(String(3))
    # Roubles for one unit of the currency (1 for RUB).
    exchange_rate: Mapped[Decimal] = mapped_column(Rate())
    expected_date: Mapped[date | None] = mapped_column(Date)
    lines: Mapped[list[SupplierOrderLine]] = relationship(
        cascade="all, delete-orphan", order_by="SupplierOrderLine.line_no", lazy="selectin"
    )


class SupplierOrderLine(CoreBase):
    __tablename__ = "supplier_order_lines"
    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("supplier_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
    expected_date: Mapped[date | None] = mapped_column(Date)


class GoodsReceipt(CoreBase, DocumentMixin):
    """Rule: one supplier invoice = one goods receipt (unique per contractor and invoice number)."""

    __tablename__ = "goods_receipts"
    __table_args__ = (UniqueConstraint("contractor_id", "supplier_invoice_number"),)
    doc_type = "goods_receipt"
    number_prefix = "GR"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    supplier_invoice_number: Mapped[str] = mapped_column(String(64))
    supplier_invoice_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal] = mapped_column(Rate())
    lines: Mapped[list[GoodsReceiptLine]] = relationship(
        cascade="all, delete-orphan", order_by="GoodsReceiptLine.line_no", lazy="selectin"
    )


class GoodsReceiptLine(CoreBase):
    __tablename__ = "goods_receipt_lines"
    id: Mapped[int] = id_column()
    receipt_id: Mapped[int] = mapped_column(ForeignKey("goods_receipts.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    # The supplier-order line this line fulfils (None: goods nobody ordered, accepted anyway).
    supplier_order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier_order_lines.id"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
