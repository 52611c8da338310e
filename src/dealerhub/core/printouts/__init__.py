"""Printable documents (Russian legal forms): the invoice for payment of an approved customer
order with the payment QR code (GOST R 56042-2014), the sale document, the reconciliation statement
(PDF and XLSX). Data is gathered from the core's areas as plain dataclasses (`build_*`), rendered
from Jinja2 templates by WeasyPrint (`*_pdf`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dealerhub.core.printouts.invoice import Invoice, NoInvoice, build_invoice, purpose_of
from dealerhub.core.printouts.lines import GoodsLine, Party, Totals
from dealerhub.core.printouts.listing import DealerInvoice, DealerSale, dealer_invoices, dealer_sales
from dealerhub.core.printouts.qr import Payee, payment_payload
from dealerhub.core.printouts.render import PdfUnavailable, render_pdf
from dealerhub.core.printouts.sale_doc import NoSaleDocument, SaleDocument, build_sale_document
from dealerhub.core.printouts.statement_doc import StatementDocument, build_statement, statement_xlsx


def invoice_pdf(s: Session, order_id: int) -> tuple[Invoice, bytes]:
    inv = build_invoice(s, order_id)
    return inv, render_pdf("invoice.html", inv=inv)


def sale_pdf(s: Session, sale_id: int) -> tuple[SaleDocument, bytes]:
    doc = build_sale_document(s, sale_id)
    return doc, render_pdf("sale.html", sale=doc)


def statement_pdf(s: Session, contractor_id: int, date_from: date, date_to: date) -> bytes:
    return render_pdf("statement.html", doc=build_statement(s, contractor_id, date_from, date_to))


def statement_workbook(s: Session, contractor_id: int, date_from: date, date_to: date) -> bytes:
    return statement_xlsx(build_statement(s, contractor_id, date_from, date_to))


__all__ = [
    "DealerInvoice",
    "DealerSale",
    "GoodsLine",
    "Invoice",
    "NoInvoice",
    "NoSaleDocument",
    "Party",
    "Payee",
    "PdfUnavailable",
    "SaleDocument",
    "StatementDocument",
    "Totals",
    "build_invoice",
    "build_sale_document",
    "build_statement",
    "dealer_invoices",
    "dealer_sales",
    "invoice_pdf",
    "payment_payload",
    "purpose_of",
    "sale_pdf",
    "statement_pdf",
    "statement_workbook",
]
