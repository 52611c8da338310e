"""Inventory document pages: stock corrections (surplus, write-off) and transfers between
warehouses: lists, the document with its stock moves and audit trail, create and edit drafts,
post and unpost."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dealerhub.core import inventory
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import assert_draft
from dealerhub.web.deps import Form, ReadSession, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PERMISSION = "inventory.documents"
InventoryClerk = Annotated[SessionUser, Depends(require(PERMISSION))]
CORRECTIONS = "/inventory/corrections"
TRANSFERS = "/inventory/transfers"
STATUSES = ("draft", "posted")
KIND_LABELS = {"surplus": N_("Surplus"), "write_off": N_("Write-off")}
CORRECTION_ERRORS = {inventory.ReasonRequired: "reason", inventory.UnknownCorrectionKind: "kind"}
TRANSFER_ERRORS = {inventory.SameWarehouse: "to_warehouse_id"}


def _total(doc: Any) -> Decimal:
    return sum((line.quantity for line in doc.lines), Decimal(0))


def _draft_actions(page: str, doc: Any) -> list[dc.Action]:
    path = f"{dc.PREFIX}{page}/{doc.id}"
    if doc.status == "draft":
        return [
            dc.Action("post", N_("Post"), f"{path}/post", "primary"),
            dc.Action("edit", N_("Edit"), f"{path}/edit", "outline-secondary", method="get"),
        ]
    return [dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger")]


def _common_view(
    s: Session, doc: Any, user: SessionUser, lang: str, page: str, titles: tuple[str, str]
) -> dc.DocumentView:
    return dc.DocumentView(
        kind=type(doc).doc_type,
        title=titles[0],
        number=doc.number,
        status=doc.status,
        list_path=dc.PREFIX + page,
        list_title=titles[1],
        lines=dr.lines_table(
            s, doc.lines, lang, [dc.Column(N_("Quantity"), "qty")], lambda ln: [dc.qty(ln.quantity)]
        ),
        totals=[dc.header(N_("Total quantity"), _total(doc), "qty")],
        registers=[dr.stock_move_table(s, type(doc).doc_type, doc.id, lang)],
        audit=dr.audit_table(s, type(doc).doc_type, doc.id),
        actions=dc.actions_allowed(user, PERMISSION, _draft_actions(page, doc)),
    )


def correction_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    doc = inventory.get_stock_correction(s, doc_id)
    view = _common_view(s, doc, user, lang, CORRECTIONS, (N_("Stock correction"), N_("Stock corrections")))
    view.fields = [
        dc.header(N_("Date"), doc.doc_date, "datetime"),
        dc.header(N_("Warehouse"), dr.warehouse_names(s).get(doc.warehouse_id)),
        dc.HeaderField(N_("Kind"), dc.label_cell(KIND_LABELS.get(doc.kind, doc.kind))),
        dc.header(N_("Reason"), doc.reason),
        dc.header(N_("Author"), dr.user_names(s, [doc.author_id]).get(doc.author_id or 0)),
        dc.header(N_("Comment"), doc.comment),
    ]
    return view


def transfer_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    doc = inventory.get_transfer(s, doc_id)
    names = dr.warehouse_names(s)
    view = _common_view(s, doc, user, lang, TRANSFERS, (N_("Transfer"), N_("Transfers")))
    view.fields = [
        dc.header(N_("Date"), doc.doc_date, "datetime"),
        dc.header(N_("From warehouse"), names.get(doc.from_warehouse_id)),
        dc.header(N_("To warehouse"), names.get(doc.to_warehouse_id)),
        dc.header(N_("Reason"), doc.reason),
        dc.header(N_("Author"), dr.user_names(s, [doc.author_id]).get(doc.author_id or 0)),
        dc.header(N_("Comment"), doc.comment),
    ]
    return view


CORRECTION_LIST = dc.ListSpec(
    N_("Stock corrections"),
    CORRECTIONS,
    STATUSES,
    inventory.list_stock_corrections,
    dr.warehouse_list_names,
    columns=(
        *(dc.NUMBER, dc.DATE, dc.WAREHOUSE),
        dc.list_column(N_("Kind"), lambda d, _names: dc.label_cell(KIND_LABELS.get(d.kind, d.kind))),
        *(dc.STATUS, dc.qty_total_column(_total)),
    ),
    permission=PERMISSION,
    new_label=N_("New stock correction"),
)
TRANSFER_LIST = dc.ListSpec(
    N_("Transfers"),
    TRANSFERS,
    STATUSES,
    inventory.list_transfers,
    dr.warehouse_list_names,
    columns=(
        *(dc.NUMBER, dc.DATE),
        dc.warehouse_column(N_("From warehouse"), "from_warehouse_id"),
        dc.warehouse_column(N_("To warehouse"), "to_warehouse_id"),
        *(dc.STATUS, dc.qty_total_column(_total)),
    ),
    permission=PERMISSION,
    new_label=N_("New transfer"),
)
da.add_pages(router, CORRECTION_LIST, correction_view, ("correction_list", "correction_page"))
da.add_pages(router, TRANSFER_LIST, transfer_view, ("transfer_list", "transfer_page"))
for _key, _use_case in (
    ("post", inventory.post_stock_correction),
    ("unpost", inventory.unpost_stock_correction),
):
    da.add_action(router, CORRECTIONS, _key, PERMISSION, da.plain(_use_case), correction_view)
for _key, _use_case in (("post", inventory.post_transfer), ("unpost", inventory.unpost_transfer)):
    da.add_action(router, TRANSFERS, _key, PERMISSION, da.plain(_use_case), transfer_view)


# Create and edit drafts ------------------------------------------------------------------------


def _correction_form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    fields = [
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("kind", N_("Kind"), "select", list(KIND_LABELS.items()), required=True, translate=True),
        dl.FormField("reason", N_("Reason"), required=True),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    titles = (N_("New stock correction"), N_("Edit stock correction"))
    return dl.document_form(CORRECTIONS, doc_id, titles, fields, rows=rows)


def _transfer_form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    choices = warehouse_choices(s)
    fields = [
        dl.FormField("from_warehouse_id", N_("From warehouse"), "select", choices, required=True),
        dl.FormField("to_warehouse_id", N_("To warehouse"), "select", choices, required=True),
        dl.FormField("reason", N_("Reason")),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    return dl.document_form(TRANSFERS, doc_id, (N_("New transfer"), N_("Edit transfer")), fields, rows=rows)


def _reader(s: Session, read_fields: Any) -> dl.FormRead:
    """Header fields by `read_fields(reader)`, then the lines (quantities, no prices)."""
    return lambda reader, rows: (read_fields(reader), dl.read_lines(s, reader, rows=rows))


def _correction_fields(reader: FormReader) -> dict[str, Any]:
    return {
        "warehouse_id": reader.integer("warehouse_id", required=True),
        "kind": reader.text("kind", required=True),
        "reason": reader.text("reason", required=True, max_length=500),
        "comment": reader.text("comment", max_length=2000),
    }


def _transfer_fields(reader: FormReader) -> dict[str, Any]:
    return {
        "from_warehouse_id": reader.integer("from_warehouse_id", required=True),
        "to_warehouse_id": reader.integer("to_warehouse_id", required=True),
        "reason": reader.text("reason", max_length=500),
        "comment": reader.text("comment", max_length=2000),
    }


def _correction_lines(lines: list[dl.EnteredLine]) -> list[inventory.CorrectionLineInput]:
    return [inventory.CorrectionLineInput(ln.item_id, ln.quantity) for ln in lines]


def _transfer_lines(lines: list[dl.EnteredLine]) -> list[inventory.TransferLineInput]:
    return [inventory.TransferLineInput(ln.item_id, ln.quantity) for ln in lines]


def _blank_as_empty(fields: dict[str, Any], *names: str) -> dict[str, Any]:
    """An edited draft's optional texts: a blank one clears the stored text."""
    return {**fields, **{name: fields[name] or "" for name in names}}


def _edit_form(request: Request, form: dl.DocumentForm, values: dict[str, str]) -> Response:
    return render(request, dl.FORM_TEMPLATE, form.context(values))


@router.get(CORRECTIONS + "/new")
def new_correction_form(request: Request, _user: InventoryClerk, s: ReadSession) -> Response:
    return render(request, dl.FORM_TEMPLATE, _correction_form(s, None).context({"kind": "write_off"}))


@router.post(CORRECTIONS + "/new")
def create_correction(request: Request, user: InventoryClerk, form: Form, s: WriteSession) -> Response:
    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        doc = inventory.create_stock_correction(
            s, user_id=user.user_id, lines=_correction_lines(lines), **fields
        )
        return f"{dc.PREFIX}{CORRECTIONS}/{doc.id}?notice=created"

    read = _reader(s, _correction_fields)
    return dl.submit_form(
        FormReader(form), lambda rows: _correction_form(s, None, rows), read, save, CORRECTION_ERRORS
    )


@router.get(CORRECTIONS + "/{doc_id:int}/edit")
def edit_correction_form(request: Request, doc_id: int, _user: InventoryClerk, s: ReadSession) -> Response:
    doc = inventory.get_stock_correction(s, doc_id)
    assert_draft(doc)
    values = {
        "warehouse_id": str(doc.warehouse_id),
        "kind": doc.kind,
        "reason": doc.reason,
        "comment": doc.comment or "",
        **dl.line_values(s, doc.lines),
    }
    return _edit_form(request, _correction_form(s, doc_id, dl.edit_rows(len(doc.lines))), values)


@router.post(CORRECTIONS + "/{doc_id:int}/edit")
def update_correction(
    request: Request, doc_id: int, user: InventoryClerk, form: Form, s: WriteSession
) -> Response:
    inventory.get_stock_correction(s, doc_id)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        fields = _blank_as_empty(fields, "comment")
        inventory.update_stock_correction(
            s, doc_id, user_id=user.user_id, lines=_correction_lines(lines), **fields
        )
        return f"{dc.PREFIX}{CORRECTIONS}/{doc_id}?notice=saved"

    read = _reader(s, _correction_fields)
    return dl.submit_form(
        FormReader(form), lambda rows: _correction_form(s, doc_id, rows), read, save, CORRECTION_ERRORS
    )


@router.get(TRANSFERS + "/new")
def new_transfer_form(request: Request, _user: InventoryClerk, s: ReadSession) -> Response:
    return render(request, dl.FORM_TEMPLATE, _transfer_form(s, None).context({}))


@router.post(TRANSFERS + "/new")
def create_transfer(request: Request, user: InventoryClerk, form: Form, s: WriteSession) -> Response:
    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        doc = inventory.create_transfer(s, user_id=user.user_id, lines=_transfer_lines(lines), **fields)
        return f"{dc.PREFIX}{TRANSFERS}/{doc.id}?notice=created"

    read = _reader(s, _transfer_fields)
    return dl.submit_form(
        FormReader(form), lambda rows: _transfer_form(s, None, rows), read, save, TRANSFER_ERRORS
    )


@router.get(TRANSFERS + "/{doc_id:int}/edit")
def edit_transfer_form(request: Request, doc_id: int, _user: InventoryClerk, s: ReadSession) -> Response:
    doc = inventory.get_transfer(s, doc_id)
    assert_draft(doc)
    values = {
        "from_warehouse_id": str(doc.from_warehouse_id),
        "to_warehouse_id": str(doc.to_warehouse_id),
        "reason": doc.reason or "",
        "comment": doc.comment or "",
        **dl.line_values(s, doc.lines),
    }
    return _edit_form(request, _transfer_form(s, doc_id, dl.edit_rows(len(doc.lines))), values)


@router.post(TRANSFERS + "/{doc_id:int}/edit")
def update_transfer(
    request: Request, doc_id: int, user: InventoryClerk, form: Form, s: WriteSession
) -> Response:
    inventory.get_transfer(s, doc_id)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        fields = _blank_as_empty(fields, "reason", "comment")
        inventory.update_transfer(s, doc_id, user_id=user.user_id, lines=_transfer_lines(lines), **fields)
        return f"{dc.PREFIX}{TRANSFERS}/{doc_id}?notice=saved"

    read = _reader(s, _transfer_fields)
    return dl.submit_form(
        FormReader(form), lambda rows: _transfer_form(s, doc_id, rows), read, save, TRANSFER_ERRORS
    )
