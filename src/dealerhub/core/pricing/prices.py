"""Price types and item prices with validity dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog.models import Item
from dealerhub.core.documents import UnknownItem
from dealerhub.core.pricing.errors import (
    InvalidPrice,
    OverlappingPrice,
    PriceTypeCodeTaken,
    PriceTypeNotFound,
)
from dealerhub.core.pricing.models import CURRENCIES, ItemPrice, PriceType
from dealerhub.core.pricing.rules import has_places, periods_overlap


def create_price_type(
    s: Session, *, user_id: int | None, code: str, name: str, currency: str = "RUB", is_base: bool = False
) -> PriceType:
    code = code.strip()
    if not code or not name.strip():
        raise InvalidPrice("a price type needs a code and a name")
    if currency not in CURRENCIES:
        raise InvalidPrice(f"currency {currency!r} is not one of {', '.join(CURRENCIES)}")
    if s.scalar(select(PriceType.id).where(PriceType.code == code)) is not None:
        raise PriceTypeCodeTaken(f"price type {code} already exists", code=code)
    price_type = PriceType(code=code, name=name.strip(), currency=currency, is_base=is_base)
    s.add(price_type)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type="price_type",
        entity_id=price_type.id,
        action="create",
        code=code,
        currency=currency,
    )
    return price_type


def get_price_type(s: Session, price_type_id: int) -> PriceType:
    price_type = s.get(PriceType, price_type_id)
    if price_type is None:
        raise PriceTypeNotFound(f"price type {price_type_id} not found", price_type_id=price_type_id)
    return price_type


def set_item_price(
    s: Session,
    *,
    user_id: int | None,
    item_id: int,
    price_type_id: int,
    price: Decimal,
    valid_from: date,
    valid_to: date | None = None,
) -> ItemPrice:
    """Add a price of an item for a period. A period overlapping another price of the same item and
    price type is refused: end the old one first (`end_item_price`)."""
    price = Decimal(price)
    _check_price(price, valid_from, valid_to)
    price_type = get_price_type(s, price_type_id)
    _lock_item(s, item_id)
    clash = _overlapping(s, item_id, price_type_id, valid_from, valid_to)
    if clash is not None:
        raise OverlappingPrice(
            f"item {item_id} already has price {clash.price} of type {price_type.code} "
            f"from {clash.valid_from} to {clash.valid_to or 'open end'}",
            item_id=item_id,
            price_id=clash.id,
        )
    row = ItemPrice(
        item_id=item_id,
        price_type_id=price_type_id,
        price=price,
        currency=price_type.currency,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    s.add(row)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type="item_price",
        entity_id=row.id,
        action="create",
        item_id=item_id,
        price_type_id=price_type_id,
        price=price,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return row


def end_item_price(s: Session, item_price_id: int, *, user_id: int | None, valid_to: date) -> ItemPrice:
    """Close an open-ended (or later-ending) price on `valid_to`, so a new price can follow it."""
    row = s.get(ItemPrice, item_price_id)
    if row is None:
        raise InvalidPrice(f"item price {item_price_id} not found")
    if valid_to < row.valid_from:
        raise InvalidPrice(f"a price valid from {row.valid_from} can't end on {valid_to}")
    if row.valid_to is not None and valid_to > row.valid_to:
        raise InvalidPrice(f"ending a price can only shorten it (it ends on {row.valid_to})")
    old = row.valid_to
    row.valid_to = valid_to
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type="item_price",
        entity_id=row.id,
        action="end",
        valid_to_was=old,
        valid_to=valid_to,
    )
    return row


def get_price(s: Session, item_id: int, price_type_id: int, on: date) -> Decimal | None:
    """The item's price of this type valid on `on`, or None."""
    return s.scalar(
        select(ItemPrice.price)
        .where(
            ItemPrice.item_id == item_id,
            ItemPrice.price_type_id == price_type_id,
            ItemPrice.valid_from <= on,
            or_(ItemPrice.valid_to.is_(None), ItemPrice.valid_to >= on),
        )
        .order_by(ItemPrice.valid_from.desc())
        .limit(1)
    )


def list_item_prices(s: Session, item_id: int, price_type_id: int | None = None) -> list[ItemPrice]:
    query = select(ItemPrice).where(ItemPrice.item_id == item_id)
    if price_type_id is not None:
        query = query.where(ItemPrice.price_type_id == price_type_id)
    return list(s.scalars(query.order_by(ItemPrice.price_type_id, ItemPrice.valid_from)))


def _check_price(price: Decimal, valid_from: date, valid_to: date | None) -> None:
    if price < 0 or not has_places(price, 2):
        raise InvalidPrice(f"price {price} must be non-negative with at most 2 decimal places")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidPrice(f"a price can't end ({valid_to}) before it starts ({valid_from})")


def _lock_item(s: Session, item_id: int) -> None:
    """Take the item's row (FOR NO KEY UPDATE on PostgreSQL) so two writers of its prices can't both
    pass the overlap check; doesn't block documents that only reference the item."""
    found = s.scalar(select(Item.id).where(Item.id == item_id).with_for_update(key_share=True))
    if found is None:
        raise UnknownItem(f"unknown item {item_id}", item_id=item_id)


def _overlapping(
    s: Session, item_id: int, price_type_id: int, valid_from: date, valid_to: date | None
) -> ItemPrice | None:
    rows = s.scalars(
        select(ItemPrice).where(ItemPrice.item_id == item_id, ItemPrice.price_type_id == price_type_id)
    )
    return next((r for r in rows if periods_overlap(r.valid_from, r.valid_to, valid_from, valid_to)), None)
