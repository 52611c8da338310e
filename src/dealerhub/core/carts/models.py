"""Dealers' carts: several named carts per dealer (partner), shared by the company's users.

A cart is the dealer's session state, not a document: it becomes a customer order when submitted.
Its lines may hold reservations (stock.reservations, holder "cart" = the cart, line = the line).
`version` grows with every change, so a submit can tell that the cart the dealer reviewed is not
the cart that is there now (changed by another user of the company meanwhile).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared.types import Money, Qty, UTCDateTime

CART_HOLDER = "cart"


class Cart(CoreBase, Timestamps):
    __tablename__ = "carts"
    __table_args__ = (UniqueConstraint("partner_id", "name"),)
    id: Mapped[int] = id_column()
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lines: Mapped[list[CartLine]] = relationship(
        cascade="all, delete-orphan", order_by="CartLine.id", lazy="selectin"
    )


class CartLine(CoreBase):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "item_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
    id: Mapped[int] = id_column()
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    # The dealer's price when the line was last set: what submit compares today's price with.
    price: Mapped[Decimal | None] = mapped_column(Money())
    # Where the dealer asked to reserve the line; kept after the reservation ran out, which is how
    # the cart knows to show it as expired (a release by the dealer clears it).
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
