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
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from dealerhub import migrations
from dealerhub.core import sales
from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.demo import SeedOptions, seed_demo
from dealerhub.core.inventory import CorrectionLineInput, create_stock_correction, post_stock_correction
from dealerhub.core.partners.models import Contractor
from dealerhub.core.pricing.models import AgreementWarehouse, DealerAgreement
from dealerhub.core.stock import find_differences
from dealerhub.shared.db import Database

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = f"bench_orders_{os.getpid()}"  # per run: two runs at once never drop each other's
LINES = 10
TARGET = 0.25


def main() -> int:
    args = _arguments()
    scratch = None if args.url or args.db != "sqlite" else Path(tempfile.mkdtemp(prefix="dealerhub-bench-"))
    database = _fresh_database(args.db, args.url, scratch)
    try:
        setup = _prepare(database, args.items)
        rng = random.Random(1)
        plain, orders = Counter2(), Counter2()
        round_seconds = args.seconds / args.rounds
        for _ in range(args.rounds):
            plain.add(*_loop(round_seconds, lambda n: _plain_insert(database, n)))
            orders.add(*_loop(round_seconds, lambda _n: _post_order(database, setup, rng)))
        _check(database)
        _report(args, database, plain, orders)
        return 0 if orders.rate / plain.rate >= TARGET or not args.strict else 1
    finally:
        database.dispose()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if args.db == "postgresql" and not args.url:
            _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


class Counter2:
    """How many in how many seconds, summed over the rounds."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def add(self, count: int, seconds: float) -> None:
        self.count += count
        self.seconds += seconds

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def _loop(seconds: float, step: Callable[[int], None]) -> tuple[int, float]:
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        step(count)
        count += 1
    return count, time.perf_counter() - started


def _plain_insert(database: Database, n: int) -> None:
    with database.transaction() as s:
        s.execute(text("INSERT INTO bench_plain (note) VALUES (:note)"), {"note": f"row {n}"})


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
    with database.engine.begin() as conn:
        key = "INTEGER PRIMARY KEY" if database.dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
        conn.exec_driver_sql(f"CREATE TABLE bench_plain (id {key}, note VARCHAR(50) NOT NULL)")
    return Setup(user_id, dealers, item_ids)


def _check(database: Database) -> None:
    with database.session() as s:
        differences = find_differences(s)
    if differences:
        raise SystemExit(f"balances disagree with the moves after the run: {differences[:5]}")


def _fresh_database(kind: str, url: str | None, scratch: Path | None) -> Database:
    """The given database, or a fresh SQLite file in `scratch`, or a fresh PostgreSQL database."""
    if url:
        pass
    elif kind == "sqlite":
        url = f"sqlite:///{scratch / 'core.sqlite3'}"
    else:
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = str(make_url(PG_ADMIN_URL).set(database=PG_DATABASE))
    migrations.upgrade("core", url)
    return Database(url)


def _pg_admin(sql: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


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
