"""ASN messages to the WMS from supplier orders: what is expected to arrive at a WMS warehouse.

The trigger is the supplier order's own lifecycle (document: the supplier order; asn_number = its
number):
- confirmed (posted): ASN "create" with its open lines (ordered minus received so far), the
  expected date of the order (else the earliest of its lines);
- unposted back to draft, cancelled, or closed (nothing more is expected): ASN "cancel";
- reopened after closing: ASN "create" with what is still open.
Receipts don't send anything: the WMS's own RECEIPT is what brings the goods in.
Only warehouses with a WMS code take part, only items the WMS knows are listed, and a cancel goes
only for an order the WMS heard of (see sales.wms_messages for the same rules on the sales side).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dealerhub.core.catalog.wms_messages import wms_item_codes
from dealerhub.core.outbox import document_seq_used, enqueue, quantity_text
from dealerhub.core.partners.wms_messages import contractor_code, ensure_counterparty_sent
from dealerhub.core.purchasing.models import SupplierOrder
from dealerhub.core.purchasing.queries import received_by_order_line
from dealerhub.core.purchasing.rules import ZERO
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.exchange.contracts import AsnLine, AsnV1


def supplier_order_expected(s: Session, order: SupplierOrder) -> None:
    """ASN create: the order's open lines are expected at its warehouse."""
    code = _wms_code(s, order)
    if code is None:
        return
    items = wms_item_codes(s, [line.item_id for line in order.lines])
    received = received_by_order_line(s, [line.id for line in order.lines])
    lines = [
        AsnLine(line_no=line.line_no, item_code=items[line.item_id], quantity=quantity_text(left))
        for line in order.lines
        if line.item_id in items and (left := line.quantity - received.get(line.id, ZERO)) > 0
    ]
    if not lines:
        return
    ensure_counterparty_sent(s, order.contractor_id)
    dates = [line.expected_date for line in order.lines if line.expected_date is not None]
    expected = order.expected_date or (min(dates) if dates else None)
    enqueue(s, _asn(order, "create", lines, expected), **_document(order, code))


def supplier_order_withdrawn(s: Session, order: SupplierOrder) -> None:
    """ASN cancel: nothing (more) is expected on the order."""
    code = _wms_code(s, order)
    if code is None or not document_seq_used(s, SupplierOrder.doc_type, order.number):
        return
    enqueue(s, _asn(order, "cancel", [], None), **_document(order, code))


def _wms_code(s: Session, order: SupplierOrder) -> str | None:
    warehouse = s.get(Warehouse, order.warehouse_id)
    return warehouse.wms_code if warehouse is not None else None


def _asn(order: SupplierOrder, action: str, lines: list[AsnLine], expected: date | None) -> AsnV1:
    return AsnV1(
        asn_number=order.number,
        kind="supplier_order",
        source_number=order.number,
        counterparty_code=contractor_code(order.contractor_id),
        expected_date=expected,
        action=action,
        lines=lines,
    )


def _document(order: SupplierOrder, code: str) -> dict[str, str]:
    return {"document_type": SupplierOrder.doc_type, "document_number": order.number, "warehouse_code": code}
