"""Checks of document lines shared by every document: the item exists and is active, the quantity
is positive and fits the precision of the item's unit (no 1.5 pieces)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item, Unit
from dealerhub.core.documents.errors import InvalidDocument
from dealerhub.shared.errors import NotFound


class UnknownItem(NotFound):
    http_status = 422


class LineItem(NamedTuple):
    """What line checks and pricing need of an item, without loading the whole item."""

    id: int
    article: str
    is_active: bool
    vat_rate: Decimal
    precision: int


def check_lines(session: Session, lines: Iterable[tuple[int, Decimal]]) -> dict[int, LineItem]:
    """Validate (item_id, quantity) pairs; returns the items by id. Raises on the first bad line."""
    lines = list(lines)
    if not lines:
        raise InvalidDocument("a document needs at least one line")
    ids = {item_id for item_id, _ in lines}
    query = (
        select(Item.id, Item.article, Item.is_active, Item.vat_rate, Unit.precision)
        .join(Unit, Unit.id == Item.unit_id)
        .where(Item.id.in_(ids))
    )
    items = {row.id: LineItem(*row) for row in session.connection().execute(query)}
    for no, (item_id, quantity) in enumerate(lines, start=1):
        item = items.get(item_id)
        if item is None or not item.is_active:
            raise UnknownItem(f"line {no}: unknown or inactive item {item_id}", line=no, item_id=item_id)
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise InvalidDocument(f"line {no}: quantity must be positive, got {quantity}", line=no)
        if quantity != quantity.quantize(Decimal(1).scaleb(-item.precision)):
            raise InvalidDocument(
                f"line {no}: {quantity} of {item.article} — its unit allows {item.precision} decimal places",
                line=no,
            )
    return items
