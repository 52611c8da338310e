"""RECEIPT v1 (WMS -> core): the WMS's acceptance of an ASN; several partial messages, then one
with final=true. The envelope's document is the ASN."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from dealerhub.exchange.contracts.common import Code, Contract, DocumentNumber, Quantity, Text


class ReceiptLine(Contract):
    # The ASN line this acceptance is for; null for goods that were not announced.
    asn_line_no: int | None = Field(default=None, ge=1)
    item_code: Code
    accepted: Quantity
    rejected: Quantity
    disposition: Literal["stock", "defect", "quarantine"]
    discrepancy: Literal["short", "over", "damaged", "wrong_item", "unannounced"] | None = None
    comment: Text | None = None


class ReceiptV1(Contract):
    asn_number: DocumentNumber
    # The WMS's own acceptance document.
    receipt_number: DocumentNumber
    supplier_invoice: DocumentNumber | None = None
    # true on the last message of this ASN: nothing more will arrive.
    final: bool
    received_at: AwareDatetime
    lines: list[ReceiptLine]
