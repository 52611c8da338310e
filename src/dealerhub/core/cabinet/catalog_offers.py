"""What a dealer sees beside an item: the base price, their personal price (the agreement's price
type and discounts) and the free stock on each of their priority warehouses, in priority order,
stamped with the moment it was read. The numbers are read in the request's transaction from the
core's own tables, never kept between requests: they are the point of truth at that moment.

A catalog page is on every dealer's screen all day, so its reads are few and fixed in number
(tests/cabinet/test_catalog_pages.py holds them to it): the dealer's terms in three statements
(dealer_terms), then for a page of items one query for both price types' prices (with the groups'
ancestors when a discount is by group) and one for the free stock (offers). The price rules
themselves are pricing.rules', the same as an order's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, Select, and_, bindparam, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.catalog.models import Item, ItemGroup
from dealerhub.core.pricing.agreements import AgreementTerms, discount_rules, in_force_agreement_id
from dealerhub.core.pricing.models import (
    AgreementDiscount,
    AgreementWarehouse,
    DealerAgreement,
    ItemPrice,
    PriceType,
)
from dealerhub.core.pricing.rules import (
    ItemPlace,
    PersonalPrice,
    PricePeriod,
    group_path,
    personal_price_of,
    price_on,
)
from dealerhub.core.stock.models import StockBalance
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.shared import clock
from dealerhub.shared.types import Money

ZERO = Decimal(0)
_PRICE_ROW, _GROUP_ROW = 0, 1


@dataclass(frozen=True)
class WarehouseRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class DealerTerms:
    """The dealer's agreement in force today (None: no agreement, no personal prices), its priority
    warehouses open for sale in priority order, and the base price type."""

    agreement_id: int | None
    terms: AgreementTerms | None
    warehouses: tuple[WarehouseRef, ...]
    base_price_type_id: int | None

    @property
    def warehouse_ids(self) -> tuple[int, ...]:
        return tuple(w.id for w in self.warehouses)


@dataclass(frozen=True)
class Offer:
    item_id: int
    base_price: Decimal | None
    personal: PersonalPrice | None
    free: tuple[Decimal, ...]  # per DealerTerms.warehouses, same order
    as_of: datetime

    @property
    def in_stock(self) -> bool:
        return any(q > 0 for q in self.free)


def dealer_terms(s: Session, partner_id: int) -> DealerTerms:
    """The dealer's terms today in three statements: the agreement with its price type and
    discounts (and the base price type), then its priority warehouses, then the discounts and
    promotions of the bonus programs in force for the dealer (prepared, bonus.discount_rules)."""
    today = clock.today()
    conn = s.connection()  # Core statements: the ORM's execution layer adds Python for nothing here
    rows = conn.execute(_TERMS, {"partner_id": partner_id, "on": today}).all()
    base_type_id, agreement_id = rows[0].base_type_id, rows[0].agreement_id
    if agreement_id is None:
        return DealerTerms(None, None, (), base_type_id)
    warehouses = conn.execute(_WAREHOUSES, {"agreement_id": agreement_id}).all()
    programs = bonus.discount_rules(s, partner_id, today)
    terms = AgreementTerms(agreement_id, rows[0].price_type_id, discount_rules(rows), programs)
    return DealerTerms(agreement_id, terms, tuple(WarehouseRef(*r) for r in warehouses), base_type_id)


# The statements of every catalog page are built once, with bind parameters: building one (its
# subqueries, joins, aliases) costs more Python than running it.
def _terms_statement() -> Select:
    """The agreement in force (`partner_id`, `on`) with its price type and discounts, and the base
    price type: one row even without an agreement."""
    in_force = select(
        in_force_agreement_id(bindparam("partner_id", type_=Integer), bindparam("on", type_=Date)).label("id")
    ).subquery("in_force_id")
    base_type = (
        select(PriceType.id).where(PriceType.is_base.is_(True)).order_by(PriceType.id).limit(1).scalar_subquery()
    )
    return (
        select(
            base_type.label("base_type_id"),
            DealerAgreement.id.label("agreement_id"),
            DealerAgreement.price_type_id,
            AgreementDiscount.scope,
            AgreementDiscount.percent,
            AgreementDiscount.item_id,
            AgreementDiscount.group_id,
            AgreementDiscount.brand_id,
        )
        .select_from(in_force)
        .outerjoin(DealerAgreement, DealerAgreement.id == in_force.c.id)
        .outerjoin(AgreementDiscount, AgreementDiscount.agreement_id == DealerAgreement.id)
        .order_by(AgreementDiscount.id)
    )


_TERMS = _terms_statement()
# The agreement's priority warehouses open for sale, in priority order.
_WAREHOUSES = (
    select(Warehouse.id, Warehouse.code, Warehouse.name)
    .join(AgreementWarehouse, AgreementWarehouse.warehouse_id == Warehouse.id)
    .where(
        AgreementWarehouse.agreement_id == bindparam("agreement_id", type_=Integer),
        Warehouse.is_active.is_(True),
        Warehouse.kind.not_in(CLOSED_FOR_SALE_KINDS),
    )
    .order_by(AgreementWarehouse.priority)
)


def offers(s: Session, terms: DealerTerms, item_ids: Iterable[int]) -> dict[int, Offer]:
    """Offers for many items at once: two queries whatever their number (prices, free stock)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    today = clock.today()
    price_types = {t for t in (terms.base_price_type_id, terms.terms and terms.terms.price_type_id) if t}
    rules = terms.terms.rules if terms.terms else ()
    by_group = terms.terms is not None and terms.terms.by_group
    items: dict[int, tuple[int, int | None]] = {}
    periods: defaultdict[tuple[int, int], list[PricePeriod]] = defaultdict(list)
    parents: dict[int, int | None] = {}
    prices = {"ids": ids, "price_types": sorted(price_types) or [0], "on": today}
    for r in s.connection().execute(_PRICES[by_group], prices):
        if r.kind == _GROUP_ROW:
            parents[r.id] = r.group_id
            continue
        items[r.id] = (r.group_id, r.brand_id)
        if r.price is not None:
            periods[(r.id, r.price_type_id)].append(PricePeriod(r.price, r.valid_from, r.valid_to))
    free = _free_stock(s, ids, terms.warehouse_ids)
    as_of = clock.now()
    result: dict[int, Offer] = {}
    for i in ids:
        group, brand = items.get(i, (None, None))
        personal = None
        if terms.terms is not None:
            place = ItemPlace(i, group_path(parents, group), brand)
            personal = personal_price_of(
                periods[(i, terms.terms.price_type_id)], rules, place, today, terms.terms.program_rules
            )
        base = price_on(periods[(i, terms.base_price_type_id)], today) if terms.base_price_type_id else None
        result[i] = Offer(
            item_id=i,
            base_price=base,
            personal=personal,
            free=tuple(free.get((i, w), ZERO) for w in terms.warehouse_ids),
            as_of=as_of,
        )
    return result


def _prices_statement(*, with_groups: bool) -> Select:
    """The items' (`ids`) group and brand with their prices of the types `price_types` valid on
    `on` (price rows), and when a discount is by group, (group, parent) of the items' groups and
    all their ancestors (group rows): one statement."""
    ids = bindparam("ids", expanding=True, type_=Integer)
    on = bindparam("on", type_=Date)
    prices = (
        select(
            literal(_PRICE_ROW).label("kind"),
            Item.id,
            Item.group_id,
            Item.brand_id,
            ItemPrice.price_type_id,
            ItemPrice.price,
            ItemPrice.valid_from,
            ItemPrice.valid_to,
        )
        .outerjoin(
            ItemPrice,
            and_(
                ItemPrice.item_id == Item.id,
                ItemPrice.price_type_id.in_(bindparam("price_types", expanding=True, type_=Integer)),
                ItemPrice.valid_from <= on,
                or_(ItemPrice.valid_to.is_(None), ItemPrice.valid_to >= on),
            ),
        )
        .where(Item.id.in_(ids))
    )
    if not with_groups:
        return prices
    tree = (
        select(ItemGroup.id, ItemGroup.parent_id)
        .where(ItemGroup.id.in_(select(Item.group_id).where(Item.id.in_(ids))))
        .cte("item_group_path", recursive=True)
    )
    parent = ItemGroup.__table__.alias("parent")
    tree = tree.union(select(parent.c.id, parent.c.parent_id).join(tree, parent.c.id == tree.c.parent_id))
    groups = select(
        literal(_GROUP_ROW),
        tree.c.id,
        tree.c.parent_id,
        cast(null(), Integer),
        cast(null(), Integer),
        cast(null(), Money()),
        cast(null(), Date),
        cast(null(), Date),
    )
    return union_all(prices, groups)


_PRICES = {with_groups: _prices_statement(with_groups=with_groups) for with_groups in (False, True)}


def _free_stock(s: Session, item_ids: list[int], warehouse_ids: tuple[int, ...]) -> dict[tuple[int, int], Decimal]:
    if not warehouse_ids:
        return {}
    rows = s.connection().execute(_STOCK, {"item_ids": item_ids, "warehouse_ids": list(warehouse_ids)})
    return {(i, w): max(on_hand - reserved, ZERO) for i, w, on_hand, reserved in rows}


_STOCK = select(StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved).where(
    StockBalance.item_id.in_(bindparam("item_ids", expanding=True, type_=Integer)),
    StockBalance.warehouse_id.in_(bindparam("warehouse_ids", expanding=True, type_=Integer)),
)
