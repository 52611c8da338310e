"""Customer returns: goods coming back from a dealer against a posted sale, recorded as a receipt
from that counterparty onto a chosen warehouse (a defect warehouse keeps them closed for sale).
Posting credits the dealer's contractor by the return's amount (settlements); unposting reverses it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import settlements
from dealerhub.core.documents import InvalidDocument, change_status, new_document
from dealerhub.core.pricing.rules import line_amount
from dealerhub.core.sales import wms_messages
from dealerhub.core.sales.errors import ReturnExceedsSold
from dealerhub.core.sales.fulfilment import require_status
from dealerhub.core.sales.models import CustomerReturn, CustomerReturnLine, Sale
from dealerhub.core.sales.queries import (
    get_customer_return,
    get_sale,
    lock_order,
    returned_by_sale_line,
    unit_precision_of,
)
from dealerhub.core.sales.rules import ZERO, fits_unit, returnable, show
from dealerhub.core.stock import DocRef, Move, write_stock_moves
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.texts import T

# What other areas do when a customer return is posted, unposted or cancelled, in the same
# transaction (claims: posting resolves the credit claim the return was made for, unposting takes
# that back; cancelling sends the claim back to review). An area registers its listener when its package is imported (load_all_models imports
# every area); listeners run after the change, in the order they registered.
ReturnListener = Callable[[Session, CustomerReturn, "int | None"], None]
_ON_POSTED: list[ReturnListener] = []
_ON_CANCELLED: list[ReturnListener] = []
_ON_UNPOSTED: list[ReturnListener] = []


def on_customer_return_posted(listener: ReturnListener) -> ReturnListener:
    if listener not in _ON_POSTED:
        _ON_POSTED.append(listener)
    return listener


def on_customer_return_cancelled(listener: ReturnListener) -> ReturnListener:
    if listener not in _ON_CANCELLED:
        _ON_CANCELLED.append(listener)
    return listener


def on_customer_return_unposted(listener: ReturnListener) -> ReturnListener:
    if listener not in _ON_UNPOSTED:
        _ON_UNPOSTED.append(listener)
    return listener


def create_customer_return(
    s: Session,
    sale_id: int,
    *,
    user_id: int | None,
    warehouse_id: int,
    reason: str,
    lines: Mapping[int, Decimal],
) -> CustomerReturn:
    """A draft return: sale line id -> quantity, each at most what was sold minus what came back."""
    sale = get_sale(s, sale_id)
    lock_order(s, sale.customer_order_id)
    s.refresh(sale, ["status"])
    require_status(sale, ("posted",), "a customer return")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDocument(T("a customer return needs a reason"))
    _check_warehouse(s, warehouse_id)
    quantities = _checked_quantities(s, sale, lines)
    sale_lines = {line.id: line for line in sale.lines}
    return_lines = [
        CustomerReturnLine(
            line_no=no,
            sale_line_id=line_id,
            item_id=sale_lines[line_id].item_id,
            quantity=quantity,
            price=sale_lines[line_id].price,
            amount=line_amount(quantity, sale_lines[line_id].price),
        )
        for no, (line_id, quantity) in enumerate(quantities.items(), start=1)
    ]
    doc = new_document(
        s,
        CustomerReturn,
        user_id=user_id,
        sale_id=sale.id,
        partner_id=sale.partner_id,
        contractor_id=sale.contractor_id,
        warehouse_id=warehouse_id,
        reason=reason,
        lines=return_lines,
    )
    wms_messages.customer_return_created(s, doc)  # the goods are awaited: ASN to the WMS
    return doc


def post_customer_return(s: Session, return_id: int, *, user_id: int | None) -> CustomerReturn:
    """The goods are back on the return's warehouse."""
    doc = get_customer_return(s, return_id)
    sale = get_sale(s, doc.sale_id)
    lock_order(s, sale.customer_order_id)
    s.refresh(sale, ["status"])
    require_status(sale, ("posted",), "posting a customer return")
    change_status(s, doc, ("draft",), "posted", user_id=user_id, action="post")
    _check_within_sold(s, sale)
    moves = [Move(line.item_id, doc.warehouse_id, line.quantity, line.id) for line in doc.lines]
    write_stock_moves(s, DocRef.of(doc), doc.doc_date, moves)
    total = sum((line.amount for line in doc.lines), Decimal(0))
    settlements.record_credit(s, _settlement_doc(doc, sale), total, doc.doc_date)
    for listener in _ON_POSTED:
        listener(s, doc, user_id)
    return doc


def unpost_customer_return(s: Session, return_id: int, *, user_id: int | None) -> CustomerReturn:
    """Take the goods off the warehouse again (InsufficientStock if they are no longer free there)."""
    doc = get_customer_return(s, return_id)
    sale = get_sale(s, doc.sale_id)
    lock_order(s, sale.customer_order_id)
    change_status(s, doc, ("posted",), "draft", user_id=user_id, action="unpost")
    moves = [Move(line.item_id, doc.warehouse_id, -line.quantity, line.id) for line in doc.lines]
    write_stock_moves(s, DocRef.of(doc), doc.doc_date, moves, reversal=True)
    settlements.reverse_document(s, CustomerReturn.doc_type, doc.id)
    for listener in _ON_UNPOSTED:
        listener(s, doc, user_id)
    return doc


def cancel_customer_return(s: Session, return_id: int, *, user_id: int | None) -> CustomerReturn:
    doc = get_customer_return(s, return_id)
    lock_order(s, get_sale(s, doc.sale_id).customer_order_id)
    change_status(s, doc, ("draft",), "cancelled", user_id=user_id, action="cancel")
    wms_messages.customer_return_cancelled(s, doc)
    for listener in _ON_CANCELLED:
        listener(s, doc, user_id)
    return doc


def _settlement_doc(doc: CustomerReturn, sale: Sale) -> settlements.SettlementDoc:
    """The return credits the contractor the sale debited, in the sale's currency."""
    return settlements.SettlementDoc(
        CustomerReturn.doc_type, doc.id, doc.number, doc.partner_id, doc.contractor_id, sale.currency
    )


def _check_warehouse(s: Session, warehouse_id: int) -> None:
    warehouse = s.get(Warehouse, warehouse_id)
    if warehouse is None or not warehouse.is_active:
        raise InvalidDocument(
            T("unknown or inactive warehouse #%(warehouse)s", warehouse=warehouse_id), warehouse_id=warehouse_id
        )


def _checked_quantities(s: Session, sale: Sale, lines: Mapping[int, Decimal]) -> dict[int, Decimal]:
    sale_lines = {line.id: line for line in sale.lines}
    if not lines:
        raise InvalidDocument(T("a customer return needs at least one line"))
    unknown = set(lines) - set(sale_lines)
    if unknown:
        raise InvalidDocument(
            T("some of the lines are not lines of sale %(number)s", number=sale.number), number=sale.number
        )
    precision = unit_precision_of(s, [line.item_id for line in sale_lines.values()])
    returned = returned_by_sale_line(s, sale.id)
    quantities = {}
    for line_id, quantity in lines.items():
        line, quantity = sale_lines[line_id], Decimal(quantity)
        if quantity <= 0 or not fits_unit(quantity, precision[line.item_id]):
            raise InvalidDocument(
                T(
                    "line %(line)s: %(quantity)s is not a positive quantity of the item's unit",
                    line=line.line_no, quantity=show(quantity),
                ),
                line=line.line_no,
            )
        left = returnable(line.quantity, returned.get(line_id, ZERO))
        if quantity > left:
            raise ReturnExceedsSold(
                T(
                    "line %(line)s: %(quantity)s returned, but only %(left)s of the %(sold)s sold can come back",
                    line=line.line_no, quantity=show(quantity), left=show(left), sold=show(line.quantity),
                ),
                line=line.line_no,
            )
        quantities[line_id] = quantity
    return quantities


def _check_within_sold(s: Session, sale: Sale) -> None:
    """With this return posted, no sale line has more back than it sold (several drafts may exist)."""
    returned = returned_by_sale_line(s, sale.id)
    for line in sale.lines:
        if returned.get(line.id, ZERO) > line.quantity:
            raise ReturnExceedsSold(
                T(
                    "line %(line)s of sale %(number)s: %(returned)s returned of %(sold)s sold",
                    line=line.line_no, number=sale.number, returned=show(returned[line.id]), sold=show(line.quantity),
                ),
                line=line.line_no,
            )
