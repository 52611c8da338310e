"""Inventory document pages: stock corrections (surplus, write-off) and transfers between
warehouses: lists, the document with its stock moves and audit trail, create and edit drafts,
post and unpost."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import inventory
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import assert_draft
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
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


def _line_table(s: Session, doc: Any, lang: str) -> dc.Table:
    labels = dr.item_labels(s, (ln.item_id for ln in doc.lines), lang)
    rows = [
        [dc.text(ln.line_no), *dr.item_cells(labels, ln.item_id), dc.qty(ln.quantity)] for ln in doc.lines
    ]
    columns = [
        dc.Column("#"),
        dc.Column(N_("Article")),
        dc.Column(N_("Name")),
        dc.Column(N_("Quantity"), "qty"),
    ]
    return dc.Table("document-lines", N_("Lines"), columns, rows)


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
        lines=_line_table(s, doc, lang),
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


@router.get(CORRECTIONS)
def correction_list(
    request: Request, user: StaffUser, s: ReadSession, status: str | None = None, page: OptionalInt = None
) -> Response:
    chosen, paging = dc.chosen_status(status, STATUSES), Paging.start(page)
    docs, total = inventory.list_stock_corrections(s, status=chosen, limit=paging.size, offset=paging.offset)
    names = dr.warehouse_names(s)
    rows = [
        (
            f"{dc.PREFIX}{CORRECTIONS}/{d.id}",
            [
                dc.text(d.number),
                dc.Cell(d.doc_date, "date"),
                dc.text(names.get(d.warehouse_id)),
                dc.label_cell(KIND_LABELS.get(d.kind, d.kind)),
                dc.status_cell(d.status),
                dc.qty(_total(d)),
            ],
        )
        for d in docs
    ]
    columns = [
        dc.Column(N_("Number")),
        dc.Column(N_("Date")),
        dc.Column(N_("Warehouse")),
        dc.Column(N_("Kind")),
        dc.Column(N_("Status")),
        dc.Column(N_("Total quantity"), "qty"),
    ]
    view = dc.ListView(
        N_("Stock corrections"),
        dc.PREFIX + CORRECTIONS,
        columns,
        rows,
        STATUSES,
        chosen or "",
        paging.with_total(total),
        _new_path(user, CORRECTIONS),
        N_("New stock correction"),
    )
    return dc.show_list(request, view)


@router.get(TRANSFERS)
def transfer_list(
    request: Request, user: StaffUser, s: ReadSession, status: str | None = None, page: OptionalInt = None
) -> Response:
    chosen, paging = dc.chosen_status(status, STATUSES), Paging.start(page)
    docs, total = inventory.list_transfers(s, status=chosen, limit=paging.size, offset=paging.offset)
    names = dr.warehouse_names(s)
    rows = [
        (
            f"{dc.PREFIX}{TRANSFERS}/{d.id}",
            [
                dc.text(d.number),
                dc.Cell(d.doc_date, "date"),
                dc.text(names.get(d.from_warehouse_id)),
                dc.text(names.get(d.to_warehouse_id)),
                dc.status_cell(d.status),
                dc.qty(_total(d)),
            ],
        )
        for d in docs
    ]
    columns = [
        dc.Column(N_("Number")),
        dc.Column(N_("Date")),
        dc.Column(N_("From warehouse")),
        dc.Column(N_("To warehouse")),
        dc.Column(N_("Status")),
        dc.Column(N_("Total quantity"), "qty"),
    ]
    view = dc.ListView(
        N_("Transfers"),
        dc.PREFIX + TRANSFERS,
        columns,
        rows,
        STATUSES,
        chosen or "",
        paging.with_total(total),
        _new_path(user, TRANSFERS),
        N_("New transfer"),
    )
    return dc.show_list(request, view)


def _new_path(user: SessionUser, page: str) -> str | None:
    return f"{dc.PREFIX}{page}/new" if can(user.role, PERMISSION) else None


@router.get(CORRECTIONS + "/{doc_id:int}")
def correction_page(request: Request, doc_id: int, user: StaffUser, s: ReadSession) -> Response:
    return dc.show_document(request, correction_view(s, doc_id, user, lang_of(request)))


@router.get(TRANSFERS + "/{doc_id:int}")
def transfer_page(request: Request, doc_id: int, user: StaffUser, s: ReadSession) -> Response:
    return dc.show_document(request, transfer_view(s, doc_id, user, lang_of(request)))


for _key, _use_case in (
    ("post", inventory.post_stock_correction),
    ("unpost", inventory.unpost_stock_correction),
):
    da.add_action(router, CORRECTIONS, _key, PERMISSION, da.plain(_use_case), correction_view)
for _key, _use_case in (("post", inventory.post_transfer), ("unpost", inventory.unpost_transfer)):
    da.add_action(router, TRANSFERS, _key, PERMISSION, da.plain(_use_case), transfer_view)


# Stock correction: create and edit ------------------------------------------------------------


def _correction_form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    path = f"{dc.PREFIX}{CORRECTIONS}/{doc_id}" if doc_id else f"{dc.PREFIX}{CORRECTIONS}"
    fields = [
        dl.FormField("warehouse_id", N_("Warehouse"), "select", warehouse_choices(s), required=True),
        dl.FormField("kind", N_("Kind"), "select", list(KIND_LABELS.items()), required=True, translate=True),
        dl.FormField("reason", N_("Reason"), required=True),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    title = N_("Edit stock correction") if doc_id else N_("New stock correction")
    action = f"{path}/edit" if doc_id else f"{path}/new"
    return dl.DocumentForm(title, action, path, fields, rows=rows)


def _read_correction(
    s: Session, reader: FormReader, rows: int
) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
    fields = {
        "warehouse_id": reader.integer("warehouse_id", required=True),
        "kind": reader.text("kind", required=True),
        "reason": reader.text("reason", required=True, max_length=500),
        "comment": reader.text("comment", max_length=2000),
    }
    return fields, dl.read_lines(s, reader, rows=rows)


def _correction_lines(lines: list[dl.EnteredLine]) -> list[inventory.CorrectionLineInput]:
    return [inventory.CorrectionLineInput(ln.item_id, ln.quantity) for ln in lines]


@router.get(CORRECTIONS + "/new")
def new_correction_form(request: Request, _user: InventoryClerk, s: ReadSession) -> Response:
    return render(request, dl.FORM_TEMPLATE, _correction_form(s, None).context({"kind": "write_off"}))


@router.post(CORRECTIONS + "/new")
def create_correction(request: Request, user: InventoryClerk, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    rows = dl.row_count(reader)
    context = _correction_form(s, None, rows).context()
    fields, lines = _read_correction(s, reader, rows)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    try:
        doc = inventory.create_stock_correction(
            s, user_id=user.user_id, lines=_correction_lines(lines), **fields
        )
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=CORRECTION_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{CORRECTIONS}/{doc.id}?notice=created", status_code=303)


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
    form = _correction_form(s, doc_id, dl.edit_rows(len(doc.lines)))
    return render(request, dl.FORM_TEMPLATE, form.context(values))


@router.post(CORRECTIONS + "/{doc_id:int}/edit")
def update_correction(
    request: Request, doc_id: int, user: InventoryClerk, form: Form, s: WriteSession
) -> Response:
    inventory.get_stock_correction(s, doc_id)
    reader = FormReader(form)
    rows = dl.row_count(reader)
    context = _correction_form(s, doc_id, rows).context()
    fields, lines = _read_correction(s, reader, rows)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    fields["comment"] = fields["comment"] or ""
    try:
        inventory.update_stock_correction(
            s, doc_id, user_id=user.user_id, lines=_correction_lines(lines), **fields
        )
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=CORRECTION_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{CORRECTIONS}/{doc_id}?notice=saved", status_code=303)


# Transfer: create and edit --------------------------------------------------------------------


def _transfer_form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    path = f"{dc.PREFIX}{TRANSFERS}/{doc_id}" if doc_id else f"{dc.PREFIX}{TRANSFERS}"
    choices = warehouse_choices(s)
    fields = [
        dl.FormField("from_warehouse_id", N_("From warehouse"), "select", choices, required=True),
        dl.FormField("to_warehouse_id", N_("To warehouse"), "select", choices, required=True),
        dl.FormField("reason", N_("Reason")),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    title = N_("Edit transfer") if doc_id else N_("New transfer")
    action = f"{path}/edit" if doc_id else f"{path}/new"
    return dl.DocumentForm(title, action, path, fields, rows=rows)


def _read_transfer(s: Session, reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
    fields = {
        "from_warehouse_id": reader.integer("from_warehouse_id", required=True),
        "to_warehouse_id": reader.integer("to_warehouse_id", required=True),
        "reason": reader.text("reason", max_length=500),
        "comment": reader.text("comment", max_length=2000),
    }
    return fields, dl.read_lines(s, reader, rows=rows)


def _transfer_lines(lines: list[dl.EnteredLine]) -> list[inventory.TransferLineInput]:
    return [inventory.TransferLineInput(ln.item_id, ln.quantity) for ln in lines]


@router.get(TRANSFERS + "/new")
def new_transfer_form(request: Request, _user: InventoryClerk, s: ReadSession) -> Response:
    return render(request, dl.FORM_TEMPLATE, _transfer_form(s, None).context({}))


@router.post(TRANSFERS + "/new")
def create_transfer(request: Request, user: InventoryClerk, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    rows = dl.row_count(reader)
    context = _transfer_form(s, None, rows).context()
    fields, lines = _read_transfer(s, reader, rows)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    try:
        doc = inventory.create_transfer(s, user_id=user.user_id, lines=_transfer_lines(lines), **fields)
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=TRANSFER_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{TRANSFERS}/{doc.id}?notice=created", status_code=303)


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
    form = _transfer_form(s, doc_id, dl.edit_rows(len(doc.lines)))
    return render(request, dl.FORM_TEMPLATE, form.context(values))


@router.post(TRANSFERS + "/{doc_id:int}/edit")
def update_transfer(
    request: Request, doc_id: int, user: InventoryClerk, form: Form, s: WriteSession
) -> Response:
    inventory.get_transfer(s, doc_id)
    reader = FormReader(form)
    rows = dl.row_count(reader)
    context = _transfer_form(s, doc_id, rows).context()
    fields, lines = _read_transfer(s, reader, rows)
    if not reader.ok:
        raise reader.rejected(dl.FORM_TEMPLATE, context)
    fields["reason"], fields["comment"] = fields["reason"] or "", fields["comment"] or ""
    try:
        inventory.update_transfer(s, doc_id, user_id=user.user_id, lines=_transfer_lines(lines), **fields)
    except DomainError as error:
        raise dl.refuse_form(
            reader, dl.FORM_TEMPLATE, context, error, lines, by_class=TRANSFER_ERRORS
        ) from None
    return RedirectResponse(f"{dc.PREFIX}{TRANSFERS}/{doc_id}?notice=saved", status_code=303)
