"""What a dealer sees beside an item: the base price, their personal price (the agreement's price
type and discounts) and the free stock on each of their priority warehouses, in priority order,
stamped with the moment it was read. The numbers come from the core's own areas (pricing,
stock), read in the request's transaction: they are the point of truth at that moment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.pricing.agreements import (
    AgreementTerms,
    agreement_terms,
    in_force_agreement_id,
    prices_under,
)
from dealerhub.core.pricing.models import AgreementWarehouse, PriceType
from dealerhub.core.pricing.rules import PersonalPrice
from dealerhub.core.stock.models import StockBalance
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, Warehouse
from dealerhub.shared import clock

ZERO = Decimal(0)


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
    today = clock.today()
    agreement_id = s.scalar(select(in_force_agreement_id(partner_id, today)))
    base_type = s.scalar(select(PriceType.id).where(PriceType.is_base.is_(True)).order_by(PriceType.id).limit(1))
    if agreement_id is None:
        return DealerTerms(None, None, (), base_type)
    rows = s.execute(
        select(Warehouse.id, Warehouse.code, Warehouse.name)
        .join(AgreementWarehouse, AgreementWarehouse.warehouse_id == Warehouse.id)
        .where(
            AgreementWarehouse.agreement_id == agreement_id,
            Warehouse.is_active.is_(True),
            Warehouse.kind.not_in(CLOSED_FOR_SALE_KINDS),
        )
        .order_by(AgreementWarehouse.priority)
    ).all()
    return DealerTerms(
        agreement_id, agreement_terms(s, agreement_id), tuple(WarehouseRef(*r) for r in rows), base_type
    )


def offers(s: Session, terms: DealerTerms, item_ids: Iterable[int]) -> dict[int, Offer]:
    """Offers for many items at once: a few queries whatever their number."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    today = clock.today()
    personal = prices_under(s, terms.terms, ids, today) if terms.terms else {}
    base: dict[int, PersonalPrice | None] = {}
    if terms.base_price_type_id is not None:
        if terms.terms is not None and terms.terms.price_type_id == terms.base_price_type_id:
            base = personal
        else:
            base = prices_under(s, AgreementTerms(0, terms.base_price_type_id, ()), ids, today)
    free = _free_stock(s, ids, terms.warehouse_ids)
    as_of = clock.now()
    return {
        i: Offer(
            item_id=i,
            base_price=base[i].base_price if base.get(i) else None,
            personal=personal.get(i),
            free=tuple(free.get((i, w), ZERO) for w in terms.warehouse_ids),
            as_of=as_of,
        )
        for i in ids
    }


def _free_stock(s: Session, item_ids: list[int], warehouse_ids: tuple[int, ...]) -> dict[tuple[int, int], Decimal]:
    if not warehouse_ids:
        return {}
    rows = s.execute(
        select(StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved).where(
            StockBalance.item_id.in_(item_ids), StockBalance.warehouse_id.in_(warehouse_ids)
        )
    )
    return {(i, w): max(on_hand - reserved, ZERO) for i, w, on_hand, reserved in rows}
