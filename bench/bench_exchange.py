"""The whole exchange loop on PostgreSQL, messages per second, as a ratio to a plain single-row
insert-and-commit loop on the same database in the same run; and the latency from posting a
picking task to its ORDERS being taken by the WMS.

    python bench/bench_exchange.py --messages 500

The message: ORDERS, the realistic one (a posted picking task); the only other type in the loop is
the ACK that answers each (printed per run, with the share of the loop the WMS spent inside its
ORDERS batches: the business work of making the order and allocating its stock). One loop of a message =
    the core's outbox -> relay (`dealerhub exchange run`) -> exchange -> the WMS takes it and makes
    its order (`dealerhub wms exchange run`) -> ACK through the WMS's outbox -> relay -> exchange ->
    the core takes the ACK and records it on its outbox row.
The clock starts when one transaction posting MESSAGES picking tasks commits (their ORDERS appear
in the outbox at once) and stops when the last outbox row has its ACK recorded. Nodes are real
processes, started before (warm), polling every --poll seconds and woken at once by PostgreSQL's
NOTIFY when they get work (exchange/wakeup.py); "N workers" = N core nodes and
N WMS nodes. The baseline is `INSERT INTO bench_plain (note) VALUES (:note)` + COMMIT on the core
database, measured before and after each loop run. Latency: with one node each at the configured
poll (DEALERHUB_EXCHANGE_POLL_SECONDS, default 1 s), picking tasks posted one at a time; latency =
the ORDERS' taken_at in the exchange - the posting's commit. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from decimal import Decimal

from _baseline import fresh_database, pg_admin
from sqlalchemy import func, insert, select, text

from dealerhub.core import sales
from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.catalog.wms_messages import send_full_catalog
from dealerhub.core.db import load_all_models as load_core_models
from dealerhub.core.demo import SeedOptions, seed_demo
from dealerhub.core.exchange_link import CoreNode
from dealerhub.core.inventory import CorrectionLineInput, create_stock_correction, post_stock_correction
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.partners.models import Contractor
from dealerhub.core.partners.wms_messages import send_all_counterparties
from dealerhub.core.pricing.models import AgreementWarehouse, DealerAgreement
from dealerhub.core.stock import find_differences
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.wms.catalog.models import Item as WmsItem
from dealerhub.wms.catalog.models import ItemPlace
from dealerhub.wms.db import load_all_models as load_wms_models
from dealerhub.wms.exchange_link.runner import run_once as wms_round
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.layout.models import Warehouse as WmsWarehouse
from dealerhub.wms.layout.service import LayoutPlan, generate_layout
from dealerhub.wms.stock.models import Stock, StockMove

# Per run: two runs at once never drop each other's databases.
DATABASES = {kind: f"bench_ex_{kind}_{os.getpid()}" for kind in ("core", "wms", "exchange")}
TARGET = 0.3


def main() -> int:
    args = _arguments()
    load_core_models()
    load_wms_models()
    urls = {name: _fresh(name, database) for name, database in DATABASES.items()}
    core, wms, exchange = (Database(urls[n]) for n in ("core", "wms", "exchange"))
    store = ExchangeStore(exchange)
    try:
        setup = _prepare(core, wms, store, args)
        results = []
        for workers in args.workers:
            tasks = _unposted_tasks(core, setup, args.messages, random.Random(workers))
            plain_before = _plain_rate(core, args.baseline_seconds)
            nodes = _start_nodes(urls, workers, args.poll, args.profile)
            try:
                first_id = _last_exchange_id(store) + 1
                rate, elapsed = _loop_rate(core, setup, tasks)
            finally:
                _stop(nodes)
            plain_after = _plain_rate(core, args.baseline_seconds)
            plain = (plain_before + plain_after) / 2
            results.append((workers, rate, plain))
            print(f"{workers} worker(s): {rate:8.1f} messages/s; plain insert+commit {plain:8.1f}/s; "
                  f"ratio {rate / plain:.3f}", flush=True)
            print("   " + _what_flowed(store, first_id, elapsed), flush=True)
            print(f"   units allocated in the WMS so far: {_allocated_in_wms(wms)}", flush=True)
        latencies = _latency(core, store, urls, setup, args)
        _check(core, store)
        _report(args, results, latencies)
        return 0 if results[0][1] / results[0][2] >= TARGET or not args.strict else 1
    finally:
        for database in (core, wms, exchange):
            database.dispose()
        if not args.keep:
            for database in DATABASES.values():
                pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Setup:
    def __init__(self, user_id: int, dealers: list[tuple[int, int, int]], items: list[int]) -> None:
        self.user_id = user_id
        self.dealers = dealers  # (partner, contractor, warehouse)
        self.items = items


def _prepare(core: Database, wms: Database, store: ExchangeStore, args: argparse.Namespace) -> Setup:
    """Demo data in the core, stock on the dealers' warehouses, those warehouses laid out in the WMS,
    the catalog and the contractors known to the WMS (synchronized before measuring)."""
    seed_demo(core, SeedOptions(seed=1, items=args.items, dealers=5))
    with core.session() as s:
        user_id = s.scalar(select(User.id).where(User.login == "manager"))
        dealers = []
        for agreement_id, partner_id in s.execute(select(DealerAgreement.id, DealerAgreement.partner_id)).all():
            contractor_id = s.scalar(select(Contractor.id).where(Contractor.partner_id == partner_id).limit(1))
            warehouse_id = s.scalar(select(AgreementWarehouse.warehouse_id).where(
                AgreementWarehouse.agreement_id == agreement_id, AgreementWarehouse.priority == 1))
            dealers.append((partner_id, contractor_id, warehouse_id))
        items = list(s.scalars(select(Item.id).where(Item.kind == "spare_part", Item.use_in_wms.is_(True))
                               .order_by(Item.id)))
        codes = {w.id: w.wms_code for w in s.scalars(select(Warehouse).where(Warehouse.wms_code.is_not(None)))}
    dealers = [d for d in dealers if d[2] in codes]
    for warehouse_id in sorted({d[2] for d in dealers}):
        with core.transaction() as s:
            correction = create_stock_correction(
                s, user_id=user_id, warehouse_id=warehouse_id, kind="surplus", reason="bench stock",
                lines=[CorrectionLineInput(item_id, Decimal(1_000_000)) for item_id in items])
            post_stock_correction(s, correction.id, user_id=user_id)
    with wms.transaction() as s:
        for code in sorted(codes.values()):
            generate_layout(s, code, code, LayoutPlan(bins=20))
    with core.transaction() as s:
        send_full_catalog(s)
        send_all_counterparties(s)
    settings = Settings(exchange_poll_seconds=0.0)
    node = CoreNode(core, store, settings, housekeeping_every=None)
    while True:  # both sides until nothing moves: the WMS knows the catalog and the contractors
        moved = node.run_round()
        done = wms_round(wms, store, settings)
        if not (moved.busy or done.relayed or done.taken):
            break
    _wms_stock(wms)
    with core.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_plain (id BIGSERIAL PRIMARY KEY, note VARCHAR(50) NOT NULL)")
    return Setup(user_id, dealers, items)


def _wms_stock(wms: Database) -> None:
    """Stock in the WMS as a count would have found it, so that its ORDERS really allocate: every
    item the catalog brought in one picking bin (1 000 units) and one storage bin, item places with
    a picking minimum (20) and maximum (200), on every warehouse."""
    with wms.transaction() as s:
        items = list(s.scalars(select(WmsItem.id).order_by(WmsItem.id)))
        for warehouse_id in s.scalars(select(WmsWarehouse.id).order_by(WmsWarehouse.id)):
            bins = {kind: list(s.scalars(select(Bin.id).join(Zone, Zone.id == Bin.zone_id).where(
                Bin.warehouse_id == warehouse_id, Zone.kind == kind).order_by(Bin.route_order)))
                for kind in ("picking", "storage")}
            s.execute(insert(ItemPlace), [{"warehouse_id": warehouse_id, "item_id": i, "home_zone_id": None,
                                           "pick_min": Decimal(20), "pick_max": Decimal(200)} for i in items])
            placed = [(bins["picking"][n % len(bins["picking"])], i, Decimal(1000)) for n, i in enumerate(items)]
            placed += [(bins["storage"][n % len(bins["storage"])], i, Decimal(100_000)) for n, i in enumerate(items)]
            s.execute(insert(Stock), [{"warehouse_id": warehouse_id, "bin_id": b, "item_id": i, "status": "available",
                                       "quantity": q, "allocated": Decimal(0)} for b, i, q in placed])
            s.execute(insert(StockMove), [{"at": clock.now(), "warehouse_id": warehouse_id, "bin_id": b,
                                           "item_id": i, "status": "available", "quantity": q, "reason": "count",
                                           "document_number": "BENCH", "task_id": None, "user_id": None}
                                          for b, i, q in placed])


def _allocated_in_wms(wms: Database) -> Decimal:
    with wms.session() as s:
        return s.scalar(select(func.sum(Stock.allocated))) or Decimal(0)


def _unposted_tasks(core: Database, setup: Setup, count: int, rng: random.Random) -> list[int]:
    """`count` approved orders with a picking task each, not posted yet."""
    ids = []
    for _ in range(count):
        partner_id, contractor_id, warehouse_id = rng.choice(setup.dealers)
        lines = [sales.OrderLineInput(item_id, Decimal(rng.randint(1, 3))) for item_id in rng.sample(setup.items, 2)]
        with core.transaction() as s:
            order = sales.create_customer_order(s, user_id=setup.user_id, partner_id=partner_id,
                                                contractor_id=contractor_id, warehouse_id=warehouse_id, lines=lines)
            sales.submit_customer_order(s, order.id, user_id=setup.user_id)
            sales.approve_customer_order(s, order.id, user_id=setup.user_id)
            ids.append(sales.create_picking_task(s, order.id, user_id=setup.user_id).id)
    return ids


def _loop_rate(core: Database, setup: Setup, tasks: list[int]) -> float:
    """Post every task in one transaction; messages/s until the last ORDERS has its ACK recorded."""
    with core.session() as s:
        first_new = (s.scalar(select(func.max(OutboxMessage.id))) or 0) + 1
    with core.transaction() as s:
        for task_id in tasks:
            sales.post_picking_task(s, task_id, user_id=setup.user_id)
    started = time.perf_counter()
    pending = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.id >= first_new, OutboxMessage.type == "ORDERS", OutboxMessage.answer.is_(None))
    while True:
        with core.session() as s:
            if not s.scalar(pending):
                break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    with core.session() as s:
        acked = s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.id >= first_new, OutboxMessage.type == "ORDERS", OutboxMessage.answer == "ack"))
    if acked != len(tasks):
        raise SystemExit(f"{acked} ORDERS acknowledged of {len(tasks)}")
    return len(tasks) / elapsed, elapsed


def _last_exchange_id(store: ExchangeStore) -> int:
    with store.db.session() as s:
        return s.scalar(select(func.max(messages.c.id))) or 0


def _what_flowed(store: ExchangeStore, first_id: int, elapsed: float) -> str:
    """The message types of the run in the exchange, and how much of the loop's time the WMS spent
    inside its ORDERS batches (from taken to done: its handler's transaction and the settle)."""
    m = messages.c
    with store.db.session() as s:
        rows = s.execute(select(m.message_id, m.type, m.sender, m.receiver, m.correlation_id)
                         .where(m.id >= first_id)).all()
        windows = s.execute(select(m.taken_at, func.max(m.processed_at)).where(
            m.id >= first_id, m.type == "ORDERS").group_by(m.taken_at).order_by(m.taken_at)).all()
    busy, until = 0.0, None
    for start, end in windows:  # the union of the batches' windows (two WMS nodes may overlap)
        start = max(start, until) if until else start
        if end > start:
            busy += (end - start).total_seconds()
            until = end
    orders = {r.message_id for r in rows if r.type == "ORDERS"}
    kinds = Counter(
        f"{r.type} {r.sender}->{r.receiver}" + ("" if r.type != "ACK" or r.correlation_id in orders
                                                 else " (answering messages from before the run)")
        for r in rows
    )
    flowed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return (f"flowed: {flowed}; the WMS was inside its ORDERS batches (order + allocation + inbox + ACK) "
            f"{busy:.2f} s of the loop's {elapsed:.2f} s ({100 * busy / elapsed:.0f}%)")


def _latency(core: Database, store: ExchangeStore, urls: dict[str, str], setup: Setup,
             args: argparse.Namespace) -> list[float]:
    """Seconds from a picking task's posting (commit) to its ORDERS taken by the WMS."""
    tasks = _unposted_tasks(core, setup, args.latency_tasks, random.Random(99))
    nodes = _start_nodes(urls, 1, None)
    posted: dict[str, datetime] = {}
    try:
        time.sleep(3)  # let both nodes start
        rng = random.Random(5)
        for task_id in tasks:
            with core.transaction() as s:
                number = sales.post_picking_task(s, task_id, user_id=setup.user_id).number
            posted[number] = datetime.now().astimezone()
            time.sleep(rng.uniform(0.05, 0.5))
        deadline = time.monotonic() + 120
        while True:
            with store.db.session() as s:
                taken = dict(s.execute(select(messages.c.document_number, messages.c.taken_at).where(
                    messages.c.type == "ORDERS", messages.c.document_number.in_(list(posted)),
                    messages.c.taken_at.is_not(None))).all())
            if len(taken) == len(posted) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        _stop(nodes)
    return sorted((taken[n] - posted[n]).total_seconds() for n in posted if n in taken)


def _start_nodes(urls: dict[str, str], workers: int, poll: float | None,
                 profile: str | None = None) -> list[subprocess.Popen]:
    env = {**os.environ, "DEALERHUB_CORE_DATABASE_URL": urls["core"], "DEALERHUB_WMS_DATABASE_URL": urls["wms"],
           "DEALERHUB_EXCHANGE_DATABASE_URL": urls["exchange"], "DEALERHUB_LOG_LEVEL": "WARNING"}
    if poll is not None:
        env["DEALERHUB_EXCHANGE_POLL_SECONDS"] = str(poll)
    nodes = []
    for n in range(workers):
        for command in (["exchange", "run"], ["wms", "exchange", "run"]):
            python = [sys.executable]
            if profile:  # cProfile writes when the node stops cleanly (SIGTERM)
                python += ["-m", "cProfile", "-o", f"{profile}/{command[0]}-{workers}-{n}.prof"]
            nodes.append(subprocess.Popen([*python, "-m", "dealerhub", *command], env=env,
                                          stdout=subprocess.DEVNULL))
    time.sleep(4)  # started and polling before the clock starts
    return nodes


def _stop(nodes: list[subprocess.Popen]) -> None:
    for node in nodes:
        node.send_signal(signal.SIGTERM)
    for node in nodes:
        node.wait(timeout=60)


def _plain_rate(core: Database, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        with core.transaction() as s:
            s.execute(text("INSERT INTO bench_plain (note) VALUES (:note)"), {"note": f"row {count}"})
        count += 1
    return count / (time.perf_counter() - started)


def _check(core: Database, store: ExchangeStore) -> None:
    with core.session() as s:
        if find_differences(s):
            raise SystemExit("balances disagree with the moves after the run")
    with store.db.session() as s:
        bad = s.scalar(select(func.count()).select_from(messages).where(messages.c.status.in_(("error", "dead"))))
    if bad:
        raise SystemExit(f"{bad} messages in error or dead after the run")


def _report(args: argparse.Namespace, results: list, latencies: list[float]) -> None:
    print(f"\nexchange loop on PostgreSQL ({args.messages} ORDERS per run, nodes polling every {args.poll} s, woken by NOTIFY)")
    for workers, rate, plain in results:
        met = "met" if rate / plain >= TARGET else "MISSED"
        verdict = "" if workers > 1 else f" (target >= {TARGET:.2f}: {met})"
        print(f"  {workers} worker(s): {rate:.1f} messages/s = {rate / plain:.3f} x plain insert+commit "
              f"({plain:.0f}/s){verdict}")
    if latencies:
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
        print(f"  posting -> ORDERS taken by the WMS ({len(latencies)} tasks, poll as configured, woken by NOTIFY): "
              f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {latencies[-1]:.2f} s")


def _fresh(kind: str, database: str) -> str:
    database_ = fresh_database("postgresql", None, None, history=kind, pg_database=database)
    database_.dispose()
    return database_.url


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500, help="ORDERS per loop run")
    parser.add_argument("--poll", type=float, default=0.2, help="the nodes' pause when idle, loop runs")
    parser.add_argument("--baseline-seconds", type=float, default=5.0, help="each plain-loop measurement")
    parser.add_argument("--latency-tasks", type=int, default=100, help="tasks posted one by one for the latency")
    parser.add_argument("--items", type=int, default=300, help="catalog size of the demo data used")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="loop runs with these node counts")
    parser.add_argument("--profile", metavar="DIR", help="run the loop's nodes under cProfile, files into DIR")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio is below the target")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
