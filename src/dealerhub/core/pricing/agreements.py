"""Dealer agreements (price type, discounts, priority warehouses, credit limit, reservation lifetime,
personal manager) and the dealer's personal price that follows from one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import User
from dealerhub.core.audit import record_change
from dealerhub.core.catalog.models import Brand, Item, ItemGroup
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.errors import AgreementNotFound, AgreementNumberTaken, InvalidAgreement
from dealerhub.core.pricing.models import AgreementDiscount, AgreementWarehouse, DealerAgreement
from dealerhub.core.pricing.personal import AgreementTerms, in_force_agreement_id, prices_under
from dealerhub.core.pricing.prices import get_price_type
from dealerhub.core.pricing.rules import (
    DiscountRule,
    PersonalPrice,
    discount_problem,
    duplicate_discounts,
    has_places,
    scope_name,
)
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.texts import T

_TARGETS = {"item": Item, "group": ItemGroup, "brand": Brand}
_AGREEMENTS, _DISCOUNTS = DealerAgreement.__table__, AgreementDiscount.__table__
_PLAIN_FIELDS = (
    "number",
    "price_type_id",
    "valid_from",
    "valid_to",
    "credit_limit",
    "reservation_hours",
    "personal_manager_id",
    "is_active",
)


@dataclass(frozen=True)
class DiscountInput:
    """scope: "all", "brand", "group" (the group and its subgroups) or "item"; target_id: its id."""

    scope: str
    percent: Decimal
    target_id: int | None = None


def create_agreement(
    s: Session,
    *,
    user_id: int | None,
    partner_id: int,
    number: str,
    price_type_id: int,
    valid_from: date,
    valid_to: date | None = None,
    credit_limit: Decimal = Decimal(0),
    reservation_hours: int = 72,
    personal_manager_id: int | None = None,
    warehouse_ids: Iterable[int] = (),
    discounts: Iterable[DiscountInput] = (),
) -> DealerAgreement:
    partner = s.get(Partner, partner_id)
    if partner is None or not partner.is_dealer:
        raise InvalidAgreement(
            T("partner %(partner)s is not a dealer", partner=partner.name if partner else partner_id),
            partner_id=partner_id,
        )
    agreement = DealerAgreement(partner_id=partner_id)
    _apply_fields(
        s,
        agreement,
        {
            "number": number,
            "price_type_id": price_type_id,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "credit_limit": Decimal(credit_limit),
            "reservation_hours": reservation_hours,
            "personal_manager_id": personal_manager_id,
            "is_active": True,
        },
    )
    agreement.warehouses = _warehouses(s, warehouse_ids)
    agreement.discounts = _discounts(s, discounts)
    s.add(agreement)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type="dealer_agreement",
        entity_id=agreement.id,
        action="create",
        number=agreement.number,
        partner_id=partner_id,
    )
    return agreement


def update_agreement(s: Session, agreement_id: int, *, user_id: int | None, **fields: Any) -> DealerAgreement:
    """Change plain fields and/or replace `warehouse_ids` (in priority order) or `discounts`."""
    agreement = get_agreement(s, agreement_id)
    unknown = set(fields) - set(_PLAIN_FIELDS) - {"warehouse_ids", "discounts"}
    if unknown:
        raise InvalidAgreement(
            T("these fields of an agreement can't be changed: %(fields)s", fields=", ".join(sorted(unknown)))
        )
    plain = {k: v for k, v in fields.items() if k in _PLAIN_FIELDS}
    merged = {k: plain.get(k, getattr(agreement, k)) for k in _PLAIN_FIELDS}
    _apply_fields(s, agreement, merged)
    if "warehouse_ids" in fields:
        agreement.warehouses = _warehouses(s, fields["warehouse_ids"])
    if "discounts" in fields:
        agreement.discounts = _discounts(s, fields["discounts"])
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type="dealer_agreement",
        entity_id=agreement.id,
        action="update",
        fields=sorted(fields),
    )
    return agreement


def get_agreement(s: Session, agreement_id: int) -> DealerAgreement:
    agreement = s.get(DealerAgreement, agreement_id)
    if agreement is None:
        raise AgreementNotFound(T("dealer agreement %(id)s not found", id=agreement_id), agreement_id=agreement_id)
    return agreement


def get_agreement_for(s: Session, partner_id: int, on: date) -> DealerAgreement | None:
    """The partner's active agreement valid on `on`; if several are, the one that started latest."""
    return s.scalar(
        select(DealerAgreement).where(DealerAgreement.id == in_force_agreement_id(partner_id, on))
    )


def personal_price(s: Session, agreement_id: int, item_id: int, on: date) -> PersonalPrice | None:
    """The dealer's price of an item on a date under an agreement; None if its price type has no price."""
    return personal_prices(s, agreement_id, [item_id], on)[item_id]


def personal_prices(
    s: Session,
    agreement_id: int,
    item_ids: Iterable[int],
    on: date,
    program_rules: tuple[DiscountRule, ...] = (),
) -> dict[int, PersonalPrice | None]:
    """Personal prices of many items at once (an order's lines, a dealer's price list);
    `program_rules`: the dealer's program discounts in force on `on` (bonus.discount_rules)."""
    s.flush()
    terms = replace(agreement_terms(s, agreement_id), program_rules=program_rules)
    return prices_under(s, terms, item_ids, on)


def agreement_terms(s: Session, agreement_id: int) -> AgreementTerms:
    """The agreement's price type and discounts, in one query."""
    rows = s.connection().execute(_TERMS, {"agreement_id": agreement_id}).all()
    if not rows:
        raise AgreementNotFound(T("dealer agreement %(id)s not found", id=agreement_id), agreement_id=agreement_id)
    return AgreementTerms(agreement_id, rows[0].price_type_id, discount_rules(rows))


def discount_rules(rows: Iterable[Any]) -> tuple[DiscountRule, ...]:
    """Rules from rows with scope, percent, item_id, group_id, brand_id (scope None: no discount)."""
    return tuple(DiscountRule(r.scope, r.percent, _target_of(r)) for r in rows if r.scope is not None)


def _apply_fields(s: Session, agreement: DealerAgreement, values: dict[str, Any]) -> None:
    number = (values["number"] or "").strip()
    if not number:
        raise InvalidAgreement(T("an agreement needs a number"))
    taken = s.scalar(select(DealerAgreement.id).where(DealerAgreement.number == number))
    if taken is not None and taken != agreement.id:
        raise AgreementNumberTaken(T("agreement number %(number)s is already used", number=number), number=number)
    get_price_type(s, values["price_type_id"])
    if values["valid_to"] is not None and values["valid_to"] < values["valid_from"]:
        raise InvalidAgreement(
            T(
                "an agreement can't end (%(end)s) before it starts (%(start)s)",
                end=values["valid_to"], start=values["valid_from"],
            )
        )
    credit_limit = Decimal(values["credit_limit"])
    if credit_limit < 0 or not has_places(credit_limit, 2):
        raise InvalidAgreement(
            T("credit limit %(limit)s must be non-negative, in kopecks at most", limit=credit_limit)
        )
    if int(values["reservation_hours"]) <= 0:
        raise InvalidAgreement(T("reservation lifetime must be a positive number of hours"))
    manager_id = values["personal_manager_id"]
    if manager_id is not None and s.get(User, manager_id) is None:
        raise InvalidAgreement(T("personal manager %(id)s is not a user", id=manager_id), user_id=manager_id)
    for key, value in values.items():
        setattr(agreement, key, number if key == "number" else value)


def _warehouses(s: Session, warehouse_ids: Iterable[int]) -> list[AgreementWarehouse]:
    ids = list(warehouse_ids)
    if len(set(ids)) != len(ids):
        raise InvalidAgreement(T("a priority warehouse is listed twice"))
    found = {w.id: w for w in s.scalars(select(Warehouse).where(Warehouse.id.in_(ids)))}
    for warehouse_id in ids:
        warehouse = found.get(warehouse_id)
        if warehouse is None:
            raise InvalidAgreement(T("unknown warehouse %(id)s", id=warehouse_id), warehouse_id=warehouse_id)
        if not warehouse.open_for_sale:
            raise InvalidAgreement(
                T("warehouse %(warehouse)s is closed for sale", warehouse=warehouse.code), warehouse_id=warehouse_id
            )
    return [AgreementWarehouse(warehouse_id=w, priority=no) for no, w in enumerate(ids, start=1)]


def _discounts(s: Session, discounts: Iterable[DiscountInput]) -> list[AgreementDiscount]:
    rules = [DiscountRule(d.scope, Decimal(d.percent), d.target_id) for d in discounts]
    for rule in rules:
        problem = discount_problem(rule)
        if problem:
            raise InvalidAgreement(problem)
        if rule.scope != "all" and s.get(_TARGETS[rule.scope], rule.target_id) is None:
            raise InvalidAgreement(
                T("discount on unknown %(scope)s %(target)s", scope=scope_name(rule.scope), target=rule.target_id)
            )
    duplicates = duplicate_discounts(rules)
    if duplicates:
        scope, target = duplicates[0]
        raise InvalidAgreement(
            T("two discounts on all items")
            if target is None
            else T("two discounts on the same %(scope)s %(target)s", scope=scope_name(scope), target=target)
        )
    return [
        AgreementDiscount(
            scope=r.scope,
            percent=r.percent,
            **({f"{r.scope}_id": r.target_id} if r.target_id is not None else {}),
        )
        for r in rules
    ]


def _target_of(discount: Any) -> int | None:
    """The discount's item, group or brand id (an AgreementDiscount or a row with those columns)."""
    return {"item": discount.item_id, "group": discount.group_id, "brand": discount.brand_id}.get(
        discount.scope
    )


# The statements of price resolution, built once (it runs for every order).
_TERMS = (
    select(
        _AGREEMENTS.c.price_type_id,
        _DISCOUNTS.c.scope,
        _DISCOUNTS.c.percent,
        _DISCOUNTS.c.item_id,
        _DISCOUNTS.c.group_id,
        _DISCOUNTS.c.brand_id,
    )
    .select_from(_AGREEMENTS.outerjoin(_DISCOUNTS, _DISCOUNTS.c.agreement_id == _AGREEMENTS.c.id))
    .where(_AGREEMENTS.c.id == bindparam("agreement_id"))
    .order_by(_DISCOUNTS.c.id)
)

