"""1 000 dealers' cart reservations at once on 10 hot items, on PostgreSQL with real parallel
connections, as a ratio to single-row insert-and-commit transactions run the same way in the same
run; then the proof that nothing was oversold.

    python bench/bench_reservations.py --threads 48
    python bench/bench_reservations.py --threads 64 --reservations 1000 --stock 150

Setup: 50 dealers with an agreement on one warehouse; 1 000 carts (20 per dealer), each with one
line of a random hot item (1 to 5 pieces). Together they ask for about three times the stock, so
most of the race is for the last units. Each reservation is one transaction through the real use
case (carts.reserve_lines: the cart row lock, then the balance row lock, the guarded update, the
reservation and its move, the audit row). The baseline is `INSERT INTO bench_plain` + COMMIT, one
row per transaction, with the same number of threads. Then: per item, what the carts hold equals
the balance's reserved, reserved <= on hand, the balances agree with the moves
(`dealerhub stock check`), and each cart got at most what it asked. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from dealerhub import migrations
from dealerhub.core import carts, stock
from dealerhub.core.catalog.models import Item, ItemGroup, ItemGroupTranslation, ItemTranslation, Unit
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.pricing.models import AgreementWarehouse, DealerAgreement, ItemPrice, PriceType
from dealerhub.core.stock import DocRef, Move, find_differences, write_stock_moves
from dealerhub.core.stock.models import Reservation, StockBalance
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from dealerhub.shared.db import Database

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = f"bench_reservations_{os.getpid()}"  # per run: two runs at once never drop each other's
HOT_ITEMS = 10
DEALERS = 50


def main() -> int:
    args = _arguments()
    database = _fresh_database(args.threads)
    try:
        warehouse_id, items, jobs = _prepare(database, args.reservations, args.stock)
        plain_seconds = _run_parallel(args.threads, [lambda n=n: _plain_insert(database, n) for n in range(len(jobs))])
        outcomes: list[object] = []
        lock = threading.Lock()

        def reserve(job: tuple[int, int, int, Decimal]) -> None:
            partner_id, cart_id, item_id, asked = job
            try:
                with database.transaction() as s:
                    [line] = carts.reserve_lines(s, cart_id, partner_id=partner_id, user_id=None, warehouse_id=warehouse_id)
                    got = line.reserved
            except stock.InsufficientStock:
                got = Decimal(0)
            with lock:
                outcomes.append((item_id, asked, got))

        reserve_seconds = _run_parallel(args.threads, [lambda j=j: reserve(j) for j in jobs])
        oversold = _check(database, warehouse_id, items, outcomes, args.stock)
        plain_rate, reserve_rate = len(jobs) / plain_seconds, len(jobs) / reserve_seconds
        granted = sum(g for _i, _a, g in outcomes)
        print(f"database: postgresql ({PG_DATABASE}), {args.threads} threads, each its own connection")
        print(f"plain insert+commit: {len(jobs)} in {plain_seconds:.2f} s = {plain_rate:.0f}/s")
        print(
            f"cart reservations: {len(jobs)} in {reserve_seconds:.2f} s = {reserve_rate:.0f}/s "
            f"({sum(1 for o in outcomes if o[2] > 0)} got stock, {granted} of {args.stock * HOT_ITEMS} units reserved)"
        )
        print(f"ratio reservations/plain: {reserve_rate / plain_rate:.3f}")
        print(f"oversold: {oversold} (balances agree with the moves, every cart within what it asked)")
        assert oversold == 0, "OVERSOLD"
        return 0
    finally:
        database.dispose()
        if not args.keep:
            _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def _run_parallel(threads: int, jobs: list[Callable[[], None]]) -> float:
    """Run the jobs on `threads` workers, all started together; returns the wall time."""
    start_line = threading.Barrier(threads + 1)
    queue = iter(jobs)
    take = threading.Lock()

    def worker() -> None:
        start_line.wait()
        while True:
            with take:
                job = next(queue, None)
            if job is None:
                return
            job()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker) for _ in range(threads)]
        start_line.wait()
        began = time.perf_counter()
        for f in futures:
            f.result()
        return time.perf_counter() - began


def _plain_insert(database: Database, n: int) -> None:
    with database.transaction() as s:
        s.execute(text("INSERT INTO bench_plain (note) VALUES (:note)"), {"note": f"row {n}"})


def _prepare(database: Database, reservations: int, per_item: int):
    rng = random.Random(1)
    now = clock.now()
    with database.transaction() as s:
        s.execute(text("CREATE TABLE bench_plain (id BIGSERIAL PRIMARY KEY, note VARCHAR(50) NOT NULL)"))
        unit = Unit(code="pcs", names={"en": "pcs"}, precision=0)
        group = ItemGroup(code="HOT", use_in_wms=False)
        group.translations = [ItemGroupTranslation(lang="ru", name="Hot")]
        wh = Warehouse(code="W1", name="Main", kind="main")
        pt = PriceType(code="DEALER", name="Dealer", currency="RUB", is_base=True)
        s.add_all([unit, group, wh, pt])
        s.flush()
        items = []
        for n in range(HOT_ITEMS):
            item = Item(code=f"HOT{n}", article=f"HOT-{n}", article_key=f"HOT{n}", group_id=group.id, unit_id=unit.id)
            item.translations = [ItemTranslation(lang="ru", name=f"Hot item {n}")]
            s.add(item)
            s.flush()
            s.add(ItemPrice(item_id=item.id, price_type_id=pt.id, price=Decimal("10.00"), currency="RUB", valid_from=now.date()))
            items.append(item.id)
        write_stock_moves(s, DocRef("opening_balance", 0), now, [Move(i, wh.id, Decimal(per_item)) for i in items])
        dealers = []
        for n in range(DEALERS):
            partner = Partner(name=f"Dealer {n}", is_dealer=True, is_supplier=False)
            s.add(partner)
            s.flush()
            s.add(Contractor(partner_id=partner.id, name=f"LLC Dealer {n}", country="RU"))
            ag = DealerAgreement(partner_id=partner.id, number=f"AG-{n}", price_type_id=pt.id, valid_from=now.date())
            s.add(ag)
            s.flush()
            s.add(AgreementWarehouse(agreement_id=ag.id, warehouse_id=wh.id, priority=1))
            dealers.append(partner.id)
        s.flush()
        jobs = []
        for n in range(reservations):
            partner_id = dealers[n % DEALERS]
            item_id, asked = rng.choice(items), Decimal(rng.randint(1, 5))
            cart = carts.create_cart(s, partner_id=partner_id, user_id=None, name=f"Customer {n}")
            carts.add_items(s, cart.id, partner_id=partner_id, user_id=None, items=[carts.ItemQuantity(item_id, asked)])
            jobs.append((partner_id, cart.id, item_id, asked))
    rng.shuffle(jobs)
    return wh.id, items, jobs


def _check(database: Database, warehouse_id: int, items: list[int], outcomes, per_item: int) -> int:
    """Units reserved beyond what is on hand, or held without a balance to show for it: must be 0."""
    oversold = 0
    with database.session() as s:
        if find_differences(s):
            oversold += 1
        held = dict(
            s.execute(
                select(Reservation.item_id, func.sum(Reservation.quantity))
                .where(Reservation.holder_type == carts.CART_HOLDER)
                .group_by(Reservation.item_id)
            ).all()
        )
        for item_id in items:
            b = s.get(StockBalance, (item_id, warehouse_id))
            oversold += max(Decimal(0), b.reserved - b.on_hand)
            oversold += abs(held.get(item_id, Decimal(0)) - b.reserved)
            got = sum((g for i, _a, g in outcomes if i == item_id), Decimal(0))
            oversold += max(Decimal(0), got - per_item) + abs(got - b.reserved)
    oversold += sum(max(Decimal(0), g - a) for _i, a, g in outcomes)
    return int(oversold)


def _fresh_database(threads: int) -> Database:
    _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
    url = make_url(PG_ADMIN_URL).set(database=PG_DATABASE).render_as_string(hide_password=False)
    migrations.upgrade("core", url)
    return Database(url, pool_size=threads + 2, max_overflow=4)


def _pg_admin(sql: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=48, help="parallel connections (32-64 makes sense)")
    parser.add_argument("--reservations", type=int, default=1000)
    parser.add_argument("--stock", type=int, default=150, help="pieces of each hot item on hand")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
