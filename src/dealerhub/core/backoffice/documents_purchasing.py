"""Supplier order pages: the list, the order with ordered / received / remaining per line, its goods
receipts and audit trail; create and edit drafts; confirm (post), unpost, cancel, close, reopen.
Goods receipts (also the one made from an order) are in documents_receipts.py."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dealerhub.core import purchasing
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import assert_draft
from dealerhub.core.purchasing.models import PURCHASE_CURRENCIES
from dealerhub.web.deps import Form, ReadSession, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PERMISSION = "purchasing.documents"
Purchaser = Annotated[SessionUser, Depends(require(PERMISSION))]
ORDERS = "/purchasing/orders"
RECEIPTS = "/purchasing/receipts"
# Goods are received against orders in these statuses (and something must remain).
RECEIVABLE = ("confirmed", "partially_received")
CURRENCY_ERRORS = {purchasing.InvalidExchangeRate: "exchange_rate", purchasing.UnknownCurrency: "currency"}
PRICE_HELP = N_("Prices in the document's currency.")


def currency_options() -> list[tuple[str, str]]:
    return [(code, code) for code in PURCHASE_CURRENCIES]


def money_totals(doc: Any) -> list[dc.HeaderField]:
    totals = purchasing.get_document_totals(doc)
    return [
        dc.header(N_("Currency"), doc.currency),
        dc.header(N_("Total"), totals.amount, "money"),
        dc.header(N_("Total, RUB"), totals.amount_rub, "money"),
    ]


def supplier_fields(s: Session, doc: Any) -> list[dc.HeaderField]:
    """Date, supplier, legal entity, warehouse: the header every purchasing document starts with."""
    partner = dr.partner_names(s, [doc.partner_id]).get(doc.partner_id)
    return [
        dc.header(N_("Date"), doc.doc_date, "datetime"),
        dc.header(N_("Supplier"), partner, href=f"{dc.PREFIX}/partners/{doc.partner_id}"),
        dc.header(N_("Legal entity"), dr.contractor_name(s, doc.contractor_id)),
        dc.header(N_("Warehouse"), dr.warehouse_names(s).get(doc.warehouse_id)),
    ]


def read_money(reader: FormReader) -> dict[str, Any]:
    return {
        "currency": reader.text("currency", required=True),
        "exchange_rate": reader.decimal("exchange_rate", required=True),
    }


def _lines_table(s: Session, order: Any, lang: str) -> dc.Table:
    progress = {p.line_id: p for p in purchasing.get_supplier_order_progress(s, order.id)}
    columns = [
        dc.Column(N_("Ordered"), "qty"),
        dc.Column(N_("Received"), "qty"),
        dc.Column(N_("Remaining"), "qty"),
        dc.Column(N_("Price"), "money"),
        dc.Column(N_("Amount"), "money"),
        dc.Column(N_("Expected")),
    ]
    return dr.lines_table(
        s,
        order.lines,
        lang,
        columns,
        lambda ln: [
            dc.qty(ln.quantity),
            dc.qty(progress[ln.id].received),
            dc.qty(progress[ln.id].remaining),
            dc.money(ln.price),
            dc.money(ln.amount),
            dc.Cell(ln.expected_date, "date") if ln.expected_date else dc.text("—"),
        ],
    )


def _actions(order: Any) -> list[dc.Action]:
    path = f"{dc.PREFIX}{ORDERS}/{order.id}"
    post = dc.Action("post", N_("Confirm (post)"), f"{path}/post", "primary")
    receipt = dc.Action("receipt", N_("Create goods receipt"), f"{path}/receipt", "primary", method="get")
    cancel = dc.Action(
        "cancel", N_("Cancel the document"), f"{path}/cancel", "outline-danger", reason="optional"
    )
    by_status = {
        "draft": [
            post,
            dc.Action("edit", N_("Edit"), f"{path}/edit", "outline-secondary", method="get"),
            cancel,
        ],
        "confirmed": [receipt, dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger"), cancel],
        "partially_received": [
            receipt,
            dc.Action("close", N_("Close"), f"{path}/close", "outline-secondary"),
        ],
        "received": [dc.Action("close", N_("Close"), f"{path}/close", "outline-secondary")],
        "closed": [dc.Action("reopen", N_("Reopen"), f"{path}/reopen", "outline-secondary")],
    }
    return by_status.get(order.status, [])


def order_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    order = purchasing.get_supplier_order(s, doc_id)
    receipts, _ = purchasing.list_goods_receipts(s, supplier_order_id=order.id, limit=100)
    return dc.DocumentView(
        kind="supplier_order",
        title=N_("Supplier order"),
        number=order.number,
        status=order.status,
        list_path=dc.PREFIX + ORDERS,
        list_title=N_("Supplier orders"),
        fields=[
            *supplier_fields(s, order),
            dc.header(N_("Exchange rate"), order.exchange_rate),
            dc.header(N_("Expected"), order.expected_date, "date"),
            dc.header(N_("Author"), dr.user_names(s, [order.author_id]).get(order.author_id or 0)),
            dc.header(N_("Comment"), order.comment),
        ],
        lines=_lines_table(s, order, lang),
        totals=money_totals(order),
        related=[
            dc.HeaderField(
                N_("Goods receipts"),
                dc.docs_cell(
                    [(r.number, f"{dc.PREFIX}{RECEIPTS}/{r.id}", r.status) for r in reversed(receipts)]
                ),
            )
        ],
        audit=dr.audit_table(s, "supplier_order", order.id),
        actions=dc.actions_allowed(user, PERMISSION, _actions(order)),
    )


ORDER_LIST = dc.ListSpec(
    N_("Supplier orders"),
    ORDERS,
    purchasing.SUPPLIER_ORDER_STATUSES,
    purchasing.list_supplier_orders,
    dr.list_names,
    dc.counterparty_columns(N_("Supplier"), lambda d: purchasing.get_document_totals(d).amount),
    permission=PERMISSION,
    new_label=N_("New supplier order"),
)
da.add_pages(router, ORDER_LIST, order_view, ("order_list", "order_page"))
for _key, _use_case in (
    ("post", da.plain(purchasing.post_supplier_order)),
    ("unpost", da.plain(purchasing.unpost_supplier_order)),
    ("cancel", da.with_reason(purchasing.cancel_supplier_order)),
    ("close", da.with_reason(purchasing.close_supplier_order)),
    ("reopen", da.plain(purchasing.reopen_supplier_order)),
):
    da.add_action(router, ORDERS, _key, PERMISSION, _use_case, order_view)


# Create and edit ------------------------------------------------------------------------------


def _form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    fields = [
        dl.FormField(
            "contractor_id",
            N_("Supplier's legal entity"),
            "select",
            dl.contractor_choices(s, dealers=False),
            required=True,
        ),
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("currency", N_("Currency"), "select", currency_options(), required=True),
        dl.FormField(
            "exchange_rate",
            N_("Exchange rate"),
            required=True,
            help=N_("Roubles for one unit of the currency."),
        ),
        dl.FormField("expected_date", N_("Expected"), "date"),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    titles = (N_("New supplier order"), N_("Edit supplier order"))
    return dl.document_form(
        ORDERS, doc_id, titles, fields, price=dl.PRICE_REQUIRED, price_help=PRICE_HELP, rows=rows
    )


def _read(s: Session, reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
    contractor_id = reader.integer("contractor_id", required=True)
    fields = {
        "contractor_id": contractor_id,
        "warehouse_id": reader.integer("warehouse_id", required=True),
        **read_money(reader),
        "expected_date": reader.date("expected_date"),
        "comment": reader.text("comment", max_length=2000),
    }
    fields["partner_id"] = dl.partner_of(s, reader, contractor_id)
    return fields, dl.read_lines(s, reader, rows=rows, price=dl.PRICE_REQUIRED)


def _order_lines(lines: list[dl.EnteredLine]) -> list[purchasing.SupplierOrderLineInput]:
    return [purchasing.SupplierOrderLineInput(ln.item_id, ln.quantity, ln.price) for ln in lines]  # type: ignore[arg-type]


@router.get(ORDERS + "/new")
def new_order_form(request: Request, _user: Purchaser, s: ReadSession) -> Response:
    values = {"currency": "RUB", "exchange_rate": "1"}
    return render(request, dl.FORM_TEMPLATE, _form(s, None).context(values))


@router.post(ORDERS + "/new")
def create_order(request: Request, user: Purchaser, form: Form, s: WriteSession) -> Response:
    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        order = purchasing.create_supplier_order(s, user_id=user.user_id, lines=_order_lines(lines), **fields)
        return f"{dc.PREFIX}{ORDERS}/{order.id}?notice=created"

    read = functools.partial(_read, s)
    return dl.submit_form(FormReader(form), lambda rows: _form(s, None, rows), read, save, CURRENCY_ERRORS)


@router.get(ORDERS + "/{doc_id:int}/edit")
def edit_order_form(request: Request, doc_id: int, _user: Purchaser, s: ReadSession) -> Response:
    order = purchasing.get_supplier_order(s, doc_id)
    assert_draft(order)
    values = {
        "contractor_id": str(order.contractor_id),
        "warehouse_id": str(order.warehouse_id),
        "currency": order.currency,
        "exchange_rate": format(order.exchange_rate.normalize(), "f"),
        "expected_date": order.expected_date.isoformat() if order.expected_date else "",
        "comment": order.comment or "",
        **dl.line_values(s, order.lines, price=True),
    }
    return render(request, dl.FORM_TEMPLATE, _form(s, doc_id, dl.edit_rows(len(order.lines))).context(values))


@router.post(ORDERS + "/{doc_id:int}/edit")
def update_order(request: Request, doc_id: int, user: Purchaser, form: Form, s: WriteSession) -> Response:
    purchasing.get_supplier_order(s, doc_id)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        fields["comment"] = fields["comment"] or ""
        purchasing.update_supplier_order(s, doc_id, user_id=user.user_id, lines=_order_lines(lines), **fields)
        return f"{dc.PREFIX}{ORDERS}/{doc_id}?notice=saved"

    read = functools.partial(_read, s)
    return dl.submit_form(FormReader(form), lambda rows: _form(s, doc_id, rows), read, save, CURRENCY_ERRORS)
