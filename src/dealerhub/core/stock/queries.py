"""Reading the stock registers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.stock.models import StockBalance, StockMove
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse


@dataclass(frozen=True)
class BalanceRow:
    item_id: int
    warehouse_id: int
    on_hand: Decimal
    reserved: Decimal
    open_for_sale: bool

    @property
    def free(self) -> Decimal:
        """What can be sold or reserved: nothing on a warehouse closed for sale."""
        return self.on_hand - self.reserved if self.open_for_sale else Decimal(0)


def get_balance(session: Session, item_id: int, warehouse_id: int) -> BalanceRow:
    rows = list_balances(session, item_ids=[item_id], warehouse_id=warehouse_id)
    if rows:
        return rows[0]
    kind = session.scalar(select(Warehouse.kind).where(Warehouse.id == warehouse_id))
    return BalanceRow(item_id, warehouse_id, Decimal(0), Decimal(0), kind not in CLOSED_FOR_SALE_KINDS)


def list_balances(
    session: Session,
    *,
    item_ids: list[int] | None = None,
    warehouse_id: int | None = None,
    only_nonzero: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> list[BalanceRow]:
    query = (
        select(StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved, Warehouse.kind)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .order_by(StockBalance.item_id, StockBalance.warehouse_id)
    )
    if item_ids is not None:
        query = query.where(StockBalance.item_id.in_(item_ids))
    if warehouse_id is not None:
        query = query.where(StockBalance.warehouse_id == warehouse_id)
    if only_nonzero:
        query = query.where((StockBalance.on_hand != 0) | (StockBalance.reserved != 0))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [
        BalanceRow(r.item_id, r.warehouse_id, r.on_hand, r.reserved, r.kind not in CLOSED_FOR_SALE_KINDS)
        for r in session.execute(query)
    ]


def list_moves(
    session: Session,
    *,
    item_id: int | None = None,
    warehouse_id: int | None = None,
    document_type: str | None = None,
    document_id: int | None = None,
    limit: int = 200,
) -> list[StockMove]:
    query = select(StockMove).order_by(StockMove.id.desc()).limit(limit)
    if item_id is not None:
        query = query.where(StockMove.item_id == item_id)
    if warehouse_id is not None:
        query = query.where(StockMove.warehouse_id == warehouse_id)
    if document_type is not None:
        query = query.where(StockMove.document_type == document_type)
    if document_id is not None:
        query = query.where(StockMove.document_id == document_id)
    return list(session.scalars(query))
