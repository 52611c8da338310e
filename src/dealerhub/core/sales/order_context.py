"""What a customer order refers to (partner, contractor, warehouse, dealer agreement), read in one
query and checked here, and the pricing of its lines from the agreement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Row, bindparam, func, literal, select
from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.documents import InvalidDocument, check_lines
from dealerhub.core.documents.lines import LineItem, send_line_items
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.pricing import PersonalPrice
from dealerhub.core.pricing.agreements import discount_rules
from dealerhub.core.pricing.models import AgreementDiscount, DealerAgreement, PriceType
from dealerhub.core.pricing.personal import (
    AgreementTerms,
    SentPrices,
    in_force_agreement_id,
    prices_under,
    send_prices,
)
from dealerhub.core.pricing.rules import has_places, line_amount
from dealerhub.core.sales.errors import NoPersonalPrice
from dealerhub.core.sales.rules import ZERO
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.core.warehouses.names import warehouse_kind_name
from dealerhub.shared.statements import Pending, Prepared, batch
from dealerhub.shared.texts import T
from dealerhub.shared.types import BigId


@dataclass(frozen=True)
class OrderLineInput:
    """price None: the dealer's personal price from the agreement."""

    item_id: int
    quantity: Decimal
    price: Decimal | None = None


@dataclass(frozen=True)
class OrderAgreement:
    """The dealer agreement an order is priced under."""

    id: int
    number: str
    currency: str
    terms: AgreementTerms
    partner_id: int


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    item_id: int
    quantity: Decimal
    price: Decimal
    discount_percent: Decimal
    amount: Decimal
    vat_rate: Decimal


class OrderContext:
    """The rows an order refers to, as one query found them; the checks raise InvalidDocument."""

    def __init__(
        self,
        rows: list[Row[Any]],
        *,
        partner_id: int,
        contractor_id: int,
        warehouse_id: int,
        agreement_id: int | None,
        on: date,
        items: Pending | None = None,
        prices: SentPrices | None = None,
        programs: Pending | None = None,
    ) -> None:
        self.items = items  # the lines' items, when load_context() read them
        self.prices = prices  # and their prices under the agreement it looks for
        self.programs = programs  # and the partner's program discounts in force (bonus)
        self._row = rows[0]
        self._rows = rows
        self.partner_id, self.contractor_id, self.warehouse_id = partner_id, contractor_id, warehouse_id
        self._agreement_id, self._on = agreement_id, on

    def check_contractor(self) -> None:
        r = self._row
        if r.partner_name is None or not r.partner_active:
            raise InvalidDocument(
                T("unknown or inactive partner #%(partner)s", partner=self.partner_id), partner_id=self.partner_id
            )
        if r.contractor_partner_id != self.partner_id or not r.contractor_active:
            raise InvalidDocument(
                T(
                    "the contractor is not an active legal entity of partner %(partner)s", partner=r.partner_name
                ),
                contractor_id=self.contractor_id,
            )

    def check_warehouse(self) -> None:
        r = self._row
        if r.warehouse_code is None or not r.warehouse_active:
            raise InvalidDocument(
                T("unknown or inactive warehouse #%(warehouse)s", warehouse=self.warehouse_id),
                warehouse_id=self.warehouse_id,
            )
        if r.warehouse_kind in CLOSED_FOR_SALE_KINDS:
            raise InvalidDocument(
                T(
                    "warehouse %(warehouse)s (%(kind)s) is closed for sale",
                    warehouse=r.warehouse_code, kind=warehouse_kind_name(r.warehouse_kind),
                ),
                warehouse_id=self.warehouse_id,
            )

    def agreement(self, *, in_force: bool = True) -> OrderAgreement | None:
        """The agreement given (it must be the partner's and, if `in_force`, in force on the date),
        else the partner's agreement in force on the date, if any."""
        r, on = self._row, self._on
        if self._agreement_id is not None:
            if r.agreement_id is None or r.agreement_partner_id != self.partner_id:
                raise InvalidDocument(
                    T("the agreement is not an agreement of the order's partner"),
                    agreement_id=self._agreement_id,
                )
            in_force_on = (
                r.agreement_active and r.valid_from <= on and (r.valid_to is None or r.valid_to >= on)
            )
            if in_force and not in_force_on:
                raise InvalidDocument(
                    T("agreement %(agreement)s is not in force on %(date)s", agreement=r.agreement_number, date=on),
                    agreement_id=self._agreement_id,
                )
        if r.agreement_id is None:
            return None
        terms = AgreementTerms(r.agreement_id, r.price_type_id, discount_rules(self._rows))
        return OrderAgreement(r.agreement_id, r.agreement_number, r.currency, terms, self.partner_id)


def load_context(
    s: Session,
    *,
    partner_id: int,
    contractor_id: int,
    warehouse_id: int,
    agreement_id: int | None,
    on: date,
    lines: Sequence[OrderLineInput] = (),
) -> OrderContext:
    """One query for all of it (one row per discount of the agreement). Doesn't flush the session.
    `lines`: also read their items and, for those without a price, their prices and the partner's
    program discounts for price_lines(), in the same round trip."""
    params = {
        "partner_id": partner_id,
        "contractor_id": contractor_id,
        "warehouse_id": warehouse_id,
        "agreement_id": agreement_id,
        "on": on,
    }
    with batch(s.connection()) as b:
        context = b.send(_CONTEXT, params)
        items = send_line_items(b, _pairs(lines)) if lines else None
        unpriced = {line.item_id for line in lines if line.price is None}
        prices = programs = None
        if unpriced:
            prices = send_prices(b, unpriced, agreement_id=agreement_id, partner_id=partner_id, on=on)
            programs = bonus.send_discount_rules(b, partner_id, on)
    return OrderContext(
        context.rows,
        items=items,
        prices=prices,
        programs=programs,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=warehouse_id,
        agreement_id=agreement_id,
        on=on,
    )


def price_lines(
    s: Session,
    lines: Sequence[OrderLineInput],
    agreement: OrderAgreement | None,
    on: date,
    *,
    items: Pending | None = None,
    prices: SentPrices | None = None,
    programs: Pending | None = None,
) -> list[PricedLine]:
    """Check the lines (documents.check_lines) and price them: the price given, else the dealer's
    personal price under the agreement. Raises on the first bad line. `items`, `prices`,
    `programs`: the OrderContext's (read for the agreement's partner and `on`)."""
    items = check_lines(s, _pairs(lines), items=items)
    unpriced = {line.item_id for line in lines if line.price is None}
    found = (
        prices_under(s, _with_programs(s, agreement, on, programs), unpriced, on, sent=prices)
        if agreement and unpriced
        else {}
    )
    priced = []
    for no, line in enumerate(lines, start=1):
        item = items[line.item_id]
        price, discount = (
            _given(no, line.price) if line.price is not None else _personal(no, item, agreement, found, on)
        )
        quantity = Decimal(line.quantity)
        priced.append(
            PricedLine(no, item.id, quantity, price, discount, line_amount(quantity, price), item.vat_rate)
        )
    return priced


def _with_programs(s: Session, agreement: OrderAgreement, on: date, sent: Pending | None) -> AgreementTerms:
    """The agreement's terms with the dealer's program discounts in force on `on` (core.bonus);
    `sent`: those already read for the agreement's partner."""
    rules = bonus.rules_of(sent.rows) if sent is not None else bonus.discount_rules(s, agreement.partner_id, on)
    return replace(agreement.terms, program_rules=rules)


def _pairs(lines: Sequence[OrderLineInput]) -> list[tuple[int, Decimal]]:
    return [(line.item_id, line.quantity) for line in lines]


def _given(no: int, price: Decimal) -> tuple[Decimal, Decimal]:
    price = Decimal(price)
    if price < 0 or not has_places(price, 2):
        raise InvalidDocument(
            T("line %(line)s: price %(price)s must be non-negative, in kopecks at most", line=no, price=price), line=no
        )
    return price, ZERO


def _personal(
    no: int,
    item: LineItem,
    agreement: OrderAgreement | None,
    found: dict[int, PersonalPrice | None],
    on: date,
) -> tuple[Decimal, Decimal]:
    if agreement is None:
        raise NoPersonalPrice(
            T(
                "line %(line)s: no price given and the partner has no dealer agreement in force on %(date)s",
                line=no, date=on,
            ),
            line=no,
        )
    personal = found.get(item.id)
    if personal is None:
        raise NoPersonalPrice(
            T(
                "line %(line)s: item %(article)s has no price of the price type of agreement %(agreement)s on %(date)s",
                line=no, article=item.article, agreement=agreement.number, date=on,
            ),
            line=no,
            item_id=item.id,
        )
    return personal.price, personal.discount_percent


def _context_query():
    p, c, w = Partner.__table__, Contractor.__table__, Warehouse.__table__
    a, pt, d = DealerAgreement.__table__, PriceType.__table__, AgreementDiscount.__table__
    # The agreement given, else the partner's agreement in force on the date.
    in_force = in_force_agreement_id(bindparam("partner_id"), bindparam("on", type_=Date))
    one = select(literal(1).label("one")).subquery("one")
    joined = (
        one.outerjoin(p, p.c.id == bindparam("partner_id"))
        .outerjoin(c, c.c.id == bindparam("contractor_id"))
        .outerjoin(w, w.c.id == bindparam("warehouse_id"))
        .outerjoin(a, a.c.id == func.coalesce(bindparam("agreement_id", type_=BigId), in_force))
        .outerjoin(pt, pt.c.id == a.c.price_type_id)
        .outerjoin(d, d.c.agreement_id == a.c.id)
    )
    return (
        select(
            p.c.name.label("partner_name"),
            p.c.is_active.label("partner_active"),
            c.c.partner_id.label("contractor_partner_id"),
            c.c.is_active.label("contractor_active"),
            w.c.code.label("warehouse_code"),
            w.c.kind.label("warehouse_kind"),
            w.c.is_active.label("warehouse_active"),
            a.c.id.label("agreement_id"),
            a.c.partner_id.label("agreement_partner_id"),
            a.c.number.label("agreement_number"),
            a.c.is_active.label("agreement_active"),
            a.c.valid_from,
            a.c.valid_to,
            a.c.price_type_id,
            pt.c.currency,
            d.c.scope,
            d.c.percent,
            d.c.item_id,
            d.c.group_id,
            d.c.brand_id,
        )
        .select_from(joined)
        .order_by(d.c.id)
    )


# Every new order runs it: compiled once, run on the driver's cursor (shared/statements.py).
_CONTEXT = Prepared(_context_query())
