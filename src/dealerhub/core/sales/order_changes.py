"""A sales manager changes the quantities of an order under moderation, with a reason the dealer
sees: lines get the new quantity (0 takes a line out), amounts follow at the line's price, what a
line holds beyond its new quantity goes back to free stock. One audit row names every change."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.audit import record_change
from dealerhub.core.catalog.models import Item, Unit
from dealerhub.core.documents import InvalidDocument
from dealerhub.core.pricing.rules import line_amount
from dealerhub.core.sales.errors import SalesDocumentNotFound
from dealerhub.core.sales.fulfilment import require_status
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.core.sales.queries import lock_order, reserved_by_line
from dealerhub.core.sales.reservations import release_line
from dealerhub.core.sales.rules import IN_MODERATION, ZERO, fits_unit, show
from dealerhub.core.stock import DocRef
from dealerhub.shared.texts import T


def change_order_quantities(
    s: Session, order_id: int, *, user_id: int | None, quantities: Mapping[int, Decimal], reason: str
) -> CustomerOrder:
    """`quantities`: order line id -> new quantity (lines not named keep theirs)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDocument(T("changing a dealer's order needs a reason for the dealer"))
    order = lock_order(s, order_id)
    require_status(order, IN_MODERATION, "changing quantities")
    lines = {ln.id: ln for ln in order.lines}
    unknown = sorted(set(quantities) - set(lines))
    if unknown:
        raise SalesDocumentNotFound(
            T("some of the lines are not lines of order %(number)s", number=order.number), line_id=unknown[0]
        )
    precision = dict(
        s.query(Item.id, Unit.precision).join(Unit, Unit.id == Item.unit_id).filter(
            Item.id.in_([ln.item_id for ln in order.lines])
        )
    )
    changes = []
    for line_id, value in sorted(quantities.items()):
        line, quantity = lines[line_id], Decimal(value)
        if quantity < 0 or not fits_unit(quantity, precision[line.item_id]):
            raise InvalidDocument(
                T(
                    "line %(line)s: %(quantity)s is not a valid quantity of this item",
                    line=line.line_no, quantity=show(quantity),
                ),
                line=line.line_no,
            )
        if quantity != line.quantity:
            changes.append((line, quantity))
    if not changes:
        raise InvalidDocument(T("no quantity was changed"))
    if all(q == 0 for ln, q in changes) and len(changes) == len(lines):
        raise InvalidDocument(T("nothing would be left of the order: reject it instead"))
    reserved = reserved_by_line(s, order.id)
    details = []
    for line, quantity in sorted(changes, key=lambda c: (c[0].item_id, c[0].id)):
        excess = reserved.get(line.id, ZERO) - quantity
        if excess > 0:
            release_line(s, order_id=order.id, line_id=line.id, quantity=excess, doc=DocRef.of(order))
        details.append({"line_no": line.line_no, "item_id": line.item_id, "from": str(line.quantity), "to": str(quantity)})
        if quantity == 0:
            order.lines.remove(line)
        else:
            line.quantity = quantity
            line.amount = line_amount(quantity, line.price)
    for no, line in enumerate(sorted(order.lines, key=lambda ln: ln.line_no), start=1):
        line.line_no = no
    order.moderation_note = reason
    s.flush()
    record_change(
        s, user_id=user_id, entity_type=CustomerOrder.doc_type, entity_id=order.id, action="change_quantities",
        reason=reason, changes=sorted(details, key=lambda d: d["line_no"]),
    )
    bonus.settle_order(s, order, user_id=user_id)  # bonus on what was cut goes back
    return order
