"""INVENTORY v1 (WMS -> core): the results of a count, book against counted quantity."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from dealerhub.exchange.contracts.common import Code, Contract, DocumentNumber, Quantity


class InventoryLine(Contract):
    item_code: Code
    book_quantity: Quantity
    counted_quantity: Quantity


class InventoryV1(Contract):
    count_number: DocumentNumber
    counted_at: AwareDatetime
    lines: list[InventoryLine] = Field(min_length=1)
