"""Reading purchasing documents: loading them, what was received on each supplier-order line,
document totals in their currency and in roubles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dealerhub.core.purchasing import rules
from dealerhub.core.purchasing.errors import GoodsReceiptNotFound, SupplierOrderNotFound
from dealerhub.core.purchasing.models import GoodsReceipt, GoodsReceiptLine, SupplierOrder, SupplierOrderLine
from dealerhub.shared.db import fetch_page
from dealerhub.shared.texts import T


@dataclass(frozen=True)
class SupplierOrderLineProgress:
    line_id: int
    line_no: int
    item_id: int
    ordered: Decimal
    received: Decimal
    remaining: Decimal


def get_supplier_order(s: Session, order_id: int) -> SupplierOrder:
    order = s.get(SupplierOrder, order_id)
    if order is None:
        raise SupplierOrderNotFound(T("supplier order %(id)s not found", id=order_id), order_id=order_id)
    return order


def get_goods_receipt(s: Session, receipt_id: int) -> GoodsReceipt:
    receipt = s.get(GoodsReceipt, receipt_id)
    if receipt is None:
        raise GoodsReceiptNotFound(T("goods receipt %(id)s not found", id=receipt_id), receipt_id=receipt_id)
    return receipt


def list_supplier_orders(
    s: Session, *, status: str | None = None, partner_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[SupplierOrder], int]:
    query = select(SupplierOrder)
    if status is not None:
        query = query.where(SupplierOrder.status == status)
    if partner_id is not None:
        query = query.where(SupplierOrder.partner_id == partner_id)
    return fetch_page(s, query, order_by=SupplierOrder.id.desc(), limit=limit, offset=offset)


def list_goods_receipts(
    s: Session, *, status: str | None = None, partner_id: int | None = None, supplier_order_id: int | None = None,
    limit: int = 50, offset: int = 0,
) -> tuple[list[GoodsReceipt], int]:
    query = select(GoodsReceipt)
    if status is not None:
        query = query.where(GoodsReceipt.status == status)
    if partner_id is not None:
        query = query.where(GoodsReceipt.partner_id == partner_id)
    if supplier_order_id is not None:
        query = query.where(GoodsReceipt.id.in_(_receipts_linked_to(supplier_order_id)))
    return fetch_page(s, query, order_by=GoodsReceipt.id.desc(), limit=limit, offset=offset)


def find_receipt_by_invoice(s: Session, contractor_id: int, invoice_number: str) -> GoodsReceipt | None:
    return s.scalar(
        select(GoodsReceipt).where(
            GoodsReceipt.contractor_id == contractor_id, GoodsReceipt.supplier_invoice_number == invoice_number
        )
    )


def received_by_order_line(
    s: Session, order_line_ids: Iterable[int], *, exclude_receipt_id: int | None = None
) -> dict[int, Decimal]:
    """What posted goods receipts (but `exclude_receipt_id`) brought in per supplier-order line;
    lines with nothing received are absent."""
    ids = list(order_line_ids)
    if not ids:
        return {}
    query = (
        select(GoodsReceiptLine.supplier_order_line_id, func.sum(GoodsReceiptLine.quantity))
        .join(GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id)
        .where(GoodsReceipt.status == rules.POSTED, GoodsReceiptLine.supplier_order_line_id.in_(ids))
        .group_by(GoodsReceiptLine.supplier_order_line_id)
    )
    if exclude_receipt_id is not None:
        query = query.where(GoodsReceipt.id != exclude_receipt_id)
    return {line_id: qty for line_id, qty in s.execute(query)}


def get_supplier_order_progress(s: Session, order_id: int) -> list[SupplierOrderLineProgress]:
    """Per line of the order: ordered, received by posted receipts, remaining."""
    order = get_supplier_order(s, order_id)
    received = received_by_order_line(s, [line.id for line in order.lines])
    return [_progress(line, received.get(line.id, rules.ZERO)) for line in order.lines]


def list_receipt_numbers_for_order(s: Session, order_id: int) -> list[str]:
    """Numbers of the goods receipts (any status) with a line linked to this order."""
    query = select(GoodsReceipt.number).where(GoodsReceipt.id.in_(_receipts_linked_to(order_id)))
    return list(s.scalars(query.order_by(GoodsReceipt.id)))


def get_document_totals(doc: SupplierOrder | GoodsReceipt) -> rules.Totals:
    """The amount in the document's currency and in roubles at its exchange rate."""
    return rules.document_totals((line.amount for line in doc.lines), doc.exchange_rate)


def line_amount_rub(doc: SupplierOrder | GoodsReceipt, line: SupplierOrderLine | GoodsReceiptLine) -> Decimal:
    return rules.amount_in_roubles(line.amount, doc.exchange_rate)


def _progress(line: SupplierOrderLine, received: Decimal) -> SupplierOrderLineProgress:
    return SupplierOrderLineProgress(
        line.id, line.line_no, line.item_id, line.quantity, received, rules.remaining_quantity(line.quantity, received)
    )


def _receipts_linked_to(order_id: int) -> Select[tuple[int]]:
    return (
        select(GoodsReceiptLine.receipt_id)
        .join(SupplierOrderLine, SupplierOrderLine.id == GoodsReceiptLine.supplier_order_line_id)
        .where(SupplierOrderLine.order_id == order_id)
    )
