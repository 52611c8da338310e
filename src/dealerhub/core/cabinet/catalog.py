"""The dealer's catalog: search with filters and the group tree, the item card, and the personal
price list (price_list.py). Search is core.catalog.search; prices and stock are catalog_offers.
Owners and buyers see it (cabinet.catalog); the catalog is the same for every dealer, prices and
stock are each dealer's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import carts, catalog
from dealerhub.core.cabinet import catalog_offers
from dealerhub.core.cabinet.catalog_reference import catalog_reference
from dealerhub.core.cabinet.catalog_tree import group_tree_html
from dealerhub.core.cabinet.deps import NOT_FOUND, Dealer, ObjectNotFound, require_permission
from dealerhub.core.cabinet.matrix import scoped, shared
from dealerhub.core.catalog.models import (
    Barcode,
    Item,
    ItemOemNumber,
    ItemPackaging,
    ItemPropertyValue,
)
from dealerhub.core.catalog.rules import pick_name
from dealerhub.web.deps import OptionalInt, ReadSession, request_language
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
CatalogReader = Annotated[Dealer, Depends(require_permission("cabinet.catalog"))]
PAGE_SIZE = 25


@router.get("/catalog")
@scoped()
def catalog_page(
    request: Request,
    dealer: CatalogReader,
    s: ReadSession,
    q: str = "",
    brand: OptionalInt = None,
    group: OptionalInt = None,
    model: OptionalInt = None,
    in_stock: bool = False,
    page: OptionalInt = None,
) -> Response:
    lang = request_language(request)
    terms = catalog_offers.dealer_terms(s, dealer.partner_id)
    query = catalog.CatalogQuery(
        text=q.strip()[:200],
        brand_id=brand,
        group_id=group,
        machine_model_id=model,
        in_stock_on=terms.warehouse_ids if in_stock else (),
    )
    paging = Paging.start(page, PAGE_SIZE)
    asked = bool(query.text) or any(v is not None for v in (brand, group, model))
    # The bare page shows the tree and the search box, not 100 000 items by article.
    found = catalog.search_items(s, query, lang=lang, limit=paging.size, offset=paging.offset) if asked else None
    hits = found.hits if found else []
    reference = catalog_reference(s, lang)  # the group tree, brands and models
    catalog_url = _url_maker(
        {"q": query.text, "brand": brand, "group": group, "model": model, "in_stock": in_stock or None}
    )
    return render(
        request,
        "cabinet/catalog/search.html",
        {
            "q": query.text,
            "filters": {"brand": brand, "group": group, "model": model, "in_stock": in_stock},
            "asked": asked,
            "hits": hits,
            "more": found.more if found else False,
            "offers": catalog_offers.offers(s, terms, [h.item_id for h in hits]),
            "terms": terms,
            "paging": paging.with_total(found.total if found else 0),
            "reference": reference,
            "group_tree": group_tree_html(request.app.state.templates.env, reference, catalog_url, group),
            "carts": _carts(s, dealer),
            "catalog_url": catalog_url,
        },
    )


def _url_maker(current: dict[str, object]) -> Callable[..., str]:
    """catalog_url(group=5, page=None): this search with some parameters changed (None drops one)."""

    def catalog_url(**changes: object) -> str:
        params = {k: v for k, v in {**current, "page": None, **changes}.items() if v not in (None, "")}
        return "/cabinet/catalog" + ("?" + urlencode(params) if params else "")

    return catalog_url


@router.get("/catalog/items/{item_id}")
@scoped(item_id=shared("item"))
def item_card(request: Request, item_id: int, dealer: CatalogReader, s: ReadSession) -> Response:
    lang = request_language(request)
    item = s.get(Item, item_id)
    if item is None or not item.is_active:
        raise ObjectNotFound(NOT_FOUND, object="item", object_id=item_id)
    analogues = [a for a in catalog.list_analogues(s, item.id) if a.is_active]
    terms = catalog_offers.dealer_terms(s, dealer.partner_id)
    offers = catalog_offers.offers(s, terms, [item.id] + [a.id for a in analogues])
    own = offers[item.id]
    # Out of stock: analogues that are in stock come first, so the dealer can order them instead.
    analogues.sort(key=lambda a: (not offers[a.id].in_stock, a.article, a.id))
    return render(
        request,
        "cabinet/catalog/item.html",
        {
            "item": item,
            "name": catalog.item_name(item, lang),
            "description": catalog.item_description(item, lang),
            "group": catalog.group_name(item.group, lang) if item.group else "",
            "unit": pick_name(item.unit.names, lang) or item.unit.code,
            "properties": _properties(s, item.id, lang),
            "models": catalog.list_applicability(s, item.id),
            "oem_numbers": s.scalars(
                select(ItemOemNumber).where(ItemOemNumber.item_id == item.id).order_by(ItemOemNumber.number)
            ).all(),
            "packagings": s.scalars(
                select(ItemPackaging).where(ItemPackaging.item_id == item.id).order_by(ItemPackaging.quantity)
            ).all(),
            "barcodes": s.scalars(select(Barcode.barcode).where(Barcode.item_id == item.id).order_by(Barcode.barcode)).all(),
            "analogues": [(a, catalog.item_name(a, lang), offers[a.id]) for a in analogues],
            "analogues_first": not own.in_stock and any(offers[a.id].in_stock for a in analogues),
            "offer": own,
            "terms": terms,
            "carts": _carts(s, dealer),
        },
    )


def _properties(s: Session, item_id: int, lang: str) -> list[tuple[str, str]]:
    rows = s.scalars(select(ItemPropertyValue).where(ItemPropertyValue.item_id == item_id)).all()
    named = [(pick_name(r.property.names, lang) or r.property.code, r.value, r.property.unit) for r in rows]
    return [(name, f"{value} {unit}" if unit else value) for name, value, unit in sorted(named)]


def _carts(s: Session, dealer: Dealer) -> list:
    """The dealer's carts for the "add to cart" control (carts.py serves it); none for a role
    that can't order."""
    return carts.list_carts(s, dealer.partner_id) if dealer.can("cabinet.orders") else []
