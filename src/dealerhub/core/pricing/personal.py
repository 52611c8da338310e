"""Personal prices under an agreement's terms: the items' prices valid on a date and the group tree
their discounts need, read with compiled statements (shared/statements.py) so that an order can
send them with its other reads in one batch (one round trip on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, ScalarSelect, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item, ItemGroup
from dealerhub.core.documents import UnknownItem
from dealerhub.core.pricing.models import DealerAgreement, ItemPrice
from dealerhub.core.pricing.rules import (
    DiscountRule,
    ItemPlace,
    PersonalPrice,
    PricePeriod,
    group_path,
    personal_price_of,
)
from dealerhub.shared.statements import Batch, Pending, Prepared, batch, in_list
from dealerhub.shared.texts import T
from dealerhub.shared.types import BigId

_AGREEMENTS, _ITEMS, _GROUPS, _PRICES = (
    DealerAgreement.__table__, Item.__table__, ItemGroup.__table__, ItemPrice.__table__,
)  # fmt: skip


@dataclass(frozen=True)
class AgreementTerms:
    """What a personal price needs of an agreement: its price type and its discounts, and the
    dealer's program discounts in force (core.bonus adds them: pricing doesn't read programs)."""

    agreement_id: int
    price_type_id: int
    rules: tuple[DiscountRule, ...]
    program_rules: tuple[DiscountRule, ...] = ()

    @property
    def by_group(self) -> bool:
        """Does some discount, the agreement's or a program's, apply by item group?"""
        return any(rule.scope == "group" for rule in (*self.rules, *self.program_rules))


def in_force_agreement_id(partner_id: Any, on: Any) -> ScalarSelect[Any]:
    """The partner's active agreement valid on `on` (if several are, the one that started latest)
    as a scalar subquery of its id; `partner_id` and `on` are values or bind parameters."""
    a = _AGREEMENTS.alias("in_force")
    return (
        select(a.c.id)
        .where(
            a.c.partner_id == partner_id,
            a.c.is_active.is_(True),
            a.c.valid_from <= on,
            or_(a.c.valid_to.is_(None), a.c.valid_to >= on),
        )
        .order_by(a.c.valid_from.desc(), a.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class SentPrices:
    """The reads of prices_under(), sent in a batch before the terms were known (send_prices())."""

    item_ids: frozenset[int]
    on: date
    prices: Pending
    groups: Pending | None


def send_prices(
    b: Batch, item_ids: Iterable[int], *, agreement_id: int | None, partner_id: int, on: date
) -> SentPrices:
    """Send what prices_under() reads for these items under the agreement given, else the
    partner's agreement in force on `on` (as an order finds its agreement); pass the result to
    prices_under(), which reads again if the terms it gets have another price type."""
    ids = frozenset(item_ids)
    params = {"ids": ids, "agreement_id": agreement_id, "partner_id": partner_id, "on": on}
    query = _PRICES_UNDER_IN_FORCE_AGREEMENT if agreement_id is None else _PRICES_UNDER_GIVEN_AGREEMENT
    return SentPrices(ids, on, b.send(query, params), b.send(_GROUP_TREE_OF_ITEMS, {"ids": ids}))


def prices_under(
    s: Session, terms: AgreementTerms, item_ids: Iterable[int], on: date, *, sent: SentPrices | None = None
) -> dict[int, PersonalPrice | None]:
    """Personal prices under known terms: the items and their prices valid on `on`, and the group
    tree if a discount is on a group; one round trip. Doesn't flush the session. `sent`: these
    reads already made by send_prices() (used if they cover the items, the date and the price type)."""
    ids = set(item_ids)
    if not ids:
        return {}
    by_group = terms.by_group
    if sent is None or not ids <= sent.item_ids or sent.on != on or not _priced_as(sent.prices.rows, terms):
        params = {"ids": ids, "price_type_id": terms.price_type_id, "on": on}
        with batch(s.connection()) as b:
            prices = b.send(_ITEMS_WITH_PRICES, params)
            groups = b.send(_GROUP_TREE_OF_ITEMS, {"ids": ids}) if by_group else None
        sent = SentPrices(frozenset(ids), on, prices, groups)
    rows = [r for r in sent.prices.rows if r.id in ids]
    items = {r.id: (r.group_id, r.brand_id) for r in rows}
    _require_items(ids, items)
    periods: defaultdict[int, list[PricePeriod]] = defaultdict(list)
    for r in rows:
        if r.price is not None:
            periods[r.id].append(PricePeriod(r.price, r.valid_from, r.valid_to))
    parents = dict(sent.groups.rows) if by_group else {}
    return {
        i: personal_price_of(
            periods[i], terms.rules, ItemPlace(i, group_path(parents, group), brand), on, terms.program_rules
        )
        for i, (group, brand) in items.items()
    }


def _priced_as(rows: list[Any], terms: AgreementTerms) -> bool:
    """The rows were read under the terms' price type (a concurrent change of the agreement
    between two statements could make them differ on PostgreSQL)."""
    return all(r.price_type_id == terms.price_type_id for r in rows)


def _require_items(ids: set[int], found: Iterable[int]) -> None:
    missing = ids - set(found)
    if missing:
        raise UnknownItem(T("unknown item %(item)s", item=min(missing)), item_id=min(missing))


def _items_with_prices(price_type_id: Any) -> Any:
    """The items and their price periods of the price type covering the date (rules.price_on()
    picks among them), with the price type they were read under."""
    on = bindparam("on", type_=Date)
    covering = and_(
        _PRICES.c.item_id == _ITEMS.c.id,
        # Said again of the prices: the planner then looks them up by item in the unique index
        # even without statistics, instead of reading every price of the type for each item.
        in_list(_PRICES.c.item_id, "ids"),
        _PRICES.c.price_type_id == price_type_id,
        _PRICES.c.valid_from <= on,
        or_(_PRICES.c.valid_to.is_(None), _PRICES.c.valid_to >= on),
    )
    return select(
        _ITEMS.c.id,
        _ITEMS.c.group_id,
        _ITEMS.c.brand_id,
        _PRICES.c.price,
        _PRICES.c.valid_from,
        _PRICES.c.valid_to,
        price_type_id.label("price_type_id"),
    ).select_from(_ITEMS.outerjoin(_PRICES, covering)).where(in_list(_ITEMS.c.id, "ids"))


def _agreement_price_type(*, given: bool) -> ScalarSelect[Any]:
    """The price type of the agreement given (`agreement_id`), or of the partner's agreement in
    force on `on`. Two statements rather than one `coalesce(:agreement_id, <in force>)`: PostgreSQL
    folds that coalesce only in a plan made for the values, so it planned the statement afresh at
    every order instead of keeping its generic plan."""
    agreement_id = (
        bindparam("agreement_id", type_=BigId)
        if given
        else in_force_agreement_id(bindparam("partner_id"), bindparam("on", type_=Date))
    )
    return select(_AGREEMENTS.c.price_type_id).where(_AGREEMENTS.c.id == agreement_id).scalar_subquery()


def _group_tree_of_items() -> Any:
    """(id, parent_id) of the items' groups and all their ancestors; UNION stops at a cycle."""
    seed = select(_GROUPS.c.id, _GROUPS.c.parent_id).where(
        _GROUPS.c.id.in_(select(_ITEMS.c.group_id).where(in_list(_ITEMS.c.id, "ids")))
    )
    tree = seed.cte("group_tree", recursive=True)
    parent = _GROUPS.alias("parent")
    tree = tree.union(select(parent.c.id, parent.c.parent_id).join(tree, parent.c.id == tree.c.parent_id))
    return select(tree.c.id, tree.c.parent_id)


# Every order's pricing runs these: compiled once, run on the driver's cursor.
_ITEMS_WITH_PRICES = Prepared(_items_with_prices(bindparam("price_type_id", type_=BigId)))
_PRICES_UNDER_GIVEN_AGREEMENT = Prepared(_items_with_prices(_agreement_price_type(given=True)))
_PRICES_UNDER_IN_FORCE_AGREEMENT = Prepared(_items_with_prices(_agreement_price_type(given=False)))
_GROUP_TREE_OF_ITEMS = Prepared(_group_tree_of_items())
