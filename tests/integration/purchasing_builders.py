"""Builders and checks shared by the purchasing and inventory tests.

`assert_refused` runs an operation in its own transaction, expects a DomainError, and then compares
every row of every core table with what was there before: a refused operation leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import purchasing as p
from dealerhub.core import stock
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.db import CoreBase
from dealerhub.core.stock.models import StockMove
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal


@dataclass(frozen=True)
class World:
    user_id: int
    supplier_id: int
    contractor_id: int
    main_id: int  # a main warehouse
    regional_id: int
    defect_id: int
    pump_id: int  # an item counted in pieces
    filter_id: int  # another piece item
    oil_id: int  # an item counted in litres (3 decimal places)


def make_world(db: Database) -> World:
    with db.transaction() as s:
        user = f.staff(s, role="purchaser")
        supplier, contractor = f.dealer(s, "Shandong Machinery", supplier=True)
        pieces, litres = f.unit(s, "pcs", 0), f.unit(s, "l", 3)
        return World(
            user_id=user.id,
            supplier_id=supplier.id,
            contractor_id=contractor.id,
            main_id=f.warehouse(s, "main").id,
            regional_id=f.warehouse(s, "regional").id,
            defect_id=f.warehouse(s, "defect").id,
            pump_id=f.item(s, u=pieces, name="Hydraulic pump").id,
            filter_id=f.item(s, u=pieces, name="Oil filter").id,
            oil_id=f.item(s, u=litres, name="Hydraulic oil").id,
        )


def order_line(item_id: int, quantity: str, price: str, expected: date | None = None) -> p.SupplierOrderLineInput:
    return p.SupplierOrderLineInput(item_id, D(quantity), D(price), expected)


def create_order(
    s: Session, w: World, lines: list[p.SupplierOrderLineInput], *, currency: str = "CNY", rate: str = "12.5",
    post: bool = True, warehouse_id: int | None = None, **fields: object,
) -> int:
    order = p.create_supplier_order(
        s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=w.contractor_id,
        warehouse_id=warehouse_id or w.main_id, currency=currency, exchange_rate=D(rate), lines=lines, **fields,
    )
    if post:
        p.post_supplier_order(s, order.id, user_id=w.user_id)
    return order.id


def create_receipt(
    s: Session, w: World, lines: list[p.ReceiptLineInput], *, invoice: str = "INV-1", currency: str = "CNY",
    rate: str = "12.5", warehouse_id: int | None = None,
) -> int:
    receipt = p.create_goods_receipt(
        s, user_id=w.user_id, partner_id=w.supplier_id, contractor_id=w.contractor_id,
        warehouse_id=warehouse_id or w.main_id, supplier_invoice_number=invoice,
        supplier_invoice_date=date(2026, 3, 2), currency=currency, exchange_rate=D(rate), lines=lines,
    )
    return receipt.id


def order_line_ids(s: Session, order_id: int) -> list[int]:
    return [line.id for line in p.get_supplier_order(s, order_id).lines]


def table_contents(s: Session) -> dict[str, list[tuple]]:
    """Every row of every core table (small test databases only)."""
    return {
        table.name: sorted((tuple(row) for row in s.execute(select(table)).all()), key=repr)
        for table in CoreBase.metadata.sorted_tables
    }


def assert_refused(db: Database, error: type[Exception], operation: Callable[[Session], object]) -> Exception:
    """`operation` raises `error` and leaves every table exactly as it was."""
    with db.session() as s:
        before = table_contents(s)
    with pytest.raises(error) as caught, db.transaction() as s:
        operation(s)
    with db.session() as s:
        after = table_contents(s)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], f"a refused operation changed {changed}"
    return caught.value


def moves_of(s: Session, document_type: str, document_id: int) -> list[tuple]:
    """(item, warehouse, quantity, line id, is reversal) of a document's stock moves, oldest first."""
    rows = s.execute(
        select(StockMove.item_id, StockMove.warehouse_id, StockMove.quantity, StockMove.document_line_id,
               StockMove.is_reversal)
        .where(StockMove.document_type == document_type, StockMove.document_id == document_id)
        .order_by(StockMove.id)
    )
    return [tuple(row) for row in rows]


def audit_of(s: Session, entity_type: str, entity_id: int) -> list[tuple]:
    """(action, from status, to status, user) of an entity's audit rows, oldest first."""
    rows = s.execute(
        select(AuditRecord.action, AuditRecord.from_status, AuditRecord.to_status, AuditRecord.user_id)
        .where(AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id)
        .order_by(AuditRecord.id)
    )
    return [tuple(row) for row in rows]


def balance(s: Session, item_id: int, warehouse_id: int) -> tuple[Decimal, Decimal, Decimal]:
    """(on hand, reserved, free) of an item on a warehouse."""
    b = stock.get_balance(s, item_id, warehouse_id)
    return b.on_hand, b.reserved, b.free


def count(s: Session, model: type) -> int:
    return s.scalar(select(func.count()).select_from(model))


def reserve(s: Session, item_id: int, warehouse_id: int, quantity: str) -> None:
    """Someone (a customer order) holds goods."""
    stock.reserve(
        s, item_id=item_id, warehouse_id=warehouse_id, quantity=D(quantity),
        holder=stock.Holder("customer_order", 1, 1), doc=stock.DocRef("customer_order", 1),
    )


def put(s: Session, item_id: int, warehouse_id: int, quantity: str) -> None:
    """An opening balance, straight onto the ledger."""
    stock.write_stock_moves(
        s, stock.DocRef("opening_balance", 0), clock.now(), [stock.Move(item_id, warehouse_id, D(quantity))]
    )
