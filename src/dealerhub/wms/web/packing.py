"""Packing a picked order (one package holding what was picked, its weight and size) and the
despatch that sends DESPATCH to the accounting system."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared.errors import DomainError, PermissionDenied
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.picking.despatch import PackageInput, despatch, pack
from dealerhub.wms.picking.models import Order, Package
from dealerhub.wms.picking.orders import get_order, order_lines
from dealerhub.wms.web.errors import status_of
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentKeeper, DbSession, Keeper, ReadDb

router = APIRouter()


def _order_of(s: Session, order_id: int, keeper: Keeper) -> Order:
    order = get_order(s, order_id)
    if order.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied("this order is on another warehouse")
    return order


def _page(request: Request, s: Session, order: Order, *, error: str | None = None, values: dict | None = None,
          status_code: int = 200) -> Response:
    lang = request_language(request)
    lines = [(x, s.get(Item, x.item_id)) for x in order_lines(s, order.id)]
    packages = list(s.scalars(select(Package).where(Package.order_id == order.id).order_by(Package.id)))
    return render(request, "wms/order.html", {
        "order": order, "lines": [(x, i.code, i.name(lang)) for x, i in lines], "packages": packages,
        "error": error, "values": values or {},
    }, status_code=status_code)


@router.get("/packing/{order_id}")
def order_page(request: Request, order_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    return _page(request, s, _order_of(s, order_id, keeper))


def _mm(form, name: str) -> int | None:
    raw = text(form, name, 10)
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


@router.post("/packing/{order_id}/pack")
async def pack_order(request: Request, order_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    order = _order_of(s, order_id, keeper)
    values = {k: text(form, k, 20) for k in ("weight_kg", "length_mm", "width_mm", "height_mm")}
    try:
        with s.begin_nested():
            contents: dict[str, Decimal] = defaultdict(Decimal)
            for line in order_lines(s, order.id):
                if line.picked > 0:
                    contents[s.get(Item, line.item_id).code] += line.picked
            pack(s, order.id, [PackageInput(weight_kg=quantity(form, "weight_kg"), contents=dict(contents),
                                            length_mm=_mm(form, "length_mm"), width_mm=_mm(form, "width_mm"),
                                            height_mm=_mm(form, "height_mm"))], user_id=keeper.id)
    except DomainError as error:
        return _page(request, s, order, error=error.message, values=values, status_code=status_of(error))
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/packing/{order.id}", status_code=303)


@router.post("/packing/{order_id}/despatch")
def despatch_order(request: Request, order_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    order = _order_of(s, order_id, keeper)
    despatch(s, order.id, user_id=keeper.id)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/packing/{order.id}", status_code=303)
