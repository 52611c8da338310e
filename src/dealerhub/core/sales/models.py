"""Sales documents: customer order, picking task, sale, customer return."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, id_column
from dealerhub.core.documents.models import DocumentMixin
from dealerhub.shared.types import Money, Percent, Qty

CUSTOMER_ORDER_STATUSES = (
    "draft",
    "submitted",
    "awaiting_moderation",
    "approved",
    "picking",
    "partially_shipped",
    "shipped",
    "closed",
    "cancelled",
)


class CustomerOrder(CoreBase, DocumentMixin):
    __tablename__ = "customer_orders"
    doc_type = "customer_order"
    number_prefix = "CO"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("dealer_agreements.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    # Why a manager rejected or changed the order; shown to the dealer.
    moderation_note: Mapped[str | None] = mapped_column(String(1000))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lines: Mapped[list[CustomerOrderLine]] = relationship(
        cascade="all, delete-orphan", order_by="CustomerOrderLine.line_no", lazy="selectin"
    )


class CustomerOrderLine(CoreBase):
    __tablename__ = "customer_order_lines"
    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    price: Mapped[Decimal] = mapped_column(Money())
    discount_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(Money())
    vat_rate: Mapped[Decimal] = mapped_column(Percent(), default=Decimal(20))


class PickingTask(CoreBase, DocumentMixin):
    """An instruction to the WMS to pick (part of) an approved order from one warehouse."""

    __tablename__ = "picking_tasks"
    doc_type = "picking_task"
    number_prefix = "PT"
    customer_order_id: Mapped[int] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    lines: Mapped[list[PickingTaskLine]] = relationship(
        cascade="all, delete-orphan", order_by="PickingTaskLine.line_no", lazy="selectin"
    )


class PickingTaskLine(CoreBase):
    __tablename__ = "picking_task_lines"
    id: Mapped[int] = id_column()
    picking_task_id: Mapped[int] = mapped_column(ForeignKey("picking_tasks.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("customer_order_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())


class Sale(CoreBase, DocumentMixin):
    """The shipment to the dealer: what was actually despatched. Posting writes stock off."""

    __tablename__ = "sales"
    doc_type = "sale"
    number_prefix = "SL"
    customer_order_id: Mapped[int] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    picking_task_id: Mapped[int | None] = mapped_column(ForeignKey("picking_tasks.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    lines: Mapped[list[SaleLine]] = relationship(
        cascade="all, delete-orphan", order_by="SaleLine.line_no", lazy="selectin"
    )


class SaleLine(CoreBase):
    __tablename__ = "sale_lines"
    id: Mapped[int] = id_column()
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("customer_order_lines.id"))
    picking_task_line_id: Mapped[int | None] = mapped_column(ForeignKey("picking_task_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
    vat_rate: Mapped[Decimal] = mapped_column(Percent())
    vat_amount: Mapped[Decimal] = mapped_column(Money())


class CustomerReturn(CoreBase, DocumentMixin):
    """Goods coming back from a dealer: a receipt from that counterparty against an earlier sale."""

    __tablename__ = "customer_returns"
    doc_type = "customer_return"
    number_prefix = "CR"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    reason: Mapped[str] = mapped_column(String(500))
    lines: Mapped[list[CustomerReturnLine]] = relationship(
        cascade="all, delete-orphan", order_by="CustomerReturnLine.line_no", lazy="selectin"
    )


class CustomerReturnLine(CoreBase):
    __tablename__ = "customer_return_lines"
    id: Mapped[int] = id_column()
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
