"""ASN v1 (core -> WMS): an expected receipt, from a supplier order or a customer return.
The envelope's document is the ASN's source document (its type and number)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from dealerhub.exchange.contracts.common import (
    Code,
    Contract,
    CreateReplaceCancel,
    DocumentNumber,
    Quantity,
    unique,
)


class AsnLine(Contract):
    line_no: int = Field(ge=1)
    item_code: Code
    quantity: Quantity


class AsnV1(Contract):
    asn_number: DocumentNumber
    kind: Literal["supplier_order", "customer_return"]
    # The supplier order's or the customer return's number.
    source_number: DocumentNumber
    counterparty_code: Code
    expected_date: date | None = None
    # create: a new ASN; replace: its lines are now exactly these; cancel: lines may be empty.
    action: CreateReplaceCancel
    lines: list[AsnLine]

    @model_validator(mode="after")
    def _lines(self) -> AsnV1:
        unique([line.line_no for line in self.lines], "line_no")
        if self.action != "cancel" and not self.lines:
            raise ValueError(f"an ASN to {self.action} needs at least one line")
        return self
