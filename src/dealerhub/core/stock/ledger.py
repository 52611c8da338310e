"""Posting onto the stock registers: moves are only ever inserted, and the balance rows they
change are updated in one batch (balances.apply_deltas: locked in (item, warehouse) order, checked,
then changed), so free stock can't go below zero however many transactions race.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.stock.balances import apply_deltas
from dealerhub.core.stock.errors import InsufficientStock
from dealerhub.core.stock.models import StockMove

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
    shortages = apply_deltas(session, {key: (delta, ZERO) for key, delta in totals.items()})
    if shortages:
        raise InsufficientStock(shortages)
    if moves:
        session.connection().execute(
            StockMove.__table__.insert(),
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
