"""Posting onto the stock registers.

Every change of a balance is one conditional UPDATE of its `stock_balances` row
(`... WHERE on_hand + :d_on_hand >= reserved + :d_reserved`), checked by its row count. Rows are
touched in (item, warehouse) order, so concurrent postings never deadlock, and on PostgreSQL the
row lock plus the re-checked condition means free stock can't go below zero however many
transactions race. The moves themselves are only ever inserted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.stock.errors import InsufficientStock, Shortage
from dealerhub.core.stock.models import StockBalance, StockMove

ZERO = Decimal(0)


@dataclass(frozen=True)
class DocRef:
    """The document a move belongs to."""

    document_type: str
    document_id: int

    @classmethod
    def of(cls, doc: object) -> DocRef:
        return cls(type(doc).doc_type, doc.id)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Move:
    item_id: int
    warehouse_id: int
    quantity: Decimal  # signed
    line_id: int | None = None


def write_stock_moves(
    session: Session, doc: DocRef, occurred_at: datetime, moves: Iterable[Move], *, reversal: bool = False
) -> None:
    """Change on-hand balances by `moves` and append the moves; all or nothing.

    A decrease may only take free stock: goods reserved for someone else are never written off.
    Raises InsufficientStock naming every line that is short.
    """
    moves = [m for m in moves if m.quantity != 0]
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for m in moves:
        totals[(m.item_id, m.warehouse_id)] += m.quantity
    shortages = []
    for (item_id, warehouse_id), delta in sorted(totals.items()):
        if not change_balance(session, item_id, warehouse_id, d_on_hand=delta):
            shortages.append(_shortage(session, item_id, warehouse_id, -delta))
    if shortages:
        raise InsufficientStock(shortages)
    if moves:
        session.execute(
            insert(StockMove),
            [
                {
                    "occurred_at": occurred_at,
                    "item_id": m.item_id,
                    "warehouse_id": m.warehouse_id,
                    "quantity": m.quantity,
                    "document_type": doc.document_type,
                    "document_id": doc.document_id,
                    "document_line_id": m.line_id,
                    "is_reversal": reversal,
                }
                for m in moves
            ],
        )


def change_balance(
    session: Session, item_id: int, warehouse_id: int, *, d_on_hand: Decimal = ZERO, d_reserved: Decimal = ZERO
) -> bool:
    """Apply deltas to one balance row if free stock and reserved stay >= 0; False if they wouldn't."""
    if d_reserved == 0 and d_on_hand >= 0:
        # Pure increase: the row may not exist yet.
        _upsert_increase(session, item_id, warehouse_id, d_on_hand)
        return True
    b = StockBalance
    result = session.execute(
        update(b)
        .where(
            b.item_id == item_id,
            b.warehouse_id == warehouse_id,
            b.on_hand + d_on_hand >= b.reserved + d_reserved,
            b.reserved + d_reserved >= 0,
        )
        .values(on_hand=b.on_hand + d_on_hand, reserved=b.reserved + d_reserved)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _upsert_increase(session: Session, item_id: int, warehouse_id: int, d_on_hand: Decimal) -> None:
    dialect = session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_(StockBalance).values(item_id=item_id, warehouse_id=warehouse_id, on_hand=d_on_hand, reserved=0)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["item_id", "warehouse_id"],
            set_={"on_hand": StockBalance.on_hand + stmt.excluded.on_hand},
        ).execution_options(synchronize_session=False)
    )


def _shortage(session: Session, item_id: int, warehouse_id: int, requested: Decimal) -> Shortage:
    return Shortage(item_id, warehouse_id, requested, free_quantity(session, item_id, warehouse_id))


def free_quantity(session: Session, item_id: int, warehouse_id: int) -> Decimal:
    row = session.execute(
        select(StockBalance.on_hand, StockBalance.reserved).where(
            and_(StockBalance.item_id == item_id, StockBalance.warehouse_id == warehouse_id)
        )
    ).first()
    return row.on_hand - row.reserved if row else ZERO
