"""Ordering per document without an end, on SQLite, PostgreSQL and MariaDB: a message whose
earlier message never arrives waits the wait timeout, then becomes `error` (out_of_order) with a
clear reason and an ERROR to its sender; a message whose place is already done becomes `error` at
once; a message behind one that is present (even in error or dead) keeps waiting."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from dealerhub.exchange.models import messages
from dealerhub.exchange.refusals import answer_id
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.exchange.builders import T0, order

LEASE = timedelta(seconds=60)


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:
    clock.freeze(T0)
    return ExchangeStore(exchange_db, max_attempts=3, wait_timeout=timedelta(hours=1))


def claim_ids(store: ExchangeStore, worker: str = "w1") -> list[str]:
    return [r.message_id for r in store.claim("wms", 100, LEASE, worker)]


def state(store: ExchangeStore, message_id: str) -> tuple:
    record = store.get(message_id)
    return record.status, record.processed_at, record.last_error


def errors_sent(store: ExchangeStore) -> list[tuple]:
    with store.db.session() as s:
        rows = s.execute(select(messages).where(messages.c.type == "ERROR").order_by(messages.c.id)).all()
    return [(r.message_id, r.sender, r.receiver, r.correlation_id, json.loads(r.payload)) for r in rows]


def test_a_gap_before_a_message_ends_in_an_error_after_the_wait_timeout(store: ExchangeStore) -> None:
    # Message 1 of PT-1 never arrives; 2 and 3 do; another document flows meanwhile.
    second, third, other = order("PT-1", seq=2), order("PT-1", seq=3), order("PT-2", seq=1)
    store.publish_many([second, third, other])
    [taken] = store.claim("wms", 100, LEASE, "w1")
    assert taken.message_id == other.message_id
    store.complete([taken.id], "w1")
    clock.freeze(T0 + timedelta(minutes=59, seconds=59))
    assert claim_ids(store) == []
    assert store.get(second.message_id).status == "new"
    assert errors_sent(store) == []

    # The claim looks at most once a minute: the next look after the timeout ends the wait.
    ended = T0 + timedelta(hours=1, minutes=1)
    clock.freeze(ended)
    assert claim_ids(store) == []
    reason = (
        "message 1 of picking_task PT-1 (sender core) never arrived; message 2 waited 61 min for it, the "
        "limit is 60 min (the later messages of the document wait behind this one)"
    )
    assert state(store, second.message_id) == ("error", ended, f"out_of_order: {reason}")
    # The third waits behind the second (present, in error): no error of its own.
    assert state(store, third.message_id) == ("new", None, None)
    assert errors_sent(store) == [
        (
            answer_id(second.message_id),
            "wms",
            "core",
            second.message_id,
            {"message_id": second.message_id, "code": "out_of_order", "reason": reason},
        )
    ]
    # Claiming again changes nothing and answers nothing twice.
    clock.freeze(T0 + timedelta(hours=2))
    assert claim_ids(store) == []
    assert len(errors_sent(store)) == 1
    assert state(store, third.message_id) == ("new", None, None)


def test_the_missing_message_arriving_in_time_lets_the_document_flow(store: ExchangeStore) -> None:
    second = order("PT-1", seq=2)
    store.publish(second)
    clock.freeze(T0 + timedelta(minutes=50))
    assert claim_ids(store) == []
    first = order("PT-1", seq=1)
    store.publish(first)
    [taken] = store.claim("wms", 10, LEASE, "w1")
    assert taken.message_id == first.message_id
    store.complete([taken.id], "w1")
    clock.freeze(T0 + timedelta(hours=3))  # long past the timeout: its predecessor is done
    assert claim_ids(store) == [second.message_id]
    assert errors_sent(store) == []


def test_a_message_behind_a_dead_one_waits_as_long_as_it_takes(store: ExchangeStore) -> None:
    first, second = order("PT-1", seq=1), order("PT-1", seq=2)
    store.publish_many([first, second])
    for n in range(3):
        [taken] = store.claim("wms", 10, LEASE, "w1")
        store.fail(taken.id, "boom", "w1")
        clock.freeze(clock.now() + timedelta(minutes=10))
    assert store.get(first.message_id).status == "dead"
    clock.freeze(T0 + timedelta(days=2))
    assert claim_ids(store) == []
    assert state(store, second.message_id) == ("new", None, None)
    store.retry(first.message_id)
    [taken] = store.claim("wms", 10, LEASE, "w1")
    store.complete([taken.id], "w1")
    assert claim_ids(store) == [second.message_id]


def test_a_message_for_a_place_already_done_is_an_error_at_once(store: ExchangeStore) -> None:
    first = order("PT-1", seq=1)
    store.publish(first)
    [taken] = store.claim("wms", 10, LEASE, "w1")
    store.complete([taken.id], "w1")
    clock.freeze(T0 + timedelta(days=31))
    store.archive(timedelta(days=30))  # the live table's document key no longer sees place 1
    late = order("PT-1", seq=1, quantity="4.000")
    store.publish(late)
    assert claim_ids(store) == []
    assert state(store, late.message_id) == (
        "error",
        T0 + timedelta(days=31),
        (
            "out_of_order: place 1 of picking_task PT-1 (sender core) is already done (the document is at 1): "
            "this message can never be taken"
        ),
    )
    assert [e[3] for e in errors_sent(store)] == [late.message_id]


def test_the_sweep_runs_at_most_once_a_minute(store: ExchangeStore) -> None:
    store.publish(order("PT-1", seq=2))
    clock.freeze(T0 + timedelta(hours=1))
    claim_ids(store)
    stuck = order("PT-2", seq=3)
    with store.db.transaction() as s:  # created long ago, as if it had waited
        s.execute(
            messages.insert().values(
                message_id=stuck.message_id,
                type="ORDERS",
                schema_version=1,
                sender="core",
                receiver="wms",
                document_type="picking_task",
                document_number="PT-2",
                document_seq=3,
                payload=stuck.payload,
                payload_sha256=stuck.payload_sha256,
                created_at=T0,
                next_attempt_at=T0,
            )
        )
    clock.freeze(T0 + timedelta(hours=1, seconds=59))
    claim_ids(store)
    assert store.get(stuck.message_id).status == "new"
    clock.freeze(T0 + timedelta(hours=1, minutes=1))
    claim_ids(store)
    assert store.get(stuck.message_id).status == "error"
