"""The relay: outbox rows reach the exchange exactly as written, once; a crash between the
exchange's commit and the core's "relayed" loses nothing and doubles nothing; a conflicting id is
marked, not retried forever; concurrent relays on PostgreSQL never hand a row over twice.
Core on SQLite and PostgreSQL, exchange on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from dealerhub.core.outbox import enqueue, purge_relayed, record_answer
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.outbox.relay import relay, relay_all
from dealerhub.exchange.contracts import AckV1, Envelope, Message
from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from tests.integration.sales_builders import approved_order, posted_task
from tests.outbox.helpers import outbox, wms_world

_ENVELOPE = (
    "message_id", "type", "schema_version", "sender", "receiver", "warehouse_code", "document_type",
    "document_number", "document_seq", "correlation_id",
)


def _exchange_rows(store):
    """(envelope..., payload, status) of every exchange message, in arrival order."""
    with store.db.session() as s:
        rows = s.execute(select(messages).order_by(messages.c.id)).all()
    return [(*(getattr(r, n) for n in _ENVELOPE), r.payload, r.status) for r in rows]


def _outbox_as_published(core_db):
    with core_db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(*(getattr(r, n) for n in _ENVELOPE), r.payload, "new") for r in rows]


def _acks(core_db, count):
    """`count` messages without a document (ACKs of made-up messages), committed at once."""
    with core_db.transaction() as s:
        for _ in range(count):
            answered = str(uuid.uuid4())
            enqueue(s, AckV1(message_id=answered, result="applied"), correlation_id=answered)


def test_relay_hands_over_in_batches_exactly_what_was_written(core_db, store):
    w = wms_world(core_db)
    posted_task(core_db, w, approved_order(core_db, w, ("1", "")))
    posted_task(core_db, w, approved_order(core_db, w, ("", "2")))
    written = _outbox_as_published(core_db)
    assert [r[1] for r in written] == ["COUNTERPARTY", "ORDERS", "ORDERS"]
    assert [relay(core_db, store, batch=2), relay(core_db, store, batch=2), relay(core_db, store, batch=2)] == [2, 1, 0]
    assert _exchange_rows(store) == written
    assert all(r.relayed for r in outbox(core_db))


def test_a_crash_between_the_exchange_commit_and_the_core_mark_loses_and_doubles_nothing(core_db, store):
    _acks(core_db, 3)
    assert relay_all(core_db, store) == 3
    _acks(core_db, 2)

    def crash(_conn, _cursor, statement, *_args):  # the process dies before the core commits
        if statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGES"):
            raise RuntimeError("killed")

    event.listen(core_db.engine, "before_cursor_execute", crash)
    try:
        with pytest.raises(RuntimeError, match="killed"):
            relay(core_db, store)
    finally:
        event.remove(core_db.engine, "before_cursor_execute", crash)
    # The exchange has them (it committed); the core still says "not relayed".
    assert len(_exchange_rows(store)) == 5
    assert [r.relayed for r in outbox(core_db)] == [True, True, True, False, False]

    assert relay(core_db, store) == 2  # published again: a no-op in the exchange, then marked
    assert relay(core_db, store) == 0
    assert _exchange_rows(store) == _outbox_as_published(core_db)  # each message once
    assert all(r.relayed for r in outbox(core_db))


def test_an_id_the_exchange_holds_with_another_payload_is_marked_and_does_not_block(core_db, store):
    _acks(core_db, 2)
    first = outbox(core_db)[0]
    envelope = Envelope(**{n: getattr(first, n) for n in _ENVELOPE if n != "message_id"}, message_id=first.message_id)
    store.publish(Message(envelope=envelope, payload='{"message_id": "someone else", "result": "applied"}'))
    assert relay(core_db, store) == 2
    with core_db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.relayed_at is not None, r.answer, r.error_code) for r in rows] == [
            (True, "error", "duplicate_conflict"), (True, None, None),
        ]
    assert relay(core_db, store) == 0


def test_answers_are_recorded_and_relayed_rows_purged_after_retention(core_db, store):
    _acks(core_db, 3)
    ids = [r.message_id for r in outbox(core_db)]
    relay(core_db, store, batch=2)  # the first two are relayed, the third not yet
    with core_db.transaction() as s:
        assert record_answer(s, ids[0], ok=False, code="unknown_item", reason="no item X")
        assert record_answer(s, ids[1], ok=True)
        assert not record_answer(s, str(uuid.uuid4()), ok=True)
    with core_db.transaction() as s:
        assert record_answer(s, ids[0], ok=True)  # retried and applied after all: the latest wins
    with core_db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.answer, r.error_code, r.error_reason, r.answered_at is not None) for r in rows] == [
            ("ack", None, None, True), ("ack", None, None, True), (None, None, None, False),
        ]
    clock.freeze(clock.now() + timedelta(days=31))
    with core_db.transaction() as s:
        assert purge_relayed(s, clock.now() - timedelta(days=30), limit=1) == 1
        assert purge_relayed(s, clock.now() - timedelta(days=30)) == 1
        assert purge_relayed(s, clock.now() - timedelta(days=30)) == 0
    assert [r.message_id for r in outbox(core_db)] == [ids[2]]  # never relayed: kept


def test_a_failed_error_answer_keeps_code_and_reason(core_db):
    _acks(core_db, 1)
    (row,) = outbox(core_db)
    with core_db.transaction() as s:
        record_answer(s, row.message_id, ok=False, code="schema_violation", reason="ACK.v1: note: too long")
    with core_db.session() as s:
        r = s.scalar(select(OutboxMessage))
        assert (r.answer, r.error_code, r.error_reason) == ("error", "schema_violation", "ACK.v1: note: too long")


@pytest.mark.postgresql
def test_concurrent_relays_on_postgresql_never_hand_a_row_over_twice(pg_core_db, server_exchange_db):
    store = ExchangeStore(server_exchange_db)
    total = 600
    for _ in range(total // 100):
        _acks(pg_core_db, 100)
    handed: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def run() -> None:
        try:
            start.wait()
            count = 0
            while n := relay(pg_core_db, store, batch=25):
                count += n
            handed.append(count)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # Every row handed over by exactly one relay (a row taken twice would make the sum larger).
    assert sum(handed) == total
    assert sum(1 for n in handed if n) > 1  # the relays really shared the work
    with store.db.session() as s:
        assert s.scalar(select(func.count()).select_from(messages)) == total
        assert s.scalar(select(func.count(func.distinct(messages.c.message_id)))) == total
    assert all(r.relayed for r in outbox(pg_core_db))
