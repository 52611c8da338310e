"""Customer orders: a dealer's order from draft through moderation to approval, cancellation and
closing. Approving reserves free stock for the lines; see picking.py and sale.py for fulfilment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.documents import InvalidDocument, assert_draft, change_status, check_lines, new_document
from dealerhub.core.documents.lines import LineItem
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.pricing import PersonalPrice, get_agreement_for, get_price_type, personal_prices
from dealerhub.core.pricing.models import DealerAgreement
from dealerhub.core.pricing.rules import has_places, line_amount
from dealerhub.core.sales.errors import NoPersonalPrice
from dealerhub.core.sales.fulfilment import cancel_draft_tasks, require_no_posted_task
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from dealerhub.core.sales.queries import get_customer_order, lock_order, reserved_by_line
from dealerhub.core.sales.reservations import LineWant, release_order, reserve_lines_up_to
from dealerhub.core.sales.rules import APPROVED, CANCELLABLE, CLOSABLE, IN_MODERATION, SUBMITTABLE, ZERO
from dealerhub.core.stock import DocRef
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock


@dataclass(frozen=True)
class OrderLineInput:
    """price None: the dealer's personal price from the agreement."""

    item_id: int
    quantity: Decimal
    price: Decimal | None = None


def create_customer_order(
    s: Session,
    *,
    user_id: int | None,
    partner_id: int,
    contractor_id: int,
    warehouse_id: int,
    lines: Sequence[OrderLineInput],
    agreement_id: int | None = None,
    comment: str | None = None,
) -> CustomerOrder:
    on = clock.today()
    _check_contractor(s, partner_id, contractor_id)
    _check_warehouse(s, warehouse_id)
    agreement = _agreement(s, partner_id, agreement_id, on)
    priced = _priced_lines(s, lines, agreement, on)
    return new_document(
        s,
        CustomerOrder,
        user_id=user_id,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=warehouse_id,
        agreement_id=agreement.id if agreement else None,
        currency=get_price_type(s, agreement.price_type_id).currency if agreement else "RUB",
        comment=comment,
        lines=priced,
    )


def update_customer_order(
    s: Session,
    order_id: int,
    *,
    user_id: int | None,
    lines: Sequence[OrderLineInput] | None = None,
    warehouse_id: int | None = None,
    comment: str | None = None,
) -> CustomerOrder:
    """Change a draft order; new lines are priced again as of today."""
    order = lock_order(s, order_id)
    assert_draft(order)
    changed = []
    if warehouse_id is not None and warehouse_id != order.warehouse_id:
        _check_warehouse(s, warehouse_id)
        order.warehouse_id = warehouse_id
        changed.append("warehouse_id")
    if lines is not None:
        on = clock.today()
        agreement = _agreement(s, order.partner_id, order.agreement_id, on, in_force=False)
        order.lines = _priced_lines(s, lines, agreement, on)
        order.agreement_id = agreement.id if agreement else None
        changed.append("lines")
    if comment is not None:
        order.comment = comment
        changed.append("comment")
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=CustomerOrder.doc_type,
        entity_id=order.id,
        action="update",
        fields=changed,
    )
    return order


def submit_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    order = get_customer_order(s, order_id)
    change_status(s, order, SUBMITTABLE, "submitted", user_id=user_id, action="submit")
    return order


def take_for_moderation(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """A sales manager takes a submitted order to review it."""
    order = get_customer_order(s, order_id)
    change_status(
        s, order, ("submitted",), "awaiting_moderation", user_id=user_id, action="take_for_moderation"
    )
    order.moderator_id = user_id
    s.flush()
    return order


def approve_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Approve the order and reserve, line by line, as much as is free on its warehouse."""
    order = get_customer_order(s, order_id)
    change_status(s, order, IN_MODERATION, "approved", user_id=user_id, action="approve")
    if order.moderator_id is None:
        order.moderator_id = user_id
    reserved = reserved_by_line(s, order.id)
    wants = [
        LineWant(line.id, line.item_id, line.quantity - reserved.get(line.id, ZERO)) for line in order.lines
    ]
    reserve_lines_up_to(
        s, order_id=order.id, warehouse_id=order.warehouse_id, wants=wants, doc=DocRef.of(order)
    )
    s.flush()
    return order


def unapprove_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Back to moderation: the reservations are released, draft picking tasks cancelled."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "unapprove")
    change_status(s, order, APPROVED, "awaiting_moderation", user_id=user_id, action="unapprove")
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} unapproved")
    release_order(s, order.id, doc=DocRef.of(order))
    return order


def reject_customer_order(s: Session, order_id: int, *, user_id: int | None, reason: str) -> CustomerOrder:
    """The manager refuses the order; the reason is shown to the dealer."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDocument("rejecting an order needs a reason for the dealer")
    order = get_customer_order(s, order_id)
    change_status(s, order, IN_MODERATION, "cancelled", user_id=user_id, action="reject", reason=reason)
    order.moderation_note = reason
    order.moderator_id = user_id
    s.flush()
    return order


def cancel_customer_order(
    s: Session, order_id: int, *, user_id: int | None, reason: str | None = None
) -> CustomerOrder:
    """Cancel an order while nothing of it is shipped or being picked: releases its reservations."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "cancel")
    change_status(s, order, CANCELLABLE, "cancelled", user_id=user_id, action="cancel", reason=reason)
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} cancelled")
    release_order(s, order.id, doc=DocRef.of(order))
    return order


def close_customer_order(s: Session, order_id: int, *, user_id: int | None) -> CustomerOrder:
    """Nothing more will be shipped: release what the order still holds."""
    order = lock_order(s, order_id)
    require_no_posted_task(s, order, "close")
    change_status(s, order, CLOSABLE, "closed", user_id=user_id, action="close")
    cancel_draft_tasks(s, order, user_id=user_id, cause=f"{order.number} closed")
    release_order(s, order.id, doc=DocRef.of(order))
    return order


def _check_contractor(s: Session, partner_id: int, contractor_id: int) -> None:
    partner = s.get(Partner, partner_id)
    if partner is None or not partner.is_active:
        raise InvalidDocument(f"unknown or inactive partner {partner_id}", partner_id=partner_id)
    contractor = s.get(Contractor, contractor_id)
    if contractor is None or contractor.partner_id != partner_id or not contractor.is_active:
        raise InvalidDocument(
            f"contractor {contractor_id} is not an active legal entity of partner {partner.name}",
            contractor_id=contractor_id,
        )


def _check_warehouse(s: Session, warehouse_id: int) -> None:
    warehouse = s.get(Warehouse, warehouse_id)
    if warehouse is None or not warehouse.is_active:
        raise InvalidDocument(f"unknown or inactive warehouse {warehouse_id}", warehouse_id=warehouse_id)
    if not warehouse.open_for_sale:
        raise InvalidDocument(
            f"warehouse {warehouse.code} ({warehouse.kind}) is closed for sale", warehouse_id=warehouse_id
        )


def _agreement(
    s: Session, partner_id: int, agreement_id: int | None, on: date, *, in_force: bool = True
) -> DealerAgreement | None:
    """The order's agreement: the one given (it must be the partner's and, for a new order, in force
    on `on`), else the partner's agreement in force on `on`, if any."""
    if agreement_id is None:
        return get_agreement_for(s, partner_id, on)
    agreement = s.get(DealerAgreement, agreement_id)
    if agreement is None or agreement.partner_id != partner_id:
        raise InvalidDocument(
            f"agreement {agreement_id} is not an agreement of partner {partner_id}", agreement_id=agreement_id
        )
    in_force_on = (
        agreement.is_active
        and agreement.valid_from <= on
        and (agreement.valid_to is None or agreement.valid_to >= on)
    )
    if in_force and not in_force_on:
        raise InvalidDocument(
            f"agreement {agreement.number} is not in force on {on}", agreement_id=agreement_id
        )
    return agreement


def _priced_lines(
    s: Session, lines: Sequence[OrderLineInput], agreement: DealerAgreement | None, on: date
) -> list[CustomerOrderLine]:
    items = check_lines(s, [(line.item_id, line.quantity) for line in lines])
    unpriced = {line.item_id for line in lines if line.price is None}
    found = personal_prices(s, agreement.id, unpriced, on) if agreement and unpriced else {}
    priced = []
    for no, line in enumerate(lines, start=1):
        item = items[line.item_id]
        price, discount = (
            _given(no, line.price) if line.price is not None else _personal(no, item, agreement, found, on)
        )
        quantity = Decimal(line.quantity)
        priced.append(
            CustomerOrderLine(
                line_no=no,
                item_id=item.id,
                quantity=quantity,
                price=price,
                discount_percent=discount,
                amount=line_amount(quantity, price),
                vat_rate=item.vat_rate,
            )
        )
    return priced


def _given(no: int, price: Decimal) -> tuple[Decimal, Decimal]:
    price = Decimal(price)
    if price < 0 or not has_places(price, 2):
        raise InvalidDocument(f"line {no}: price {price} must be non-negative, in kopecks at most", line=no)
    return price, ZERO


def _personal(
    no: int, item: LineItem, agreement: DealerAgreement | None, found: dict[int, PersonalPrice | None], on: date
) -> tuple[Decimal, Decimal]:
    if agreement is None:
        raise NoPersonalPrice(
            f"line {no}: no price given and the partner has no dealer agreement in force on {on}", line=no
        )
    personal = found.get(item.id)
    if personal is None:
        raise NoPersonalPrice(
            f"line {no}: item {item.article} has no price of the price type "
            f"of agreement {agreement.number} on {on}",
            line=no,
            item_id=item.id,
        )
    return personal.price, personal.discount_percent
