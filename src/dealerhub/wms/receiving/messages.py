"""RECEIPT: what an acceptance accepted since its last part (and, final, the discrepancies)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import ReceiptLine as ReceiptLineOut
from dealerhub.exchange.contracts import ReceiptV1, decimal_text
from dealerhub.wms.exchange_link.outbox import enqueue


def send_receipt(s: Session, *, warehouse_code: str, asn_number: str, receipt_number: str,
                 supplier_invoice: str | None, final: bool, received_at: datetime,
                 lines: list[dict]) -> str:
    payload = ReceiptV1(
        asn_number=asn_number,
        receipt_number=receipt_number,
        supplier_invoice=supplier_invoice,
        final=final,
        received_at=received_at,
        lines=[
            ReceiptLineOut(
                asn_line_no=line["asn_line_no"],
                item_code=line["item_code"],
                accepted=decimal_text(line["accepted"]),
                rejected=decimal_text(line["rejected"]),
                disposition=line["disposition"],
                discrepancy=line["discrepancy"],
                comment=line.get("comment"),
            )
            for line in lines
        ],
    )
    message = enqueue(s, payload, document_type="asn", document_number=asn_number, warehouse_code=warehouse_code)
    return message.message_id
