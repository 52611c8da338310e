"""Messages to the WMS about sales documents: ORDERS from picking tasks, the ASN of a customer return.

Only warehouses with a WMS code take part; the others keep the manual flow. Lines of items the WMS
doesn't know (not flagged "use in WMS") are left out: the manual flow handles them, and a document
with no such line at all sends nothing. Line numbers are the document's own, so the WMS's answer
(DESPATCH, RECEIPT) points back at the document's lines.

- ORDERS (document: the picking task): "create" when a task is posted (again after an unposting:
  the order is live again), "cancel" when it is unposted. A posted task is never changed in place
  in the core (unpost, then post), so "replace" is not sent today.
- ASN of a customer return (document: the return; asn_number = the return's number): "create"
  when the return is created (the goods are awaited at the warehouse), "cancel" when it is
  cancelled. Posting it is the effect of the goods' arrival (RECEIPT), so it sends nothing.
A cancel goes only for a document the WMS heard of, with no lines (the contract allows that).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.catalog.wms_messages import wms_item_codes
from dealerhub.core.outbox import document_seq_used, enqueue, quantity_text
from dealerhub.core.partners.wms_messages import contractor_code, ensure_counterparty_sent
from dealerhub.core.sales.models import CustomerOrder, CustomerReturn, PickingTask
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.exchange.contracts import AsnLine, AsnV1, OrderLine, OrdersV1

_COMMENT_MAX = 2000


def wms_code(s: Session, warehouse_id: int) -> str | None:
    warehouse = s.get(Warehouse, warehouse_id)
    return warehouse.wms_code if warehouse is not None else None


def picking_task_posted(s: Session, task: PickingTask) -> None:
    """ORDERS create for the task's lines the WMS can pick."""
    code = wms_code(s, task.warehouse_id)
    if code is None:
        return
    items = wms_item_codes(s, [line.item_id for line in task.lines])
    lines = [
        OrderLine(line_no=line.line_no, item_code=items[line.item_id], quantity=quantity_text(line.quantity))
        for line in task.lines
        if line.item_id in items
    ]
    if not lines:
        return
    order = s.get(CustomerOrder, task.customer_order_id)
    ensure_counterparty_sent(s, order.contractor_id)
    comment = task.comment or order.comment
    payload = OrdersV1(
        order_number=task.number,
        customer_order_number=order.number,
        counterparty_code=contractor_code(order.contractor_id),
        action="create",
        ship_by=None,
        comment=comment[:_COMMENT_MAX] if comment else None,
        lines=lines,
    )
    enqueue(s, payload, document_type=PickingTask.doc_type, document_number=task.number, warehouse_code=code)


def picking_task_unposted(s: Session, task: PickingTask) -> None:
    """ORDERS cancel, if the WMS heard of the task."""
    code = wms_code(s, task.warehouse_id)
    if code is None or not document_seq_used(s, PickingTask.doc_type, task.number):
        return
    order = s.get(CustomerOrder, task.customer_order_id)
    payload = OrdersV1(
        order_number=task.number,
        customer_order_number=order.number,
        counterparty_code=contractor_code(order.contractor_id),
        action="cancel",
        lines=[],
    )
    enqueue(s, payload, document_type=PickingTask.doc_type, document_number=task.number, warehouse_code=code)


def customer_return_created(s: Session, doc: CustomerReturn) -> None:
    """ASN create: the returned goods are awaited at the return's warehouse."""
    code = wms_code(s, doc.warehouse_id)
    if code is None:
        return
    items = wms_item_codes(s, [line.item_id for line in doc.lines])
    lines = [
        AsnLine(line_no=line.line_no, item_code=items[line.item_id], quantity=quantity_text(line.quantity))
        for line in doc.lines
        if line.item_id in items
    ]
    if not lines:
        return
    ensure_counterparty_sent(s, doc.contractor_id)
    enqueue(s, _return_asn(doc, "create", lines), **_return_document(doc, code))


def customer_return_cancelled(s: Session, doc: CustomerReturn) -> None:
    """ASN cancel, if the WMS heard of the return."""
    code = wms_code(s, doc.warehouse_id)
    if code is None or not document_seq_used(s, CustomerReturn.doc_type, doc.number):
        return
    enqueue(s, _return_asn(doc, "cancel", []), **_return_document(doc, code))


def _return_asn(doc: CustomerReturn, action: str, lines: list[AsnLine]) -> AsnV1:
    return AsnV1(
        asn_number=doc.number,
        kind="customer_return",
        source_number=doc.number,
        counterparty_code=contractor_code(doc.contractor_id),
        expected_date=None,
        action=action,
        lines=lines,
    )


def _return_document(doc: CustomerReturn, code: str) -> dict[str, str]:
    return {"document_type": CustomerReturn.doc_type, "document_number": doc.number, "warehouse_code": code}
