"""Pricing pages: price types, and an item's prices with their validity dates.
Dealer agreements: agreements.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import catalog, pricing
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.pricing.models import CURRENCIES, ItemPrice
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()
PricingEditor = Annotated[SessionUser, Depends(require("pricing.edit"))]
PRICE_TYPE_FORM = "backoffice/pricing/price_type_form.html"
ITEM_PRICES = "backoffice/pricing/item_prices.html"


@router.get("/pricing/price-types")
def price_type_list(request: Request, user: StaffUser, s: ReadSession) -> Response:
    context = {"rows": queries.price_types(s), "can_edit": can(user.role, "pricing.edit")}
    return render(request, "backoffice/pricing/price_types.html", context)


@router.get("/pricing/price-types/new")
def new_price_type_form(request: Request, _user: PricingEditor) -> Response:
    context = {"currency_options": [(c, c) for c in CURRENCIES], "values": {"currency": "RUB"}}
    return render(request, PRICE_TYPE_FORM, context)


@router.post("/pricing/price-types/new")
def create_price_type(request: Request, user: PricingEditor, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    context = {"currency_options": [(c, c) for c in CURRENCIES]}
    fields = {
        "code": reader.text("code", required=True, max_length=32),
        "name": reader.text("name", required=True, max_length=100),
        "currency": reader.text("currency", required=True),
        "is_base": reader.boolean("is_base"),
    }
    if not reader.ok:
        raise reader.rejected(PRICE_TYPE_FORM, context)
    try:
        pricing.create_price_type(s, user_id=user.user_id, **fields)
    except pricing.PriceTypeCodeTaken as error:
        raise reader.refused(PRICE_TYPE_FORM, context, error, default_field="code") from None
    except DomainError as error:
        raise reader.refused(PRICE_TYPE_FORM, context, error) from None
    return RedirectResponse("/backoffice/pricing/price-types?notice=created", status_code=303)


def _item_prices_context(request: Request, s: Session, item_id: int, user: SessionUser) -> dict[str, Any]:
    item = catalog.get_item(s, item_id)
    return {
        "item_id": item.id,
        "item_code": item.code,
        "item_article": item.article,
        "item_name": catalog.item_name(item, lang_of(request)),
        "rows": queries.item_price_rows(s, item.id),
        "price_type_options": queries.price_type_choices(s),
        "can_edit": can(user.role, "pricing.edit"),
    }


@router.get("/pricing/items/{item_id:int}/prices")
def item_prices(request: Request, item_id: int, user: StaffUser, s: ReadSession) -> Response:
    context = _item_prices_context(request, s, item_id, user)
    context["values"] = {"valid_from": clock.today().isoformat()}
    return render(request, ITEM_PRICES, context)


@router.post("/pricing/items/{item_id:int}/prices")
def set_item_price(
    request: Request, item_id: int, user: PricingEditor, form: Form, s: WriteSession
) -> Response:
    context = _item_prices_context(request, s, item_id, user)
    reader = FormReader(form)
    fields = {
        "price_type_id": reader.integer("price_type_id", required=True),
        "price": reader.decimal("price", required=True),
        "valid_from": reader.date("valid_from", required=True),
        "valid_to": reader.date("valid_to"),
    }
    if not reader.ok:
        raise reader.rejected(ITEM_PRICES, context)
    try:
        pricing.set_item_price(s, user_id=user.user_id, item_id=item_id, **fields)
    except DomainError as error:
        raise reader.refused(ITEM_PRICES, context, error) from None
    return RedirectResponse(f"/backoffice/pricing/items/{item_id}/prices?notice=saved", status_code=303)


@router.post("/pricing/prices/{price_id:int}/end")
def end_item_price(
    request: Request, price_id: int, user: PricingEditor, form: Form, s: WriteSession
) -> Response:
    row = s.get(ItemPrice, price_id)
    if row is None:
        raise pricing.InvalidPrice(T("there is no such item price"), price_id=price_id)
    context = _item_prices_context(request, s, row.item_id, user)
    reader = FormReader(form)
    valid_to = reader.date("end_on", required=True)
    if not reader.ok or valid_to is None:
        raise reader.rejected(ITEM_PRICES, context)
    try:
        pricing.end_item_price(s, price_id, user_id=user.user_id, valid_to=valid_to)
    except DomainError as error:
        raise reader.refused(ITEM_PRICES, context, error) from None
    return RedirectResponse(f"/backoffice/pricing/items/{row.item_id}/prices?notice=saved", status_code=303)
