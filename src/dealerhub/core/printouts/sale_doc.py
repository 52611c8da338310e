"""The printable sale document (реализация товаров и услуг): seller, buyer, the shipped lines with
the VAT the sale stored per line, totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.company import OwnCompany, require_own_company
from dealerhub.core.partners import get_contractor
from dealerhub.core.printouts.lines import GoodsLine, Party, RawLine, Totals, goods_lines, totals
from dealerhub.shared.errors import NotFound


class NoSaleDocument(NotFound):
    """Only a posted sale is a shipment with a document to print."""


@dataclass(frozen=True)
class SaleDocument:
    number: str
    on: date
    order_number: str
    seller: OwnCompany
    buyer: Party
    lines: list[GoodsLine]
    totals: Totals


def build_sale_document(s: Session, sale_id: int) -> SaleDocument:
    sale = sales.get_sale(s, sale_id)
    if sale.status != "posted":
        raise NoSaleDocument(f"sale {sale.number} is {sale.status}: only a posted sale is printed", number=sale.number)
    order = sales.get_customer_order(s, sale.customer_order_id)
    raw = [RawLine(ln.item_id, ln.quantity, ln.price, ln.amount, ln.vat_rate, ln.vat_amount) for ln in sale.lines]
    lines = goods_lines(s, raw)
    return SaleDocument(
        number=sale.number,
        on=sale.doc_date.date(),
        order_number=order.number,
        seller=require_own_company(s),
        buyer=Party.of_contractor(get_contractor(s, sale.contractor_id)),
        lines=lines,
        totals=totals(lines),
    )
