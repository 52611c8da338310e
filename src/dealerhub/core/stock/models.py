"""The stock registers.

- `stock_moves`: the append-only ledger of goods on hand; each move points to the document that
  made it. Database triggers refuse UPDATE and DELETE. On hand = the sum of moves.
- `reservation_moves`: the append-only ledger of reservations; reserved = the sum of moves.
- `reservations`: one row per reservation (its holder and expiry), with its remaining quantity.
- `stock_balances`: on hand and reserved per item and warehouse, maintained in the same
  transaction as the moves, and the row that concurrent reservers lock. It is derived state:
  `dealerhub stock rebuild` recomputes it (and reservations' remaining quantities) from the moves.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.shared.types import Qty, UTCDateTime


class StockMove(CoreBase):
    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_item_warehouse", "item_id", "warehouse_id"),
        Index("ix_stock_moves_document", "document_type", "document_id"),
    )
    id: Mapped[int] = id_column()
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    # Signed: positive in, negative out.
    quantity: Mapped[Decimal] = mapped_column(Qty())
    document_type: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[int] = mapped_column(BigInteger)
    document_line_id: Mapped[int | None] = mapped_column(BigInteger)
    # True for the opposite moves written when a document is unposted.
    is_reversal: Mapped[bool] = mapped_column(default=False)


class Reservation(CoreBase):
    """Goods held for a holder (a customer order line; a dealer's cart later) until it expires."""

    __tablename__ = "reservations"
    __table_args__ = (
        Index("ix_reservations_holder", "holder_type", "holder_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    holder_type: Mapped[str] = mapped_column(String(32))
    holder_id: Mapped[int] = mapped_column(BigInteger)
    holder_line_id: Mapped[int | None] = mapped_column(BigInteger)
    quantity: Mapped[Decimal] = mapped_column(Qty())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class ReservationMove(CoreBase):
    __tablename__ = "reservation_moves"
    # No (item, warehouse) index: nothing reads moves that way (check and rebuild sum them all), and
    # each reservation would write into it at a random place (core_0013).
    id: Mapped[int] = id_column()
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservations.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    # reserve | release | expire | consume (shipped)
    reason: Mapped[str] = mapped_column(String(16))
    document_type: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[int] = mapped_column(BigInteger)


class StockBalance(CoreBase):
    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hand >= reserved", name="reserved_within_on_hand"),
        Index("ix_stock_balances_warehouse", "warehouse_id"),
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
