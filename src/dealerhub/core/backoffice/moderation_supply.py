"""The suggested supplier order for what a dealer's order misses on its warehouse: one draft per
supplier the missing items were last bought from (legal entity, currency, rate and last prices
prefilled; items never bought: the manager chooses the supplier). The manager may adjust it and
makes the draft; the purchaser finishes and confirms it on the supplier order's page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import purchasing, sales
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.moderation import PAGE, DocLink, Moderator
from dealerhub.core.backoffice.moderation_queries import supplier_contractors, supply_groups
from dealerhub.core.documents import InvalidDocument
from dealerhub.core.partners.models import Contractor
from dealerhub.core.purchasing.models import PURCHASE_CURRENCIES
from dealerhub.core.sales.rules import show
from dealerhub.shared.errors import DomainError, NotFound
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.errors import answer_for
from dealerhub.web.forms import FormReader, FormRejected
from dealerhub.web.rendering import render

router = APIRouter()
TEMPLATE = "backoffice/moderation/supply.html"
SUPPLIER_ORDERS = "/purchasing/orders"


def supply_context(s: Session, order_id: int, lang: str) -> dict[str, Any]:
    order = sales.get_customer_order(s, order_id)
    groups = supply_groups(s, order_id)
    return {
        "order": DocLink(order.id, order.number, order.status),
        "groups": groups,
        "labels": dr.item_labels(s, (ln.item_id for g in groups for ln in g.lines), lang),
        "contractors": supplier_contractors(s),
        "currencies": PURCHASE_CURRENCIES,
        "warehouse": dr.warehouse_names(s).get(order.warehouse_id, ""),
        "refusal": None,
        "plain": show,  # 12, 92.5: as typed, never 1.2E+1
    }


@router.get(PAGE + "/{order_id:int}/supply")
def supply_form(request: Request, order_id: int, _user: Moderator, s: ReadSession) -> Response:
    return render(request, TEMPLATE, supply_context(s, order_id, lang_of(request)))


def _lines(reader: FormReader) -> list[purchasing.SupplierOrderLineInput]:
    """item_id (repeated) with quantity_<item> and price_<item>; a blank or zero quantity is left out."""
    lines = []
    for item_id in reader.integers("item_id"):
        quantity = reader.decimal(f"quantity_{item_id}")
        price = reader.decimal(f"price_{item_id}")
        if f"quantity_{item_id}" in reader.errors or f"price_{item_id}" in reader.errors:
            raise InvalidDocument(T("quantities and prices are numbers, e.g. 12 or 10.50"))
        if quantity is None or quantity == 0:
            continue
        lines.append(purchasing.SupplierOrderLineInput(item_id, quantity, price if price is not None else Decimal(0)))
    if not lines:
        raise InvalidDocument(T("the supplier order has no line with a quantity"))
    return lines


def create_suggested_order(s: Session, order_id: int, reader: FormReader, *, user_id: int | None) -> Any:
    order = sales.get_customer_order(s, order_id)
    contractor_id = reader.integer("contractor_id")
    contractor = s.get(Contractor, contractor_id) if contractor_id is not None else None
    if contractor is None:
        raise InvalidDocument(T("choose the supplier's legal entity"))
    rate = reader.decimal("exchange_rate")
    if "exchange_rate" in reader.errors:
        raise InvalidDocument(T("the exchange rate is a number, e.g. 92.5"))
    return purchasing.create_supplier_order(
        s,
        user_id=user_id,
        partner_id=contractor.partner_id,
        contractor_id=contractor.id,
        warehouse_id=order.warehouse_id,
        currency=reader.text("currency") or "",
        exchange_rate=rate if rate is not None else Decimal(0),
        lines=_lines(reader),
        comment=f"Suggested for the missing goods of customer order {order.number}",
    )


@router.post(PAGE + "/{order_id:int}/supply")
def create_supply(request: Request, order_id: int, user: Moderator, form: Form, s: WriteSession) -> Response:
    """A draft supplier order; refused: the suggestion shown again with the reason, nothing made."""
    sales.get_customer_order(s, order_id)  # 404 for an unknown order, before reading the form
    try:
        with s.begin_nested():
            made = create_suggested_order(s, order_id, FormReader(form), user_id=user.user_id)
    except NotFound:
        raise
    except DomainError as error:
        s.expire_all()
        context = supply_context(s, order_id, lang_of(request))
        answer = answer_for(error)
        context["refusal"] = dc.Refusal(answer.title, error.message, None)
        raise FormRejected(TEMPLATE, context, status_code=answer.status) from None
    return RedirectResponse(f"{dc.PREFIX}{SUPPLIER_ORDERS}/{made.id}?notice=created", status_code=303)
