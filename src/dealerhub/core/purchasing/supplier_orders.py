"""Supplier orders: what the distributor buys from a manufacturer, in CNY, USD or RUB at an
exchange rate, with expected dates. draft -> confirmed (post) -> partially_received -> received
-> closed; cancelled while nothing is received. Receipts move the status, see receipts.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.documents import change_status, new_document
from dealerhub.core.inventory import get_active_warehouse
from dealerhub.core.inventory.lines import lock_draft
from dealerhub.core.purchasing import rules, wms_messages
from dealerhub.core.purchasing.checks import build_order_lines, check_supplier
from dealerhub.core.purchasing.errors import SupplierOrderInUse
from dealerhub.core.purchasing.inputs import SupplierOrderLineInput
from dealerhub.core.purchasing.models import GoodsReceipt, SupplierOrder
from dealerhub.core.purchasing.queries import (
    get_supplier_order,
    list_receipt_numbers_for_order,
    received_by_order_line,
)
from dealerhub.shared.texts import T, Text


def create_supplier_order(
    s: Session,
    *,
    user_id: int | None,
    partner_id: int,
    contractor_id: int,
    warehouse_id: int,
    currency: str,
    exchange_rate: Decimal,
    lines: Sequence[SupplierOrderLineInput],
    expected_date: date | None = None,
    comment: str | None = None,
) -> SupplierOrder:
    """A draft order to a supplier's contractor, for delivery to `warehouse_id`."""
    check_supplier(s, partner_id, contractor_id)
    get_active_warehouse(s, warehouse_id)
    currency, exchange_rate = rules.check_currency(currency, exchange_rate)
    new_lines = build_order_lines(s, lines)
    order = new_document(
        s, SupplierOrder, user_id=user_id, partner_id=partner_id, contractor_id=contractor_id,
        warehouse_id=warehouse_id, currency=currency, exchange_rate=exchange_rate, expected_date=expected_date,
        comment=comment,
    )
    order.lines = new_lines
    s.flush()
    return order


def update_supplier_order(
    s: Session,
    order_id: int,
    *,
    user_id: int | None,
    lines: Sequence[SupplierOrderLineInput] | None = None,
    partner_id: int | None = None,
    contractor_id: int | None = None,
    warehouse_id: int | None = None,
    currency: str | None = None,
    exchange_rate: Decimal | None = None,
    expected_date: date | None = None,
    comment: str | None = None,
) -> SupplierOrder:
    """Edit a draft: given fields are replaced (lines as a whole); a posted order is refused."""
    order = get_supplier_order(s, order_id)
    lock_draft(s, order, user_id=user_id)
    if partner_id is not None or contractor_id is not None:
        order.partner_id, order.contractor_id = _supplier(s, order, partner_id, contractor_id)
    if warehouse_id is not None:
        order.warehouse_id = get_active_warehouse(s, warehouse_id).id
    if currency is not None or exchange_rate is not None:
        order.currency, order.exchange_rate = rules.check_currency(
            currency if currency is not None else order.currency,
            exchange_rate if exchange_rate is not None else order.exchange_rate,
        )
    if expected_date is not None:
        order.expected_date = expected_date
    if comment is not None:
        order.comment = comment
    if lines is not None:
        _refuse_if_receipts_refer(s, order, T("its lines can't be replaced"))
        order.lines = build_order_lines(s, lines)
    s.flush()
    return order


def post_supplier_order(s: Session, order_id: int, *, user_id: int | None) -> SupplierOrder:
    """Confirm the order: goods can now be received against it."""
    order = get_supplier_order(s, order_id)
    change_status(s, order, (rules.DRAFT,), rules.CONFIRMED, user_id=user_id, action="post")
    wms_messages.supplier_order_expected(s, order)  # ASN to the WMS, in this transaction
    return order


def unpost_supplier_order(s: Session, order_id: int, *, user_id: int | None) -> SupplierOrder:
    """Back to draft, only while nothing has been received on it."""
    order = get_supplier_order(s, order_id)
    change_status(s, order, (rules.CONFIRMED,), rules.DRAFT, user_id=user_id, action="unpost")
    _refuse_if_received(s, order, T("it can't be unposted"))
    wms_messages.supplier_order_withdrawn(s, order)
    return order


def cancel_supplier_order(s: Session, order_id: int, *, user_id: int | None, reason: str | None = None) -> SupplierOrder:
    """Cancel a draft or confirmed order (nothing received on it)."""
    order = get_supplier_order(s, order_id)
    was = change_status(
        s, order, rules.CANCELLABLE_STATUSES, rules.CANCELLED, user_id=user_id, action="cancel", reason=reason
    )
    _refuse_if_received(s, order, T("it can't be cancelled"))
    if was == rules.CONFIRMED:
        wms_messages.supplier_order_withdrawn(s, order)
    return order


def close_supplier_order(s: Session, order_id: int, *, user_id: int | None, reason: str | None = None) -> SupplierOrder:
    """Nothing more is expected on a (partially) received order."""
    order = get_supplier_order(s, order_id)
    was = change_status(s, order, rules.CLOSABLE_STATUSES, rules.CLOSED, user_id=user_id, action="close", reason=reason)
    if was == rules.PARTIALLY_RECEIVED:  # the WMS stops expecting the rest
        wms_messages.supplier_order_withdrawn(s, order)
    return order


def reopen_supplier_order(s: Session, order_id: int, *, user_id: int | None) -> SupplierOrder:
    """A closed order expects goods again; its status follows its receipts."""
    order = get_supplier_order(s, order_id)
    change_status(s, order, (rules.CLOSED,), _status_from_receipts(s, order), user_id=user_id, action="reopen")
    wms_messages.supplier_order_expected(s, order)
    return order


def follow_receipts(s: Session, orders: Iterable[SupplierOrder], *, user_id: int | None, receipt: GoodsReceipt) -> None:
    """Set each order open for receiving to the status its posted receipts give it (orders locked by
    the caller). A closed order stays closed."""
    action = "receipt_posted" if receipt.status == rules.POSTED else "receipt_unposted"
    for order in orders:
        if order.status not in rules.RECEIVING_STATUSES:
            continue
        status = _status_from_receipts(s, order)
        if status != order.status:
            change_status(s, order, (order.status,), status, user_id=user_id, action=action, receipt=receipt.number)


def _status_from_receipts(s: Session, order: SupplierOrder) -> str:
    received = received_by_order_line(s, [line.id for line in order.lines])
    return rules.order_status_from_receipts((line.quantity, received.get(line.id, rules.ZERO)) for line in order.lines)


def _supplier(s: Session, order: SupplierOrder, partner_id: int | None, contractor_id: int | None) -> tuple[int, int]:
    partner_id = partner_id if partner_id is not None else order.partner_id
    contractor_id = contractor_id if contractor_id is not None else order.contractor_id
    check_supplier(s, partner_id, contractor_id)
    if partner_id != order.partner_id:
        _refuse_if_receipts_refer(s, order, T("its supplier can't change"))
    return partner_id, contractor_id


def _refuse_if_received(s: Session, order: SupplierOrder, what: Text) -> None:
    if received_by_order_line(s, [line.id for line in order.lines]):
        raise SupplierOrderInUse(
            T("goods were received on supplier order %(order)s: %(what)s", order=order.number, what=what),
            number=order.number,
        )


def _refuse_if_receipts_refer(s: Session, order: SupplierOrder, what: Text) -> None:
    numbers = list_receipt_numbers_for_order(s, order.id)
    if numbers:
        raise SupplierOrderInUse(
            T(
                "goods receipts %(receipts)s refer to supplier order %(order)s: %(what)s",
                receipts=", ".join(numbers), order=order.number, what=what,
            ),
            number=order.number, receipts=numbers,
        )
