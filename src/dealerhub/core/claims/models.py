"""Claims: a dealer's complaint about goods of a posted sale (warranty, damage, shortage, wrong
item), with its photos. A claim is a document (number CL-..., status moved by conditional updates
with an audit row); it belongs to the dealer of its sale."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, id_column
from dealerhub.core.documents.models import DocumentMixin
from dealerhub.shared.types import Qty


class Claim(CoreBase, DocumentMixin):
    __tablename__ = "claims"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    doc_type = "claim"
    number_prefix = "CL"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    # Machinery only: the machine's serial number and its hours at the failure.
    serial_number: Mapped[str | None] = mapped_column(String(40))
    machine_hours: Mapped[Decimal | None] = mapped_column(Qty())
    description: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    # Chosen on approval: credit, replacement or repair; the claim is resolved that way.
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolution_note: Mapped[str | None] = mapped_column(String(1000))
    # The goods coming back (approval with the goods back), the replacement shipped at zero price.
    customer_return_id: Mapped[int | None] = mapped_column(ForeignKey("customer_returns.id"), index=True)
    replacement_order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_orders.id"))
    # The claim's conversation with the staff: started with the claim, each decision notes itself there.
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), unique=True)
    photos: Mapped[list[ClaimPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ClaimPhoto.position", lazy="selectin"
    )


class ClaimPhoto(CoreBase):
    __tablename__ = "claim_photos"
    __table_args__ = (UniqueConstraint("attachment_id"),)
    id: Mapped[int] = id_column()
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"))
    position: Mapped[int] = mapped_column(Integer)
