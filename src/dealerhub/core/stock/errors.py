from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dealerhub.shared.errors import DomainError


@dataclass(frozen=True)
class Shortage:
    item_id: int
    warehouse_id: int
    requested: Decimal
    free: Decimal


class InsufficientStock(DomainError):
    """Free stock (on hand minus reserved) does not cover what was asked for."""

    def __init__(self, shortages: list[Shortage]) -> None:
        text = "; ".join(
            f"item {s.item_id} on warehouse {s.warehouse_id}: asked {s.requested}, free {s.free}"
            for s in shortages
        )
        super().__init__(f"not enough free stock: {text}", shortages=shortages)
        self.shortages = shortages


class WarehouseClosedForSale(DomainError):
    """Stock on a transit, defect or loss warehouse is never reserved or sold."""
