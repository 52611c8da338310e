"""Pure checks on quantities against an item's unit."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.shared.texts import T
from dealerhub.wms.errors import QuantityRefused

# What check_quantity's callers check, for its refusals.
_WHAT = {"quantity": T("quantity"), "counted quantity": T("counted quantity"),
         "number of machines": T("number of machines"), "weight": T("weight")}


def _named(what: str) -> str:
    return _WHAT.get(what, what)


def check_quantity(quantity: Decimal, decimals: int, *, what: str = "quantity", allow_zero: bool = False) -> Decimal:
    """A positive (or, allow_zero, non-negative) quantity with no more decimal places than the unit
    has ("2.5" pieces are refused)."""
    q = Decimal(quantity)
    if q < 0 or (q == 0 and not allow_zero):
        if allow_zero:
            raise QuantityRefused(T("the %(what)s must be zero or more, not %(quantity)s", what=_named(what), quantity=q))
        raise QuantityRefused(T("the %(what)s must be more than zero, not %(quantity)s", what=_named(what), quantity=q))
    if q != q.quantize(Decimal(1).scaleb(-decimals)):
        raise QuantityRefused(T("the %(what)s %(quantity)s has more than %(places)s decimal places for this unit",
                                what=_named(what), quantity=q, places=decimals))
    return q
