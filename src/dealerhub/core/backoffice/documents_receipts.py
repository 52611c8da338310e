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
from dealerhub.core.accounts import SessionUser
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
from dealerhub.core.documents.names import document_name, status_name
from dealerhub.core.purchasing.models import SupplierOrder, SupplierOrderLine
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
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
    links = _order_line_cells(
        s, {ln.supplier_order_line_id for ln in receipt.lines if ln.supplier_order_line_id}
    )
    columns = [*dr.PRICED_COLUMNS, dc.Column(N_("Supplier order line"))]
    return dr.lines_table(
        s,
        receipt.lines,
        lang,
        columns,
        lambda ln: [*dr.priced_cells(ln), links.get(ln.supplier_order_line_id or 0, dc.text("—"))],
    )


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


RECEIPT_LIST = dc.ListSpec(
    N_("Goods receipts"),
    RECEIPTS,
    STATUSES,
    purchasing.list_goods_receipts,
    dr.list_names,
    dc.counterparty_columns(
        N_("Supplier"),
        lambda d: purchasing.get_document_totals(d).amount,
        [dc.list_column(N_("Supplier invoice"), lambda d, _names: dc.text(d.supplier_invoice_number))],
    ),
    permission=PERMISSION,
    new_label=N_("New goods receipt"),
)
da.add_pages(router, RECEIPT_LIST, receipt_view, ("receipt_list", "receipt_page"))
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
            T(
                "%(document)s %(number)s is «%(status)s»: goods are received against confirmed supplier orders",
                document=document_name("supplier_order"), number=order.number, status=status_name(order.status),
            ),
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
    titles = (N_("New goods receipt"), N_("Edit goods receipt"))
    return dl.document_form(
        RECEIPTS,
        doc_id,
        titles,
        fields,
        price=dl.PRICE_REQUIRED,
        price_help=PRICE_HELP,
        links=True,
        rows=rows,
    )


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
    def read(reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
        contractor_id = reader.integer("contractor_id", required=True)
        fields = {
            **_read(reader),
            "contractor_id": contractor_id,
            "partner_id": dl.partner_of(s, reader, contractor_id),
        }
        return fields, dl.read_lines(s, reader, rows=rows, price=dl.PRICE_REQUIRED)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        receipt = purchasing.create_goods_receipt(
            s, user_id=user.user_id, lines=_receipt_lines(lines), **fields
        )
        return f"{dc.PREFIX}{RECEIPTS}/{receipt.id}?notice=created"

    return dl.submit_form(FormReader(form), lambda rows: _form(s, None, rows), read, save, RECEIPT_ERRORS)


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

    def read(reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
        return _read(reader), dl.read_lines(s, reader, rows=rows, price=dl.PRICE_REQUIRED)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        fields["comment"] = fields["comment"] or ""
        purchasing.update_goods_receipt(
            s, doc_id, user_id=user.user_id, lines=_receipt_lines(lines), **fields
        )
        return f"{dc.PREFIX}{RECEIPTS}/{doc_id}?notice=saved"

    return dl.submit_form(reader, lambda rows: _form(s, doc_id, rows), read, save, RECEIPT_ERRORS)
