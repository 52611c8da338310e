"""MOVEMENT v1 (WMS -> core): goods moved to or from defect or quarantine inside the warehouse."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from dealerhub.exchange.contracts.common import Code, Contract, DocumentNumber, Quantity, Text


class MovementLine(Contract):
    item_code: Code
    quantity: Quantity


class MovementV1(Contract):
    movement_number: DocumentNumber
    direction: Literal["to_defect", "from_defect", "to_quarantine", "from_quarantine"]
    reason: Text
    moved_at: AwareDatetime
    lines: list[MovementLine] = Field(min_length=1)
