"""Building and editing the lines of inventory documents; the draft lock every edit takes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.orm import Session

from dealerhub.core.documents import assert_draft, change_status, check_lines
from dealerhub.core.inventory import rules
from dealerhub.shared.texts import T


class QuantityLine(Protocol):
    item_id: int
    quantity: Any


def checked_quantities(s: Session, lines: Iterable[QuantityLine]) -> list[tuple[int, Decimal]]:
    """(item id, exact quantity) per line, checked: known active item, positive, fits the unit."""
    pairs = [(line.item_id, rules.exact_decimal(line.quantity, T("line %(line)s: quantity", line=no))) for no, line in enumerate(lines, 1)]
    check_lines(s, pairs)
    return pairs


def line_tuples(doc: Any) -> list[rules.LineTuple]:
    return [(line.id, line.item_id, line.quantity) for line in doc.lines]


def lock_draft(s: Session, doc: Any, *, user_id: int | None, **details: Any) -> None:
    """Refuse to edit a posted document; otherwise take its row (a conditional draft -> draft
    update, so a concurrent posting can't slip in between) and write the audit row of the edit."""
    assert_draft(doc)
    change_status(s, doc, (rules.DRAFT,), rules.DRAFT, user_id=user_id, action="update", **details)
