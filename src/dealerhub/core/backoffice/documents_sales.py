"""Sale and customer return pages: the sale (what was despatched) with the stock it wrote off and
the reservations it consumed, post, unpost, cancel; a customer return against a posted sale (a
quantity per sold line, onto a chosen warehouse), post, unpost, cancel."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.documents_orders import PERMISSION, RETURNS, SALES, SalesClerk
from dealerhub.core.backoffice.finance_payments import settlement_move_table
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import DocumentNotInStatus
from dealerhub.core.documents.names import document_name, status_name
from dealerhub.core.sales.models import CustomerReturn, Sale
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
STATUSES = ("draft", "posted", "cancelled")
ZERO = Decimal(0)


def _amount(doc: Any) -> Decimal:
    return sum((line.amount for line in doc.lines), ZERO)


def _draft_actions(page: str, doc: Any, extra: list[dc.Action]) -> list[dc.Action]:
    path = f"{dc.PREFIX}{page}/{doc.id}"
    return {
        "draft": [
            dc.Action("post", N_("Post"), f"{path}/post", "primary"),
            dc.Action("cancel", N_("Cancel the document"), f"{path}/cancel", "outline-danger"),
        ],
        "posted": [*extra, dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger")],
    }.get(doc.status, [])


def _dealer_fields(s: Session, doc: Any) -> list[dc.HeaderField]:
    return [
        dc.header(
            N_("Dealer"),
            dr.partner_names(s, [doc.partner_id]).get(doc.partner_id),
            href=f"{dc.PREFIX}/partners/{doc.partner_id}",
        ),
        dc.header(N_("Legal entity"), dr.contractor_name(s, doc.contractor_id)),
        dc.header(N_("Warehouse"), dr.warehouse_names(s).get(doc.warehouse_id)),
    ]


def sale_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    sale = sales.get_sale(s, doc_id)
    columns = [*dr.PRICED_COLUMNS, dc.Column(N_("VAT, %"), "qty"), dc.Column(N_("VAT"), "money")]
    lines = dr.lines_table(
        s,
        sale.lines,
        lang,
        columns,
        lambda ln: [*dr.priced_cells(ln), dc.qty(ln.vat_rate), dc.money(ln.vat_amount)],
    )
    returns = sales.list_customer_returns(s, sale.id)
    return_path = f"{dc.PREFIX}{SALES}/{sale.id}/return"
    return dc.DocumentView(
        kind="sale",
        title=N_("Sale"),
        number=sale.number,
        status=sale.status,
        list_path=dc.PREFIX + SALES,
        list_title=N_("Sales"),
        fields=[
            dc.header(N_("Date"), sale.doc_date, "datetime"),
            dc.HeaderField(
                N_("Customer order"), dr.related_cell(s, "customer_order", sale.customer_order_id)
            ),
            dc.HeaderField(N_("Picking task"), dr.related_cell(s, "picking_task", sale.picking_task_id)),
            *_dealer_fields(s, sale),
            dc.header(N_("Author"), dr.user_names(s, [sale.author_id]).get(sale.author_id or 0)),
        ],
        lines=lines,
        totals=[
            dc.header(N_("Currency"), sale.currency),
            dc.header(N_("Total"), _amount(sale), "money"),
            dc.header(N_("Including VAT"), sum((ln.vat_amount for ln in sale.lines), ZERO), "money"),
        ],
        related=[
            dc.HeaderField(
                N_("Customer returns"),
                dc.docs_cell([(r.number, f"{dc.PREFIX}{RETURNS}/{r.id}", r.status) for r in returns]),
            )
        ],
        registers=[
            dr.stock_move_table(s, "sale", sale.id, lang),
            dr.reservation_move_table(s, lang, doc_type="sale", doc_id=sale.id),
            settlement_move_table(s, "sale", sale.id),
        ],
        audit=dr.audit_table(s, "sale", sale.id),
        actions=dc.actions_allowed(
            user,
            PERMISSION,
            _draft_actions(
                SALES,
                sale,
                [dc.Action("return", N_("Create return"), return_path, "outline-primary", method="get")],
            ),
        ),
    )


def return_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    doc = sales.get_customer_return(s, doc_id)
    return dc.DocumentView(
        kind="customer_return",
        title=N_("Customer return"),
        number=doc.number,
        status=doc.status,
        list_path=dc.PREFIX + RETURNS,
        list_title=N_("Customer returns"),
        fields=[
            dc.header(N_("Date"), doc.doc_date, "datetime"),
            dc.HeaderField(N_("Sale"), dr.related_cell(s, "sale", doc.sale_id)),
            *_dealer_fields(s, doc),
            dc.header(N_("Reason"), doc.reason),
            dc.header(N_("Author"), dr.user_names(s, [doc.author_id]).get(doc.author_id or 0)),
        ],
        lines=dr.lines_table(s, doc.lines, lang, dr.PRICED_COLUMNS, dr.priced_cells),
        totals=[dc.header(N_("Total"), _amount(doc), "money")],
        registers=[
            dr.stock_move_table(s, "customer_return", doc.id, lang),
            settlement_move_table(s, "customer_return", doc.id),
        ],
        audit=dr.audit_table(s, "customer_return", doc.id),
        actions=dc.actions_allowed(user, PERMISSION, _draft_actions(RETURNS, doc, [])),
    )


def _list_spec(model: type, page: str, title: str) -> dc.ListSpec:
    columns = dc.counterparty_columns(N_("Dealer"), _amount, currency=False)
    return dc.ListSpec(
        title, page, STATUSES, functools.partial(dr.page_of, model=model), dr.list_names, columns
    )


SALE_LIST = _list_spec(Sale, SALES, N_("Sales"))
RETURN_LIST = _list_spec(CustomerReturn, RETURNS, N_("Customer returns"))
da.add_pages(router, SALE_LIST, sale_view, ("sale_list", "sale_page"))
da.add_pages(router, RETURN_LIST, return_view, ("return_list", "return_page"))
for _key, _use_case in (
    ("post", sales.post_sale),
    ("unpost", sales.unpost_sale),
    ("cancel", sales.cancel_sale),
):
    da.add_action(router, SALES, _key, PERMISSION, da.plain(_use_case), sale_view)
for _key, _use_case in (
    ("post", sales.post_customer_return),
    ("unpost", sales.unpost_customer_return),
    ("cancel", sales.cancel_customer_return),
):
    da.add_action(router, RETURNS, _key, PERMISSION, da.plain(_use_case), return_view)


# A customer return against a posted sale --------------------------------------------------------


def _posted_sale(s: Session, doc_id: int) -> Any:
    sale = sales.get_sale(s, doc_id)
    if sale.status != "posted":
        raise DocumentNotInStatus(
            T(
                "%(document)s %(number)s is «%(status)s»: goods come back against a posted sale",
                document=document_name("sale"), number=sale.number, status=status_name(sale.status),
            ),
            number=sale.number,
            status=sale.status,
        )
    return sale


def _returned(s: Session, sale_id: int) -> dict[int, Decimal]:
    """What came back on posted returns, per sale line."""
    returned: dict[int, Decimal] = {}
    for doc in sales.list_customer_returns(s, sale_id):
        if doc.status == "posted":
            for line in doc.lines:
                returned[line.sale_line_id] = returned.get(line.sale_line_id, ZERO) + line.quantity
    return returned


def _return_form(s: Session, sale: Any, lang: str) -> dl.BasedOnForm:
    labels = dr.item_labels(s, (ln.item_id for ln in sale.lines), lang)
    returned = _returned(s, sale.id)
    lines = [
        dl.SourceLine(
            ln.id,
            ln.line_no,
            labels[ln.item_id].article,
            labels[ln.item_id].name,
            max(ZERO, ln.quantity - returned.get(ln.id, ZERO)),
        )
        for ln in sale.lines
    ]
    fields = [
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("reason", N_("Reason"), required=True),
    ]
    path = f"{dc.PREFIX}{SALES}/{sale.id}"
    return dl.BasedOnForm(N_("Customer return"), f"{path}/return", path, fields, lines, N_("May come back"))


@router.get(SALES + "/{doc_id:int}/return")
def return_form(request: Request, doc_id: int, _user: SalesClerk, s: ReadSession) -> Response:
    sale = _posted_sale(s, doc_id)
    values = {"warehouse_id": str(sale.warehouse_id)}
    return render(request, dl.BASED_ON_TEMPLATE, _return_form(s, sale, lang_of(request)).context(values))


@router.post(SALES + "/{doc_id:int}/return")
def create_return(request: Request, doc_id: int, user: SalesClerk, form: Form, s: WriteSession) -> Response:
    based_on = _return_form(s, _posted_sale(s, doc_id), lang_of(request))
    reader = FormReader(form)
    warehouse_id = reader.integer("warehouse_id", required=True)
    reason = reader.text("reason", required=True, max_length=500)
    quantities = dl.read_quantities(reader, based_on.lines)
    if not reader.ok:
        raise reader.rejected(dl.BASED_ON_TEMPLATE, based_on.context())
    try:
        doc = sales.create_customer_return(
            s,
            doc_id,
            user_id=user.user_id,
            warehouse_id=warehouse_id,
            reason=reason,
            lines=quantities,  # type: ignore[arg-type]
        )
    except DomainError as error:
        raise dl.refuse_based_on(reader, based_on, error) from None
    return RedirectResponse(f"{dc.PREFIX}{RETURNS}/{doc.id}?notice=created", status_code=303)
