"""The rules of the sales documents as pure functions: which status allows what, how much can be
reserved or picked, the order's status from what was shipped, what may still be returned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dealerhub.core.pricing.rules import has_places, line_amount, vat_included
from dealerhub.shared.texts import T, Text

ZERO = Decimal(0)

# Customer order: who may do what from which status.
SUBMITTABLE = ("draft",)
IN_MODERATION = ("submitted", "awaiting_moderation")
APPROVED = ("approved",)
# Cancelling is allowed while nothing is shipped (and the WMS is not picking: see OrderHasPostedPickingTasks).
CANCELLABLE = ("draft", "submitted", "awaiting_moderation", "approved")
# Picking tasks can be made and posted for these (a second task picks what the first didn't).
PICKABLE = ("approved", "picking", "partially_shipped")
CLOSABLE = ("partially_shipped", "shipped")
# The statuses the order's fulfilment moves it between (see fulfilment_status).
FULFILMENT = ("approved", "picking", "partially_shipped", "shipped")
# An approved order can be invoiced (the invoice for payment is its printable form) until cancelled.
INVOICEABLE = (*FULFILMENT, "closed")

# Picking task: draft -> posted (sent to the WMS) -> done (a sale was posted for it); cancelled.
# A task's quantities are "claimed" from the order while it is draft or posted.
OPEN_TASK = ("draft", "posted")
# Sale and customer return: draft -> posted; unposting returns to draft; a draft can be cancelled.


@dataclass(frozen=True)
class LineShipment:
    ordered: Decimal
    shipped: Decimal


def fulfilment_status(lines: Iterable[LineShipment], *, has_posted_task: bool) -> str:
    """The status of an approved order from what it shipped and whether the WMS is picking it."""
    lines = list(lines)
    if lines and all(line.shipped >= line.ordered for line in lines):
        return "shipped"
    if any(line.shipped > 0 for line in lines):
        return "partially_shipped"
    return "picking" if has_posted_task else "approved"


def pickable(
    *, ordered: Decimal, shipped: Decimal, claimed: Decimal, reserved: Decimal, free: Decimal
) -> Decimal:
    """How much of an order line a new picking task may take.

    `claimed` is what open (draft or posted) picking tasks already take of the line, `reserved`
    what the line holds on the warehouse. The task may take what is left to pick, as far as the
    line's reservation not yet claimed plus the free stock cover it."""
    remaining = ordered - shipped - claimed
    uncovered_reserve = max(ZERO, reserved - claimed)
    return max(ZERO, min(remaining, uncovered_reserve + free))


def reservation_shortfall(*, to_pick: Decimal, reserved: Decimal) -> Decimal:
    """What must be reserved in addition so the line's reservation covers its posted picking tasks."""
    return max(ZERO, to_pick - reserved)


def despatch_problem(picked: Decimal, despatched: Decimal) -> Text | None:
    if despatched < 0:
        return T("despatched quantity %(quantity)s is negative", quantity=show(despatched))
    if despatched > picked:
        return T("despatched %(quantity)s is more than the %(picked)s picked", quantity=show(despatched), picked=show(picked))
    return None


def show(quantity: Decimal) -> str:
    """A quantity as people write it in messages: 4, 1.5 (not 4.000)."""
    return format(Decimal(quantity).normalize(), "f")


def returnable(sold: Decimal, returned: Decimal) -> Decimal:
    return max(ZERO, sold - returned)


def fits_unit(quantity: Decimal, precision: int) -> bool:
    """A quantity of a unit with `precision` decimal places (0 for pieces: no 1.5 pieces)."""
    return has_places(quantity, precision)


@dataclass(frozen=True)
class LineMoney:
    amount: Decimal
    vat_amount: Decimal


def line_money(quantity: Decimal, price: Decimal, vat_rate: Decimal) -> LineMoney:
    """Amount of a line (VAT included in the price) and the VAT inside it, both to kopecks."""
    amount = line_amount(quantity, price)
    return LineMoney(amount, vat_included(amount, vat_rate))


@dataclass(frozen=True)
class OrderLineProgress:
    """One order line: how much was ordered, is reserved now, was picked (on posted or done
    picking tasks) and shipped (on posted sales)."""

    line_id: int
    line_no: int
    item_id: int
    ordered: Decimal
    reserved: Decimal
    picked: Decimal
    shipped: Decimal

    @property
    def missing(self) -> Decimal:
        """What is neither shipped nor reserved: the part that waits for stock."""
        return max(ZERO, self.ordered - self.shipped - self.reserved)
