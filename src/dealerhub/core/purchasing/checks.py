"""Checks the purchasing use cases share: the supplier and its contractor, document lines, and the
links of receipt lines to supplier-order lines (same supplier, same item, no over-receipt)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.documents import InvalidDocument, check_lines
from dealerhub.core.documents.names import status_name, statuses_named
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.purchasing import rules
from dealerhub.core.purchasing.errors import (
    OrderLineMismatch,
    OverReceipt,
    SupplierOrderNotOpen,
    UnknownSupplier,
)
from dealerhub.core.purchasing.inputs import ReceiptLineInput, SupplierOrderLineInput
from dealerhub.core.purchasing.models import GoodsReceiptLine, SupplierOrder, SupplierOrderLine
from dealerhub.core.purchasing.queries import received_by_order_line
from dealerhub.shared.texts import T, Text

INVOICE_NUMBER_MAX_LENGTH = 64


@dataclass(frozen=True)
class LinkedLine:
    """A receipt line as far as its link to a supplier-order line is concerned."""

    line_no: int
    item_id: int
    quantity: Decimal
    order_line_id: int | None


def check_supplier(s: Session, partner_id: int, contractor_id: int) -> None:
    partner = s.get(Partner, partner_id)
    if partner is None or not partner.is_active or not partner.is_supplier:
        raise UnknownSupplier(
            T(
                "partner %(partner)s is unknown, inactive or not a supplier",
                partner=partner.name if partner is not None else partner_id,
            ),
            partner_id=partner_id,
        )
    contractor = s.get(Contractor, contractor_id)
    if contractor is None or not contractor.is_active or contractor.partner_id != partner_id:
        raise UnknownSupplier(
            T(
                "contractor %(contractor)s is not an active legal entity of partner %(partner)s",
                contractor=contractor.name if contractor is not None else contractor_id, partner=partner.name,
            ),
            contractor_id=contractor_id,
        )


def build_order_lines(s: Session, lines: Sequence[SupplierOrderLineInput]) -> list[SupplierOrderLine]:
    quantities = _checked_quantities(s, lines)
    result = []
    for no, (line, quantity) in enumerate(zip(lines, quantities, strict=True), start=1):
        price = rules.check_price(line.price, no)
        result.append(
            SupplierOrderLine(
                line_no=no, item_id=line.item_id, quantity=quantity, price=price,
                amount=rules.line_amount(quantity, price), expected_date=line.expected_date,
            )
        )
    return result


def build_receipt_lines(s: Session, partner_id: int, lines: Sequence[ReceiptLineInput]) -> list[GoodsReceiptLine]:
    """Receipt lines checked on their own and against the supplier-order lines they link to."""
    quantities = _checked_quantities(s, lines)
    result = []
    for no, (line, quantity) in enumerate(zip(lines, quantities, strict=True), start=1):
        price = rules.check_price(line.price, no)
        result.append(
            GoodsReceiptLine(
                line_no=no, item_id=line.item_id, quantity=quantity, price=price,
                amount=rules.line_amount(quantity, price), supplier_order_line_id=line.supplier_order_line_id,
            )
        )
    check_order_links(s, partner_id, [LinkedLine(r.line_no, r.item_id, r.quantity, r.supplier_order_line_id) for r in result])
    return result


def check_order_links(
    s: Session, partner_id: int, lines: Sequence[LinkedLine], *, exclude_receipt_id: int | None = None,
    lock: bool = False,
) -> list[SupplierOrder]:
    """Each linked line: the order line exists, belongs to an order of this supplier that is open for
    receiving, has the same item, and the receipt takes no more than remains on it (what other posted
    receipts took counts). With `lock` the orders are locked (in id order) first. Returns the orders."""
    linked = [line for line in lines if line.order_line_id is not None]
    if not linked:
        return []
    order_lines = _load_order_lines(s, linked)
    orders = _load_orders(s, {ol.order_id for ol in order_lines.values()}, lock=lock)
    for line in linked:
        _check_link(line, order_lines[line.order_line_id], orders[order_lines[line.order_line_id].order_id], partner_id)
    _check_remaining(s, linked, order_lines, orders, exclude_receipt_id)
    return [orders[order_id] for order_id in sorted(orders)]


def _checked_quantities(s: Session, lines: Sequence[SupplierOrderLineInput | ReceiptLineInput]) -> list[Decimal]:
    pairs = [
        (line.item_id, rules.as_decimal(line.quantity, T("line %(line)s: quantity", line=no)))
        for no, line in enumerate(lines, 1)
    ]
    check_lines(s, pairs)
    return [quantity for _, quantity in pairs]


def _load_order_lines(s: Session, linked: Sequence[LinkedLine]) -> dict[int, SupplierOrderLine]:
    ids = {line.order_line_id for line in linked}
    found = {ol.id: ol for ol in s.scalars(select(SupplierOrderLine).where(SupplierOrderLine.id.in_(ids)))}
    for line in linked:
        if line.order_line_id not in found:
            raise OrderLineMismatch(
                T(
                    "line %(line)s: supplier-order line %(order_line)s does not exist",
                    line=line.line_no, order_line=line.order_line_id,
                ),
                line=line.line_no,
            )
    return found


def _load_orders(s: Session, order_ids: set[int], *, lock: bool) -> dict[int, SupplierOrder]:
    query = select(SupplierOrder).where(SupplierOrder.id.in_(order_ids)).order_by(SupplierOrder.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return {order.id: order for order in s.scalars(query)}


def _check_link(line: LinkedLine, order_line: SupplierOrderLine, order: SupplierOrder, partner_id: int) -> None:
    if order.partner_id != partner_id:
        raise OrderLineMismatch(
            T("line %(line)s: supplier order %(order)s is another supplier's", line=line.line_no, order=order.number),
            line=line.line_no,
        )
    if order.status not in rules.RECEIVING_STATUSES:
        raise SupplierOrderNotOpen(
            T(
                "line %(line)s: supplier order %(order)s is «%(status)s»; goods are received only on orders in "
                "status %(allowed)s",
                line=line.line_no, order=order.number, status=status_name(order.status),
                allowed=statuses_named(rules.RECEIVING_STATUSES),
            ),
            number=order.number, status=order.status,
        )
    if order_line.item_id != line.item_id:
        raise OrderLineMismatch(
            T(
                "line %(line)s: the item differs from the item of line %(order_line)s of supplier order %(order)s",
                line=line.line_no, order_line=order_line.line_no, order=order.number,
            ),
            line=line.line_no,
        )


def _check_remaining(
    s: Session,
    linked: Sequence[LinkedLine],
    order_lines: dict[int, SupplierOrderLine],
    orders: dict[int, SupplierOrder],
    exclude_receipt_id: int | None,
) -> None:
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line in linked:
        wanted[line.order_line_id] += line.quantity  # type: ignore[index]
    received = received_by_order_line(s, wanted, exclude_receipt_id=exclude_receipt_id)
    remaining = {
        line_id: rules.remaining_quantity(order_lines[line_id].quantity, received.get(line_id, rules.ZERO))
        for line_id in wanted
    }
    over = rules.find_over_receipts(wanted, remaining)
    if over:
        parts = [
            T(
                "line %(line)s of supplier order %(order)s: receiving %(wanted)s, remaining %(remaining)s",
                line=order_lines[o.order_line_id].line_no,
                order=orders[order_lines[o.order_line_id].order_id].number,
                wanted=_plain(o.wanted),
                remaining=_plain(o.remaining),
            )
            for o in over
        ]
        text = Text("; ".join(f"%(p{n})s" for n in range(len(parts))), **{f"p{n}": p for n, p in enumerate(parts)})
        raise OverReceipt(T("more than was ordered: %(lines)s", lines=text), lines=over)


def _plain(quantity: Decimal) -> Decimal:
    """A quantity without the trailing zeros of its column's scale (10.000 reads 10, 2.500 reads 2.5)."""
    return quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() else quantity.normalize()


def lock_orders_of_lines(s: Session, order_line_ids: Iterable[int | None]) -> list[SupplierOrder]:
    """Lock (in id order) the supplier orders these lines belong to; returns them fresh."""
    ids = {line_id for line_id in order_line_ids if line_id is not None}
    if not ids:
        return []
    order_ids = set(s.scalars(select(SupplierOrderLine.order_id).where(SupplierOrderLine.id.in_(ids))))
    return list(_load_orders(s, order_ids, lock=True).values())


def check_invoice_number(number: str) -> str:
    text = (number or "").strip()
    if not text or len(text) > INVOICE_NUMBER_MAX_LENGTH:
        raise InvalidDocument(
            T(
                "a supplier invoice number has 1 to %(max)s characters, got «%(number)s»",
                max=INVOICE_NUMBER_MAX_LENGTH, number=number or "",
            )
        )
    return text
