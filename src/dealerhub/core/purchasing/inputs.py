"""The lines callers pass to the purchasing use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SupplierOrderLineInput:
    item_id: int
    quantity: Decimal
    price: Decimal
    # None: the order's expected date.
    expected_date: date | None = None


@dataclass(frozen=True)
class ReceiptLineInput:
    item_id: int
    quantity: Decimal
    price: Decimal
    # The supplier-order line this line fulfils; None for goods nobody ordered.
    supplier_order_line_id: int | None = None
