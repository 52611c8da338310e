"""Checks of document lines shared by every document: the item exists and is active, the quantity
is positive and fits the precision of the item's unit (no 1.5 pieces)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item, Unit
from dealerhub.core.documents.errors import InvalidDocument
from dealerhub.shared.errors import NotFound


class UnknownItem(NotFound):
    http_status = 422


def check_lines(session: Session, lines: Iterable[tuple[int, Decimal]]) -> dict[int, Item]:
    """Validate (item_id, quantity) pairs; returns the items by id. Raises on the first bad line."""
    lines = list(lines)
    if not lines:
        raise InvalidDocument("a document needs at least one line")
    ids = {item_id for item_id, _ in lines}
    items = {i.id: i for i in session.scalars(select(Item).where(Item.id.in_(ids)))}
    precision = dict(session.execute(select(Unit.id, Unit.precision).where(Unit.id.in_({i.unit_id for i in items.values()}))).all())
    for no, (item_id, quantity) in enumerate(lines, start=1):
        item = items.get(item_id)
        if item is None or not item.is_active:
            raise UnknownItem(f"line {no}: unknown or inactive item {item_id}", line=no, item_id=item_id)
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise InvalidDocument(f"line {no}: quantity must be positive, got {quantity}", line=no)
        places = precision[item.unit_id]
        if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
            raise InvalidDocument(
                f"line {no}: {quantity} of {item.article} — its unit allows {places} decimal places",
                line=no,
            )
    return items
