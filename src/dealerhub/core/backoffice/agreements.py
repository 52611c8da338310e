"""Dealer agreement pages: the list, the card (discounts, priority warehouses), create and edit.

Priority warehouses are chosen in numbered selects (1 first); discounts are rows of a scope, a
target (an item's code, a group's code or a brand's name) and a percentage.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import partners, pricing
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.labels import options
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PricingEditor = Annotated[SessionUser, Depends(require("pricing.edit"))]
FORM = "backoffice/pricing/agreement_form.html"
WAREHOUSE_SLOTS = 5
DISCOUNT_ROWS = 6
UNKNOWN_TARGET = N_("No such item code, group code or brand name.")
TARGET_NEEDED = N_("Name the item, group or brand.")


@router.get("/pricing/agreements")
def agreement_list(
    request: Request, user: StaffUser, s: ReadSession, partner_id: OptionalInt = None
) -> Response:
    context = {
        "rows": queries.agreement_rows(s, partner_id=partner_id),
        "can_edit": can(user.role, "pricing.edit"),
    }
    return render(request, "backoffice/pricing/agreements.html", context)


@router.get("/pricing/agreements/{agreement_id:int}")
def agreement_card(request: Request, agreement_id: int, user: StaffUser, s: ReadSession) -> Response:
    agreement = pricing.get_agreement(s, agreement_id)
    context = {
        "agreement": agreement,
        "partner": partners.get_partner(s, agreement.partner_id),
        "price_type": pricing.get_price_type(s, agreement.price_type_id),
        "manager": dict(queries.staff_choices(s)).get(agreement.personal_manager_id or 0),
        "warehouses": queries.agreement_warehouse_rows(s, agreement),
        "discounts": queries.agreement_discount_rows(s, agreement),
        "can_edit": can(user.role, "pricing.edit"),
    }
    return render(request, "backoffice/pricing/agreement.html", context)


def _context(s: Session, agreement_id: int | None, partner_name: str | None = None) -> dict[str, Any]:
    return {
        "agreement_id": agreement_id,
        "partner_name": partner_name,
        "dealer_options": queries.dealer_choices(s),
        "price_type_options": queries.price_type_choices(s),
        "manager_options": queries.staff_choices(s),
        "warehouse_options": queries.warehouse_choices(s, open_for_sale_only=True),
        "scope_options": options("discount_scope"),
        "warehouse_slots": WAREHOUSE_SLOTS,
        "discount_rows": DISCOUNT_ROWS,
    }


def _read(s: Session, reader: FormReader, *, creating: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "number": reader.text("number", required=True, max_length=50),
        "price_type_id": reader.integer("price_type_id", required=True),
        "valid_from": reader.date("valid_from", required=True),
        "valid_to": reader.date("valid_to"),
        "credit_limit": reader.decimal("credit_limit") or 0,
        "reservation_hours": reader.integer("reservation_hours", required=True),
        "personal_manager_id": reader.integer("personal_manager_id"),
        "warehouse_ids": [
            w for w in (reader.integer(f"warehouse_{n}") for n in range(1, WAREHOUSE_SLOTS + 1)) if w
        ],
        "discounts": _read_discounts(s, reader),
    }
    if creating:
        fields["partner_id"] = reader.integer("partner_id", required=True)
    return fields


def _read_discounts(s: Session, reader: FormReader) -> list[pricing.DiscountInput]:
    discounts = []
    for n in range(1, DISCOUNT_ROWS + 1):
        scope = reader.text(f"discount_scope_{n}")
        percent = reader.decimal(f"discount_percent_{n}", required=bool(scope))
        if not scope or percent is None:
            continue
        target_id = None
        if scope != "all":
            target = reader.text(f"discount_target_{n}")
            target_id = queries.discount_target_id(s, scope, target) if target else None
            if target_id is None:
                reader.errors[f"discount_target_{n}"] = UNKNOWN_TARGET if target else TARGET_NEEDED
        discounts.append(pricing.DiscountInput(scope, percent, target_id))
    return discounts


def _values(s: Session, agreement: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": agreement.number,
        "price_type_id": str(agreement.price_type_id),
        "valid_from": agreement.valid_from.isoformat(),
        "valid_to": agreement.valid_to.isoformat() if agreement.valid_to else "",
        "credit_limit": str(agreement.credit_limit),
        "reservation_hours": str(agreement.reservation_hours),
        "personal_manager_id": str(agreement.personal_manager_id or ""),
    }
    for slot in agreement.warehouses:
        values[f"warehouse_{slot.priority}"] = str(slot.warehouse_id)
    for n, row in enumerate(queries.agreement_discount_rows(s, agreement), start=1):
        values.update(
            {
                f"discount_scope_{n}": row["scope"],
                f"discount_target_{n}": row["target_key"],
                f"discount_percent_{n}": str(row["percent"]),
            }
        )
    return values


@router.get("/pricing/agreements/new")
def new_agreement_form(
    request: Request, _user: PricingEditor, s: ReadSession, partner_id: OptionalInt = None
) -> Response:
    values = {
        "partner_id": str(partner_id or ""),
        "valid_from": clock.today().isoformat(),
        "reservation_hours": "72",
        "credit_limit": "0",
    }
    return render(request, FORM, {**_context(s, None), "values": values})


@router.post("/pricing/agreements/new")
def create_agreement(request: Request, user: PricingEditor, form: Form, s: WriteSession) -> Response:
    context = _context(s, None)
    reader = FormReader(form)
    fields = _read(s, reader, creating=True)
    if not reader.ok:
        raise reader.rejected(FORM, context)
    try:
        agreement = pricing.create_agreement(s, user_id=user.user_id, **fields)
    except pricing.AgreementNumberTaken as error:
        raise reader.refused(FORM, context, error, default_field="number") from None
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse(f"/backoffice/pricing/agreements/{agreement.id}?notice=created", status_code=303)


@router.get("/pricing/agreements/{agreement_id:int}/edit")
def edit_agreement_form(
    request: Request, agreement_id: int, _user: PricingEditor, s: ReadSession
) -> Response:
    agreement = pricing.get_agreement(s, agreement_id)
    context = _context(s, agreement_id, partners.get_partner(s, agreement.partner_id).name)
    return render(request, FORM, {**context, "values": _values(s, agreement)})


@router.post("/pricing/agreements/{agreement_id:int}/edit")
def update_agreement(
    request: Request, agreement_id: int, user: PricingEditor, form: Form, s: WriteSession
) -> Response:
    agreement = pricing.get_agreement(s, agreement_id)
    context = _context(s, agreement_id, partners.get_partner(s, agreement.partner_id).name)
    reader = FormReader(form)
    fields = _read(s, reader, creating=False)
    if not reader.ok:
        raise reader.rejected(FORM, context)
    try:
        pricing.update_agreement(s, agreement_id, user_id=user.user_id, **fields)
    except pricing.AgreementNumberTaken as error:
        raise reader.refused(FORM, context, error, default_field="number") from None
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse(f"/backoffice/pricing/agreements/{agreement_id}?notice=saved", status_code=303)
