"""Incoming payments: money received from a dealer's contractor. Created as a draft, posted (the
contractor is credited), unposted (the opposite move, draft again) or cancelled while a draft;
every status change with its audit row, in the caller's transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.documents import change_status, new_document
from dealerhub.core.documents.names import status_name
from dealerhub.core.partners import ContractorNotFound, get_contractor
from dealerhub.core.settlements.errors import InvalidPayment, PaymentNotFound
from dealerhub.core.settlements.ledger import SettlementDoc, record_credit, reverse_document
from dealerhub.core.settlements.models import IncomingPayment
from dealerhub.core.settlements.rules import start_of
from dealerhub.shared.texts import T

MAX_REFERENCE = 100


def create_incoming_payment(
    s: Session,
    *,
    user_id: int | None,
    contractor_id: int,
    amount: Decimal | str,
    paid_on: date,
    bank_reference: str,
    customer_order_id: int | None = None,
    comment: str | None = None,
) -> IncomingPayment:
    """A draft payment of a dealer's contractor (RUB), optionally against an order's invoice."""
    try:
        contractor = get_contractor(s, contractor_id)
    except ContractorNotFound:
        raise InvalidPayment(T("the legal entity is not found"), field="contractor_id") from None
    if not contractor.partner.is_dealer:
        raise InvalidPayment(T("%(name)s is not a dealer's legal entity", name=contractor.name), field="contractor_id")
    amount = _amount(amount)
    reference = (bank_reference or "").strip()
    if not reference:
        raise InvalidPayment(T("a payment needs the bank's reference (payment order number)"), field="bank_reference")
    if len(reference) > MAX_REFERENCE:
        raise InvalidPayment(
            T("the bank's reference is longer than %(max)s characters", max=MAX_REFERENCE), field="bank_reference"
        )
    if customer_order_id is not None:
        _check_invoice(s, customer_order_id, contractor_id)
    return new_document(
        s,
        IncomingPayment,
        user_id=user_id,
        doc_date=start_of(paid_on),
        partner_id=contractor.partner_id,
        contractor_id=contractor.id,
        amount=amount,
        currency="RUB",
        bank_reference=reference,
        customer_order_id=customer_order_id,
        comment=(comment or "").strip() or None,
    )


def post_incoming_payment(s: Session, payment_id: int, *, user_id: int | None) -> IncomingPayment:
    """The money is in: the contractor is credited on the payment's date."""
    payment = get_incoming_payment(s, payment_id)
    change_status(s, payment, ("draft",), "posted", user_id=user_id, action="post")
    record_credit(s, SettlementDoc.of(payment), payment.amount, payment.doc_date)
    return payment


def unpost_incoming_payment(s: Session, payment_id: int, *, user_id: int | None) -> IncomingPayment:
    """Take the credit back (the opposite move, same date); the payment is a draft again."""
    payment = get_incoming_payment(s, payment_id)
    change_status(s, payment, ("posted",), "draft", user_id=user_id, action="unpost")
    reverse_document(s, IncomingPayment.doc_type, payment.id)
    return payment


def cancel_incoming_payment(s: Session, payment_id: int, *, user_id: int | None) -> IncomingPayment:
    payment = get_incoming_payment(s, payment_id)
    change_status(s, payment, ("draft",), "cancelled", user_id=user_id, action="cancel")
    return payment


def get_incoming_payment(s: Session, payment_id: int) -> IncomingPayment:
    payment = s.get(IncomingPayment, payment_id)
    if payment is None:
        raise PaymentNotFound(T("the incoming payment is not found"), payment_id=payment_id)
    return payment


def list_incoming_payments(
    s: Session, *, partner_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[IncomingPayment]:
    stmt = select(IncomingPayment).order_by(IncomingPayment.doc_date.desc(), IncomingPayment.id.desc())
    if partner_id is not None:
        stmt = stmt.where(IncomingPayment.partner_id == partner_id)
    return list(s.scalars(stmt.limit(limit).offset(offset)))


def paid_by_order(s: Session, order_ids: list[int]) -> dict[int, Decimal]:
    """What posted payments brought against each of these orders' invoices."""
    if not order_ids:
        return {}
    rows = s.execute(
        select(IncomingPayment.customer_order_id, func.sum(IncomingPayment.amount))
        .where(IncomingPayment.customer_order_id.in_(order_ids), IncomingPayment.status == "posted")
        .group_by(IncomingPayment.customer_order_id)
    )
    return {order_id: Decimal(total) for order_id, total in rows}


def _amount(value: Decimal | str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidPayment(T("«%(value)s» is not an amount", value=value), field="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidPayment(T("a payment's amount must be positive"), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidPayment(T("%(amount)s has more than two decimal places", amount=amount), field="amount")
    return amount


def _check_invoice(s: Session, order_id: int, contractor_id: int) -> None:
    # Sales posts into this register (it imports settlements at load time); reading an order is
    # the one thing this area asks of sales, at call time, through its public API.
    from dealerhub.core import sales

    try:
        order = sales.get_customer_order(s, order_id)
    except sales.SalesDocumentNotFound:
        raise InvalidPayment(T("the customer order is not found"), field="customer_order_id") from None
    if order.contractor_id != contractor_id:
        raise InvalidPayment(
            T("the invoice of order %(number)s is issued to another legal entity", number=order.number),
            field="customer_order_id",
        )
    if order.status not in sales.INVOICEABLE:
        raise InvalidPayment(
            T("order %(number)s is «%(status)s»: it has no invoice", number=order.number, status=status_name(order.status)),
            field="customer_order_id",
        )
