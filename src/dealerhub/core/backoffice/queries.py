"""Read-only queries the back office pages need beyond the areas' public functions: choices for
selects (units, brands, groups, models, price types ...) and the dashboard's counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import pricing
from dealerhub.core.accounts.models import STAFF_ROLES, User
from dealerhub.core.catalog import ItemNotFound, item_name
from dealerhub.core.catalog.models import Brand, Item, ItemGroup, MachineModel, Property, Unit
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.models import DealerAgreement, PriceType
from dealerhub.core.stock import BalanceRow
from dealerhub.core.stock.models import StockBalance
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from dealerhub.shared.texts import T


def _count(s: Session, model: type, *conditions: object) -> int:
    return s.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def dashboard_counts(s: Session) -> dict[str, int]:
    return {
        "items": _count(s, Item, Item.is_active),
        "groups": _count(s, ItemGroup),
        "dealers": _count(s, Partner, Partner.is_dealer),
        "suppliers": _count(s, Partner, Partner.is_supplier),
        "warehouses": _count(s, Warehouse, Warehouse.is_active),
        "stock_positions": _count(s, StockBalance, StockBalance.on_hand != 0),
        "agreements": _count(s, DealerAgreement, DealerAgreement.is_active),
    }


def unit_choices(s: Session, lang: str) -> list[tuple[int, str]]:
    units = s.scalars(select(Unit).order_by(Unit.code))
    return [(u.id, (u.names or {}).get(lang) or u.code) for u in units]


def brand_choices(s: Session) -> list[tuple[int, str]]:
    return [(b.id, b.name) for b in s.scalars(select(Brand).order_by(Brand.name))]


def machine_model_choices(s: Session) -> list[tuple[int, str]]:
    return [(m.id, m.name) for m in s.scalars(select(MachineModel).order_by(MachineModel.name))]


def property_choices(s: Session, lang: str) -> list[tuple[int, str]]:
    props = s.scalars(select(Property).order_by(Property.code))
    return [(p.id, (p.names or {}).get(lang) or p.code) for p in props]


def price_types(s: Session) -> list[PriceType]:
    return list(s.scalars(select(PriceType).order_by(PriceType.code)))


def price_type_choices(s: Session) -> list[tuple[int, str]]:
    return [(p.id, f"{p.name} ({p.currency})") for p in price_types(s)]


def warehouse_choices(s: Session, *, open_for_sale_only: bool = False) -> list[tuple[int, str]]:
    rows = s.scalars(select(Warehouse).where(Warehouse.is_active).order_by(Warehouse.code))
    return [(w.id, f"{w.code} · {w.name}") for w in rows if w.open_for_sale or not open_for_sale_only]


def dealer_choices(s: Session) -> list[tuple[int, str]]:
    rows = s.scalars(select(Partner).where(Partner.is_dealer, Partner.is_active).order_by(Partner.name))
    return [(p.id, p.name) for p in rows]


def staff_choices(s: Session) -> list[tuple[int, str]]:
    rows = s.scalars(
        select(User)
        .where(User.partner_id.is_(None), User.is_active, User.role.in_(STAFF_ROLES))
        .order_by(User.full_name)
    )
    return [(u.id, u.full_name) for u in rows]


def item_price_rows(s: Session, item_id: int) -> list[dict[str, object]]:
    """The item's prices of every type, newest first within a type, each marked current or not."""
    today = clock.today()
    types = {p.id: p for p in price_types(s)}
    rows = [
        {
            "id": p.id,
            "price_type": types[p.price_type_id].name,
            "price_type_code": types[p.price_type_id].code,
            "price": p.price,
            "currency": p.currency,
            "valid_from": p.valid_from,
            "valid_to": p.valid_to,
            "current": p.valid_from <= today and (p.valid_to is None or p.valid_to >= today),
        }
        for p in pricing.list_item_prices(s, item_id)
    ]
    return sorted(rows, key=lambda r: (r["price_type_code"], -r["valid_from"].toordinal()))  # type: ignore[attr-defined]


def item_id_by_code(s: Session, code: str, *, field: str = "analogue_code") -> int:
    item_id = s.scalar(select(Item.id).where(Item.code == code.strip()))
    if item_id is None:
        raise ItemNotFound(T("there is no item with code '%(code)s'", code=code.strip()), field=field)
    return item_id


def agreements_of(s: Session, partner_id: int) -> list[dict[str, object]]:
    return agreement_rows(s, partner_id=partner_id)


def agreement_rows(s: Session, *, partner_id: int | None = None) -> list[dict[str, object]]:
    """Agreements with their dealer's and price type's names, newest first."""
    query = (
        select(DealerAgreement, Partner.name, PriceType.name)
        .join(Partner, Partner.id == DealerAgreement.partner_id)
        .join(PriceType, PriceType.id == DealerAgreement.price_type_id)
        .order_by(DealerAgreement.valid_from.desc(), DealerAgreement.id.desc())
    )
    if partner_id is not None:
        query = query.where(DealerAgreement.partner_id == partner_id)
    return [
        {
            "id": a.id,
            "number": a.number,
            "partner_id": a.partner_id,
            "partner": partner_name,
            "price_type": price_type_name,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
            "credit_limit": a.credit_limit,
            "credit_currency": a.credit_currency,
            "is_active": a.is_active,
        }
        for a, partner_name, price_type_name in s.execute(query)
    ]


def discount_target_id(s: Session, scope: str, key: str) -> int | None:
    """The id a discount row means: an item by code, a group by code, a brand by name."""
    column = {
        "item": (Item.id, Item.code),
        "group": (ItemGroup.id, ItemGroup.code),
        "brand": (Brand.id, Brand.name),
    }
    if scope not in column:
        return None
    id_column, key_column = column[scope]
    return s.scalar(select(id_column).where(key_column == key.strip()))


def _target_key(s: Session, scope: str, target_id: int | None) -> str:
    model = {"item": (Item, "code"), "group": (ItemGroup, "code"), "brand": (Brand, "name")}.get(scope)
    if model is None or target_id is None:
        return ""
    row = s.get(model[0], target_id)
    return getattr(row, model[1]) if row is not None else str(target_id)


def agreement_discount_rows(s: Session, agreement: DealerAgreement) -> list[dict[str, object]]:
    rows = []
    for d in agreement.discounts:
        target_id = {"item": d.item_id, "group": d.group_id, "brand": d.brand_id}.get(d.scope)
        rows.append(
            {"scope": d.scope, "target_key": _target_key(s, d.scope, target_id), "percent": d.percent}
        )
    return rows


def agreement_warehouse_rows(s: Session, agreement: DealerAgreement) -> list[tuple[int, str]]:
    names = dict(warehouse_choices(s))
    return [
        (slot.priority, names.get(slot.warehouse_id, str(slot.warehouse_id))) for slot in agreement.warehouses
    ]


def balance_page(
    s: Session, *, warehouse_id: int | None, item_ids: list[int] | None, limit: int, offset: int, lang: str
) -> tuple[list[dict[str, object]], int]:
    """One page of non-zero balances with item and warehouse, by article then warehouse code."""
    conditions = [(StockBalance.on_hand != 0) | (StockBalance.reserved != 0)]
    if warehouse_id is not None:
        conditions.append(StockBalance.warehouse_id == warehouse_id)
    if item_ids is not None:
        conditions.append(StockBalance.item_id.in_(item_ids))
    total = s.scalar(select(func.count()).select_from(StockBalance).where(*conditions)) or 0
    query = (
        select(StockBalance, Item, Warehouse)
        .join(Item, Item.id == StockBalance.item_id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .where(*conditions)
        .order_by(Item.article, Item.id, Warehouse.code)
        .limit(limit)
        .offset(offset)
    )
    rows = []
    for balance, item, warehouse in s.execute(query):
        row = BalanceRow(
            balance.item_id, balance.warehouse_id, balance.on_hand, balance.reserved, warehouse.open_for_sale
        )
        rows.append(
            {
                "item_id": item.id,
                "article": item.article,
                "code": item.code,
                "name": item_name(item, lang),
                "unit": (item.unit.names or {}).get(lang) or item.unit.code,
                "warehouse_id": warehouse.id,
                "warehouse": f"{warehouse.code} · {warehouse.name}",
                "on_hand": row.on_hand,
                "reserved": row.reserved,
                "free": row.free,
                "open_for_sale": row.open_for_sale,
            }
        )
    return rows, total
