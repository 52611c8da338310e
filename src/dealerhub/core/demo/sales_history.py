"""Dealers' orders of the demo, through the real sales use cases: most of the older ones went the
whole way (moderation, approval with reservations, picking, sale, closing), some were rejected or
cancelled, a few came back as returns; the newest are still in moderation, approved or picking."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.demo.catalog_writer import CatalogRefs, ItemFacts
from dealerhub.core.demo.partners_writer import DealerRef, PartnerRefs
from dealerhub.core.demo.timeline import HISTORY_DAYS, Progress, at, set_time
from dealerhub.core.stock import list_balances
from dealerhub.core.stock.models import StockBalance
from dealerhub.shared.db import Database

RECENT_DAYS = 14
# What became of an older order, and of a recent one (weights).
OLD_FATES = {"closed": 70, "shipped": 8, "partially_closed": 7, "rejected": 8, "cancelled": 4, "returned": 3}
RECENT_FATES = {
    "picking": 20,
    "approved": 35,
    "awaiting_moderation": 15,
    "submitted": 15,
    "draft": 10,
    "closed": 5,
}
REJECT_REASON = "Позиции сняты с производства, предложены аналоги"
RETURN_REASON = "Брак: течь по уплотнению, рекламация дилера"


@dataclass(frozen=True)
class Actors:
    manager: int
    storekeeper: int


def post_orders(
    database: Database,
    rng: random.Random,
    count: int,
    refs: CatalogRefs,
    partners: PartnerRefs,
    actors: Actors,
    progress: Progress,
) -> Counter[str]:
    """`count` dealer orders spread over the history, oldest first; returns how many of each fate."""
    progress.phase("dealer orders and sales", count)
    facts = {item.id: item for item in refs.items}
    stocked = _stocked_items(database, partners.warehouses.values())
    fates: Counter[str] = Counter()
    for k in range(count):
        days_before = HISTORY_DAYS - 10 - k * (HISTORY_DAYS - 11) / max(1, count)
        pool = OLD_FATES if days_before > RECENT_DAYS else RECENT_FATES
        fate = rng.choices(list(pool), weights=list(pool.values()))[0]
        dealer = rng.choice(partners.dealers)
        warehouse_id = dealer.warehouse_ids[0] if rng.random() < 0.75 else rng.choice(dealer.warehouse_ids)
        with database.transaction() as s:
            lines = _lines(s, rng, facts, stocked[warehouse_id], warehouse_id)
            if lines:
                _one_order(
                    s,
                    rng,
                    dealer,
                    warehouse_id,
                    lines,
                    at(days_before, hour=9 + k % 8),
                    fate,
                    actors,
                    partners,
                )
                fates[fate] += 1
        progress.advance()
    return fates


def _one_order(
    s: Session,
    rng: random.Random,
    dealer: DealerRef,
    warehouse_id: int,
    lines: list[sales.OrderLineInput],
    start: datetime,
    fate: str,
    actors: Actors,
    partners: PartnerRefs,
) -> None:
    step = _Steps(start)
    step.next(0)
    order = sales.create_customer_order(
        s,
        user_id=actors.manager,
        partner_id=dealer.partner_id,
        contractor_id=rng.choice(dealer.contractor_ids),
        warehouse_id=warehouse_id,
        lines=lines,
        agreement_id=dealer.agreement_id,
        comment=rng.choice([None, None, "Для клиента: карьер", "Срочно, техника стоит", "Плановое ТО"]),
    )
    if fate == "draft":
        return
    sales.submit_customer_order(s, order.id, user_id=None)
    if fate == "submitted":
        return
    step.next(1)
    sales.take_for_moderation(s, order.id, user_id=actors.manager)
    if fate == "awaiting_moderation":
        return
    if fate == "rejected":
        sales.reject_customer_order(s, order.id, user_id=actors.manager, reason=REJECT_REASON)
        return
    sales.approve_customer_order(s, order.id, user_id=actors.manager)
    if fate == "approved":
        return
    if fate == "cancelled":
        step.next(20)
        sales.cancel_customer_order(s, order.id, user_id=actors.manager, reason="Дилер отказался от заказа")
        return
    step.next(4)
    task = sales.create_picking_task(s, order.id, user_id=actors.storekeeper)
    sales.post_picking_task(s, task.id, user_id=actors.storekeeper)
    if fate == "picking":
        return
    step.next(24)
    despatched = _despatched(rng, task) if fate == "partially_closed" else None
    sale = sales.create_sale(s, task.id, user_id=actors.storekeeper, despatched=despatched)
    sales.post_sale(s, sale.id, user_id=actors.manager)
    if fate == "returned":
        step.next(24 * 9)
        line = sale.lines[0]
        back = sales.create_customer_return(
            s,
            sale.id,
            user_id=actors.manager,
            warehouse_id=partners.warehouses["DEFECT"],
            reason=RETURN_REASON,
            lines={line.id: Decimal(1) if line.quantity >= 1 else line.quantity},
        )
        sales.post_customer_return(s, back.id, user_id=actors.manager)
    if fate in ("closed", "partially_closed", "returned"):
        step.next(2)
        sales.close_customer_order(s, order.id, user_id=actors.manager)


class _Steps:
    """Moves the demo clock forward through an order's life."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def next(self, hours: float) -> None:
        self.now += timedelta(hours=hours)
        set_time(self.now)


def _lines(
    s: Session, rng: random.Random, facts: dict[int, ItemFacts], stocked: list[int], warehouse_id: int
) -> list[sales.OrderLineInput]:
    """2-10 lines of what is free on the warehouse now, in believable quantities."""
    candidates = rng.sample(stocked, min(len(stocked), rng.randint(2, 10)))
    free = {b.item_id: b.free for b in list_balances(s, item_ids=candidates, warehouse_id=warehouse_id)}
    lines = []
    for item_id in candidates:
        quantity = _quantity(rng, facts[item_id], free.get(item_id, Decimal(0)))
        if quantity > 0:
            lines.append(sales.OrderLineInput(item_id, quantity))
    return lines


def _quantity(rng: random.Random, item: ItemFacts, free: Decimal) -> Decimal:
    if item.unit == "l":
        wanted = Decimal(20 * rng.randint(1, 10))
    elif item.unit == "kg":
        wanted = Decimal(18 * rng.randint(1, 3))
    elif item.unit == "m":
        wanted = Decimal(rng.randint(5, 60))
    elif item.kind == "machine" or item.price > 100_000:
        wanted = Decimal(1)
    else:
        wanted = Decimal(rng.randint(1, 12))
    return wanted if wanted <= free else Decimal(0)


def _despatched(rng: random.Random, task: object) -> dict[int, Decimal]:
    """The WMS found less than picked on one line (damaged in the bin): despatch the rest."""
    lines = task.lines  # type: ignore[attr-defined]
    short = rng.choice(lines)
    result = {line.id: line.quantity for line in lines}
    result[short.id] = (short.quantity / 2).to_integral_value() if short.quantity > 1 else Decimal(0)
    if not any(result.values()):
        result[short.id] = short.quantity
    return result


def _stocked_items(database: Database, warehouse_ids: object) -> dict[int, list[int]]:
    """Items with stock per warehouse (closed warehouses are never picked from: they stay empty lists)."""
    result: dict[int, list[int]] = {w: [] for w in warehouse_ids}  # type: ignore[attr-defined]
    with database.session() as s:
        rows = s.execute(
            select(StockBalance.warehouse_id, StockBalance.item_id)
            .where(StockBalance.on_hand > StockBalance.reserved)
            .order_by(StockBalance.warehouse_id, StockBalance.item_id)
        )
        for warehouse_id, item_id in rows:
            result[warehouse_id].append(item_id)
    return result
