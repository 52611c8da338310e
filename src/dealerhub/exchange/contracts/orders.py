"""ORDERS v1 (core -> WMS): a picking order from a posted picking task.
The envelope's document is the picking task."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from dealerhub.exchange.contracts.common import (
    Code,
    Contract,
    CreateReplaceCancel,
    DocumentNumber,
    Quantity,
    Text,
    unique,
)


class OrderLine(Contract):
    line_no: int = Field(ge=1)
    item_code: Code
    quantity: Quantity


class OrdersV1(Contract):
    # The picking task's number: the order the WMS picks.
    order_number: DocumentNumber
    customer_order_number: DocumentNumber
    counterparty_code: Code
    action: CreateReplaceCancel
    ship_by: date | None = None
    comment: Text | None = None
    lines: list[OrderLine]

    @model_validator(mode="after")
    def _lines(self) -> OrdersV1:
        unique([line.line_no for line in self.lines], "line_no")
        if self.action != "cancel" and not self.lines:
            raise ValueError(f"an order to {self.action} needs at least one line")
        return self
