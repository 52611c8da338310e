"""Packaging levels the WMS measures: removing a level it no longer has (its barcodes stay with the
item, unlinked from the level)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog.items import ENTITY, get_item
from dealerhub.core.catalog.models import Barcode, ItemPackaging


def remove_packaging(s: Session, item_id: int, *, user_id: int | None, name: str) -> bool:
    """Remove the item's packaging level `name`; False if it has none by that name."""
    item = get_item(s, item_id)
    row = s.scalar(select(ItemPackaging).where(ItemPackaging.item_id == item.id, ItemPackaging.name == name))
    if row is None:
        return False
    s.execute(update(Barcode).where(Barcode.packaging_id == row.id).values(packaging_id=None))
    s.delete(row)
    s.flush()
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=item.id, action="remove_packaging", name=name)
    return True


def packaging_names(s: Session, item_id: int) -> list[str]:
    return list(s.scalars(select(ItemPackaging.name).where(ItemPackaging.item_id == item_id).order_by(ItemPackaging.name)))
