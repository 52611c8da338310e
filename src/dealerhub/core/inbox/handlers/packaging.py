"""PACKAGING: the WMS is the only source of an item's measured weight and dimensions and of its
packaging levels. Given measurements replace the item's (null: not measured, kept); the levels of
the message become the item's levels (others are removed); a level's barcode is added to the item
unless it already has it. A barcode that belongs to another item is not moved: the ACK says so."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog import InvalidBarcode, add_barcode, set_packaging, update_item
from dealerhub.core.catalog.models import Barcode, Item
from dealerhub.core.catalog.packaging import packaging_names, remove_packaging
from dealerhub.core.inbox.lookups import items_by_code
from dealerhub.exchange.contracts import PackagingItem, PackagingV1, optional_decimal, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage


def handle(s: Session, message: InboundMessage) -> Done:
    p: PackagingV1 = message.payload  # type: ignore[assignment]
    items = items_by_code(s, [entry.item_code for entry in p.items])
    notes: list[str] = []
    for entry in p.items:
        _apply(s, items[entry.item_code], entry, notes)
    note = f"{len(p.items)} item(s) measured" + (f"; {'; '.join(notes)}" if notes else "")
    return Done(None, None, note)


def _apply(s: Session, item_id: int, entry: PackagingItem, notes: list[str]) -> None:
    measured = {
        "weight_kg": optional_decimal(entry.weight_kg),
        "length_mm": _mm(entry.length_mm),
        "width_mm": _mm(entry.width_mm),
        "height_mm": _mm(entry.height_mm),
    }
    measured = {field: value for field, value in measured.items() if value is not None}
    if measured:
        update_item(s, item_id, user_id=None, **measured)
    wanted = {level.name for level in entry.levels}
    for name in packaging_names(s, item_id):
        if name not in wanted:
            remove_packaging(s, item_id, user_id=None, name=name)
    for level in entry.levels:
        row = set_packaging(
            s, item_id, user_id=None, name=level.name, quantity=to_decimal(level.quantity),
            weight_kg=optional_decimal(level.weight_kg), length_mm=_mm(level.length_mm),
            width_mm=_mm(level.width_mm), height_mm=_mm(level.height_mm), source="wms",
        )
        if level.barcode:
            owner = s.execute(
                select(Barcode.id, Barcode.item_id, Item.code).join(Item, Item.id == Barcode.item_id)
                .where(Barcode.barcode == level.barcode)
            ).first()
            if owner is None:
                try:
                    add_barcode(s, item_id, user_id=None, barcode=level.barcode, packaging_id=row.id)
                except InvalidBarcode as bad:  # refused before anything was written
                    notes.append(f"barcode {level.barcode} of {entry.item_code} not taken: {bad.message}")
            elif owner.item_id == item_id:
                s.get(Barcode, owner.id).packaging_id = row.id
            else:
                notes.append(f"barcode {level.barcode} belongs to item {owner.code}: not linked to {entry.item_code}")
    s.flush()


def _mm(value: str | None) -> int | None:
    return None if value is None else int(value)
