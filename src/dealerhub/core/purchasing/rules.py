"""Pure rules of purchasing: currencies and rates, amounts, what remains to be received and the
supplier order's status that follows from it. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dealerhub.core.inventory.rules import exact_decimal
from dealerhub.core.purchasing.errors import InvalidExchangeRate, InvalidPrice, UnknownCurrency
from dealerhub.core.purchasing.models import PURCHASE_CURRENCIES
from dealerhub.shared.texts import T

CENT = Decimal("0.01")
RATE_PLACES = 6
ZERO = Decimal(0)

# Supplier order: draft -> confirmed -> partially_received -> received -> closed; cancelled.
DRAFT, CONFIRMED, PARTIALLY_RECEIVED, RECEIVED, CLOSED, CANCELLED = (
    "draft", "confirmed", "partially_received", "received", "closed", "cancelled",
)
SUPPLIER_ORDER_STATUSES = (DRAFT, CONFIRMED, PARTIALLY_RECEIVED, RECEIVED, CLOSED, CANCELLED)
# Statuses in which goods may be received against the order (and its status follows the receipts).
RECEIVING_STATUSES = (CONFIRMED, PARTIALLY_RECEIVED, RECEIVED)
CANCELLABLE_STATUSES = (DRAFT, CONFIRMED)
CLOSABLE_STATUSES = (PARTIALLY_RECEIVED, RECEIVED)
# Goods receipts and other posted documents.
POSTED = "posted"


def as_decimal(value: object, what: str) -> Decimal:
    """An exact Decimal from a Decimal, int or str (floats are refused)."""
    return exact_decimal(value, what, InvalidPrice)


def check_currency(currency: str, exchange_rate: object) -> tuple[str, Decimal]:
    """The currency code (upper case) and the rate: roubles for one unit, > 0, exactly 1 for RUB."""
    code = (currency or "").strip().upper()
    if code not in PURCHASE_CURRENCIES:
        raise UnknownCurrency(
            T("currency %(currency)s is not one of %(currencies)s", currency=currency, currencies=", ".join(PURCHASE_CURRENCIES)),
            currency=currency,
        )
    try:
        rate = as_decimal(exchange_rate, T("exchange rate"))
    except InvalidPrice as exc:
        raise InvalidExchangeRate(exc.message) from None
    if rate <= 0:
        raise InvalidExchangeRate(T("the exchange rate must be positive, got %(rate)s", rate=rate), rate=rate)
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        raise InvalidExchangeRate(
            T("the exchange rate %(rate)s has more than %(places)s decimal places", rate=rate, places=RATE_PLACES), rate=rate
        )
    if code == "RUB" and rate != 1:
        raise InvalidExchangeRate(T("a document in RUB has the exchange rate 1, got %(rate)s", rate=rate), rate=rate)
    return code, rate


def check_price(price: object, line_no: int) -> Decimal:
    value = as_decimal(price, T("line %(line)s: price", line=line_no))
    if value < 0:
        raise InvalidPrice(T("line %(line)s: the price must not be negative, got %(price)s", line=line_no, price=value), line=line_no)
    if value != value.quantize(CENT):
        raise InvalidPrice(
            T("line %(line)s: the price %(price)s has more than 2 decimal places", line=line_no, price=value), line=line_no
        )
    return value


def line_amount(quantity: Decimal, price: Decimal) -> Decimal:
    """Quantity times price, rounded half up to 0.01 of the currency."""
    return (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_in_roubles(amount: Decimal, exchange_rate: Decimal) -> Decimal:
    """An amount in the document's currency converted at its rate, rounded half up to the kopeck."""
    return (amount * exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    amount: Decimal
    amount_rub: Decimal


def document_totals(line_amounts: Iterable[Decimal], exchange_rate: Decimal) -> Totals:
    """The document's amount and its rouble amount (each line converted and rounded, then summed)."""
    amounts = list(line_amounts)
    return Totals(
        amount=sum(amounts, ZERO),
        amount_rub=sum((amount_in_roubles(a, exchange_rate) for a in amounts), ZERO),
    )


def remaining_quantity(ordered: Decimal, received: Decimal) -> Decimal:
    return max(ordered - received, ZERO)


def order_status_from_receipts(lines: Iterable[tuple[Decimal, Decimal]]) -> str:
    """The status of a supplier order open for receiving, from (ordered, received) per line."""
    lines = list(lines)
    if lines and all(received >= ordered for ordered, received in lines):
        return RECEIVED
    if any(received > 0 for _, received in lines):
        return PARTIALLY_RECEIVED
    return CONFIRMED


@dataclass(frozen=True)
class OverReceiptLine:
    order_line_id: int
    wanted: Decimal
    remaining: Decimal


def find_over_receipts(wanted: Mapping[int, Decimal], remaining: Mapping[int, Decimal]) -> list[OverReceiptLine]:
    """Supplier-order lines on which more is wanted than remains, in line-id order."""
    return [
        OverReceiptLine(line_id, qty, remaining.get(line_id, ZERO))
        for line_id, qty in sorted(wanted.items())
        if qty > remaining.get(line_id, ZERO)
    ]
