"""Bad input on arrival, on SQLite, PostgreSQL and MariaDB: a message id reused with a different
payload, or a place in a document taken by another message, cannot be stored in exchange_messages
(its unique keys hold). The message is recorded in exchange_refused_messages with status `error`
and a clear reason, an ERROR goes back to its sender once, nothing of it reaches the receiver, and
the rest of its batch flows on."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dealerhub.exchange.models import messages, refused
from dealerhub.exchange.refusals import answer_id
from dealerhub.exchange.store import ExchangeStore, PublishResult
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.exchange.builders import T0, ack, order, raw_row

LEASE = timedelta(seconds=60)


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:
    clock.freeze(T0)
    return ExchangeStore(exchange_db, max_attempts=3)


def table(store: ExchangeStore, t=messages) -> list:
    with store.db.session() as s:
        return s.execute(select(t).order_by(t.c.id)).all()


def test_a_reused_id_with_another_payload_is_an_error_recorded_apart_and_answered_once(
    store: ExchangeStore,
) -> None:
    first = order("PT-1", seq=1, quantity="1.000", warehouse_code="MAIN")
    store.publish(first)
    clock.freeze(T0 + timedelta(seconds=5))
    other = order("PT-9", quantity="2.000", message_id=first.message_id, warehouse_code="MAIN")
    fresh = order("PT-2")
    assert store.publish_many([other, fresh]) == {
        first.message_id: PublishResult.CONFLICT,
        fresh.message_id: PublishResult.STORED,
    }
    # The envelope's keys hold: the stored message is untouched, the reused id is not in the live table twice.
    live = table(store)
    reply_id = answer_id(first.message_id, f"REFUSED:{other.payload_sha256}")
    assert [(r.message_id, r.type, r.status) for r in live] == [
        (first.message_id, "ORDERS", "new"),
        (fresh.message_id, "ORDERS", "new"),
        (reply_id, "ERROR", "new"),
    ]
    assert live[0].payload_sha256 == first.payload_sha256
    [row] = table(store, refused)
    assert (row.message_id, row.type, row.sender, row.receiver, row.warehouse_code) == (
        first.message_id,
        "ORDERS",
        "core",
        "wms",
        "MAIN",
    )
    assert (row.payload, row.payload_sha256, row.status, row.created_at, row.processed_at) == (
        other.payload,
        other.payload_sha256,
        "error",
        T0 + timedelta(seconds=5),
        T0 + timedelta(seconds=5),
    )
    assert row.conflicts_with == live[0].id
    assert row.last_error == (
        f"duplicate_conflict: message id {first.message_id} is already in the exchange (exchange_messages "
        f"row {live[0].id}) with a different payload (sha256 {first.payload_sha256[:12]}..., this one "
        f"{other.payload_sha256[:12]}...); this one was not stored: send it under a new message id"
    )
    reply = live[2]
    assert (reply.sender, reply.receiver, reply.correlation_id, reply.warehouse_code) == (
        "wms",
        "core",
        first.message_id,
        "MAIN",
    )
    assert json.loads(reply.payload) == {
        "message_id": first.message_id,
        "code": "duplicate_conflict",
        "reason": row.last_error.removeprefix("duplicate_conflict: "),
    }
    # The receiver takes the stored message and the fresh one, never the refused payload.
    taken = store.claim("wms", 10, LEASE, "w1")
    assert [(t.message_id, t.payload) for t in taken] == [
        (first.message_id, first.payload),
        (fresh.message_id, fresh.payload),
    ]
    # Published again (a relay retrying after a crash): recorded and answered once.
    assert store.publish(other) is PublishResult.CONFLICT
    assert len(table(store, refused)) == 1
    assert len(table(store)) == 3


def test_an_id_reused_after_the_original_was_archived_is_refused_too(store: ExchangeStore) -> None:
    first = order()
    store.publish(first)
    [taken] = store.claim("wms", 1, LEASE, "w1")
    store.complete([taken.id], "w1")
    clock.freeze(T0 + timedelta(days=31))
    assert store.archive(timedelta(days=30)) == 1
    other = order(quantity="5.000", message_id=first.message_id)
    assert store.publish(other) is PublishResult.CONFLICT
    [row] = table(store, refused)
    assert row.conflicts_with == taken.id
    assert f"(exchange_messages_archive row {taken.id})" in row.last_error
    assert [r.type for r in table(store)] == ["ERROR"]


def test_a_place_in_a_document_held_by_another_message_is_an_out_of_order_error(store: ExchangeStore) -> None:
    holder = order("PT-1", seq=1)
    store.publish(holder)
    # A sender restored from a backup numbers the document again from 1 under new ids.
    again, next_one, other_document = order("PT-1", seq=1), order("PT-1", seq=2), order("PT-2", seq=1)
    assert store.publish_many([again, next_one, other_document]) == {
        again.message_id: PublishResult.OUT_OF_ORDER,
        next_one.message_id: PublishResult.STORED,
        other_document.message_id: PublishResult.STORED,
    }
    [row] = table(store, refused)
    assert (row.message_id, row.document_number, row.document_seq, row.conflicts_with) == (
        again.message_id,
        "PT-1",
        1,
        table(store)[0].id,
    )
    assert row.last_error == (
        f"out_of_order: place 1 of picking_task PT-1 (sender core) is already held by message "
        f"{holder.message_id}; this one was not stored"
    )
    assert [(r.message_id, r.type) for r in table(store)] == [
        (holder.message_id, "ORDERS"),
        (next_one.message_id, "ORDERS"),
        (other_document.message_id, "ORDERS"),
        (answer_id(again.message_id, f"REFUSED:{again.payload_sha256}"), "ERROR"),
    ]


def test_two_messages_for_one_place_in_one_batch_keep_the_first(store: ExchangeStore) -> None:
    first, second = order("PT-1", seq=1), order("PT-1", seq=1, quantity="3.000")
    assert store.publish_many([first, second]) == {
        first.message_id: PublishResult.STORED,
        second.message_id: PublishResult.OUT_OF_ORDER,
    }
    [row] = table(store, refused)
    assert (row.message_id, row.conflicts_with) == (second.message_id, None)
    assert row.last_error.endswith(f"already held by message {first.message_id}; this one was not stored")


def test_a_refused_ack_is_recorded_but_never_answered(store: ExchangeStore) -> None:
    answered = order()
    first = ack(answered.message_id)
    store.publish(first)
    reused = ack(order().message_id).model_copy(update={"envelope": first.envelope})
    assert reused.payload_sha256 != first.payload_sha256
    assert store.publish(reused) is PublishResult.CONFLICT
    assert [r.message_id for r in table(store, refused)] == [first.message_id]
    assert [r.message_id for r in table(store)] == [first.message_id]  # no ERROR for an ACK


def test_an_outside_writer_reusing_an_id_is_stopped_by_the_unique_key(store: ExchangeStore) -> None:
    """What docs/exchange.md tells an outside party: its INSERT fails and nothing is stored."""
    row = raw_row(payload='{"a": 1}')
    with store.db.transaction() as s:
        s.execute(insert(messages).values(**row))
    with pytest.raises(IntegrityError), store.db.transaction() as s:
        s.execute(insert(messages).values(**raw_row(payload='{"a": 2}', message_id=row["message_id"])))
    assert [r.payload for r in table(store)] == ['{"a": 1}']
