"""The lines callers pass to the inventory use cases."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CorrectionLineInput:
    item_id: int
    quantity: Decimal


@dataclass(frozen=True)
class TransferLineInput:
    item_id: int
    quantity: Decimal
