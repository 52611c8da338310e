"""Warehouse pages: the list, and the forms to create and edit one. The WMS code is shown locked
once set: the WMS addresses the warehouse by it (a changed code is refused by the use case too)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core import warehouses
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice.helpers import text_values
from dealerhub.core.backoffice.labels import options
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()
WarehouseEditor = Annotated[SessionUser, Depends(require("warehouses.edit"))]
FORM = "backoffice/warehouses/form.html"
FIELDS = ("code", "name", "kind", "wms_code", "address", "is_active")


@router.get("/warehouses")
def warehouse_list(request: Request, user: StaffUser, s: ReadSession) -> Response:
    context = {"rows": warehouses.list_warehouses(s), "can_edit": can(user.role, "warehouses.edit")}
    return render(request, "backoffice/warehouses/list.html", context)


def _context(warehouse_id: int | None, locked_wms_code: str | None) -> dict[str, Any]:
    return {
        "warehouse_id": warehouse_id,
        "locked_wms_code": locked_wms_code,
        "kind_options": options("warehouse_kind"),
    }


def _read(reader: FormReader, *, editing: bool, locked_wms_code: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": reader.text("code", required=True, max_length=16),
        "name": reader.text("name", required=True, max_length=200),
        "kind": reader.text("kind", required=True),
        "address": reader.text("address", max_length=300),
    }
    wms_code = reader.text("wms_code", max_length=16)
    # A locked code that comes back unchanged is no change; a different one goes to the use case,
    # which refuses it (WarehouseCodeLocked).
    if wms_code is not None and wms_code != locked_wms_code:
        fields["wms_code"] = wms_code
    if locked_wms_code is not None:
        reader.values["wms_code"] = locked_wms_code if wms_code is None else wms_code
    if editing:
        fields["is_active"] = reader.boolean("is_active")
    return fields


@router.get("/warehouses/new")
def new_warehouse_form(request: Request, _user: WarehouseEditor) -> Response:
    return render(request, FORM, {**_context(None, None), "values": {"kind": "main"}})


@router.post("/warehouses/new")
def create_warehouse(request: Request, user: WarehouseEditor, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    context = _context(None, None)
    fields = _read(reader, editing=False, locked_wms_code=None)
    if not reader.ok:
        raise reader.rejected(FORM, context)
    try:
        warehouses.create_warehouse(s, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse("/backoffice/warehouses?notice=created", status_code=303)


@router.get("/warehouses/{warehouse_id:int}/edit")
def edit_warehouse_form(
    request: Request, warehouse_id: int, _user: WarehouseEditor, s: ReadSession
) -> Response:
    warehouse = warehouses.get_warehouse(s, warehouse_id)
    context = _context(warehouse_id, warehouse.wms_code)
    return render(request, FORM, {**context, "values": text_values(warehouse, FIELDS)})


@router.post("/warehouses/{warehouse_id:int}/edit")
def update_warehouse(
    request: Request, warehouse_id: int, user: WarehouseEditor, form: Form, s: WriteSession
) -> Response:
    warehouse = warehouses.get_warehouse(s, warehouse_id)
    context = _context(warehouse_id, warehouse.wms_code)
    reader = FormReader(form)
    fields = _read(reader, editing=True, locked_wms_code=warehouse.wms_code)
    if not reader.ok:
        raise reader.rejected(FORM, context)
    try:
        warehouses.update_warehouse(s, warehouse_id, user_id=user.user_id, **fields)
    except warehouses.WarehouseCodeLocked as error:
        raise reader.refused(FORM, context, error, default_field="wms_code") from None
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse("/backoffice/warehouses?notice=saved", status_code=303)
