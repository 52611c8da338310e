"""Customer orders of 10 lines with reservations, posted per second, as a ratio to a plain
single-row insert-and-commit loop on the same database, same engine, same run.

    python bench/bench_orders.py --db sqlite --seconds 20
    python bench/bench_orders.py --db postgresql --seconds 20

One order = one transaction through the real use cases: create_customer_order (10 lines priced
from the dealer's agreement), submit, take for moderation, approve (reserves each line). The
baseline is `INSERT INTO bench_plain (note) VALUES (:note)` + COMMIT, one row per transaction.
Both loops alternate in rounds so that a change of machine load hits both. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from _baseline import Counter2, cpu_timed_loop, create_plain_table, fresh_database, pg_admin, plain_insert
from sqlalchemy import select
from sqlalchemy.engine import make_url

from dealerhub.core import sales
from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.demo import SeedOptions, seed_demo
from dealerhub.core.inventory import CorrectionLineInput, create_stock_correction, post_stock_correction
from dealerhub.core.partners.models import Contractor
from dealerhub.core.pricing.models import AgreementWarehouse, DealerAgreement
from dealerhub.core.stock import find_differences
from dealerhub.shared.db import Database

PG_DATABASE = f"bench_orders_{os.getpid()}"  # per run: two runs at once never drop each other's
LINES = 10
TARGET = 0.25


def main() -> int:
    args = _arguments()
    scratch = None if args.url or args.db != "sqlite" else Path(tempfile.mkdtemp(prefix="dealerhub-bench-"))
    database = fresh_database(args.db, args.url, scratch, history="core", pg_database=PG_DATABASE)
    try:
        setup = _prepare(database, args.items)
        rng = random.Random(1)
        plain, orders = Counter2(), Counter2()
        round_seconds = args.seconds / args.rounds
        for _ in range(args.rounds):
            plain.add(*cpu_timed_loop(database, round_seconds, lambda n: plain_insert(database, n)))
            orders.add(*cpu_timed_loop(database, round_seconds, lambda _n: _post_order(database, setup, rng)))
        _check(database)
        _report(args, database, plain, orders)
        return 0 if orders.rate / plain.rate >= TARGET or not args.strict else 1
    finally:
        database.dispose()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if args.db == "postgresql" and not args.url:
            pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')




class Setup:
    def __init__(self, user_id: int, dealers: list[tuple[int, int, int, int]], items: list[int]) -> None:
        self.user_id = user_id
        self.dealers = dealers  # (partner, contractor, agreement, warehouse)
        self.items = items


def _post_order(database: Database, setup: Setup, rng: random.Random) -> None:
    partner_id, contractor_id, agreement_id, warehouse_id = rng.choice(setup.dealers)
    lines = [
        sales.OrderLineInput(item_id, Decimal(rng.randint(1, 3)))
        for item_id in rng.sample(setup.items, LINES)
    ]
    with database.transaction() as s:
        order = sales.create_customer_order(
            s,
            user_id=setup.user_id,
            partner_id=partner_id,
            contractor_id=contractor_id,
            warehouse_id=warehouse_id,
            lines=lines,
            agreement_id=agreement_id,
        )
        sales.submit_customer_order(s, order.id, user_id=setup.user_id)
        sales.take_for_moderation(s, order.id, user_id=setup.user_id)
        sales.approve_customer_order(s, order.id, user_id=setup.user_id)


def _prepare(database: Database, items: int) -> Setup:
    """A small demo distributor, plenty of stock on the dealers' warehouses, the baseline's table."""
    seed_demo(database, SeedOptions(seed=1, items=items, dealers=5))
    with database.session() as s:
        user_id = s.scalar(select(User.id).where(User.login == "manager"))
        agreements = s.execute(select(DealerAgreement.id, DealerAgreement.partner_id)).all()
        dealers = []
        for agreement_id, partner_id in agreements:
            contractor_id = s.scalar(
                select(Contractor.id).where(Contractor.partner_id == partner_id).limit(1)
            )
            warehouse_id = s.scalar(
                select(AgreementWarehouse.warehouse_id).where(
                    AgreementWarehouse.agreement_id == agreement_id, AgreementWarehouse.priority == 1
                )
            )
            dealers.append((partner_id, contractor_id, agreement_id, warehouse_id))
        item_ids = list(s.scalars(select(Item.id).where(Item.kind == "spare_part").order_by(Item.id)))
    for warehouse_id in sorted({d[3] for d in dealers}):
        with database.transaction() as s:
            correction = create_stock_correction(
                s,
                user_id=user_id,
                warehouse_id=warehouse_id,
                kind="surplus",
                reason="bench stock",
                lines=[CorrectionLineInput(item_id, Decimal(1_000_000)) for item_id in item_ids],
            )
            post_stock_correction(s, correction.id, user_id=user_id)
    create_plain_table(database)
    return Setup(user_id, dealers, item_ids)


def _check(database: Database) -> None:
    with database.session() as s:
        differences = find_differences(s)
    if differences:
        raise SystemExit(f"balances disagree with the moves after the run: {differences[:5]}")


def _report(args: argparse.Namespace, database: Database, plain: Counter2, orders: Counter2) -> None:
    ratio = orders.rate / plain.rate
    verdict = "meets" if ratio >= TARGET else "BELOW"
    print(f"database: {database.dialect} ({make_url(database.url).render_as_string(hide_password=True)})")
    print(f"plain insert+commit: {plain.count} in {plain.seconds:.1f} s = {plain.rate:.1f}/s")
    print(
        f"orders ({LINES} lines, create+submit+moderate+approve): {orders.count} in {orders.seconds:.1f} s "
        f"= {orders.rate:.1f}/s ({orders.rate * LINES:.0f} reserved lines/s)"
    )
    print(f"ratio orders/plain: {ratio:.3f} ({verdict} the target {TARGET})")
    print(f"per plain insert, ms: {plain.per_step_ms()}")
    print(f"per order, ms: {orders.per_step_ms()}")
    if orders.server_cpu:
        # The database server's own work for an order, with a client that cost nothing and no wait.
        ceiling = orders.count / orders.server_cpu
        print(f"ceiling from the server's CPU alone: {ceiling:.1f} orders/s = ratio {ceiling / plain.rate:.3f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="measuring time of each loop, split into --rounds"
    )
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two loops")
    parser.add_argument("--items", type=int, default=500, help="catalog size of the demo data used")
    parser.add_argument("--url", help="use this (empty) database instead of a fresh one")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio is below the target")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
