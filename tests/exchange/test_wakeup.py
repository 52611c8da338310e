"""A node waiting for work wakes as soon as a message for it is published (PostgreSQL NOTIFY at
the commit); on the other databases, and for other receivers, it waits its poll interval out."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.wakeup import EXCHANGE_CHANNEL, Listen, Wakeup, notify
from dealerhub.shared.db import Database
from tests.exchange.builders import order


def _publish_later(db: Database, message, delay: float = 0.3, *, roll_back: bool = False) -> threading.Thread:
    def publish() -> None:
        time.sleep(delay)
        store = ExchangeStore(db)
        if roll_back:
            with pytest.raises(RuntimeError), db.transaction() as s:
                store._publish(s, [message], check_slots=False)
                raise RuntimeError("rolled back: nobody is woken")
        else:
            store.publish(message)

    thread = threading.Thread(target=publish)
    thread.start()
    return thread


def _timed_wait(wakeup: Wakeup, timeout: float) -> tuple[bool, float]:
    started = time.monotonic()
    woken = wakeup.wait(timeout)
    return woken, time.monotonic() - started


def test_a_message_for_the_node_wakes_it_at_the_commit(exchange_db):
    wakeup = Wakeup([Listen(exchange_db, EXCHANGE_CHANNEL, frozenset({"wms"}))])
    try:
        wakeup.wait(0.01)  # listening from here on
        publisher = _publish_later(exchange_db, order("PT-1"))  # receiver "wms"
        woken, waited = _timed_wait(wakeup, 5.0)
        publisher.join()
    finally:
        wakeup.close()
    if exchange_db.dialect == "postgresql":
        assert woken and waited < 2.0 and wakeup.woken == 1
    else:  # no notifications: the poll interval, as before
        assert not woken and waited >= 5.0 and wakeup.woken == 0


def test_other_receivers_and_rolled_back_publishing_wake_nobody(exchange_db):
    wakeup = Wakeup([Listen(exchange_db, EXCHANGE_CHANNEL, frozenset({"wms"}))])
    try:
        wakeup.wait(0.01)
        others = _publish_later(exchange_db, order("PT-2", receiver="wms-2"), 0.1)
        rolled_back = _publish_later(exchange_db, order("PT-3"), 0.2, roll_back=True)
        woken, waited = _timed_wait(wakeup, 1.5)
        others.join()
        rolled_back.join()
    finally:
        wakeup.close()
    assert not woken and waited >= 1.5 and wakeup.woken == 0


def test_a_set_stop_ends_the_wait(exchange_db):
    wakeup = Wakeup([Listen(exchange_db, EXCHANGE_CHANNEL)])
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    try:
        assert wakeup.wait(10.0, stop) is False
    finally:
        wakeup.close()
    assert time.monotonic() - started < 1.0


def test_a_transaction_notifies_each_receiver_once_however_many_rows_it_writes(exchange_db):
    sent: list[str] = []
    event.listen(
        exchange_db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]) if "pg_notify" in a[2] else None
    )
    for _ in range(2):  # each transaction notifies afresh
        with exchange_db.transaction() as s:
            for payload in ("wms", "wms", "core", "wms"):
                notify(s, EXCHANGE_CHANNEL, payload)
    # wms and core in each of the two transactions; nothing at all where there is no NOTIFY
    assert len(sent) == (4 if exchange_db.dialect == "postgresql" else 0)
