"""Use cases of partners, their contractors (legal entities) and bank accounts. They never commit."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.partners import rules, wms_messages
from dealerhub.core.partners.errors import (
    ContractorNotFound,
    DuplicateBankAccount,
    DuplicateContractor,
    InvalidPartnerData,
    PartnerNotFound,
)
from dealerhub.core.partners.models import BankAccount, Contractor, Partner
from dealerhub.shared.texts import T, Text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PARTNER_FIELDS = frozenset({"name", "is_dealer", "is_supplier", "region", "email", "phone", "is_active"})
_CONTRACTOR_FIELDS = frozenset(
    {"name", "inn", "kpp", "ogrn", "country", "legal_address", "postal_address", "is_active"}
)
PARTNER_KINDS = ("dealer", "supplier")
# The fields as their forms label them, for the refusals shown beside them.
_FIELD_NAMES = {
    "name": T("Name"),
    "region": T("Region"),
    "email": T("E-mail"),
    "phone": T("Phone"),
    "country": T("Country"),
    "currency": T("Currency"),
    "legal_address": T("Legal address"),
    "postal_address": T("Postal address"),
    "bank_name": T("Bank"),
}


def create_partner(
    s: Session,
    *,
    user_id: int | None,
    name: str,
    is_dealer: bool = False,
    is_supplier: bool = False,
    region: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Partner:
    values = _partner_values(
        {
            "name": name,
            "is_dealer": is_dealer,
            "is_supplier": is_supplier,
            "region": region,
            "email": email,
            "phone": phone,
        }
    )
    partner = Partner(**values)
    s.add(partner)
    s.flush()
    record_change(s, user_id=user_id, entity_type="partner", entity_id=partner.id, action="create", **values)
    return partner


def update_partner(s: Session, partner_id: int, *, user_id: int | None, **fields: Any) -> Partner:
    _refuse_unknown(fields, _PARTNER_FIELDS, T("a partner"))
    partner = get_partner(s, partner_id)
    changed = _apply(partner, _partner_values(fields))
    if changed:
        s.flush()
        record_change(
            s, user_id=user_id, entity_type="partner", entity_id=partner.id, action="update", changes=changed
        )
        wms_messages.partner_saved(s, partner)  # COUNTERPARTY roles of its contractors the WMS knows
    return partner


def add_contractor(
    s: Session,
    partner_id: int,
    *,
    user_id: int | None,
    name: str,
    inn: str | None,
    kpp: str | None = None,
    ogrn: str | None = None,
    country: str = "RU",
    legal_address: str | None = None,
    postal_address: str | None = None,
) -> Contractor:
    partner = get_partner(s, partner_id)
    values = _contractor_values(
        {
            "name": name,
            "inn": inn,
            "kpp": kpp,
            "ogrn": ogrn,
            "country": country,
            "legal_address": legal_address,
            "postal_address": postal_address,
        }
    )
    _validate_ids(values)
    _ensure_unique_ids(s, values["inn"], values["kpp"], exclude_id=None)
    contractor = Contractor(partner_id=partner.id, **values)
    s.add(contractor)
    _flush_unique_ids(s, values)
    record_change(
        s,
        user_id=user_id,
        entity_type="contractor",
        entity_id=contractor.id,
        action="create",
        partner_id=partner.id,
        **values,
    )
    wms_messages.contractor_saved(s, contractor, created=True)  # COUNTERPARTY when "upfront"
    return contractor


def update_contractor(s: Session, contractor_id: int, *, user_id: int | None, **fields: Any) -> Contractor:
    """Change fields; the identifiers are checked again as a whole (INN, KPP, OGRN, country)."""
    _refuse_unknown(fields, _CONTRACTOR_FIELDS, T("a contractor"))
    contractor = get_contractor(s, contractor_id)
    values = _contractor_values(fields)
    ids = {f: values.get(f, getattr(contractor, f)) for f in ("inn", "kpp", "ogrn", "country")}
    _validate_ids(ids)
    _ensure_unique_ids(s, ids["inn"], ids["kpp"], exclude_id=contractor.id)
    changed = _apply(contractor, values)
    if changed:
        _flush_unique_ids(s, ids)
        record_change(
            s,
            user_id=user_id,
            entity_type="contractor",
            entity_id=contractor.id,
            action="update",
            changes=changed,
        )
        wms_messages.contractor_saved(s, contractor, created=False)
    return contractor


def add_bank_account(
    s: Session,
    contractor_id: int,
    *,
    user_id: int | None,
    bank_name: str,
    bik: str,
    account_number: str,
    correspondent_account: str | None = None,
    currency: str = "RUB",
) -> BankAccount:
    """A settlement account checked against the bank's BIK; the contractor's first becomes default."""
    contractor = get_contractor(s, contractor_id)
    bik, account_number = _identifier(bik), _identifier(account_number)
    correspondent_account = _identifier(correspondent_account)
    currency = _currency(currency)
    rules.validate_bank_account(
        bik=bik, account_number=account_number, correspondent_account=correspondent_account
    )
    rules.validate_account_currency(account_number=account_number, currency=currency)
    if s.scalar(
        select(
            exists().where(
                BankAccount.contractor_id == contractor.id,
                BankAccount.bik == bik,
                BankAccount.account_number == account_number,
            )
        )
    ):
        raise DuplicateBankAccount(
            T(
                "%(contractor)s already has account %(account)s in the bank with BIK %(bik)s",
                contractor=contractor.name, account=account_number, bik=bik,
            ),
            account_number=account_number,
        )
    account = BankAccount(
        contractor_id=contractor.id,
        bank_name=_text(bank_name, "bank_name", 300),
        bik=bik,
        account_number=account_number,
        correspondent_account=correspondent_account,
        currency=currency,
        is_default=not s.scalar(select(exists().where(BankAccount.contractor_id == contractor.id))),
    )
    s.add(account)
    s.flush()
    s.expire(contractor, ["bank_accounts"])
    record_change(
        s,
        user_id=user_id,
        entity_type="contractor",
        entity_id=contractor.id,
        action="add_bank_account",
        bank_account_id=account.id,
        bik=bik,
        account_number=account_number,
        currency=currency,
        is_default=account.is_default,
    )
    return account


def get_partner(s: Session, partner_id: int) -> Partner:
    partner = s.get(Partner, partner_id)
    if partner is None:
        raise PartnerNotFound(T("the partner was not found"), partner_id=partner_id)
    return partner


def get_contractor(s: Session, contractor_id: int) -> Contractor:
    contractor = s.get(Contractor, contractor_id)
    if contractor is None:
        raise ContractorNotFound(T("the contractor was not found"), contractor_id=contractor_id)
    return contractor


def list_partners(
    s: Session, *, text: str | None = None, kind: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Partner], int]:
    """Partners by name; `text` matches part of the partner's name or a contractor's name or INN."""
    conditions: list[Any] = []
    if kind is not None:
        if kind not in PARTNER_KINDS:
            raise InvalidPartnerData(T("kind must be one of %(kinds)s", kinds=", ".join(PARTNER_KINDS)), field="kind")
        conditions.append(Partner.is_dealer if kind == "dealer" else Partner.is_supplier)
    if text and text.strip():
        key, digits = rules.name_search_key(text), text.strip()
        conditions.append(
            or_(
                Partner.name_key.contains(key, autoescape=True),
                exists().where(
                    Contractor.partner_id == Partner.id,
                    or_(
                        Contractor.name_key.contains(key, autoescape=True),
                        Contractor.inn.contains(digits, autoescape=True),
                    ),
                ),
            )
        )
    total = s.scalar(select(func.count()).select_from(Partner).where(*conditions)) or 0
    page = s.scalars(
        select(Partner).where(*conditions).order_by(Partner.name, Partner.id).limit(limit).offset(offset)
    )
    return list(page), total


def _partner_values(fields: dict[str, Any]) -> dict[str, Any]:
    cleaners = {
        "name": lambda v: _text(v, "name", 200),
        "region": lambda v: _text(v, "region", 100, required=False),
        "email": _email,
        "phone": lambda v: _text(v, "phone", 50, required=False),
        "is_dealer": bool,
        "is_supplier": bool,
        "is_active": bool,
    }
    return {f: cleaners[f](v) for f, v in fields.items()}


def _contractor_values(fields: dict[str, Any]) -> dict[str, Any]:
    cleaners = {
        "name": lambda v: _text(v, "name", 300),
        "inn": _identifier,
        "kpp": lambda v: _identifier(v, upper=True),
        "ogrn": _identifier,
        "country": _country,
        "legal_address": lambda v: _text(v, "legal_address", 500, required=False),
        "postal_address": lambda v: _text(v, "postal_address", 500, required=False),
        "is_active": bool,
    }
    return {f: cleaners[f](v) for f, v in fields.items()}


def _validate_ids(ids: dict[str, Any]) -> None:
    rules.validate_contractor_ids(inn=ids["inn"], kpp=ids["kpp"], ogrn=ids["ogrn"], country=ids["country"])
    rules.validate_ogrn_kind(inn=ids["inn"], ogrn=ids["ogrn"])


def _ensure_unique_ids(s: Session, inn: str | None, kpp: str | None, *, exclude_id: int | None) -> None:
    if not inn:
        return  # a foreign supplier without an INN
    query = select(Contractor.name).where(
        Contractor.inn == inn, Contractor.kpp == kpp if kpp else Contractor.kpp.is_(None)
    )
    if exclude_id is not None:
        query = query.where(Contractor.id != exclude_id)
    other = s.scalar(query.limit(1))
    if other is not None:
        raise DuplicateContractor(_duplicate_message(inn, kpp, other), inn=inn, kpp=kpp)


def _flush_unique_ids(s: Session, ids: dict[str, Any]) -> None:
    """Flush; a concurrent insert of the same INN+KPP (the unique constraint) becomes DuplicateContractor."""
    try:
        s.flush()
    except IntegrityError as exc:
        raise DuplicateContractor(
            _duplicate_message(ids["inn"], ids["kpp"], None), inn=ids["inn"], kpp=ids["kpp"]
        ) from exc


def _duplicate_message(inn: str, kpp: str | None, other: str | None) -> Text:
    if kpp and other:
        return T("a contractor with INN %(inn)s and KPP %(kpp)s already exists (%(name)s)", inn=inn, kpp=kpp, name=other)
    if kpp:
        return T("a contractor with INN %(inn)s and KPP %(kpp)s already exists", inn=inn, kpp=kpp)
    if other:
        return T("a contractor with INN %(inn)s already exists (%(name)s)", inn=inn, name=other)
    return T("a contractor with INN %(inn)s already exists", inn=inn)


def _apply(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {f: [getattr(obj, f), v] for f, v in values.items() if getattr(obj, f) != v}
    for field, (_old, new) in changed.items():
        setattr(obj, field, new)
    return changed


def _refuse_unknown(fields: dict[str, Any], allowed: frozenset[str], what: Text) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidPartnerData(T("%(what)s has no editable field(s) %(fields)s", what=what, fields=", ".join(unknown)), fields=unknown)


def _text(value: Any, field: str, max_len: int, *, required: bool = True) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidPartnerData(T("%(field)s is required", field=_FIELD_NAMES.get(field, field)), field=field)
        return None
    if len(text) > max_len:
        raise InvalidPartnerData(T(
            "%(field)s is longer than %(count)s characters", field=_FIELD_NAMES.get(field, field), count=max_len
        ), field=field)
    return text


def _identifier(value: Any, *, upper: bool = False) -> str | None:
    """An INN, KPP, OGRN, BIK or account as typed, without spaces; '' is None."""
    text = "".join(str(value or "").split())
    return (text.upper() if upper else text) or None


def _email(value: Any) -> str | None:
    email = _text(value, "email", 200, required=False)
    if email is not None and not _EMAIL.match(email):
        raise InvalidPartnerData(T("'%(email)s' is not an e-mail address", email=email), field="email")
    return email


def _country(value: Any) -> str:
    country = (_text(value, "country", 2) or "").upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidPartnerData(T("country '%(country)s' is not a two-letter code", country=value), field="country")
    return country


def _currency(value: Any) -> str:
    currency = (_text(value, "currency", 3) or "").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidPartnerData(T("currency '%(currency)s' is not a three-letter code", currency=value), field="currency")
    return currency
