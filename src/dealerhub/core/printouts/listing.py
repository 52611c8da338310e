"""What a dealer's documents list shows: its invoices (approved orders) with what was paid against
each, and its posted sales, newest first, with their totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import sales, settlements
from dealerhub.core.partners.models import Contractor
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine, Sale, SaleLine


@dataclass(frozen=True)
class DealerInvoice:
    order_id: int
    number: str
    on: date
    contractor: str
    total: Decimal
    paid: Decimal

    @property
    def status(self) -> str:
        return settlements.payment_status(self.total, self.paid)


@dataclass(frozen=True)
class DealerSale:
    sale_id: int
    number: str
    on: date
    contractor: str
    order_number: str
    total: Decimal


def dealer_invoices(s: Session, partner_id: int, *, limit: int = 200) -> list[DealerInvoice]:
    total = func.coalesce(func.sum(CustomerOrderLine.amount), 0)
    rows = s.execute(
        select(CustomerOrder.id, CustomerOrder.number, CustomerOrder.doc_date, Contractor.name, total)
        .join(Contractor, Contractor.id == CustomerOrder.contractor_id)
        .outerjoin(CustomerOrderLine, CustomerOrderLine.order_id == CustomerOrder.id)
        .where(CustomerOrder.partner_id == partner_id, CustomerOrder.status.in_(sales.INVOICEABLE))
        .group_by(CustomerOrder.id, CustomerOrder.number, CustomerOrder.doc_date, Contractor.name)
        .order_by(CustomerOrder.doc_date.desc(), CustomerOrder.id.desc())
        .limit(limit)
    ).all()
    paid = settlements.paid_by_order(s, [r[0] for r in rows])
    return [
        DealerInvoice(oid, number, on.date(), name, Decimal(amount), paid.get(oid, Decimal(0)))
        for oid, number, on, name, amount in rows
    ]


def dealer_sales(s: Session, partner_id: int, *, limit: int = 200) -> list[DealerSale]:
    total = func.coalesce(func.sum(SaleLine.amount), 0)
    rows = s.execute(
        select(Sale.id, Sale.number, Sale.doc_date, Contractor.name, CustomerOrder.number, total)
        .join(Contractor, Contractor.id == Sale.contractor_id)
        .join(CustomerOrder, CustomerOrder.id == Sale.customer_order_id)
        .outerjoin(SaleLine, SaleLine.sale_id == Sale.id)
        .where(Sale.partner_id == partner_id, Sale.status == "posted")
        .group_by(Sale.id, Sale.number, Sale.doc_date, Contractor.name, CustomerOrder.number)
        .order_by(Sale.doc_date.desc(), Sale.id.desc())
        .limit(limit)
    ).all()
    return [DealerSale(sid, number, on.date(), name, order_no, Decimal(amount)) for sid, number, on, name, order_no, amount in rows]
