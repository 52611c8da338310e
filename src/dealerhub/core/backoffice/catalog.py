"""Catalog pages: the group tree with the item list (search, paging), and the item card with its
OEM numbers, analogues, barcodes, properties, applicability, packaging, prices and stock.
Creating and editing items and groups: catalog_edit.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import catalog, stock
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession, get_db, require
from dealerhub.web.forms import FormReader
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
CatalogEditor = Annotated[SessionUser, Depends(require("catalog.edit"))]
ITEM_TEMPLATE = "backoffice/catalog/item.html"


@router.get("/catalog")
def catalog_index(
    request: Request,
    user: StaffUser,
    s: ReadSession,
    q: str | None = None,
    group: OptionalInt = None,
    brand: OptionalInt = None,
    page: OptionalInt = None,
) -> Response:
    lang = lang_of(request)
    paging = Paging.start(page)
    items, total = catalog.find_items(
        s, text=q, group_id=group, brand_id=brand, limit=paging.size, offset=paging.offset
    )
    rows = [
        {
            "id": it.id,
            "code": it.code,
            "article": it.article,
            "name": catalog.item_name(it, lang),
            "brand": it.brand.name if it.brand else "",
            "unit": (it.unit.names or {}).get(lang) or it.unit.code,
            "kind": it.kind,
            "is_active": it.is_active,
        }
        for it in items
    ]
    context = {
        "tree": catalog.group_tree(s, lang),
        "rows": rows,
        "paging": paging.with_total(total),
        "q": q or "",
        "group_id": group,
        "brand_id": brand,
        "brands": queries.brand_choices(s),
        "can_edit": can(user.role, "catalog.edit"),
    }
    return render(request, "backoffice/catalog/index.html", context)


@router.get("/catalog/items/{item_id:int}")
def item_card(request: Request, item_id: int, user: StaffUser, s: ReadSession) -> Response:
    return render(request, ITEM_TEMPLATE, item_card_context(request, s, item_id, user))


def item_card_context(request: Request, s: Session, item_id: int, user: SessionUser) -> dict[str, object]:
    lang = lang_of(request)
    item = catalog.get_item(s, item_id)
    group = catalog.get_group(s, item.group_id)
    return {
        "item": item,
        "name": catalog.item_name(item, lang),
        "group_name": catalog.group_name(group, lang),
        "unit_name": (item.unit.names or {}).get(lang) or item.unit.code,
        "translations": sorted(item.translations, key=lambda t: t.lang),
        "oem_numbers": sorted(item.oem_numbers, key=lambda o: o.number),
        "analogues": [
            (a.id, a.code, a.article, catalog.item_name(a, lang)) for a in catalog.list_analogues(s, item.id)
        ],
        "barcodes": sorted(item.barcodes, key=lambda b: b.barcode),
        "properties": sorted(
            ((p.property.names or {}).get(lang) or p.property.code, p.value, p.property.unit)
            for p in item.properties
        ),
        "applicability": [m.name for m in catalog.list_applicability(s, item.id)],
        "packagings": sorted(item.packagings, key=lambda p: p.quantity),
        "prices": queries.item_price_rows(s, item.id),
        "stock_rows": _stock_rows(s, item.id),
        "can_edit": can(user.role, "catalog.edit"),
        "can_price": can(user.role, "pricing.edit"),
    }


def _stock_rows(s: Session, item_id: int) -> list[dict[str, object]]:
    names = dict(queries.warehouse_choices(s))
    return [
        {
            "warehouse_id": b.warehouse_id,
            "warehouse": names.get(b.warehouse_id, str(b.warehouse_id)),
            "on_hand": b.on_hand,
            "reserved": b.reserved,
            "free": b.free,
            "open_for_sale": b.open_for_sale,
        }
        for b in stock.list_balances(s, item_ids=[item_id])
    ]


def _card_action(
    request: Request, item_id: int, user: SessionUser, reader: FormReader, action: str, error: DomainError
) -> Exception:
    """A refused action of the card: the card as it was (read apart from the failed unit of work,
    which rolls back), the error beside the action's form."""
    with get_db(request).session() as s:
        context = item_card_context(request, s, item_id, user)
    context["action"] = action
    return reader.refused(ITEM_TEMPLATE, context, error)


def _back_to_card(item_id: int) -> RedirectResponse:
    return RedirectResponse(f"/backoffice/catalog/items/{item_id}?notice=saved", status_code=303)


@router.post("/catalog/items/{item_id:int}/oem-numbers")
def add_oem_number(
    request: Request, item_id: int, user: CatalogEditor, form: Form, s: WriteSession
) -> Response:
    reader = FormReader(form)
    try:
        catalog.add_oem_number(
            s, item_id, user_id=user.user_id, number=reader.text("number") or "", maker=reader.text("maker")
        )
    except DomainError as error:
        raise _card_action(request, item_id, user, reader, "oem", error) from None
    return _back_to_card(item_id)


@router.post("/catalog/items/{item_id:int}/barcodes")
def add_barcode(request: Request, item_id: int, user: CatalogEditor, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    try:
        catalog.add_barcode(s, item_id, user_id=user.user_id, barcode=reader.text("barcode") or "")
    except DomainError as error:
        raise _card_action(request, item_id, user, reader, "barcode", error) from None
    return _back_to_card(item_id)


@router.post("/catalog/items/{item_id:int}/analogues")
def link_analogue(
    request: Request, item_id: int, user: CatalogEditor, form: Form, s: WriteSession
) -> Response:
    reader = FormReader(form)
    code = reader.text("analogue_code") or ""
    try:
        analogue_id = queries.item_id_by_code(s, code)
        catalog.link_analogues(
            s, item_id, analogue_id, user_id=user.user_id, two_way=reader.boolean("two_way")
        )
    except DomainError as error:
        raise _card_action(request, item_id, user, reader, "analogue", error) from None
    return _back_to_card(item_id)
