"""REMAINS v1 (WMS -> core): a stock snapshot of one warehouse (the envelope's warehouse_code), by
item and status, in parts. The envelope's document is the snapshot (document_number = snapshot_id)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from dealerhub.exchange.contracts.common import Code, Contract, DocumentNumber, Quantity


class RemainsRow(Contract):
    item_code: Code
    status: Literal["available", "allocated", "defect", "quarantine"]
    quantity: Quantity


class RemainsV1(Contract):
    snapshot_id: DocumentNumber
    as_of: AwareDatetime
    part: int = Field(ge=1)
    parts_total: int = Field(ge=1)
    rows: list[RemainsRow]

    @model_validator(mode="after")
    def _part(self) -> RemainsV1:
        if self.part > self.parts_total:
            raise ValueError(f"part {self.part} of {self.parts_total}")
        return self
