"""Packing a picked order on the phone: one package at a time (its weight and size, and how much of
each order line it holds, prefilled with what is still loose), packages taken apart before they
leave, and the despatch of the chosen packages: a part (DESPATCH final=false) while anything stays
behind, the final one when nothing does."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared.errors import DomainError, PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.i18n import N_
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.picking.despatch import despatch
from dealerhub.wms.picking.models import Order, Package, PackageContent
from dealerhub.wms.picking.orders import get_order, order_lines
from dealerhub.wms.picking.packing import PackageInput, add_package, packed_by_line, remove_package
from dealerhub.wms.web.errors import status_of
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentKeeper, DbSession, Keeper, ReadDb

router = APIRouter()

ZERO = Decimal(0)
NOTICES = {
    "packed": N_("The package is recorded."),
    "removed": N_("The package is taken apart: its goods are loose again."),
    "part": N_("These packages have left; the accounting system is told (a part)."),
}


def _order_of(s: Session, order_id: int, keeper: Keeper) -> Order:
    order = get_order(s, order_id)
    if order.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this order is on another warehouse"))
    return order


def _page(request: Request, s: Session, order: Order, *, error: str | None = None, values: dict | None = None,
          status_code: int = 200) -> Response:
    lang = request_language(request)
    packed = packed_by_line(s, order.id)
    lines = []
    for x in order_lines(s, order.id):
        item = s.get(Item, x.item_id)
        lines.append({"line": x, "code": item.code, "name": item.name(lang), "packed": packed.get(x.id, ZERO),
                      "loose": x.picked - packed.get(x.id, ZERO)})
    packages = []
    for p in s.scalars(select(Package).where(Package.order_id == order.id).order_by(Package.id)):
        contents = [(s.get(Item, c.item_id).code, c.quantity) for c in
                    s.scalars(select(PackageContent).where(PackageContent.package_id == p.id).order_by(PackageContent.id))]
        packages.append((p, contents))
    return render(request, "wms/order.html", {
        "order": order, "lines": lines, "packages": packages, "error": error, "values": values or {},
        "loose": any(x["loose"] > 0 for x in lines), "waiting": [p for p, _ in packages if p.despatch_number is None],
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }, status_code=status_code)


@router.get("/packing/{order_id}")
def order_page(request: Request, order_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    return _page(request, s, _order_of(s, order_id, keeper))


def _mm(form, name: str) -> int | None:
    raw = text(form, name, 10)
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


@router.post("/packing/{order_id}/pack")
async def pack_order(request: Request, order_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    """One package. Its contents come as `line_<no>` fields; a form without any (a plain "pack")
    puts everything still loose into it."""
    form = await form_of(request)
    order = _order_of(s, order_id, keeper)
    values = {k: text(form, k, 20) for k in form if isinstance(k, str) and k != "csrf_token"}
    try:
        with s.begin_nested():
            packed = packed_by_line(s, order.id)
            given = {x.line_no: f"line_{x.line_no}" for x in order_lines(s, order.id)}
            if any(name in form for name in given.values()):
                contents = {no: quantity(form, name, ZERO, allow_zero=True) for no, name in given.items()}
            else:
                contents = {x.line_no: x.picked - packed.get(x.id, ZERO) for x in order_lines(s, order.id)}
            add_package(s, order.id, PackageInput(
                weight_kg=quantity(form, "weight_kg"), lines={no: q for no, q in contents.items() if q > 0},
                length_mm=_mm(form, "length_mm"), width_mm=_mm(form, "width_mm"), height_mm=_mm(form, "height_mm"),
                package_no=text(form, "package_no", 64) or None), user_id=keeper.id)
    except DomainError as error:
        return _page(request, s, order, error=error.message, values=values, status_code=status_of(error))
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/packing/{order.id}?notice=packed", status_code=303)


@router.post("/packing/{order_id}/unpack")
async def unpack(request: Request, order_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    order = _order_of(s, order_id, keeper)
    remove_package(s, order.id, text(form, "package_no", 64), user_id=keeper.id)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/packing/{order.id}?notice=removed", status_code=303)


@router.post("/packing/{order_id}/despatch")
async def despatch_order(request: Request, order_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    """The chosen packages leave (`choose` marks a form with checkboxes: none ticked is refused);
    without a choice every package waiting leaves."""
    form = await form_of(request)
    order = _order_of(s, order_id, keeper)
    chosen = [x for x in form.getlist("package") if isinstance(x, str)] if form.get("choose") else None
    despatch(s, order.id, user_id=keeper.id, package_nos=chosen)
    base = request.scope.get("root_path", "")
    s.flush()
    notice = "" if order.status == "shipped" else "?notice=part"
    return RedirectResponse(f"{base}/packing/{order.id}{notice}", status_code=303)
