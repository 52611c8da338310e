"""Pure checks on quantities against an item's unit."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.wms.errors import QuantityRefused


def check_quantity(quantity: Decimal, decimals: int, *, what: str = "quantity", allow_zero: bool = False) -> Decimal:
    """A positive (or, allow_zero, non-negative) quantity with no more decimal places than the unit
    has ("2.5" pieces are refused)."""
    q = Decimal(quantity)
    if q < 0 or (q == 0 and not allow_zero):
        raise QuantityRefused(f"the {what} must be {'zero or more' if allow_zero else 'more than zero'}, not {q}")
    if q != q.quantize(Decimal(1).scaleb(-decimals)):
        raise QuantityRefused(f"the {what} {q} has more than {decimals} decimal places for this unit")
    return q
