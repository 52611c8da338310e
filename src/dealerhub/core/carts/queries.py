"""Reading for the carts: the dealer's carts, facts about items, free stock, a cart's reservations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.carts.errors import CartNotFound, NoAgreement
from dealerhub.core.carts.models import CART_HOLDER, Cart, CartLine
from dealerhub.core.catalog.models import Item, ItemTranslation, Unit
from dealerhub.core.pricing import get_agreement_for, personal_prices
from dealerhub.core.pricing.models import DealerAgreement
from dealerhub.core.stock.models import Reservation, StockBalance
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.shared import clock
from dealerhub.shared.texts import T

ZERO = Decimal(0)


@dataclass(frozen=True)
class ItemFact:
    id: int
    code: str
    article: str
    is_active: bool
    precision: int
    unit: str


def item_facts(s: Session, item_ids: Iterable[int]) -> dict[int, ItemFact]:
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = s.execute(
        select(Item.id, Item.code, Item.article, Item.is_active, Unit.precision, Unit.code.label("unit"))
        .join(Unit, Unit.id == Item.unit_id)
        .where(Item.id.in_(ids))
    )
    return {r.id: ItemFact(r.id, r.code, r.article, r.is_active, r.precision, r.unit) for r in rows}


def item_names(s: Session, item_ids: Iterable[int], lang: str) -> dict[int, str]:
    """Names in `lang`, else in Russian, else any."""
    ids = sorted(set(item_ids))
    names: dict[int, dict[str, str]] = {}
    if ids:
        for item_id, lg, name in s.execute(
            select(ItemTranslation.item_id, ItemTranslation.lang, ItemTranslation.name).where(
                ItemTranslation.item_id.in_(ids)
            )
        ):
            names.setdefault(item_id, {})[lg] = name
    return {
        i: names.get(i, {}).get(lang) or names.get(i, {}).get("ru") or next(iter(names.get(i, {}).values()), "")
        for i in ids
    }


def get_cart(s: Session, cart_id: int, partner_id: int) -> Cart:
    cart = s.get(Cart, cart_id)
    if cart is None or cart.partner_id != partner_id:
        raise CartNotFound(T("the cart is not found: it may have been deleted"), cart_id=cart_id)
    return cart


@dataclass(frozen=True)
class CartSummary:
    id: int
    name: str
    lines: int
    updated_at: object
    version: int


def list_carts(s: Session, partner_id: int) -> list[CartSummary]:
    """The partner's carts by name, with their number of lines (every catalog page shows them)."""
    return [CartSummary(*r) for r in s.execute(_CARTS, {"partner_id": partner_id})]


# Built once (a catalog page runs it): building a statement costs more Python than running this one.
_CARTS = (
    select(Cart.id, Cart.name, func.count(CartLine.id), Cart.updated_at, Cart.version)
    .outerjoin(CartLine, CartLine.cart_id == Cart.id)
    .where(Cart.partner_id == bindparam("partner_id", type_=Integer))
    .group_by(Cart.id, Cart.name, Cart.updated_at, Cart.version)
    .order_by(Cart.name, Cart.id)
)


def agreement_today(s: Session, partner_id: int) -> DealerAgreement:
    agreement = get_agreement_for(s, partner_id, clock.today())
    if agreement is None:
        raise NoAgreement(T("you have no dealer agreement in force: ask your manager"), partner_id=partner_id)
    return agreement


def agreement_or_none(s: Session, partner_id: int) -> DealerAgreement | None:
    return get_agreement_for(s, partner_id, clock.today())


def prices_today(s: Session, agreement: DealerAgreement | None, item_ids: Iterable[int]) -> dict[int, Decimal | None]:
    ids = set(item_ids)
    if agreement is None or not ids:
        return dict.fromkeys(ids)
    today = clock.today()
    found = personal_prices(s, agreement.id, ids, today, bonus.discount_rules(s, agreement.partner_id, today))
    return {i: (p.price if p is not None else None) for i, p in found.items()}


@dataclass(frozen=True)
class WarehouseRef:
    id: int
    code: str
    name: str


def priority_warehouses(s: Session, agreement: DealerAgreement | None) -> list[WarehouseRef]:
    """The agreement's warehouses open for sale, in priority order."""
    if agreement is None:
        return []
    ids = [w.warehouse_id for w in agreement.warehouses]
    if not ids:
        return []
    found = {
        w.id: w
        for w in s.scalars(select(Warehouse).where(Warehouse.id.in_(ids), Warehouse.is_active.is_(True)))
        if w.kind not in CLOSED_FOR_SALE_KINDS
    }
    return [WarehouseRef(w.id, w.code, w.name) for w in (found.get(i) for i in ids) if w is not None]


def free_stock(s: Session, item_ids: Iterable[int], warehouse_ids: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """Free stock (on hand - reserved) per (item, warehouse); missing pairs have none."""
    items, warehouses = sorted(set(item_ids)), sorted(set(warehouse_ids))
    if not items or not warehouses:
        return {}
    rows = s.execute(
        select(StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved).where(
            StockBalance.item_id.in_(items), StockBalance.warehouse_id.in_(warehouses)
        )
    )
    return {(i, w): on_hand - reserved for i, w, on_hand, reserved in rows}


def cart_reservations(s: Session, cart_id: int, line_ids: Iterable[int] | None = None) -> list[Reservation]:
    """Every reservation the cart's lines ever held (active or not), by line then id."""
    query = select(Reservation).where(Reservation.holder_type == CART_HOLDER, Reservation.holder_id == cart_id)
    if line_ids is not None:
        query = query.where(Reservation.holder_line_id.in_(sorted(set(line_ids))))
    return list(s.scalars(query.order_by(Reservation.item_id, Reservation.warehouse_id, Reservation.id)))


def active_cart_reservations(s: Session, cart_id: int, line_ids: Iterable[int] | None = None) -> list[Reservation]:
    """Reservations of the cart still holding goods (expired ones too until they are released)."""
    return [r for r in cart_reservations(s, cart_id, line_ids) if r.quantity > 0]

