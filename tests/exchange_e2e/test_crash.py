"""The crash test: a real `dealerhub exchange run` killed with SIGKILL at random moments, many
times, while thousands of messages flow both ways (PostgreSQL for the core and the exchange).
Afterwards every message took effect exactly once — checked on the registers (stock moves and
balances per item, the documents made), the inbox, the answers and the exchange, not on statuses
alone."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dealerhub.core.catalog.models import Item
from dealerhub.core.inbox.models import InboxMessage
from dealerhub.core.inventory.models import StockCorrection, Transfer
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.sales.models import Sale
from dealerhub.core.stock.models import StockBalance, StockMove
from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.db import Database
from tests.exchange_e2e.scenario import DEFECT_STOCK, MAIN_STOCK, count, open_day, wms_messages
from tests.exchange_fixtures import _empty

pytestmark = pytest.mark.postgresql

MESSAGES = 2000
TASKS = 100
KILLS = 20
# Short enough that a killed node's batch is taken again soon, long enough (with BATCH) that a live
# node's batch never outlives its lease on a loaded machine (a lease that runs out mid-batch makes
# another node take the same messages: harmless, the inbox says "already", but every claim counts
# an attempt). MAX_ATTEMPTS: each kill that hits a message's batch costs it an attempt.
LEASE_SECONDS = 10
BATCH = 20
MAX_ATTEMPTS = 30
# A bound on a stuck run, not a speed target: a quiet machine drains in a few minutes.
DRAIN_TIMEOUT = 1200.0


@pytest.fixture
def pg_exchange_db(_pg_exchange_url: str) -> Iterator[Database]:
    database = Database(_pg_exchange_url)
    try:
        yield database
    finally:
        database.dispose()
        _empty(database)


class Nodes:
    """The node processes of a run; their output goes to files (a pipe nobody reads would fill up
    and block a node in the middle of its transaction); every one is killed at the end, whatever
    happened."""

    def __init__(self, folder: Path, core_url: str, exchange_url: str) -> None:
        self.folder, self.core_url, self.exchange_url = folder, core_url, exchange_url
        self.started: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = (self.folder / f"node-{len(self.started)}.log").open("wb")
        node = _node(self.core_url, self.exchange_url, log)
        self.started.append(node)
        return node

    def output(self, node: subprocess.Popen) -> str:
        return (self.folder / f"node-{self.started.index(node)}.log").read_text(errors="replace")[-5000:]

    def kill_all(self) -> None:
        for node in self.started:
            if node.poll() is None:
                node.kill()
                node.wait()


def _node(core_url: str, exchange_url: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEALERHUB_CORE_DATABASE_URL": core_url,
        "DEALERHUB_EXCHANGE_DATABASE_URL": exchange_url,
        "DEALERHUB_EXCHANGE_LEASE_SECONDS": str(LEASE_SECONDS),
        "DEALERHUB_EXCHANGE_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "DEALERHUB_EXCHANGE_POLL_SECONDS": "0.05",
        "DEALERHUB_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "dealerhub", "exchange", "run", "--batch", str(BATCH)],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )


def _until_working(store: ExchangeStore, nodes: Nodes, node: subprocess.Popen, seconds: float = 120.0) -> None:
    """Wait until this node holds a batch (a message taken by its process)."""
    deadline = time.monotonic() + seconds
    mine = f"%:{node.pid}:%"
    while True:
        with store.db.session() as s:
            if s.scalar(select(func.count()).select_from(messages).where(
                    messages.c.status == "taken", messages.c.taken_by.like(mine))):
                return
        assert node.poll() is None, nodes.output(node)
        assert time.monotonic() < deadline, "the node took nothing"
        time.sleep(0.05)


def _remaining(core: Database, store: ExchangeStore) -> tuple[int, int]:
    """(messages for the core not done yet, outbox rows not relayed yet)."""
    with store.db.session() as s:
        open_ = s.scalar(select(func.count()).select_from(messages).where(
            messages.c.receiver == "core", messages.c.status.in_(("new", "taken"))))
    with core.session() as s:
        unrelayed = s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.relayed_at.is_(None)))
    return open_, unrelayed


def test_sigkilled_nodes_apply_every_message_exactly_once(pg_core_db, pg_exchange_db, tmp_path):
    core, store = pg_core_db, ExchangeStore(pg_exchange_db)
    day = open_day(core, items=40, tasks=TASKS)
    inbound = wms_messages(day, total=MESSAGES)
    for start in range(0, len(inbound), 500):
        store.publish_many(inbound[start:start + 500])
    with core.session() as s:
        outbound_before = set(s.scalars(select(OutboxMessage.message_id)))
    assert len(outbound_before) == TASKS + 1  # an ORDERS per task, the contractor's COUNTERPARTY

    # Kill a node at random moments; each kill leaves its batch taken until the lease runs out.
    rng = random.Random(2026)
    core_url = core.engine.url.render_as_string(hide_password=False)
    exchange_url = pg_exchange_db.engine.url.render_as_string(hide_password=False)
    nodes = Nodes(tmp_path, core_url, exchange_url)
    try:
        progress = []
        for _ in range(KILLS):
            node = nodes.start()
            _until_working(store, nodes, node)  # its start-up (imports) is not what we want to interrupt
            time.sleep(rng.uniform(0.0, 1.5))  # somewhere in a batch: claim, apply, commit, complete, relay
            node.send_signal(signal.SIGKILL)
            node.wait()
            assert node.returncode == -signal.SIGKILL
            progress.append(_remaining(core, store))
        assert progress[-1][0] > 0, progress  # every kill hit a node with work left

        # Then two nodes side by side drain the rest (never taking the same message), and stop
        # cleanly on SIGTERM.
        pair = [nodes.start() for _ in range(2)]
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while _remaining(core, store) != (0, 0):
            assert time.monotonic() < deadline, _remaining(core, store)
            for node in pair:
                assert node.poll() is None, nodes.output(node)
            time.sleep(0.5)
        for node in pair:
            node.send_signal(signal.SIGTERM)
        for node in pair:
            try:
                node.wait(timeout=60)
            except subprocess.TimeoutExpired:
                node.send_signal(signal.SIGUSR1)  # where it hangs: faulthandler's dump of its threads
                time.sleep(2)
                pytest.fail(f"a node ignored SIGTERM for 60 s:\n{nodes.output(node)}")
            assert node.returncode == 0, nodes.output(node)
    finally:
        nodes.kill_all()

    sent = {m.message_id for m in inbound}
    with store.db.session() as s:
        rows = s.execute(select(messages.c.message_id, messages.c.type, messages.c.sender, messages.c.status,
                                messages.c.correlation_id, messages.c.attempts)).all()
    # The exchange: every WMS message done; re-claims after the kills really happened.
    assert {r.status for r in rows if r.sender == "wms"} == {"done"}
    assert {r.message_id for r in rows if r.sender == "wms"} == sent
    assert sum(1 for r in rows if r.sender == "wms" and r.attempts > 1) >= KILLS // 2  # taken again after kills
    from_core = [r for r in rows if r.sender == "core"]

    with core.session() as s:
        # The inbox: one applied row per message.
        inbox = Counter(s.execute(select(InboxMessage.message_id, InboxMessage.status)).all())
        assert set(inbox.values()) == {1} and {m for m, _ in inbox} == sent and {st for _, st in inbox} == {"applied"}
        # Exactly one ACK per message in the outbox, and each ACK exactly once in the exchange.
        outbox = s.execute(select(OutboxMessage.message_id, OutboxMessage.type, OutboxMessage.correlation_id,
                                  OutboxMessage.relayed_at)).all()
        acks = Counter(r.correlation_id for r in outbox if r.type == "ACK")
        assert set(acks) == sent and set(acks.values()) == {1}
        assert all(r.relayed_at is not None for r in outbox)
        assert {r.message_id for r in outbox} >= outbound_before
        assert sorted(r.message_id for r in from_core) == sorted(r.message_id for r in outbox)
        assert Counter(r.correlation_id for r in from_core if r.type == "ACK") == acks
        assert not [r for r in from_core if r.type == "ERROR"]

        # The registers: documents made once per message...
        assert count(s, Sale) == day.sales
        assert count(s, StockCorrection) == day.corrections
        assert count(s, Transfer) == day.transfers
        # ... and every item's balances moved by exactly the messages' effects.
        warehouses = {"main": (day.main_id, MAIN_STOCK), "defect": (day.defect_id, DEFECT_STOCK)}
        moves = {(i, w): q for i, w, q in s.execute(
            select(StockMove.item_id, StockMove.warehouse_id, func.sum(StockMove.quantity))
            .group_by(StockMove.item_id, StockMove.warehouse_id)).all()}
        balances = {(b.item_id, b.warehouse_id): (b.on_hand, b.reserved) for b in s.scalars(select(StockBalance))}
        for code, item_id in day.item_ids.items():
            for where, (warehouse_id, opening) in warehouses.items():
                expected = opening + day.change[(code, where)]
                assert moves[(item_id, warehouse_id)] == expected, (code, where)
                assert balances[(item_id, warehouse_id)] == (expected, Decimal(0)), (code, where)
            weight = s.get(Item, item_id).weight_kg
            assert weight is None if not day.weights[code] else f"{weight:.3f}" in day.weights[code], code

    stock_check = subprocess.run(
        [sys.executable, "-m", "dealerhub", "stock", "check"], check=False, capture_output=True, text=True,
        env={**os.environ, "DEALERHUB_CORE_DATABASE_URL": core_url, "DEALERHUB_LOG_LEVEL": "WARNING"},
    )
    assert stock_check.returncode == 0, stock_check.stderr
    assert "balances agree with the moves" in stock_check.stdout
