"""Reading the sales documents: loading them, the order row lock, per-line totals and progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item, Unit
from dealerhub.core.documents.names import document_name
from dealerhub.core.sales.errors import SalesDocumentNotFound
from dealerhub.core.sales.models import (
    CustomerOrder,
    CustomerReturn,
    CustomerReturnLine,
    PickingTask,
    PickingTaskLine,
    Sale,
    SaleLine,
)
from dealerhub.core.sales.rules import OPEN_TASK, OrderLineProgress, line_money
from dealerhub.core.stock.models import Reservation
from dealerhub.shared.db import fetch_page
from dealerhub.shared.texts import T, Text

ORDER_HOLDER = "customer_order"
DocT = TypeVar("DocT")


def _get(s: Session, cls: type[DocT], doc_id: int) -> DocT:
    doc = s.get(cls, doc_id)
    if doc is None:
        raise SalesDocumentNotFound(not_found(cls.doc_type, doc_id), doc_id=doc_id)  # type: ignore[attr-defined]
    return doc


def not_found(doc_type: str, doc_id: int) -> Text:
    """No document of the kind has the id (a page's address that leads nowhere)."""
    return T("%(document)s #%(id)s not found", document=document_name(doc_type), id=doc_id)


def order_not_found(order_id: int) -> Text:
    return not_found(ORDER_HOLDER, order_id)


def get_customer_order(s: Session, order_id: int) -> CustomerOrder:
    return _get(s, CustomerOrder, order_id)


def get_picking_task(s: Session, task_id: int) -> PickingTask:
    return _get(s, PickingTask, task_id)


def get_sale(s: Session, sale_id: int) -> Sale:
    return _get(s, Sale, sale_id)


def get_customer_return(s: Session, return_id: int) -> CustomerReturn:
    return _get(s, CustomerReturn, return_id)


def lock_order(s: Session, order_id: int) -> CustomerOrder:
    """Load the order with its row locked (FOR UPDATE on PostgreSQL; SQLite writers are serialized).

    Every operation on an order or its picking tasks, sales and returns takes this lock first, so
    they run one at a time per order and always lock in the same order: order row, then documents,
    then stock balance rows (by item)."""
    order = s.scalar(
        select(CustomerOrder)
        .where(CustomerOrder.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise SalesDocumentNotFound(order_not_found(order_id), doc_id=order_id)
    return order


def reserved_by_line(s: Session, order_id: int) -> dict[int, Decimal]:
    rows = s.execute(
        select(Reservation.holder_line_id, func.sum(Reservation.quantity))
        .where(Reservation.holder_type == ORDER_HOLDER, Reservation.holder_id == order_id)
        .group_by(Reservation.holder_line_id)
    )
    return {line_id: qty for line_id, qty in rows if line_id is not None}


def task_quantity_by_line(
    s: Session, order_id: int, statuses: Iterable[str], *, exclude_task_id: int | None = None
) -> dict[int, Decimal]:
    """Quantities on the order's picking tasks in `statuses`, per order line."""
    query = (
        select(PickingTaskLine.order_line_id, func.sum(PickingTaskLine.quantity))
        .join(PickingTask, PickingTask.id == PickingTaskLine.picking_task_id)
        .where(PickingTask.customer_order_id == order_id, PickingTask.status.in_(tuple(statuses)))
        .group_by(PickingTaskLine.order_line_id)
    )
    if exclude_task_id is not None:
        query = query.where(PickingTask.id != exclude_task_id)
    return dict(s.execute(query).all())


def shipped_by_line(s: Session, order_id: int) -> dict[int, Decimal]:
    rows = s.execute(
        select(SaleLine.order_line_id, func.sum(SaleLine.quantity))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.customer_order_id == order_id, Sale.status == "posted")
        .group_by(SaleLine.order_line_id)
    )
    return dict(rows.all())


def returned_by_sale_line(s: Session, sale_id: int) -> dict[int, Decimal]:
    """What came back on posted customer returns, per sale line."""
    rows = s.execute(
        select(CustomerReturnLine.sale_line_id, func.sum(CustomerReturnLine.quantity))
        .join(CustomerReturn, CustomerReturn.id == CustomerReturnLine.return_id)
        .where(CustomerReturn.sale_id == sale_id, CustomerReturn.status == "posted")
        .group_by(CustomerReturnLine.sale_line_id)
    )
    return dict(rows.all())


def has_posted_task(s: Session, order_id: int) -> bool:
    return (
        s.scalar(
            select(PickingTask.id)
            .where(PickingTask.customer_order_id == order_id, PickingTask.status == "posted")
            .limit(1)
        )
        is not None
    )


def get_order_progress(s: Session, order_id: int) -> list[OrderLineProgress]:
    """Per order line: ordered, reserved now, picked (posted or done tasks), shipped (posted sales)."""
    order = get_customer_order(s, order_id)
    reserved = reserved_by_line(s, order_id)
    picked = task_quantity_by_line(s, order_id, ("posted", "done"))
    shipped = shipped_by_line(s, order_id)
    zero = Decimal(0)
    return [
        OrderLineProgress(
            line_id=line.id,
            line_no=line.line_no,
            item_id=line.item_id,
            ordered=line.quantity,
            reserved=reserved.get(line.id, zero),
            picked=picked.get(line.id, zero),
            shipped=shipped.get(line.id, zero),
        )
        for line in order.lines
    ]


@dataclass(frozen=True)
class OrderTotals:
    amount: Decimal
    vat_amount: Decimal


def order_totals(order: CustomerOrder) -> OrderTotals:
    """The order's total and the VAT in it (VAT of each line rounded, then summed, as on invoices)."""
    money = [line_money(line.quantity, line.price, line.vat_rate) for line in order.lines]
    return OrderTotals(
        sum((m.amount for m in money), Decimal(0)), sum((m.vat_amount for m in money), Decimal(0))
    )


def list_picking_tasks(s: Session, order_id: int) -> list[PickingTask]:
    return list(
        s.scalars(
            select(PickingTask).where(PickingTask.customer_order_id == order_id).order_by(PickingTask.id)
        )
    )


def list_sales(s: Session, order_id: int) -> list[Sale]:
    return list(s.scalars(select(Sale).where(Sale.customer_order_id == order_id).order_by(Sale.id)))


def list_customer_returns(s: Session, sale_id: int) -> list[CustomerReturn]:
    return list(
        s.scalars(select(CustomerReturn).where(CustomerReturn.sale_id == sale_id).order_by(CustomerReturn.id))
    )


def list_customer_orders(
    s: Session, *, status: str | None = None, partner_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[CustomerOrder], int]:
    query = select(CustomerOrder)
    if status is not None:
        query = query.where(CustomerOrder.status == status)
    if partner_id is not None:
        query = query.where(CustomerOrder.partner_id == partner_id)
    return fetch_page(s, query, order_by=CustomerOrder.id.desc(), limit=limit, offset=offset)


def open_task_claims(s: Session, order_id: int, *, exclude_task_id: int | None = None) -> dict[int, Decimal]:
    return task_quantity_by_line(s, order_id, OPEN_TASK, exclude_task_id=exclude_task_id)


def unit_precision_of(s: Session, item_ids: Iterable[int]) -> dict[int, int]:
    """Decimal places each item's unit allows."""
    rows = s.execute(
        select(Item.id, Unit.precision).join(Unit, Unit.id == Item.unit_id).where(Item.id.in_(set(item_ids)))
    )
    return dict(rows.all())
