"""What the printed documents share: the parties and the goods lines with VAT, as plain data.

Prices include VAT (the price lists are gross, see sales.rules.line_money): a line's amount is
quantity x price rounded to kopecks, its VAT is amount x rate / (100 + rate) rounded to kopecks
per line, as Russian invoices compute it; the document's VAT is the sum of its lines' VAT."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dealerhub.core.catalog import item_name
from dealerhub.core.catalog.models import Item
from dealerhub.core.company import OwnCompany
from dealerhub.core.partners.models import Contractor
from dealerhub.core.pricing.rules import vat_included
from dealerhub.core.printouts.words import amount_in_words

ZERO = Decimal(0)


@dataclass(frozen=True)
class Party:
    name: str
    inn: str | None
    kpp: str | None
    address: str | None

    @classmethod
    def of_contractor(cls, c: Contractor) -> Party:
        return cls(c.name, c.inn, c.kpp, c.legal_address or c.postal_address)

    @classmethod
    def of_company(cls, c: OwnCompany) -> Party:
        return cls(c.name, c.inn, c.kpp, c.legal_address)


@dataclass(frozen=True)
class GoodsLine:
    no: int
    article: str
    name: str
    unit: str
    quantity: Decimal
    price: Decimal  # VAT included
    amount: Decimal  # VAT included
    vat_rate: Decimal
    vat_amount: Decimal


@dataclass(frozen=True)
class Totals:
    amount: Decimal
    vat: Decimal
    vat_by_rate: tuple[tuple[Decimal, Decimal], ...]  # (rate, VAT at that rate), rates descending
    in_words: str

    @property
    def without_vat(self) -> Decimal:
        return self.amount - self.vat


@dataclass(frozen=True)
class RawLine:
    item_id: int
    quantity: Decimal
    price: Decimal
    amount: Decimal
    vat_rate: Decimal
    vat_amount: Decimal | None = None  # computed from amount and rate when not stored


def goods_lines(s: Session, raw: Sequence[RawLine], lang: str = "ru") -> list[GoodsLine]:
    items = {
        it.id: it
        for it in s.scalars(
            select(Item).where(Item.id.in_({r.item_id for r in raw})).options(selectinload(Item.translations))
        )
    }
    lines = []
    for no, r in enumerate(raw, start=1):
        item = items[r.item_id]
        vat = r.vat_amount if r.vat_amount is not None else vat_included(r.amount, r.vat_rate)
        unit = item.unit.names.get(lang) or item.unit.names.get("ru") or item.unit.code
        lines.append(
            GoodsLine(no, item.article, item_name(item, lang), unit, r.quantity, r.price, r.amount, r.vat_rate, vat)
        )
    return lines


def totals(lines: Iterable[GoodsLine]) -> Totals:
    lines = list(lines)
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_rate[line.vat_rate] += line.vat_amount
    amount = sum((line.amount for line in lines), ZERO)
    vat = sum(by_rate.values(), ZERO)
    rates = tuple(sorted(by_rate.items(), reverse=True))
    return Totals(amount, vat, rates, amount_in_words(amount))
