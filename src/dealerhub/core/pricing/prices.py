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
from dealerhub.shared.texts import T


def create_price_type(
    s: Session, *, user_id: int | None, code: str, name: str, currency: str = "RUB", is_base: bool = False
) -> PriceType:
    code = code.strip()
    if not code or not name.strip():
        raise InvalidPrice(T("a price type needs a code and a name"))
    if currency not in CURRENCIES:
        raise InvalidPrice(T("currency %(currency)s is not one of %(currencies)s", currency=currency, currencies=", ".join(CURRENCIES)))
    if s.scalar(select(PriceType.id).where(PriceType.code == code)) is not None:
        raise PriceTypeCodeTaken(T("price type %(code)s already exists", code=code), code=code)
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
        raise PriceTypeNotFound(T("price type %(id)s not found", id=price_type_id), price_type_id=price_type_id)
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
    item_code = _lock_item(s, item_id)
    clash = _overlapping(s, item_id, price_type_id, valid_from, valid_to)
    if clash is not None:
        raise OverlappingPrice(
            T(
                "item %(item)s already has price %(price)s of type %(type)s from %(start)s to %(end)s",
                item=item_code, price=clash.price, type=price_type.code, start=clash.valid_from, end=clash.valid_to,
            )
            if clash.valid_to is not None
            else T(
                "item %(item)s already has price %(price)s of type %(type)s from %(start)s with no end date",
                item=item_code, price=clash.price, type=price_type.code, start=clash.valid_from,
            ),
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
        raise InvalidPrice(T("item price %(id)s not found", id=item_price_id))
    if valid_to < row.valid_from:
        raise InvalidPrice(T("a price valid from %(start)s can't end on %(end)s", start=row.valid_from, end=valid_to))
    if row.valid_to is not None and valid_to > row.valid_to:
        raise InvalidPrice(T("ending a price can only shorten it (it ends on %(end)s)", end=row.valid_to))
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
        raise InvalidPrice(T("price %(price)s must be non-negative with at most 2 decimal places", price=price))
    if valid_to is not None and valid_to < valid_from:
        raise InvalidPrice(T("a price can't end (%(end)s) before it starts (%(start)s)", end=valid_to, start=valid_from))


def _lock_item(s: Session, item_id: int) -> str:
    """Take the item's row (FOR NO KEY UPDATE on PostgreSQL) so two writers of its prices can't both
    pass the overlap check; doesn't block documents that only reference the item. Returns its code."""
    found = s.scalar(select(Item.code).where(Item.id == item_id).with_for_update(key_share=True))
    if found is None:
        raise UnknownItem(T("unknown item %(item)s", item=item_id), item_id=item_id)
    return found


def _overlapping(
    s: Session, item_id: int, price_type_id: int, valid_from: date, valid_to: date | None
) -> ItemPrice | None:
    rows = s.scalars(
        select(ItemPrice).where(ItemPrice.item_id == item_id, ItemPrice.price_type_id == price_type_id)
    )
    return next((r for r in rows if periods_overlap(r.valid_from, r.valid_to, valid_from, valid_to)), None)
