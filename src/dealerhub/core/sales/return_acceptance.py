"""The quantities of a customer return as the warehouse accepted them: the return is created with
what the dealer announced; the WMS reports what actually came back (in parts), and the draft's
lines take those quantities before a manager posts it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.documents import InvalidDocument, assert_draft, change_status
from dealerhub.core.pricing.rules import line_amount
from dealerhub.core.sales.errors import ReturnExceedsSold
from dealerhub.core.sales.queries import (
    get_customer_return,
    get_sale,
    lock_order,
    returned_by_sale_line,
    unit_precision_of,
)
from dealerhub.core.sales.rules import ZERO, fits_unit, returnable, show
from dealerhub.shared.texts import T


def set_return_quantities(
    s: Session,
    return_id: int,
    *,
    user_id: int | None,
    quantities: Mapping[int, Decimal],
    comment: str | None = None,
):
    """Set the quantities of a draft return's lines (line no -> quantity, 0 allowed: nothing of it
    came back yet); lines not named keep theirs. Each is at most what may still come back of its
    sale line (ReturnExceedsSold) and fits the item's unit."""
    doc = get_customer_return(s, return_id)
    sale = get_sale(s, doc.sale_id)
    lock_order(s, sale.customer_order_id)
    s.refresh(doc, ["status"])
    assert_draft(doc)
    lines = {line.line_no: line for line in doc.lines}
    unknown = sorted(set(quantities) - set(lines))
    if unknown:
        raise InvalidDocument(
            T("customer return %(number)s has no lines %(lines)s", number=doc.number, lines=", ".join(map(str, unknown))),
            number=doc.number,
        )
    sold = {line.id: line.quantity for line in sale.lines}
    returned = returned_by_sale_line(s, sale.id)
    precision = unit_precision_of(s, [line.item_id for line in lines.values()])
    for line_no, quantity in sorted(quantities.items()):
        line, quantity = lines[line_no], Decimal(quantity)
        if quantity < 0 or not fits_unit(quantity, precision[line.item_id]):
            raise InvalidDocument(
                T(
                    "line %(line)s: %(quantity)s is not a quantity of the item's unit",
                    line=line_no, quantity=show(quantity),
                ),
                line=line_no,
            )
        left = returnable(sold[line.sale_line_id], returned.get(line.sale_line_id, ZERO))
        if quantity > left:
            raise ReturnExceedsSold(
                T(
                    "line %(line)s: %(quantity)s came back, but only %(left)s of the %(sold)s sold can",
                    line=line_no, quantity=show(quantity), left=show(left), sold=show(sold[line.sale_line_id]),
                ),
                line=line_no,
            )
        line.quantity, line.amount = quantity, line_amount(quantity, line.price)
    if comment is not None:
        doc.comment = comment
    change_status(s, doc, ("draft",), "draft", user_id=user_id, action="update", cause="accepted quantities")
    s.flush()
    return doc
