"""The dealer's documents: invoices for payment (approved orders, paid / partly paid / unpaid from
the payments against them) and posted sales, each downloadable as PDF; the settlements page
(balance per legal entity and the period's moves) and the reconciliation statement (PDF, XLSX).

Invoices and sale documents need `cabinet.documents` (owner, buyer, accountant); balances and the
statement `cabinet.finance` (owner, accountant). Every object is loaded scoped to the dealer first:
another dealer's order, sale or legal entity is 404."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import printouts, settlements
from dealerhub.core.cabinet.deps import Dealer, get_own, require_permission
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.partners.models import Contractor
from dealerhub.core.sales.models import CustomerOrder, Sale
from dealerhub.shared import clock
from dealerhub.web.deps import ReadSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
DocumentsReader = Annotated[Dealer, Depends(require_permission("cabinet.documents"))]
FinanceReader = Annotated[Dealer, Depends(require_permission("cabinet.finance"))]

INVOICE_STATUSES = {"unpaid": N_("unpaid"), "partly_paid": N_("partly paid"), "paid": N_("paid")}
MOVE_DOCUMENTS = {
    "sale": N_("Sale"),
    "customer_return": N_("Customer return"),
    "incoming_payment": N_("Payment"),
}
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/documents")
@scoped()
def documents(request: Request, dealer: DocumentsReader, s: ReadSession) -> Response:
    return render(
        request,
        "cabinet/documents/index.html",
        {
            "invoices": printouts.dealer_invoices(s, dealer.partner_id),
            "sales": printouts.dealer_sales(s, dealer.partner_id),
            "invoice_statuses": INVOICE_STATUSES,
            "can_finance": dealer.can("cabinet.finance"),
        },
    )


@router.get("/documents/invoices/{order_id}/pdf")
@scoped(order_id="invoice")
def invoice_pdf(request: Request, order_id: int, dealer: DocumentsReader, s: ReadSession) -> Response:
    get_own(s, CustomerOrder, order_id, dealer)
    invoice, data = printouts.invoice_pdf(s, order_id)
    return _download(data, PDF, f"invoice-{invoice.number}.pdf")


@router.get("/documents/sales/{sale_id}/pdf")
@scoped(sale_id="sale")
def sale_pdf(request: Request, sale_id: int, dealer: DocumentsReader, s: ReadSession) -> Response:
    get_own(s, Sale, sale_id, dealer)
    doc, data = printouts.sale_pdf(s, sale_id)
    return _download(data, PDF, f"sale-{doc.number}.pdf")


def _contractors(s: Session, dealer: Dealer) -> list[Contractor]:
    return list(
        s.scalars(select(Contractor).where(Contractor.partner_id == dealer.partner_id).order_by(Contractor.id))
    )


def _period(reader: FormReader) -> tuple[date, date]:
    default_from, default_to = settlements.default_period(clock.today())
    date_from = reader.date("date_from") or default_from
    date_to = reader.date("date_to") or default_to
    if reader.ok and date_to < date_from:
        reader.errors["date_to"] = N_("The period ends before it starts.")
    return date_from, date_to


@router.get("/finance")
@scoped()
def finance(request: Request, dealer: FinanceReader, s: ReadSession) -> Response:
    reader = FormReader(request.query_params)
    date_from, date_to = _period(reader)
    if not reader.ok:
        raise reader.rejected("cabinet/documents/finance.html", _finance_context(s, dealer, None, None))
    return render(request, "cabinet/documents/finance.html", _finance_context(s, dealer, date_from, date_to))


def _finance_context(s: Session, dealer: Dealer, date_from: date | None, date_to: date | None) -> dict[str, Any]:
    rows = []
    for contractor in _contractors(s, dealer):
        moves = settlements.settlement_moves(s, contractor.id, date_from, date_to) if date_from and date_to else []
        rows.append((contractor, settlements.contractor_balance(s, contractor.id), moves))
    return {
        "rows": rows,
        "date_from": date_from,
        "date_to": date_to,
        "move_documents": MOVE_DOCUMENTS,
        "payments": settlements.list_incoming_payments(s, partner_id=dealer.partner_id, limit=50),
    }


@router.get("/finance/statement")
@scoped()
def statement(request: Request, dealer: FinanceReader, s: ReadSession) -> Response:
    """The form; with `format` (pdf or xlsx) the statement itself for the chosen legal entity."""
    reader = FormReader(request.query_params)
    contractors = _contractors(s, dealer)
    context = {"contractors": contractors}
    fmt = reader.text("format")
    if fmt is None:
        today = clock.today()
        values = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}
        return render(request, "cabinet/documents/statement.html", {**context, "values": values})
    contractor_id = reader.integer("contractor_id", required=True)
    date_from, date_to = _period(reader)
    if fmt not in ("pdf", "xlsx"):
        reader.errors["format"] = N_("Choose PDF or XLSX.")
    if not reader.ok:
        raise reader.rejected("cabinet/documents/statement.html", context)
    contractor = get_own(s, Contractor, contractor_id, dealer)  # another dealer's entity: 404
    name = f"statement-{contractor.inn or contractor.id}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        return _download(printouts.statement_pdf(s, contractor.id, date_from, date_to), PDF, name)
    return _download(printouts.statement_workbook(s, contractor.id, date_from, date_to), XLSX, name)
