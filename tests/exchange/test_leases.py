"""A claimed message's lease, on SQLite, PostgreSQL and MariaDB: the worker renews it while a long
batch is handled, so no other worker takes the batch over; and when a lease is lost all the same,
the settle of the worker that lost it is refused, so the message's outcome is the new holder's."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.worker import Applied, Failed, Inbound, LeaseKeeper, Outcome, Worker
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.exchange.builders import T0, order

LEASE = timedelta(seconds=1)


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:
    return ExchangeStore(exchange_db, max_attempts=3)


def test_a_long_batch_keeps_its_lease_and_no_other_worker_takes_it(store: ExchangeStore) -> None:
    """Real time: the handler takes 2.5 leases; another worker tries to claim meanwhile."""
    batch = [order("PT-1", seq=1), order("PT-2")]
    store.publish_many(batch)
    stolen: list[list[str]] = []

    def slow(inbounds: list[Inbound]) -> dict[int, Outcome]:
        deadline = time.monotonic() + 2.5 * LEASE.total_seconds()
        while time.monotonic() < deadline:
            stolen.append([r.message_id for r in store.claim("wms", 10, LEASE, "other")])
            time.sleep(0.2)
        return {i.id: Applied() for i in inbounds}

    result = Worker(store, "wms", slow, lease=LEASE, worker_id="slow").run_batch()
    assert (result.taken, result.applied) == (2, 2)
    assert len(stolen) >= 10
    assert all(s == [] for s in stolen)
    for message in batch:
        record = store.get(message.message_id)
        assert (record.status, record.attempts, record.taken_by, record.lease_until) == (
            "done",
            1,
            "slow",
            None,
        )


def test_the_keeper_renews_only_what_its_worker_still_holds(store: ExchangeStore) -> None:
    mine, lost = order("PT-1"), order("PT-2")
    store.publish_many([mine, lost])
    ids = [r.id for r in store.claim("wms", 10, LEASE, "w1")]
    with store.db.transaction() as s:  # the second one's lease ran out and another worker took it
        s.execute(update(messages).where(messages.c.id == ids[1]).values(taken_by="w2"))
    before = {m: store.get(m.message_id).lease_until for m in (mine, lost)}
    with LeaseKeeper(store, ids, "w1", LEASE) as keeper:
        time.sleep(1.2 * LEASE.total_seconds())
    assert keeper.renewals >= 2
    assert store.get(mine.message_id).lease_until > before[mine]
    assert store.get(lost.message_id).lease_until == before[lost]
    assert store.renew(ids, "w1", LEASE) == 1


def test_a_lost_lease_cannot_settle_and_the_new_holder_decides(store: ExchangeStore) -> None:
    """The lease runs out mid-batch before a renewal (the clock jumps 5 minutes past a 30 s lease,
    whose keeper renews every 10 s) and another worker takes the message; the first worker's
    outcome is then refused and the message ends as the second worker records it."""
    clock.freeze(T0)
    message = order("PT-1", seq=1)
    store.publish(message)
    taken_over = threading.Event()

    def first(inbounds: list[Inbound]) -> dict[int, Outcome]:
        clock.freeze(T0 + timedelta(minutes=5))
        second = Worker(store, "wms", lambda b: {i.id: Applied() for i in b}, lease=LEASE, worker_id="w2")
        assert second.run_batch().applied == 1
        taken_over.set()
        return {i.id: Failed("too late") for i in inbounds}

    result = Worker(store, "wms", first, lease=timedelta(seconds=30), worker_id="w1").run_batch()
    assert taken_over.is_set()
    assert (result.taken, result.applied, result.failed) == (1, 0, 1)
    record = store.get(message.message_id)
    assert (record.status, record.taken_by, record.attempts, record.last_error) == ("done", "w2", 2, None)
    assert store.complete([record.id], "w1") == 0
