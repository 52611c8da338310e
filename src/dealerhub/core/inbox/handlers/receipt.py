"""RECEIPT: the WMS accepted goods announced by an ASN (several partial messages, then a final one).

Supplier order (asn_number = its number): the accepted goods with disposition "stock" go onto the
goods-receipt DRAFT of the supplier invoice (`supplier_invoice`, else the WMS's `receipt_number`
stands for it): one draft per invoice, later parts add to it, each line linked to the supplier-order
line its ASN line announced (beyond what remains on that line, the excess is a line of goods
nobody ordered, at the same price). The final message marks the acceptance complete: the purchaser
checks and posts the receipt (posting puts the goods on stock). Goods rejected, or accepted to
defect or quarantine, are not on the receipt: they are kept as discrepancies for the purchaser to
settle with the supplier.

Customer return (asn_number = its number): the accepted quantities become the return draft's
quantities (accumulated over the parts); the final message marks it complete; a manager posts it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.inbox.handlers import receipt_return
from dealerhub.core.inbox.handlers.acceptance import keep_discrepancies
from dealerhub.core.inbox.lookups import items_by_code, warehouse_by_code
from dealerhub.core.inbox.models import ReceiptAcceptance
from dealerhub.core.purchasing import (
    ReceiptLineInput,
    create_goods_receipt,
    update_goods_receipt,
)
from dealerhub.core.purchasing.models import GoodsReceipt, SupplierOrder, SupplierOrderLine
from dealerhub.core.purchasing.queries import find_receipt_by_invoice, received_by_order_line
from dealerhub.core.purchasing.rules import RECEIVING_STATUSES
from dealerhub.core.sales.models import CustomerReturn
from dealerhub.exchange.contracts import ErrorCode, ReceiptLine, ReceiptV1, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage
from dealerhub.exchange.sidekit.outcomes import Reject
from dealerhub.shared import clock

ZERO = Decimal(0)


def handle(s: Session, message: InboundMessage) -> Done:
    p: ReceiptV1 = message.payload  # type: ignore[assignment]
    order = s.scalar(select(SupplierOrder).where(SupplierOrder.number == p.asn_number))
    if order is None:
        customer_return = s.scalar(select(CustomerReturn).where(CustomerReturn.number == p.asn_number))
        if customer_return is None:
            raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no supplier order or customer return {p.asn_number}")
        return receipt_return.handle(s, message, customer_return)
    if order.status not in RECEIVING_STATUSES:
        raise Reject(
            ErrorCode.UNKNOWN_DOCUMENT,
            f"supplier order {order.number} is {order.status}: goods are received against "
            f"{' or '.join(RECEIVING_STATUSES)} orders",
        )
    warehouse_id = order.warehouse_id
    if message.envelope.warehouse_code is not None:
        warehouse_id = warehouse_by_code(s, message.envelope.warehouse_code).id
    items = items_by_code(s, [line.item_code for line in p.lines])
    invoice = p.supplier_invoice or p.receipt_number
    acceptance, receipt = _acceptance(s, order, p, invoice)
    stock_lines = _stock_lines(s, order, p, items, receipt)
    if stock_lines:
        lines = _merge((_inputs(receipt) if receipt else []) + stock_lines)
        comment = _comment(p, acceptance)
        if receipt is None:
            receipt = create_goods_receipt(
                s, user_id=None, partner_id=order.partner_id, contractor_id=order.contractor_id,
                warehouse_id=warehouse_id, supplier_invoice_number=invoice,
                supplier_invoice_date=p.received_at.date(), currency=order.currency,
                exchange_rate=order.exchange_rate, lines=lines, comment=comment,
            )
        else:
            update_goods_receipt(s, receipt.id, user_id=None, lines=lines, comment=comment)
    elif receipt is not None and p.final:
        update_goods_receipt(s, receipt.id, user_id=None, comment=_comment(p, acceptance))
    acceptance.goods_receipt_id = receipt.id if receipt else None
    _finish(s, message, acceptance, p, items)
    state = "complete: ready to post" if p.final else "waiting for more"
    if receipt is None:
        return Done(None, None, f"nothing accepted to stock on {order.number} ({state})")
    return Done("goods_receipt", receipt.number, f"goods receipt {receipt.number} draft ({state})")


def _acceptance(
    s: Session, order: SupplierOrder, p: ReceiptV1, invoice: str
) -> tuple[ReceiptAcceptance, GoodsReceipt | None]:
    """The acceptance of this ASN and invoice (new or earlier parts) and its draft receipt."""
    acceptance = s.scalar(
        select(ReceiptAcceptance).where(
            ReceiptAcceptance.asn_number == p.asn_number, ReceiptAcceptance.invoice_reference == invoice
        )
    )
    receipt = find_receipt_by_invoice(s, order.contractor_id, invoice)
    if acceptance is None:
        if receipt is not None:
            raise Reject(
                ErrorCode.QUANTITY_MISMATCH,
                f"supplier invoice {invoice} already has goods receipt {receipt.number}, entered by hand: "
                "the WMS acceptance is not added to it",
            )
        acceptance = ReceiptAcceptance(
            asn_number=p.asn_number, invoice_reference=invoice, supplier_order_id=order.id,
            wms_receipt_number=p.receipt_number, accepted={}, complete=False,
        )
        s.add(acceptance)
        s.flush()
    elif acceptance.complete:
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH,
            f"the acceptance of {p.asn_number} on invoice {invoice} was already final",
        )
    if receipt is not None and receipt.status != "draft":
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH,
            f"goods receipt {receipt.number} of invoice {invoice} is {receipt.status}: "
            "unpost it to take more goods onto it",
        )
    return acceptance, receipt


def _stock_lines(
    s: Session, order: SupplierOrder, p: ReceiptV1, items: dict[str, int], receipt: GoodsReceipt | None
) -> list[ReceiptLineInput]:
    """Receipt lines for what was accepted to stock, linked to the order lines the ASN announced."""
    by_no = {line.line_no: line for line in order.lines}
    price_of_item = {line.item_id: line.price for line in reversed(order.lines)}
    left = _left_to_receive(s, order, receipt)
    result: list[ReceiptLineInput] = []
    for line in p.lines:
        item_id = items[line.item_code]
        order_line = _order_line(order, by_no, line, item_id)
        accepted = to_decimal(line.accepted)
        if line.disposition != "stock" or accepted == 0:
            continue
        if order_line is None:
            result.append(ReceiptLineInput(item_id, accepted, price_of_item.get(item_id, ZERO), None))
            continue
        linked = min(accepted, left[order_line.id])
        left[order_line.id] -= linked
        if linked > 0:
            result.append(ReceiptLineInput(item_id, linked, order_line.price, order_line.id))
        if accepted > linked:
            result.append(ReceiptLineInput(item_id, accepted - linked, order_line.price, None))
    return result


def _order_line(
    order: SupplierOrder, by_no: dict[int, SupplierOrderLine], line: ReceiptLine, item_id: int
) -> SupplierOrderLine | None:
    if line.asn_line_no is None:
        return None
    order_line = by_no.get(line.asn_line_no)
    if order_line is None:
        raise Reject(ErrorCode.QUANTITY_MISMATCH, f"ASN {order.number} has no line {line.asn_line_no}")
    if order_line.item_id != item_id:
        if line.discrepancy == "wrong_item":
            return None  # another item came instead: goods nobody ordered
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH,
            f"line {line.asn_line_no} of ASN {order.number} is another item than {line.item_code} "
            "(a wrong item is reported with discrepancy wrong_item)",
        )
    return order_line


def _left_to_receive(s: Session, order: SupplierOrder, receipt: GoodsReceipt | None) -> dict[int, Decimal]:
    """Per order line: ordered - received by posted receipts - already on this draft."""
    received = received_by_order_line(s, [line.id for line in order.lines])
    on_draft: dict[int, Decimal] = defaultdict(Decimal)
    for line in receipt.lines if receipt else []:
        if line.supplier_order_line_id is not None:
            on_draft[line.supplier_order_line_id] += line.quantity
    return {
        line.id: max(ZERO, line.quantity - received.get(line.id, ZERO) - on_draft[line.id]) for line in order.lines
    }


def _inputs(receipt: GoodsReceipt) -> list[ReceiptLineInput]:
    return [ReceiptLineInput(ln.item_id, ln.quantity, ln.price, ln.supplier_order_line_id) for ln in receipt.lines]


def _merge(lines: list[ReceiptLineInput]) -> list[ReceiptLineInput]:
    """One line per (order line, item, price), in the order they first appear."""
    merged: dict[tuple, Decimal] = {}
    for line in lines:
        key = (line.supplier_order_line_id, line.item_id, line.price)
        merged[key] = merged.get(key, ZERO) + Decimal(line.quantity)
    return [ReceiptLineInput(item_id, quantity, price, link) for (link, item_id, price), quantity in merged.items()]


def _comment(p: ReceiptV1, acceptance: ReceiptAcceptance) -> str:
    state = "final: ready to post" if p.final else "in progress"
    return f"WMS acceptance {p.receipt_number} of ASN {p.asn_number} ({state})"


def _finish(
    s: Session, message: InboundMessage, acceptance: ReceiptAcceptance, p: ReceiptV1, items: dict[str, int]
) -> None:
    """Keep the discrepancies and mark the acceptance complete on the final message."""
    acceptance.wms_receipt_number = p.receipt_number
    if p.final:
        acceptance.complete, acceptance.completed_at = True, clock.now()
    keep_discrepancies(s, message.envelope.message_id, acceptance.id, p.lines, items)


