"""Checks of document lines shared by every document: the item exists and is active, the quantity
is positive and fits the precision of the item's unit (no 1.5 pieces)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item, Unit
from dealerhub.core.documents.errors import InvalidDocument
from dealerhub.shared.errors import NotFound
from dealerhub.shared.statements import Batch, Pending, Prepared, in_list
from dealerhub.shared.texts import T


class UnknownItem(NotFound):
    http_status = 422


class LineItem(NamedTuple):
    """What line checks and pricing need of an item, without loading the whole item."""

    id: int
    article: str
    is_active: bool
    vat_rate: Decimal
    precision: int


# Every document's lines run it: compiled once, one list parameter (shared/statements.py).
_ITEMS = Prepared(
    select(Item.id, Item.article, Item.is_active, Item.vat_rate, Unit.precision)
    .join(Unit, Unit.id == Item.unit_id)
    .where(in_list(Item.id, "ids"))
)


def check_lines(
    session: Session, lines: Iterable[tuple[int, Decimal]], *, items: Pending | None = None
) -> dict[int, LineItem]:
    """Validate (item_id, quantity) pairs; returns the items by id. Raises on the first bad line.
    `items`: their rows, already sent in a batch of statements with send_line_items()."""
    lines = list(lines)
    if not lines:
        raise InvalidDocument(T("a document needs at least one line"))
    rows = items.rows if items is not None else _ITEMS.rows(session.connection(), _ids(lines))
    return check_line_items(lines, {row.id: LineItem(*row) for row in rows})


def send_line_items(b: Batch, lines: Iterable[tuple[int, Decimal]]) -> Pending:
    """The query of check_lines() sent in a batch of statements, to be passed to it afterwards."""
    return b.send(_ITEMS, _ids(lines))


def _ids(lines: Iterable[tuple[int, Decimal]]) -> dict[str, Any]:
    return {"ids": {item_id for item_id, _ in lines}}


def check_line_items(lines: list[tuple[int, Decimal]], items: dict[int, LineItem]) -> dict[int, LineItem]:
    if not lines:
        raise InvalidDocument(T("a document needs at least one line"))
    for no, (item_id, quantity) in enumerate(lines, start=1):
        item = items.get(item_id)
        if item is None or not item.is_active:
            raise UnknownItem(T("line %(line)s: unknown or inactive item %(item)s", line=no, item=item_id), line=no, item_id=item_id)
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise InvalidDocument(
                T("line %(line)s: quantity must be positive, got %(quantity)s", line=no, quantity=quantity), line=no
            )
        if quantity != quantity.quantize(Decimal(1).scaleb(-item.precision)):
            raise InvalidDocument(
                T(
                    "line %(line)s: %(quantity)s of %(article)s — its unit allows %(places)s decimal places",
                    line=no, quantity=quantity, article=item.article, places=item.precision,
                ),
                line=no,
            )
    return items
