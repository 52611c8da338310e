"""Goods receipts: one per supplier invoice. Lines may fulfil supplier-order lines (same item, no
more than remains on them) or bring goods nobody ordered. Posting puts the goods on stock and moves
the supplier orders' status; unposting takes them off again, if they are still free."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.core.documents import InvalidDocument, change_status, new_document
from dealerhub.core.documents.names import status_name, statuses_named
from dealerhub.core.inventory import get_active_warehouse
from dealerhub.core.inventory.lines import lock_draft
from dealerhub.core.purchasing import rules
from dealerhub.core.purchasing.checks import (
    LinkedLine,
    build_receipt_lines,
    check_invoice_number,
    check_order_links,
    check_supplier,
    lock_orders_of_lines,
)
from dealerhub.core.purchasing.errors import DuplicateSupplierInvoice, OrderLineMismatch, SupplierOrderNotOpen
from dealerhub.core.purchasing.inputs import ReceiptLineInput
from dealerhub.core.purchasing.models import GoodsReceipt, SupplierOrder
from dealerhub.core.purchasing.queries import (
    find_receipt_by_invoice,
    get_goods_receipt,
    get_supplier_order,
    get_supplier_order_progress,
)
from dealerhub.core.purchasing.supplier_orders import follow_receipts
from dealerhub.core.stock import DocRef, Move, write_stock_moves
from dealerhub.shared.texts import T


def create_goods_receipt(
    s: Session,
    *,
    user_id: int | None,
    partner_id: int,
    contractor_id: int,
    warehouse_id: int,
    supplier_invoice_number: str,
    supplier_invoice_date: date,
    currency: str,
    exchange_rate: Decimal,
    lines: Sequence[ReceiptLineInput],
    comment: str | None = None,
) -> GoodsReceipt:
    """A draft receipt for one supplier invoice; a second receipt for the same invoice is refused."""
    check_supplier(s, partner_id, contractor_id)
    get_active_warehouse(s, warehouse_id)
    currency, exchange_rate = rules.check_currency(currency, exchange_rate)
    invoice = check_invoice_number(supplier_invoice_number)
    _refuse_duplicate_invoice(s, contractor_id, invoice)
    new_lines = build_receipt_lines(s, partner_id, lines)
    receipt = _insert_receipt(
        s, user_id=user_id, partner_id=partner_id, contractor_id=contractor_id, warehouse_id=warehouse_id,
        supplier_invoice_number=invoice, supplier_invoice_date=supplier_invoice_date, currency=currency,
        exchange_rate=exchange_rate, comment=comment,
    )
    receipt.lines = new_lines
    s.flush()
    return receipt


def create_goods_receipt_from_order(
    s: Session,
    supplier_order_id: int,
    *,
    user_id: int | None,
    supplier_invoice_number: str,
    supplier_invoice_date: date,
    quantities: Mapping[int, Decimal] | None = None,
    warehouse_id: int | None = None,
    exchange_rate: Decimal | None = None,
    comment: str | None = None,
) -> GoodsReceipt:
    """A draft receipt filled from the order: what remains on each line, or `quantities` (order line
    id -> quantity). Supplier, currency, prices, warehouse and rate come from the order unless given."""
    order = get_supplier_order(s, supplier_order_id)
    if order.status not in rules.RECEIVING_STATUSES:
        raise SupplierOrderNotOpen(
            T(
                "supplier order %(order)s is «%(status)s»; goods are received only on orders in status %(allowed)s",
                order=order.number, status=status_name(order.status), allowed=statuses_named(rules.RECEIVING_STATUSES),
            ),
            number=order.number,
            status=order.status,
        )
    return create_goods_receipt(
        s, user_id=user_id, partner_id=order.partner_id, contractor_id=order.contractor_id,
        warehouse_id=warehouse_id if warehouse_id is not None else order.warehouse_id,
        supplier_invoice_number=supplier_invoice_number, supplier_invoice_date=supplier_invoice_date,
        currency=order.currency, exchange_rate=exchange_rate if exchange_rate is not None else order.exchange_rate,
        lines=_lines_from_order(s, order, quantities), comment=comment,
    )


def update_goods_receipt(
    s: Session,
    receipt_id: int,
    *,
    user_id: int | None,
    lines: Sequence[ReceiptLineInput] | None = None,
    warehouse_id: int | None = None,
    supplier_invoice_number: str | None = None,
    supplier_invoice_date: date | None = None,
    currency: str | None = None,
    exchange_rate: Decimal | None = None,
    comment: str | None = None,
) -> GoodsReceipt:
    """Edit a draft: given fields are replaced (lines as a whole); a posted receipt is refused."""
    receipt = get_goods_receipt(s, receipt_id)
    lock_draft(s, receipt, user_id=user_id)
    if warehouse_id is not None:
        receipt.warehouse_id = get_active_warehouse(s, warehouse_id).id
    if supplier_invoice_number is not None:
        receipt.supplier_invoice_number = _other_invoice(s, receipt, supplier_invoice_number)
    if supplier_invoice_date is not None:
        receipt.supplier_invoice_date = supplier_invoice_date
    if currency is not None or exchange_rate is not None:
        receipt.currency, receipt.exchange_rate = rules.check_currency(
            currency if currency is not None else receipt.currency,
            exchange_rate if exchange_rate is not None else receipt.exchange_rate,
        )
    if comment is not None:
        receipt.comment = comment
    if lines is not None:
        receipt.lines = build_receipt_lines(s, receipt.partner_id, lines)
    s.flush()
    return receipt


def post_goods_receipt(s: Session, receipt_id: int, *, user_id: int | None) -> GoodsReceipt:
    """Put the goods on stock; the linked supplier orders become partially received or received.
    The links are checked again under the orders' locks: nobody over-receives in parallel."""
    receipt = get_goods_receipt(s, receipt_id)
    change_status(s, receipt, (rules.DRAFT,), rules.POSTED, user_id=user_id, action="post")
    linked = [LinkedLine(r.line_no, r.item_id, r.quantity, r.supplier_order_line_id) for r in receipt.lines]
    orders = check_order_links(s, receipt.partner_id, linked, exclude_receipt_id=receipt.id, lock=True)
    write_stock_moves(s, DocRef.of(receipt), receipt.doc_date, _moves(receipt, Decimal(1)))
    follow_receipts(s, orders, user_id=user_id, receipt=receipt)
    return receipt


def unpost_goods_receipt(s: Session, receipt_id: int, *, user_id: int | None) -> GoodsReceipt:
    """Take the goods off stock again (InsufficientStock, nothing written, if they were reserved or
    sold meanwhile); the linked supplier orders' status follows."""
    receipt = get_goods_receipt(s, receipt_id)
    change_status(s, receipt, (rules.POSTED,), rules.DRAFT, user_id=user_id, action="unpost")
    orders = lock_orders_of_lines(s, [line.supplier_order_line_id for line in receipt.lines])
    write_stock_moves(s, DocRef.of(receipt), receipt.doc_date, _moves(receipt, Decimal(-1)), reversal=True)
    follow_receipts(s, orders, user_id=user_id, receipt=receipt)
    return receipt


def _moves(receipt: GoodsReceipt, sign: Decimal) -> list[Move]:
    return [Move(line.item_id, receipt.warehouse_id, sign * line.quantity, line.id) for line in receipt.lines]


def _lines_from_order(
    s: Session, order: SupplierOrder, quantities: Mapping[int, Decimal] | None
) -> list[ReceiptLineInput]:
    progress = {p.line_id: p for p in get_supplier_order_progress(s, order.id)}
    if quantities is None:
        wanted = {line_id: p.remaining for line_id, p in progress.items() if p.remaining > 0}
    else:
        unknown = sorted(set(quantities) - set(progress))
        if unknown:
            raise OrderLineMismatch(
                T(
                    "lines %(lines)s are not lines of supplier order %(order)s",
                    lines=", ".join(map(str, unknown)), order=order.number,
                ),
                lines=unknown,
            )
        wanted = {line_id: qty for line_id, qty in quantities.items() if qty != 0}
    if not wanted:
        raise InvalidDocument(T("nothing to receive on supplier order %(order)s", order=order.number), number=order.number)
    return [
        ReceiptLineInput(line.item_id, wanted[line.id], line.price, line.id) for line in order.lines if line.id in wanted
    ]


def _refuse_duplicate_invoice(s: Session, contractor_id: int, invoice: str, *, other_than: int | None = None) -> None:
    existing = find_receipt_by_invoice(s, contractor_id, invoice)
    if existing is not None and existing.id != other_than:
        raise DuplicateSupplierInvoice(
            T("supplier invoice %(invoice)s already has goods receipt %(receipt)s", invoice=invoice, receipt=existing.number),
            invoice=invoice, receipt=existing.number,
        )


def _other_invoice(s: Session, receipt: GoodsReceipt, number: str) -> str:
    invoice = check_invoice_number(number)
    _refuse_duplicate_invoice(s, receipt.contractor_id, invoice, other_than=receipt.id)
    return invoice


def _insert_receipt(s: Session, *, user_id: int | None, **fields: object) -> GoodsReceipt:
    """Insert the receipt in a savepoint: a parallel receipt for the same invoice that committed
    first makes the unique constraint refuse ours, which is reported like the check above."""
    try:
        with s.begin_nested():
            return new_document(s, GoodsReceipt, user_id=user_id, **fields)
    except IntegrityError:
        _refuse_duplicate_invoice(s, fields["contractor_id"], fields["supplier_invoice_number"])  # type: ignore[arg-type]
        raise
