"""Measuring an item (one unit's weight and size, its packaging levels): only the WMS knows them;
PACKAGING tells the core, which plans purchases and logistics with them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import PackagingItem, PackagingLevel, PackagingV1, decimal_text
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.errors import QuantityRefused
from dealerhub.wms.exchange_link.outbox import enqueue


@dataclass(frozen=True)
class Level:
    name: str
    quantity: Decimal
    barcode: str | None = None
    weight_kg: Decimal | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


def measure_item(s: Session, item: Item, *, weight_kg: Decimal | None, length_mm: int | None = None,
                 width_mm: int | None = None, height_mm: int | None = None, levels: list[Level] = ()) -> None:
    for value in (weight_kg, length_mm, width_mm, height_mm, *(x.quantity for x in levels)):
        if value is not None and value <= 0:
            raise QuantityRefused(T("weights, sizes and quantities are more than zero"))
    item.weight_kg, item.length_mm, item.width_mm, item.height_mm = weight_kg, length_mm, width_mm, height_mm
    item.packaging = [
        {"name": x.name, "quantity": decimal_text(x.quantity), "barcode": x.barcode,
         "weight_kg": None if x.weight_kg is None else decimal_text(x.weight_kg),
         "length_mm": x.length_mm, "width_mm": x.width_mm, "height_mm": x.height_mm}
        for x in levels
    ]
    item.measured_at = clock.now()
    s.flush()
    payload = PackagingV1(items=[PackagingItem(
        item_code=item.code, weight_kg=_w(weight_kg), length_mm=_mm(length_mm), width_mm=_mm(width_mm),
        height_mm=_mm(height_mm),
        levels=[PackagingLevel(name=x.name, quantity=decimal_text(x.quantity), barcode=x.barcode, weight_kg=_w(x.weight_kg),
                               length_mm=_mm(x.length_mm), width_mm=_mm(x.width_mm), height_mm=_mm(x.height_mm))
                for x in levels],
    )])
    enqueue(s, payload)


def _w(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def _mm(value: int | None) -> str | None:
    return None if value is None else decimal_text(value, places=0)
