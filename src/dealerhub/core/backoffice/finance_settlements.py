"""Mutual settlements with dealers in the back office: the dealers' balances, one dealer's legal
entities with their balances and the period's moves, its invoices (with what was paid) and sales,
and the printed documents: invoice, sale document, reconciliation statement (PDF, XLSX)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from dealerhub.core import partners, printouts, settlements
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.settlements.models import SettlementMove
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.web.deps import ReadSession, StaffUser
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOVE_DOCUMENTS = {"sale": N_("Sale"), "customer_return": N_("Customer return"), "incoming_payment": N_("Payment")}


def _download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/finance/settlements")
def balances(request: Request, _user: StaffUser, s: ReadSession) -> Response:
    """Every dealer with settlement moves, the largest debt first."""
    total = func.sum(SettlementMove.amount)
    rows = s.execute(
        select(Partner.id, Partner.name, total)
        .join(SettlementMove, SettlementMove.partner_id == Partner.id)
        .where(SettlementMove.currency == "RUB")
        .group_by(Partner.id, Partner.name)
        .order_by(total.desc(), Partner.name)
    ).all()
    return render(request, "backoffice/finance/balances.html", {"rows": [(i, n, Decimal(b)) for i, n, b in rows]})


def _period(reader: FormReader) -> tuple[date, date]:
    default_from, default_to = settlements.default_period(clock.today())
    date_from = reader.date("date_from") or default_from
    date_to = reader.date("date_to") or default_to
    if reader.ok and date_to < date_from:
        reader.errors["date_to"] = N_("The period ends before it starts.")
    return date_from, date_to


@router.get("/finance/settlements/{partner_id:int}")
def dealer_settlements(request: Request, partner_id: int, _user: StaffUser, s: ReadSession) -> Response:
    partner = partners.get_partner(s, partner_id)
    reader = FormReader(request.query_params)
    date_from, date_to = _period(reader)
    context: dict[str, Any] = {"partner": partner, "move_documents": MOVE_DOCUMENTS, "rows": []}
    if not reader.ok:
        raise reader.rejected("backoffice/finance/dealer.html", context)
    contractors = s.scalars(select(Contractor).where(Contractor.partner_id == partner_id).order_by(Contractor.id))
    context["rows"] = [
        (c, settlements.contractor_balance(s, c.id), settlements.settlement_moves(s, c.id, date_from, date_to))
        for c in contractors
    ]
    context.update(
        date_from=date_from,
        date_to=date_to,
        values={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
        invoices=printouts.dealer_invoices(s, partner_id, limit=50),
        sales=printouts.dealer_sales(s, partner_id, limit=50),
        invoice_statuses={"unpaid": N_("unpaid"), "partly_paid": N_("partly paid"), "paid": N_("paid")},
    )
    return render(request, "backoffice/finance/dealer.html", context)


@router.get("/finance/invoices/{order_id:int}/pdf")
def invoice_pdf(order_id: int, _user: StaffUser, s: ReadSession) -> Response:
    invoice, data = printouts.invoice_pdf(s, order_id)
    return _download(data, PDF, f"invoice-{invoice.number}.pdf")


@router.get("/finance/sales/{sale_id:int}/pdf")
def sale_pdf(sale_id: int, _user: StaffUser, s: ReadSession) -> Response:
    doc, data = printouts.sale_pdf(s, sale_id)
    return _download(data, PDF, f"sale-{doc.number}.pdf")


@router.get("/finance/statement")
def statement(request: Request, _user: StaffUser, s: ReadSession) -> Response:
    reader = FormReader(request.query_params)
    contractor_id = reader.integer("contractor_id", required=True)
    date_from = reader.date("date_from", required=True)
    date_to = reader.date("date_to", required=True)
    fmt = reader.text("format") or "pdf"
    if not reader.ok or fmt not in ("pdf", "xlsx"):
        raise settlements.InvalidPeriod(
            T("choose the legal entity, the period (dates from and to) and the format (PDF or XLSX)")
        )
    contractor = partners.get_contractor(s, contractor_id)
    name = f"statement-{contractor.inn or contractor.id}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        return _download(printouts.statement_pdf(s, contractor.id, date_from, date_to), PDF, name)
    return _download(printouts.statement_workbook(s, contractor.id, date_from, date_to), XLSX, name)
