"""Sales of a closed quarter unposted at once, with `bonus accrue` running beside them, on
PostgreSQL with real parallel connections: each reconciliation waits for the one before (the
partner's row lock) and sees its entries, so the ledger ends at exactly what the posted sales say."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import bonus, sales
from dealerhub.core.bonus.models import BonusEntry
from dealerhub.shared import clock
from tests.bonus.builders import make_world, sell, turnover_program, utc

pytestmark = pytest.mark.postgresql
D = Decimal


def _ledger(db, partner_id):
    with db.session() as s:
        return s.scalar(select(func.sum(BonusEntry.amount)).where(BonusEntry.partner_id == partner_id))


def test_concurrent_unpostings_and_accrual_leave_the_ledger_at_what_sales_say(pg_core_db):
    db = pg_core_db
    w = make_world(db)
    turnover_program(db)  # 3 % from 1000.00, 5 % from 2000.00, all purchases
    # four sales of 1000.00 in February; the three of different items go back at once (different
    # stock rows: nothing but the partner's lock orders them), A's second sale stays posted
    quantities = [{"A": "10"}, {"B": "4"}, {"C": "25"}, {"A": "10"}]
    sale_ids = [sell(db, w, utc(2026, 2, day, 9), q) for day, q in enumerate(quantities, start=1)]
    clock.freeze(utc(2026, 4, 2, 9))
    with db.transaction() as s:
        bonus.reconcile(s, [w.partner_id])
    assert _ledger(db, w.partner_id) == D("200.00")  # 4000.00 x 5 %

    undone = sale_ids[:3]  # 1000.00 stays posted: 3 % = 30.00
    barrier = threading.Barrier(len(undone) + 1)

    def unpost(sale_id):
        barrier.wait()
        with db.transaction() as s:
            sales.unpost_sale(s, sale_id, user_id=w.manager_id)

    def accrue(_):
        barrier.wait()
        with db.transaction() as s:
            bonus.reconcile(s, [w.partner_id])

    with ThreadPoolExecutor(max_workers=len(undone) + 1) as pool:
        list(pool.map(lambda job: job[0](job[1]), [(unpost, i) for i in undone] + [(accrue, None)]))

    assert _ledger(db, w.partner_id) == D("30.00")
    with db.transaction() as s:
        assert bonus.reconcile(s, [w.partner_id]) == []
        corrections = s.scalar(
            select(func.count()).where(BonusEntry.partner_id == w.partner_id, BonusEntry.kind == "accrual_correction")
        )
    assert corrections == 3  # one per unposting; the accrual beside them always found the ledger agreeing
