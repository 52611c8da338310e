"""Goods receipt pages: the list, the receipt with the supplier-order lines it fulfils, its stock
moves and audit trail; a receipt made from a supplier order (quantities per order line, default:
what remains) or entered freely; edit drafts; post and unpost."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import purchasing
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.documents_purchasing import (
    CURRENCY_ERRORS,
    ORDERS,
    PERMISSION,
    PRICE_HELP,
    RECEIPTS,
    RECEIVABLE,
    Purchaser,
    currency_options,
    money_totals,
    read_money,
    supplier_fields,
)
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import DocumentNotInStatus, assert_draft
from dealerhub.core.purchasing.models import SupplierOrder, SupplierOrderLine
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
STATUSES = ("draft", "posted")
RECEIPT_ERRORS = {**CURRENCY_ERRORS, purchasing.DuplicateSupplierInvoice: "supplier_invoice_number"}


def _order_line_cells(s: Session, line_ids: set[int]) -> dict[int, dc.Cell]:
    """ "PO-… line n", linked to the order, for each supplier-order line."""
    if not line_ids:
        return {}
    rows = s.execute(
        select(SupplierOrderLine.id, SupplierOrderLine.line_no, SupplierOrder.id, SupplierOrder.number)
        .join(SupplierOrder, SupplierOrder.id == SupplierOrderLine.order_id)
        .where(SupplierOrderLine.id.in_(line_ids))
    )
    return {
        line_id: dc.text(f"{number} / {line_no}", f"{dc.PREFIX}{ORDERS}/{order_id}")
        for line_id, line_no, order_id, number in rows
    }


def _lines_table(s: Session, receipt: Any, lang: str) -> dc.Table:
    labels = dr.item_labels(s, (ln.item_id for ln in receipt.lines), lang)
    links = _order_line_cells(
        s, {ln.supplier_order_line_id for ln in receipt.lines if ln.supplier_order_line_id}
    )
    rows = [
        [
            dc.text(ln.line_no),
            *dr.item_cells(labels, ln.item_id),
            dc.qty(ln.quantity),
            dc.money(ln.price),
            dc.money(ln.amount),
            links.get(ln.supplier_order_line_id or 0, dc.text("—")),
        ]
        for ln in receipt.lines
    ]
    columns = [
        dc.Column("#"),
        dc.Column(N_("Article")),
        dc.Column(N_("Name")),
        dc.Column(N_("Quantity"), "qty"),
        dc.Column(N_("Price"), "money"),
        dc.Column(N_("Amount"), "money"),
        dc.Column(N_("Supplier order line")),
    ]
    return dc.Table("document-lines", N_("Lines"), columns, rows)


def _actions(receipt: Any) -> list[dc.Action]:
    path = f"{dc.PREFIX}{RECEIPTS}/{receipt.id}"
    if receipt.status == "draft":
        return [
            dc.Action("post", N_("Post"), f"{path}/post", "primary"),
            dc.Action("edit", N_("Edit"), f"{path}/edit", "outline-secondary", method="get"),
        ]
    return [dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger")]


def receipt_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    receipt = purchasing.get_goods_receipt(s, doc_id)
    return dc.DocumentView(
        kind="goods_receipt",
        title=N_("Goods receipt"),
        number=receipt.number,
        status=receipt.status,
        list_path=dc.PREFIX + RECEIPTS,
        list_title=N_("Goods receipts"),
        fields=[
            *supplier_fields(s, receipt),
            dc.header(N_("Supplier invoice"), receipt.supplier_invoice_number),
            dc.header(N_("Invoice date"), receipt.supplier_invoice_date, "date"),
            dc.header(N_("Exchange rate"), receipt.exchange_rate),
            dc.header(N_("Author"), dr.user_names(s, [receipt.author_id]).get(receipt.author_id or 0)),
            dc.header(N_("Comment"), receipt.comment),
        ],
        lines=_lines_table(s, receipt, lang),
        totals=money_totals(receipt),
        registers=[dr.stock_move_table(s, "goods_receipt", receipt.id, lang)],
        audit=dr.audit_table(s, "goods_receipt", receipt.id),
        actions=dc.actions_allowed(user, PERMISSION, _actions(receipt)),
    )


@router.get(RECEIPTS)
def receipt_list(
    request: Request, user: StaffUser, s: ReadSession, status: str | None = None, page: OptionalInt = None
) -> Response:
    chosen, paging = dc.chosen_status(status, STATUSES), Paging.start(page)
    docs, total = purchasing.list_goods_receipts(s, status=chosen, limit=paging.size, offset=paging.offset)
    names, partners = dr.warehouse_names(s), dr.partner_names(s, (d.partner_id for d in docs))
    rows = [
        (
            f"{dc.PREFIX}{RECEIPTS}/{d.id}",
            [
                dc.text(d.number),
                dc.Cell(d.doc_date, "date"),
                dc.text(partners.get(d.partner_id)),
                dc.text(d.supplier_invoice_number),
                dc.text(names.get(d.warehouse_id)),
                dc.status_cell(d.status),
                dc.money(purchasing.get_document_totals(d).amount),
                dc.text(d.currency),
            ],
        )
        for d in docs
    ]
    columns = [
        dc.Column(N_("Number")),
        dc.Column(N_("Date")),
        dc.Column(N_("Supplier")),
        dc.Column(N_("Supplier invoice")),
        dc.Column(N_("Warehouse")),
        dc.Column(N_("Status")),
        dc.Column(N_("Total"), "money"),
        dc.Column(N_("Currency")),
    ]
    new_path = f"{dc.PREFIX}{RECEIPTS}/new" if can(user.role, PERMISSION) else None
    view = dc.ListView(
        N_("Goods receipts"),
        dc.PREFIX + RECEIPTS,
        columns,
        rows,
        STATUSES,
        chosen or "",
        paging.with_total(total),
        new_path,
        N_("New goods receipt"),
    )
    return dc.show_list(request, view)


@router.get(RECEIPTS + "/{doc_id:int}")
def receipt_page(request: Request, doc_id: int, user: StaffUser, s: ReadSession) -> Response:
    return dc.show_document(request, receipt_view(s, doc_id, user, lang_of(request)))


for _key, _use_case in (("post", purchasing.post_goods_receipt), ("unpost", purchasing.unpost_goods_receipt)):
    da.add_action(router, RECEIPTS, _key, PERMISSION, da.plain(_use_case), receipt_view)


# A receipt from a supplier order ---------------------------------------------------------------


def _from_order_form(s: Session, order: Any, lang: str) -> dl.BasedOnForm:
    progress = purchasing.get_supplier_order_progress(s, order.id)
    labels = dr.item_labels(s, (p.item_id for p in progress), lang)
    lines = [
        dl.SourceLine(
            p.line_id, p.line_no, labels[p.item_id].article, labels[p.item_id].name, p.remaining, p.remaining
        )
        for p in progress
        if p.remaining > 0
    ]
    path = f"{dc.PREFIX}{ORDERS}/{order.id}"
    fields = [
        dl.FormField("supplier_invoice_number", N_("Supplier invoice"), required=True),
        dl.FormField("supplier_invoice_date", N_("Invoice date"), "date", required=True),
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    title = N_("Goods receipt from the supplier order")
    return dl.BasedOnForm(title, f"{path}/receipt", path, fields, lines, N_("Remaining"))


def _receivable(s: Session, doc_id: int) -> Any:
    order = purchasing.get_supplier_order(s, doc_id)
    if order.status not in RECEIVABLE:
        raise DocumentNotInStatus(
            f"supplier order {order.number} is {order.status}: goods are received against confirmed orders",
            number=order.number,
            status=order.status,
        )
    return order


@router.get(ORDERS + "/{doc_id:int}/receipt")
def receipt_from_order_form(request: Request, doc_id: int, _user: Purchaser, s: ReadSession) -> Response:
    order = _receivable(s, doc_id)
    values = {"supplier_invoice_date": clock.today().isoformat(), "warehouse_id": str(order.warehouse_id)}
    return render(request, dl.BASED_ON_TEMPLATE, _from_order_form(s, order, lang_of(request)).context(values))


@router.post(ORDERS + "/{doc_id:int}/receipt")
def create_receipt_from_order(
    request: Request, doc_id: int, user: Purchaser, form: Form, s: WriteSession
) -> Response:
    order = _receivable(s, doc_id)
    based_on = _from_order_form(s, order, lang_of(request))
    reader = FormReader(form)
    fields = {
        "supplier_invoice_number": reader.text("supplier_invoice_number", required=True, max_length=64),
        "supplier_invoice_date": reader.date("supplier_invoice_date", required=True),
        "warehouse_id": reader.integer("warehouse_id", required=True),
        "comment": reader.text("comment", max_length=2000),
    }
    quantities = dl.read_quantities(reader, based_on.lines)
    if not reader.ok:
        raise reader.rejected(dl.BASED_ON_TEMPLATE, based_on.context())
    try:
        receipt = purchasing.create_goods_receipt_from_order(
            s, doc_id, user_id=user.user_id, quantities=quantities, **fields
        )
    except purchasing.OverReceipt as error:
        over = {DomainError: f"qty_{error.details['lines'][0].order_line_id}"}
        raise dl.refuse_based_on(reader, based_on, error, over) from None
    except DomainError as error:
        # Line n of the new receipt is the n-th order line a quantity was given for.
        taken = [line.line_id for line in based_on.lines if line.line_id in quantities]
        by_line = dict(enumerate(taken, start=1))
        raise dl.refuse_based_on(reader, based_on, error, RECEIPT_ERRORS, by_line) from None
    return RedirectResponse(f"{dc.PREFIX}{RECEIPTS}/{receipt.id}?notice=created", status_code=303)


# A receipt entered freely; editing a draft -------------------------------------------------------


def _form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    path = f"{dc.PREFIX}{RECEIPTS}/{doc_id}" if doc_id else f"{dc.PREFIX}{RECEIPTS}"
    supplier = (
        dl.FormField("supplier", N_("Supplier's legal entity"), "static")
        if doc_id
        else dl.FormField(
            "contractor_id",
            N_("Supplier's legal entity"),
            "select",
            dl.contractor_choices(s, dealers=False),
            required=True,
        )
    )
    fields = [
        supplier,
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("supplier_invoice_number", N_("Supplier invoice"), required=True),
        dl.FormField("supplier_invoice_date", N_("Invoice date"), "date", required=True),
        dl.FormField("currency", N_("Currency"), "select", currency_options(), required=True),
        dl.FormField(
            "exchange_rate",
            N_("Exchange rate"),
            required=True,
            help=N_("Roubles for one unit of the currency."),
        ),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    title = N_("Edit goods receipt") if doc_id else N_("New goods receipt")
    action = f"{path}/edit" if doc_id else f"{path}/new"
    return dl.DocumentForm(title, action, path, fields, dl.PRICE_REQUIRED, PRICE_HELP, links=True, rows=rows)


def _read(reader: FormReader) -> dict[str, Any]:
    return {
        "warehouse_id": reader.integer("warehouse_id", required=True),
        "supplier_invoice_number": reader.text("supplier_invoice_number", required=True, max_length=64),
        "supplier_invoice_date": reader.date("supplier_invoice_date", required=True),
        **read_money(reader),
        "comment": reader.text("comment", max_length=2000),
    }


def _receipt_lines(lines: list[dl.EnteredLine]) -> list[purchasing.ReceiptLineInput]:
    return [purchasing.ReceiptLineInput(ln.item_id, ln.quantity, ln.price, ln.link) for ln in lines]  # type: ignore[arg-type]


@router.get(RECEIPTS + "/new")
def new_receipt_form(request: Request, _user: Purchaser, s: ReadSession) -> Response:
    values = {"currency": "RUB", "exchange_rate": "1", "supplier_invoice_date": clock.today().isoformat()}
    return render(request, dl.FORM_TEMPLATE, _form(s, None).context(values))


@router.post(RECEIPTS + "/new")
def create_receipt(request: Request, user: Purchaser, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    rows = dl.row_count(reader)
    context = _form(s, None, rows).context()
    contractor_id = reader.integer("contractor_id", required=True)
    fields = {
        **_read(reader),
        "contractor_id": contractor_id,
        "partner_id": dl.partner_of(s, reader, contractor_id),
    }
    lines = dl.read_lines(s, reader, rows=rows, price=dl.PRICE_REQUIRED)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    try:
        receipt = purchasing.create_goods_receipt(
            s, user_id=user.user_id, lines=_receipt_lines(lines), **fields
        )
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=RECEIPT_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{RECEIPTS}/{receipt.id}?notice=created", status_code=303)


@router.get(RECEIPTS + "/{doc_id:int}/edit")
def edit_receipt_form(request: Request, doc_id: int, _user: Purchaser, s: ReadSession) -> Response:
    receipt = purchasing.get_goods_receipt(s, doc_id)
    assert_draft(receipt)
    values = {
        "supplier": dr.contractor_name(s, receipt.contractor_id),
        "warehouse_id": str(receipt.warehouse_id),
        "supplier_invoice_number": receipt.supplier_invoice_number,
        "supplier_invoice_date": receipt.supplier_invoice_date.isoformat(),
        "currency": receipt.currency,
        "exchange_rate": format(receipt.exchange_rate.normalize(), "f"),
        "comment": receipt.comment or "",
        **dl.line_values(s, receipt.lines, price=True, link="supplier_order_line_id"),
    }
    return render(
        request, dl.FORM_TEMPLATE, _form(s, doc_id, dl.edit_rows(len(receipt.lines))).context(values)
    )


@router.post(RECEIPTS + "/{doc_id:int}/edit")
def update_receipt(request: Request, doc_id: int, user: Purchaser, form: Form, s: WriteSession) -> Response:
    receipt = purchasing.get_goods_receipt(s, doc_id)
    reader = FormReader(form)
    reader.values["supplier"] = dr.contractor_name(s, receipt.contractor_id)
    rows = dl.row_count(reader)
    context = _form(s, doc_id, rows).context()
    fields = _read(reader)
    lines = dl.read_lines(s, reader, rows=rows, price=dl.PRICE_REQUIRED)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    fields["comment"] = fields["comment"] or ""
    try:
        purchasing.update_goods_receipt(
            s, doc_id, user_id=user.user_id, lines=_receipt_lines(lines), **fields
        )
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=RECEIPT_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{RECEIPTS}/{doc_id}?notice=saved", status_code=303)
