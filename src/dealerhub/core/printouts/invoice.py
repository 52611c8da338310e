"""The invoice for payment (счёт на оплату) of an approved customer order: the distributor's bank
details, the buyer, the order's lines with VAT, totals, the amount in words and the payment QR code.
Its number is the order's; it is "paid", "partly paid" or "unpaid" from the posted incoming
payments against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import sales, settlements
from dealerhub.core.company import OwnCompany, require_own_company
from dealerhub.core.partners import get_contractor
from dealerhub.core.printouts.lines import GoodsLine, Party, RawLine, Totals, goods_lines, totals
from dealerhub.core.printouts.qr import Payee, payment_payload, qr_svg_data_uri
from dealerhub.core.printouts.words import money, percent, short_date
from dealerhub.shared.errors import NotFound


class NoInvoice(NotFound):
    """The order has no invoice (not approved yet, or cancelled)."""


@dataclass(frozen=True)
class Invoice:
    number: str
    on: date
    order_id: int
    seller: OwnCompany
    buyer: Party
    lines: list[GoodsLine]
    totals: Totals
    purpose: str
    qr_payload: str
    paid: Decimal

    @property
    def status(self) -> str:
        return settlements.payment_status(self.totals.amount, self.paid)

    def qr_data_uri(self) -> str:
        return qr_svg_data_uri(self.qr_payload)


def purpose_of(number: str, on: date, t: Totals) -> str:
    """The payment's purpose as the bank order must carry it, with the VAT inside."""
    if t.vat_by_rate and any(rate > 0 for rate, _ in t.vat_by_rate):
        vat = ", ".join(f"НДС {percent(rate)} {money(amount)} руб." for rate, amount in t.vat_by_rate if rate > 0)
        return f"Оплата по счёту № {number} от {short_date(on)}, в т.ч. {vat}"
    return f"Оплата по счёту № {number} от {short_date(on)}, без НДС"


def build_invoice(s: Session, order_id: int) -> Invoice:
    order = sales.get_customer_order(s, order_id)
    if order.status not in sales.INVOICEABLE:
        raise NoInvoice(f"order {order.number} is {order.status}: it has no invoice", number=order.number)
    seller = require_own_company(s)
    raw = [RawLine(ln.item_id, ln.quantity, ln.price, ln.amount, ln.vat_rate) for ln in order.lines]
    lines = goods_lines(s, raw)
    t = totals(lines)
    on = order.doc_date.date()
    purpose = purpose_of(order.number, on, t)
    payee = Payee(
        seller.name, seller.account_number, seller.bank_name, seller.bik, seller.correspondent_account,
        seller.inn, seller.kpp,
    )
    paid = settlements.paid_by_order(s, [order.id]).get(order.id, Decimal(0))
    return Invoice(
        number=order.number,
        on=on,
        order_id=order.id,
        seller=seller,
        buyer=Party.of_contractor(get_contractor(s, order.contractor_id)),
        lines=lines,
        totals=t,
        purpose=purpose,
        qr_payload=payment_payload(payee, t.amount, purpose),
        paid=paid,
    )
