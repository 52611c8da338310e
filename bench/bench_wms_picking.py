"""Pick tasks generated per second from ORDERS messages of 50 lines on a warehouse of 10 000 bins, as
a ratio to a plain single-row insert-and-commit loop on the same database, same engine, same run.

    python bench/bench_wms_picking.py --db sqlite --seconds 20
    python bench/bench_wms_picking.py --db postgresql --seconds 20

One ORDERS message = one WMS transaction through the real inbox (`WMS_INBOX.apply_batch`, as the
WMS's exchange worker applies it): the inbox row, the order and its 50 lines, stock allocated bin by
bin (picking zone first, then storage, in route order), one pick task per zone with its lines in
walking order, a replenishment task where the picking zone falls below an item's minimum, and the
ACK in the WMS's outbox. The warehouse comes from `generate_layout` (10 000 storage and picking
bins), its stock spread over the bins: every item in a picking bin (by default 2 to 40 units, so
picks go below the minimum of 20 and make replenishments, or take the rest from storage; with
`--pick-stock 100 150` the picking zone is well stocked) and in two storage bins. The
baseline is `INSERT INTO bench_plain (note) VALUES (:note)` + COMMIT. Both loops alternate in rounds.
Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from _baseline import Counter2, create_plain_table, fresh_database, pg_admin, plain_insert, timed_loop
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from dealerhub.exchange.contracts import GoodsItem, OrderLine, OrdersV1, Unit, build_message
from dealerhub.exchange.sidekit import Applied
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from dealerhub.wms.catalog.models import Item, ItemPlace
from dealerhub.wms.catalog.service import upsert_item
from dealerhub.wms.db import load_all_models
from dealerhub.wms.exchange_link.inbox import WMS_INBOX
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.layout.service import LayoutPlan, generate_layout
from dealerhub.wms.stock.models import Stock, StockMove
from dealerhub.wms.tasks.models import Task, TaskLine

PG_DATABASE = f"bench_wms_{os.getpid()}"  # per run: two runs at once never drop each other's
WAREHOUSE = "BENCH"
LINES = 50
TARGET = 0.25




def main() -> int:
    args = _arguments()
    load_all_models()
    scratch = None if args.url or args.db != "sqlite" else Path(tempfile.mkdtemp(prefix="dealerhub-bench-wms-"))
    database = fresh_database(args.db, args.url, scratch, history="wms", pg_database=PG_DATABASE)
    try:
        items = _prepare(database, args.bins, args.items, args.pick_stock)
        rng = random.Random(1)
        numbers = iter(range(1, 10**9))
        if args.profile:
            _profile(database, items, rng, numbers, args.profile, args.profile_sort)
            return 0
        plain, orders = Counter2(), Counter2()
        tasks_before = _pick_tasks(database)
        for _ in range(args.rounds):
            plain.add(*timed_loop(args.seconds / args.rounds, lambda n: plain_insert(database, n)))
            orders.add(*timed_loop(args.seconds / args.rounds, lambda _n: _apply_orders(database, items, rng, numbers)))
        tasks = _pick_tasks(database) - tasks_before
        _check(database)
        _report(database, plain, orders, tasks)
        return 0 if orders.rate / plain.rate >= TARGET or not args.strict else 1
    finally:
        database.dispose()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if args.db == "postgresql" and not args.url:
            pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def _apply_orders(database: Database, items: list[str], rng: random.Random, numbers) -> None:
    number = f"PT-{next(numbers):07d}"
    payload = OrdersV1(
        order_number=number, customer_order_number=f"CO-{number}", counterparty_code="D-1", action="create",
        lines=[OrderLine(line_no=i, item_code=code, quantity=f"{rng.randint(1, 3)}.000")
               for i, code in enumerate(rng.sample(items, LINES), start=1)],
    )
    message = build_message(payload, sender="core", receiver="wms", message_id=str(uuid.uuid4()),
                            warehouse_code=WAREHOUSE, document_type="picking_task", document_number=number,
                            document_seq=1)
    (outcome,) = WMS_INBOX.apply_batch(database, [message])
    if not isinstance(outcome, Applied):
        raise SystemExit(f"ORDERS {number} was not applied: {outcome}")


def _prepare(database: Database, bins: int, item_count: int, pick_stock: tuple[int, int]) -> list[str]:
    """The warehouse (generate_layout), the catalog as GOODS brings it, item places (picking-zone
    minimum and maximum) and stock: each item in a picking bin and in two storage bins."""
    started = time.perf_counter()
    rng = random.Random(7)
    with database.transaction() as s:
        warehouse = generate_layout(s, WAREHOUSE, "Bench warehouse", LayoutPlan(bins=bins))
        warehouse_id = warehouse.id
        for n in range(item_count):
            upsert_item(s, GoodsItem(code=f"I{n:06d}", article=f"A-{n}", brand=None, group_code=None,
                                     unit=Unit(code="pcs", name="piece", decimals=0), names={"en": f"Item {n}"},
                                     descriptions={}, barcodes=[f"46{n:011d}"], serial_tracked=False, action="upsert"))
    with database.transaction() as s:
        picking = list(s.scalars(select(Bin.id).join(Zone, Zone.id == Bin.zone_id)
                                 .where(Bin.warehouse_id == warehouse_id, Zone.kind == "picking")))
        storage = list(s.scalars(select(Bin.id).join(Zone, Zone.id == Bin.zone_id)
                                 .where(Bin.warehouse_id == warehouse_id, Zone.kind == "storage")))
        items = list(s.scalars(select(Item).order_by(Item.code)))
        s.execute(insert(ItemPlace), [{"warehouse_id": warehouse_id, "item_id": i.id, "home_zone_id": None,
                                       "pick_min": Decimal(20), "pick_max": Decimal(200)} for i in items])
        # Stock as a count would have found it: the rows and their ledger entries, written in bulk.
        placed = []
        for n, item in enumerate(items):
            # A slotted picking zone, unevenly stocked: below the minimum of 20 a pick makes a
            # replenishment task; what the picking bin lacks is picked from storage as well.
            placed.append((picking[n % len(picking)], item.id, Decimal(rng.randint(*pick_stock))))
            placed += [(bin_id, item.id, Decimal(2000)) for bin_id in rng.sample(storage, 2)]
        now = clock.now()
        s.execute(insert(Stock), [{"warehouse_id": warehouse_id, "bin_id": b, "item_id": i, "status": "available",
                                   "quantity": q, "allocated": Decimal(0)} for b, i, q in placed])
        s.execute(insert(StockMove), [{"at": now, "warehouse_id": warehouse_id, "bin_id": b, "item_id": i,
                                       "status": "available", "quantity": q, "reason": "count",
                                       "document_number": "BENCH", "task_id": None, "user_id": None}
                                      for b, i, q in placed])
    create_plain_table(database)
    print(f"prepared {bins} bins, {item_count} items, {len(placed)} stock rows in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return [i.code for i in items]


def _pick_tasks(database: Database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Task).where(Task.kind == "pick")) or 0


def _check(database: Database) -> None:
    """What is allocated in the bins equals what open pick and replenishment lines still take."""
    with database.session() as s:
        allocated = s.scalar(select(func.sum(Stock.allocated))) or 0
        planned = sum((q - d for q, d in s.execute(
            select(TaskLine.quantity, TaskLine.done_quantity).join(Task, Task.id == TaskLine.task_id)
            .where(TaskLine.status == "open", Task.kind.in_(("pick", "replenishment"))))), Decimal(0))
    if Decimal(allocated) != planned:
        raise SystemExit(f"allocated {allocated} in the bins, but open lines take {planned}")


def _profile(database: Database, items: list[str], rng: random.Random, numbers, count: int,
             sort: str = "cumulative") -> None:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        _apply_orders(database, items, rng, numbers)
    profile.disable()
    pstats.Stats(profile).sort_stats(sort).print_stats(40)


def _report(database: Database, plain: Counter2, orders: Counter2, tasks: int) -> None:
    ratio = orders.rate / plain.rate
    verdict = "meets" if ratio >= TARGET else "BELOW"
    tasks_rate = tasks / orders.seconds
    print(f"database: {database.dialect} ({make_url(database.url).render_as_string(hide_password=True)})")
    print(f"plain insert+commit: {plain.count} in {plain.seconds:.1f} s = {plain.rate:.1f}/s")
    print(f"ORDERS ({LINES} lines) applied: {orders.count} in {orders.seconds:.1f} s = {orders.rate:.1f}/s "
          f"({orders.rate * LINES:.0f} order lines/s); pick tasks made: {tasks} = {tasks_rate:.1f}/s")
    print(f"ratio ORDERS/plain: {ratio:.3f} ({verdict} the target {TARGET}); "
          f"ratio pick tasks/plain: {tasks_rate / plain.rate:.3f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time of each loop, split into --rounds")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two loops")
    parser.add_argument("--bins", type=int, default=10_000, help="storage and picking bins of the warehouse")
    parser.add_argument("--items", type=int, default=3_000, help="items with stock")
    parser.add_argument("--pick-stock", type=int, nargs=2, default=(2, 40), metavar=("LOW", "HIGH"),
                        help="units in each item's picking bin, drawn between LOW and HIGH (the minimum is 20: "
                             "below it a pick makes a replenishment task)")
    parser.add_argument("--url", help="use this (empty) database instead of a fresh one")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N orders instead of measuring")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats order of the profile (tottime...)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio is below the target")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
