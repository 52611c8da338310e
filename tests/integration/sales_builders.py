"""Builders and readers for the sales tests: a small world (dealer, agreement, items, warehouse with
stock), an order driven through the real use cases, and exact views of the registers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.db import CoreBase
from dealerhub.core.stock import DocRef, Move, write_stock_moves
from dealerhub.core.stock.models import ReservationMove, StockBalance, StockMove
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal

# Every table a pricing or sales operation may write to (documents, registers, audit, numbering).
WRITTEN_TABLES = (
    "price_types",
    "item_prices",
    "dealer_agreements",
    "agreement_discounts",
    "agreement_warehouses",
    "customer_orders",
    "customer_order_lines",
    "picking_tasks",
    "picking_task_lines",
    "sales",
    "sale_lines",
    "customer_returns",
    "customer_return_lines",
    "stock_moves",
    "reservation_moves",
    "reservations",
    "stock_balances",
    "settlement_moves",
    "incoming_payments",
    "audit_records",
    "document_counters",
)
DOC_TABLES = ("customer_orders", "picking_tasks", "sales", "customer_returns")


@dataclass(frozen=True)
class World:
    partner_id: int
    contractor_id: int
    manager_id: int
    warehouse_id: int
    item_ids: tuple[int, ...]
    agreement_id: int


def make_world(
    db: Database, *, stock: tuple[str, ...] = ("10", "10"), prices: tuple[str, ...] = ("100.00", "250.00")
) -> World:
    """A dealer with an agreement (no discounts), one main warehouse, items with prices and stock."""
    with db.transaction() as s:
        partner, contractor = f.dealer(s)
        manager = f.staff(s)
        wh = f.warehouse(s)
        pt = f.price_type(s)
        items = []
        for qty, price in zip(stock, prices, strict=True):
            it = f.item(s)
            f.price(s, it, pt, price)
            if D(qty):
                f.put_stock(s, it, wh, qty)
            items.append(it.id)
        ag = f.agreement(s, partner, pt)
        return World(partner.id, contractor.id, manager.id, wh.id, tuple(items), ag.id)


def create_order(db: Database, w: World, quantities: tuple[str, ...], **kwargs: object) -> int:
    lines = [
        sales.OrderLineInput(item_id, D(q)) for item_id, q in zip(w.item_ids, quantities, strict=False) if q
    ]
    with db.transaction() as s:
        order = sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=lines,
            **kwargs,
        )
        return order.id


def approved_order(db: Database, w: World, quantities: tuple[str, ...]) -> int:
    order_id = create_order(db, w, quantities)
    with db.transaction() as s:
        sales.submit_customer_order(s, order_id, user_id=None)
        sales.approve_customer_order(s, order_id, user_id=w.manager_id)
    return order_id


def posted_task(db: Database, w: World, order_id: int) -> int:
    with db.transaction() as s:
        task_id = sales.create_picking_task(s, order_id, user_id=w.manager_id).id
        sales.post_picking_task(s, task_id, user_id=w.manager_id)
    return task_id


def posted_sale(db: Database, w: World, task_id: int, despatched: dict[int, Decimal] | None = None) -> int:
    with db.transaction() as s:
        sale_id = sales.create_sale(s, task_id, user_id=w.manager_id, despatched=despatched).id
        sales.post_sale(s, sale_id, user_id=w.manager_id)
    return sale_id


def add_stock(s: Session, item_id: int, warehouse_id: int, qty: str) -> None:
    """More goods arrive (a receipt, for these tests), straight onto the ledger."""
    write_stock_moves(s, DocRef("test_receipt", 0), clock.now(), [Move(item_id, warehouse_id, D(qty))])


# --- reading the registers ----------------------------------------------------------------------


def balance(db: Database, item_id: int, warehouse_id: int) -> tuple[Decimal, Decimal]:
    """(on hand, reserved)."""
    with db.session() as s:
        b = s.get(StockBalance, (item_id, warehouse_id))
        return (b.on_hand, b.reserved) if b else (D(0), D(0))


def stock_moves(db: Database, document_type: str, document_id: int) -> list[tuple[int, int, Decimal, bool]]:
    """(item, warehouse, quantity, is_reversal) of a document's moves, in order."""
    with db.session() as s:
        rows = s.execute(
            select(StockMove.item_id, StockMove.warehouse_id, StockMove.quantity, StockMove.is_reversal)
            .where(StockMove.document_type == document_type, StockMove.document_id == document_id)
            .order_by(StockMove.id)
        )
        return [tuple(r) for r in rows]


def reservation_moves(db: Database, item_id: int) -> list[tuple[Decimal, str, str, int]]:
    """(quantity, reason, document type, document id) of an item's reservation moves, in order."""
    with db.session() as s:
        rows = s.execute(
            select(
                ReservationMove.quantity,
                ReservationMove.reason,
                ReservationMove.document_type,
                ReservationMove.document_id,
            )
            .where(ReservationMove.item_id == item_id)
            .order_by(ReservationMove.id)
        )
        return [tuple(r) for r in rows]


def progress(db: Database, order_id: int) -> list[tuple[Decimal, Decimal, Decimal, Decimal]]:
    """(ordered, reserved, picked, shipped) per order line."""
    with db.session() as s:
        return [(p.ordered, p.reserved, p.picked, p.shipped) for p in sales.get_order_progress(s, order_id)]


def status(db: Database, getter: str, doc_id: int) -> str:
    with db.session() as s:
        return getattr(sales, getter)(s, doc_id).status


def audit(db: Database, entity_type: str, entity_id: int) -> list[tuple[str, str | None, str | None]]:
    """(action, from status, to status) of an entity's audit rows, in order."""
    with db.session() as s:
        rows = s.execute(
            select(AuditRecord.action, AuditRecord.from_status, AuditRecord.to_status)
            .where(AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id)
            .order_by(AuditRecord.id)
        )
        return [tuple(r) for r in rows]


def snapshot(db: Database) -> dict[str, object]:
    """Row counts of every table a sales operation writes, plus all balances and document statuses."""
    tables = CoreBase.metadata.tables
    with db.session() as s:
        shot: dict[str, object] = {
            name: s.scalar(select(func.count()).select_from(tables[name])) for name in WRITTEN_TABLES
        }
        shot["balances"] = s.execute(
            select(tables["stock_balances"]).order_by("item_id", "warehouse_id")
        ).all()
        shot["reservations"] = s.execute(select(tables["reservations"]).order_by("id")).all()
        for name in DOC_TABLES:
            shot[f"{name}.status"] = s.execute(
                select(tables[name].c.id, tables[name].c.status).order_by("id")
            ).all()
    return shot


@contextmanager
def nothing_written(db: Database, error: type[Exception]) -> Iterator[pytest.ExceptionInfo]:
    """The block must raise `error` and leave every register, document and audit row as it was."""
    before = snapshot(db)
    with pytest.raises(error) as info:
        yield info
    assert snapshot(db) == before
