"""Partner pages: the list (search, dealers/suppliers), the card with contractors, bank accounts
and agreements, and the forms to create and edit them (identifier errors beside their fields)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core import partners
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import text_values
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
PartnerEditor = Annotated[SessionUser, Depends(require("partners.edit"))]
PARTNER_FORM = "backoffice/partners/partner_form.html"
CONTRACTOR_FORM = "backoffice/partners/contractor_form.html"
BANK_ACCOUNT_FORM = "backoffice/partners/bank_account_form.html"
PARTNER_FIELDS = ("name", "is_dealer", "is_supplier", "region", "email", "phone", "is_active")
CONTRACTOR_FIELDS = ("name", "inn", "kpp", "ogrn", "country", "legal_address", "postal_address", "is_active")


@router.get("/partners")
def partner_list(
    request: Request,
    user: StaffUser,
    s: ReadSession,
    q: str | None = None,
    kind: str | None = None,
    page: OptionalInt = None,
) -> Response:
    kind = kind if kind in partners.PARTNER_KINDS else None
    paging = Paging.start(page)
    rows, total = partners.list_partners(s, text=q, kind=kind, limit=paging.size, offset=paging.offset)
    context = {
        "rows": [(p, len(p.contractors)) for p in rows],
        "paging": paging.with_total(total),
        "q": q or "",
        "kind": kind or "",
        "can_edit": can(user.role, "partners.edit"),
    }
    return render(request, "backoffice/partners/list.html", context)


@router.get("/partners/{partner_id:int}")
def partner_card(request: Request, partner_id: int, user: StaffUser, s: ReadSession) -> Response:
    partner = partners.get_partner(s, partner_id)
    contractors = [(c, list(c.bank_accounts)) for c in partner.contractors]
    context = {
        "partner": partner,
        "contractors": contractors,
        "agreements": queries.agreements_of(s, partner_id),
        "can_edit": can(user.role, "partners.edit"),
        "can_price": can(user.role, "pricing.edit"),
    }
    return render(request, "backoffice/partners/card.html", context)


def _read_partner(reader: FormReader, *, editing: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": reader.text("name", required=True, max_length=200),
        "is_dealer": reader.boolean("is_dealer"),
        "is_supplier": reader.boolean("is_supplier"),
        "region": reader.text("region", max_length=100),
        "email": reader.text("email", max_length=200),
        "phone": reader.text("phone", max_length=50),
    }
    if editing:
        fields["is_active"] = reader.boolean("is_active")
    return fields


@router.get("/partners/new")
def new_partner_form(request: Request, _user: PartnerEditor) -> Response:
    return render(request, PARTNER_FORM, {"partner_id": None, "values": {"is_dealer": "on"}})


@router.post("/partners/new")
def create_partner(request: Request, user: PartnerEditor, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    context = {"partner_id": None}
    fields = _read_partner(reader, editing=False)
    if not reader.ok:
        raise reader.rejected(PARTNER_FORM, context)
    try:
        partner = partners.create_partner(s, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(PARTNER_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/partners/{partner.id}?notice=created", status_code=303)


@router.get("/partners/{partner_id:int}/edit")
def edit_partner_form(request: Request, partner_id: int, _user: PartnerEditor, s: ReadSession) -> Response:
    partner = partners.get_partner(s, partner_id)
    return render(
        request, PARTNER_FORM, {"partner_id": partner_id, "values": text_values(partner, PARTNER_FIELDS)}
    )


@router.post("/partners/{partner_id:int}/edit")
def update_partner(
    request: Request, partner_id: int, user: PartnerEditor, form: Form, s: WriteSession
) -> Response:
    partners.get_partner(s, partner_id)
    reader = FormReader(form)
    context = {"partner_id": partner_id}
    fields = _read_partner(reader, editing=True)
    if not reader.ok:
        raise reader.rejected(PARTNER_FORM, context)
    try:
        partners.update_partner(s, partner_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(PARTNER_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/partners/{partner_id}?notice=saved", status_code=303)


def _read_contractor(reader: FormReader, *, editing: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": reader.text("name", required=True, max_length=300),
        "inn": reader.text("inn", max_length=12),
        "kpp": reader.text("kpp", max_length=9),
        "ogrn": reader.text("ogrn", max_length=15),
        "country": (reader.text("country", max_length=2) or "RU").upper(),
        "legal_address": reader.text("legal_address", max_length=500),
        "postal_address": reader.text("postal_address", max_length=500),
    }
    if editing:
        fields["is_active"] = reader.boolean("is_active")
    return fields


def _contractor_context(partner: Any, contractor_id: int | None) -> dict[str, Any]:
    return {"partner_id": partner.id, "partner_name": partner.name, "contractor_id": contractor_id}


def _owned_contractor(s: Any, partner_id: int, contractor_id: int) -> Any:
    """The contractor, if it belongs to this partner (else: not found)."""
    contractor = partners.get_contractor(s, contractor_id)
    if contractor.partner_id != partner_id:
        raise partners.ContractorNotFound(
            T("this legal entity belongs to another partner"), contractor_id=contractor_id, partner_id=partner_id
        )
    return contractor


@router.get("/partners/{partner_id:int}/contractors/new")
def new_contractor_form(request: Request, partner_id: int, _user: PartnerEditor, s: ReadSession) -> Response:
    context = _contractor_context(partners.get_partner(s, partner_id), None)
    return render(request, CONTRACTOR_FORM, {**context, "values": {"country": "RU"}})


@router.post("/partners/{partner_id:int}/contractors/new")
def add_contractor(
    request: Request, partner_id: int, user: PartnerEditor, form: Form, s: WriteSession
) -> Response:
    context = _contractor_context(partners.get_partner(s, partner_id), None)
    reader = FormReader(form)
    fields = _read_contractor(reader, editing=False)
    if not reader.ok:
        raise reader.rejected(CONTRACTOR_FORM, context)
    try:
        partners.add_contractor(s, partner_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(CONTRACTOR_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/partners/{partner_id}?notice=created", status_code=303)


@router.get("/partners/{partner_id:int}/contractors/{contractor_id:int}/edit")
def edit_contractor_form(
    request: Request, partner_id: int, contractor_id: int, _user: PartnerEditor, s: ReadSession
) -> Response:
    contractor = _owned_contractor(s, partner_id, contractor_id)
    context = _contractor_context(contractor.partner, contractor_id)
    return render(request, CONTRACTOR_FORM, {**context, "values": text_values(contractor, CONTRACTOR_FIELDS)})


@router.post("/partners/{partner_id:int}/contractors/{contractor_id:int}/edit")
def update_contractor(
    request: Request, partner_id: int, contractor_id: int, user: PartnerEditor, form: Form, s: WriteSession
) -> Response:
    context = _contractor_context(_owned_contractor(s, partner_id, contractor_id).partner, contractor_id)
    reader = FormReader(form)
    fields = _read_contractor(reader, editing=True)
    if not reader.ok:
        raise reader.rejected(CONTRACTOR_FORM, context)
    try:
        partners.update_contractor(s, contractor_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(CONTRACTOR_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/partners/{partner_id}?notice=saved", status_code=303)


@router.get("/partners/{partner_id:int}/contractors/{contractor_id:int}/bank-accounts/new")
def new_bank_account_form(
    request: Request, partner_id: int, contractor_id: int, _user: PartnerEditor, s: ReadSession
) -> Response:
    contractor = _owned_contractor(s, partner_id, contractor_id)
    context = {"partner_id": partner_id, "contractor_id": contractor_id, "contractor_name": contractor.name}
    return render(request, BANK_ACCOUNT_FORM, {**context, "values": {"currency": "RUB"}})


@router.post("/partners/{partner_id:int}/contractors/{contractor_id:int}/bank-accounts/new")
def add_bank_account(
    request: Request, partner_id: int, contractor_id: int, user: PartnerEditor, form: Form, s: WriteSession
) -> Response:
    contractor = _owned_contractor(s, partner_id, contractor_id)
    context = {"partner_id": partner_id, "contractor_id": contractor_id, "contractor_name": contractor.name}
    reader = FormReader(form)
    fields = {
        "bank_name": reader.text("bank_name", required=True, max_length=300),
        "bik": reader.text("bik", required=True, max_length=9),
        "account_number": reader.text("account_number", required=True, max_length=20),
        "correspondent_account": reader.text("correspondent_account", max_length=20),
        "currency": (reader.text("currency", max_length=3) or "RUB").upper(),
    }
    if not reader.ok:
        raise reader.rejected(BANK_ACCOUNT_FORM, context)
    try:
        partners.add_bank_account(s, contractor_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise reader.refused(BANK_ACCOUNT_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/partners/{partner_id}?notice=created", status_code=303)
