"""Repeat an order of the dealer into one of its carts: its items and quantities, today's prices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dealerhub.core.carts.errors import InvalidCartInput
from dealerhub.core.carts.queries import item_facts
from dealerhub.core.carts.service import ItemQuantity, add_items
from dealerhub.core.sales import SalesDocumentNotFound, get_customer_order
from dealerhub.shared.texts import T


@dataclass(frozen=True)
class RepeatResult:
    added: int
    skipped: list[str]  # articles no longer sold


def repeat_order(s: Session, order_id: int, cart_id: int, *, partner_id: int, user_id: int | None) -> RepeatResult:
    order = get_customer_order(s, order_id)
    if order.partner_id != partner_id:
        raise SalesDocumentNotFound(T("the order is not found"), doc_id=order_id)
    facts = item_facts(s, [ln.item_id for ln in order.lines])
    items = [ItemQuantity(ln.item_id, ln.quantity) for ln in order.lines if facts[ln.item_id].is_active]
    skipped = [facts[ln.item_id].article for ln in order.lines if not facts[ln.item_id].is_active]
    if not items:
        raise InvalidCartInput(T("nothing of order %(number)s is sold any more", number=order.number), order_id=order_id)
    add_items(s, cart_id, partner_id=partner_id, user_id=user_id, items=items, cause="repeat_order")
    return RepeatResult(len(items), skipped)
