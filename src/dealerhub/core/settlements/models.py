"""The register of mutual settlements with dealers, and the incoming payment document.

- `settlement_moves`: append-only (database triggers refuse UPDATE and DELETE). One signed amount
  per move and contractor: positive is a **debit** (the dealer owes more: a sale), negative a
  **credit** (a payment, a customer return). The balance of a contractor is the sum of its moves:
  positive means the dealer owes the distributor, negative that it paid in advance. Each move
  names the document that made it; unposting appends the opposite move (`is_reversal`), dated
  like the document, so a balance "as of a date" stays right after a correction.
- `incoming_payments`: money received from a dealer's contractor (a bank payment order), posted
  and unposted like the other documents; optionally against the invoice of a customer order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.core.documents.models import DocumentMixin
from dealerhub.shared import clock
from dealerhub.shared.types import Money, UTCDateTime


class SettlementMove(CoreBase):
    __tablename__ = "settlement_moves"
    __table_args__ = (
        Index("ix_settlement_moves_contractor", "contractor_id", "currency", "occurred_at"),
        Index("ix_settlement_moves_document", "document_type", "document_id"),
        CheckConstraint("amount <> 0", name="amount_not_zero"),
    )
    id: Mapped[int] = id_column()
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    currency: Mapped[str] = mapped_column(String(3))
    # Signed: positive a debit (the dealer owes more), negative a credit.
    amount: Mapped[Decimal] = mapped_column(Money())
    document_type: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[int] = mapped_column(BigInteger)
    document_number: Mapped[str] = mapped_column(String(32))
    is_reversal: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class IncomingPayment(CoreBase, DocumentMixin):
    """Money from a dealer's contractor. Posting credits the contractor; unposting reverses it."""

    __tablename__ = "incoming_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
    doc_type = "incoming_payment"
    number_prefix = "IP"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    # The bank's reference: the payment order's number and date as the bank statement shows them.
    bank_reference: Mapped[str] = mapped_column(String(100))
    # The invoice paid (an invoice is the printable form of an approved customer order), if any.
    customer_order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_orders.id"), index=True)
