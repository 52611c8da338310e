"""Dealers' payments of the demo, through the real use cases, so that settlements and reconciliation
statements look real: most posted sales are paid against their order's invoice within a few weeks
(some in two parts), some are still unpaid at the demo's "today", a few dealers paid in advance."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import settlements
from dealerhub.core.demo.timeline import ANCHOR, Progress, set_time
from dealerhub.core.sales.models import Sale, SaleLine
from dealerhub.shared.db import Database

# What became of a sale's invoice (weights).
FATES = {"paid": 65, "two_parts": 15, "unpaid": 20}
ADVANCE_SHARE = 0.15  # of the legal entities that bought, these also paid an advance lately


def post_payments(database: Database, rng: random.Random, manager_id: int, progress: Progress) -> int:
    """Pay for the posted sales (oldest first); returns how many payments were posted."""
    with database.session() as s:
        sales = s.execute(
            select(Sale.id, Sale.customer_order_id, Sale.contractor_id, Sale.doc_date, func.sum(SaleLine.amount))
            .join(SaleLine, SaleLine.sale_id == Sale.id)
            .where(Sale.status == "posted", Sale.currency == "RUB")
            .group_by(Sale.id, Sale.customer_order_id, Sale.contractor_id, Sale.doc_date)
            .order_by(Sale.doc_date, Sale.id)
        ).all()
    progress.phase("dealer payments", len(sales))
    plan: list[tuple[datetime, int, Decimal, int | None]] = []
    for _sale_id, order_id, contractor_id, sold_at, total in sales:
        fate = rng.choices(list(FATES), weights=list(FATES.values()))[0]
        first = sold_at + timedelta(days=rng.randint(2, 20), hours=rng.randint(1, 8))
        total = Decimal(total)
        part = (total * Decimal(rng.randint(40, 70)) / 100).quantize(Decimal(1))
        if fate == "two_parts" and 0 < part < total:
            plan.append((first, contractor_id, part, order_id))
            plan.append((first + timedelta(days=rng.randint(7, 30)), contractor_id, total - part, order_id))
        elif fate != "unpaid":
            plan.append((first, contractor_id, total, order_id))
        progress.advance()
    buyers = sorted({row[2] for row in sales})
    for contractor_id in rng.sample(buyers, k=int(len(buyers) * ADVANCE_SHARE)):
        advance = Decimal(rng.randint(5, 40) * 10_000)
        plan.append((ANCHOR - timedelta(days=rng.randint(3, 20)), contractor_id, advance, None))
    plan = sorted((p for p in plan if p[0] < ANCHOR), key=lambda p: p[0])
    with database.transaction() as s:
        for n, (moment, contractor_id, amount, order_id) in enumerate(plan, start=1):
            _pay(s, n, moment, contractor_id, amount, order_id, manager_id)
    return len(plan)


def _pay(
    s: Session, n: int, moment: datetime, contractor_id: int, amount: Decimal, order_id: int | None, user_id: int
) -> None:
    set_time(moment)
    paid_on: date = moment.date()
    payment = settlements.create_incoming_payment(
        s,
        user_id=user_id,
        contractor_id=contractor_id,
        amount=amount,
        paid_on=paid_on,
        bank_reference=f"п/п {1000 + n} от {paid_on:%d.%m.%Y}",
        customer_order_id=order_id,
        comment=None if order_id else "Аванс",
    )
    settlements.post_incoming_payment(s, payment.id, user_id=user_id)
