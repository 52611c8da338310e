"""RECEIPT for a customer return's ASN: the accepted quantities (disposition stock) become the
return draft's quantities, accumulated over the parts; the rest is kept as discrepancies."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.inbox.handlers.acceptance import keep_discrepancies
from dealerhub.core.inbox.lookups import items_by_code
from dealerhub.core.inbox.models import ReceiptAcceptance
from dealerhub.core.sales import set_return_quantities
from dealerhub.core.sales.models import CustomerReturn
from dealerhub.exchange.contracts import ErrorCode, ReceiptV1, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage
from dealerhub.exchange.sidekit.outcomes import Reject
from dealerhub.shared import clock


def handle(s: Session, message: InboundMessage, doc: CustomerReturn) -> Done:
    p: ReceiptV1 = message.payload  # type: ignore[assignment]
    if doc.status != "draft":
        raise Reject(
            ErrorCode.UNKNOWN_DOCUMENT, f"customer return {doc.number} is {doc.status}: it no longer awaits goods"
        )
    items = items_by_code(s, [line.item_code for line in p.lines])
    acceptance = s.scalar(select(ReceiptAcceptance).where(ReceiptAcceptance.customer_return_id == doc.id))
    if acceptance is None:
        acceptance = ReceiptAcceptance(
            asn_number=p.asn_number, invoice_reference=p.receipt_number, customer_return_id=doc.id,
            wms_receipt_number=p.receipt_number, accepted={}, complete=False,
        )
        s.add(acceptance)
        s.flush()
    elif acceptance.complete:
        raise Reject(ErrorCode.QUANTITY_MISMATCH, f"the acceptance of {p.asn_number} was already final")
    by_no = {line.line_no: line for line in doc.lines}
    accepted = {int(no): Decimal(q) for no, q in acceptance.accepted.items()}
    for line in p.lines:
        if line.asn_line_no is None or line.asn_line_no not in by_no:
            raise Reject(
                ErrorCode.QUANTITY_MISMATCH,
                f"customer return {doc.number} takes back only its own lines, not line {line.asn_line_no} "
                f"({line.item_code})",
            )
        if by_no[line.asn_line_no].item_id != items[line.item_code]:
            raise Reject(
                ErrorCode.QUANTITY_MISMATCH,
                f"line {line.asn_line_no} of customer return {doc.number} is another item than {line.item_code}",
            )
        if line.disposition == "stock":
            accepted[line.asn_line_no] = accepted.get(line.asn_line_no, Decimal(0)) + to_decimal(line.accepted)
    state = "final: ready to post" if p.final else "in progress"
    set_return_quantities(
        s, doc.id, user_id=None, quantities={no: accepted.get(no, Decimal(0)) for no in by_no},
        comment=f"WMS acceptance {p.receipt_number} ({state})",
    )
    acceptance.accepted = {str(no): str(q) for no, q in sorted(accepted.items())}
    acceptance.wms_receipt_number = p.receipt_number
    if p.final:
        acceptance.complete, acceptance.completed_at = True, clock.now()
    keep_discrepancies(s, message.envelope.message_id, acceptance.id, p.lines, items)
    return Done("customer_return", doc.number, f"customer return {doc.number} draft ({'complete' if p.final else 'waiting for more'})")
