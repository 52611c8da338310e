"""The exchange store on SQLite, PostgreSQL and MariaDB: publishing, claiming, ordering per
document, settling, retries, archive and the status report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from dealerhub.exchange.models import Status, archive, document_progress, messages
from dealerhub.exchange.refusals import answer_id
from dealerhub.exchange.store import (
    ExchangeStore,
    MessageFilter,
    PublishResult,
    RetryRefused,
)
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from dealerhub.shared.errors import NotFound
from tests.exchange.builders import T0, ack, order, raw_row

LEASE = timedelta(seconds=60)


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:
    clock.freeze(T0)
    return ExchangeStore(exchange_db, max_attempts=3, wait_timeout=timedelta(hours=1))


def rows(store: ExchangeStore, table=messages) -> list:
    with store.db.session() as s:
        return s.execute(select(table).order_by(table.c.id)).all()


def progress(store: ExchangeStore) -> dict:
    with store.db.session() as s:
        return {
            (r.sender, r.document_type, r.document_number): r.last_done_seq
            for r in s.execute(select(document_progress))
        }


def claim_ids(store: ExchangeStore, worker: str = "w1", limit: int = 100, receiver: str = "wms") -> list[str]:
    return [r.message_id for r in store.claim(receiver, limit, LEASE, worker)]


# --- publish -------------------------------------------------------------------------------------


def test_publish_stores_the_envelope_and_payload(store: ExchangeStore) -> None:
    message = order("PT-7", seq=1, warehouse_code="MAIN")
    assert store.publish(message) is PublishResult.STORED
    record = store.get(message.message_id)
    assert record is not None
    assert (record.type, record.schema_version, record.sender, record.receiver) == (
        "ORDERS",
        1,
        "core",
        "wms",
    )
    assert (record.warehouse_code, record.document_type, record.document_number, record.document_seq) == (
        "MAIN",
        "picking_task",
        "PT-7",
        1,
    )
    assert (record.payload, record.payload_sha256) == (message.payload, message.payload_sha256)
    assert (record.status, record.attempts, record.created_at, record.next_attempt_at) == ("new", 0, T0, T0)
    assert record.archived is False
    assert store.get("00000000-0000-4000-8000-000000000000") is None


def test_publishing_the_same_message_again_is_a_no_op(store: ExchangeStore) -> None:
    message = order()
    store.publish(message)
    assert store.publish(message) is PublishResult.DUPLICATE
    assert len(rows(store)) == 1


def test_publish_many_stores_what_is_new_and_reports_each(store: ExchangeStore) -> None:
    old, clash = order("PT-1"), order("PT-2")
    store.publish_many([old, clash])
    fresh = order("PT-3")
    changed = order("PT-2", quantity="9.000", message_id=clash.message_id)
    result = store.publish_many([old, changed, fresh])
    assert result == {
        old.message_id: PublishResult.DUPLICATE,
        clash.message_id: PublishResult.CONFLICT,
        fresh.message_id: PublishResult.STORED,
    }
    # The refused one is recorded apart and answered (tests/exchange/test_refusals.py).
    answer = answer_id(clash.message_id, f"REFUSED:{changed.payload_sha256}")
    assert [r.message_id for r in rows(store)] == [old.message_id, clash.message_id, fresh.message_id, answer]
    assert store.get(clash.message_id).payload_sha256 == clash.payload_sha256


def test_publish_many_refuses_a_batch_with_a_repeated_id(store: ExchangeStore) -> None:
    message = order()
    with pytest.raises(ValueError, match="same message id twice"):
        store.publish_many([message, message])
    assert rows(store) == []


# --- claim and ordering -----------------------------------------------------------------------------


def test_claim_takes_in_arrival_order_with_a_lease(store: ExchangeStore) -> None:
    batch = [order(f"PT-{n}") for n in range(5)]
    store.publish_many(batch)
    store.publish(ack(batch[0].message_id, sender="core", receiver="other"))  # another receiver's
    taken = store.claim("wms", 3, LEASE, "host:1:0")
    assert [t.message_id for t in taken] == [b.message_id for b in batch[:3]]
    assert {(t.status, t.attempts, t.taken_by, t.taken_at, t.lease_until) for t in taken} == {
        ("taken", 1, "host:1:0", T0, T0 + LEASE)
    }
    stored = store.get(batch[0].message_id)
    assert (stored.status, stored.attempts, stored.taken_by, stored.lease_until) == (
        "taken",
        1,
        "host:1:0",
        T0 + LEASE,
    )
    assert claim_ids(store, "host:1:1") == [b.message_id for b in batch[3:]]
    assert claim_ids(store, "host:1:2") == []


def test_a_document_message_waits_for_the_previous_one_to_be_done(store: ExchangeStore) -> None:
    # Arrival order 3, 2, 1: the sequence decides, a message without a document is never held back.
    third, second, first = order("PT-9", seq=3), order("PT-9", seq=2), order("PT-9", seq=1)
    free = order("PT-free")
    store.publish_many([third, second, free, first])
    assert claim_ids(store) == [free.message_id, first.message_id]
    assert claim_ids(store) == []  # seq 2 waits while seq 1 is only taken
    taken_first = store.get(first.message_id)
    assert store.complete([taken_first.id], "w1") == 1
    assert progress(store) == {("core", "picking_task", "PT-9"): 1}
    assert claim_ids(store) == [second.message_id]
    store.complete([store.get(second.message_id).id], "w1")
    assert claim_ids(store) == [third.message_id]
    store.complete([store.get(third.message_id).id], "w1")
    assert progress(store) == {("core", "picking_task", "PT-9"): 3}


def test_documents_are_ordered_per_sender(store: ExchangeStore) -> None:
    # The same document number from two senders are two sequences.
    store.publish(order("PT-1", seq=1))
    theirs = order("PT-1", seq=1, sender="erp2")
    store.publish(theirs)
    assert len(claim_ids(store)) == 2


def test_complete_is_batched_and_only_for_the_holder(store: ExchangeStore) -> None:
    batch = [order("PT-1", seq=1), order("PT-2", seq=1), order("PT-3")]
    store.publish_many(batch)
    ids = [r.id for r in store.claim("wms", 10, LEASE, "w1")]
    assert store.complete(ids, "someone-else") == 0
    assert {r.status for r in rows(store)} == {"taken"}
    assert progress(store) == {}
    clock.freeze(T0 + timedelta(seconds=5))
    assert store.complete(ids, "w1") == 3
    assert {(r.status, r.processed_at, r.lease_until) for r in rows(store)} == {
        ("done", T0 + timedelta(seconds=5), None)
    }
    assert progress(store) == {("core", "picking_task", "PT-1"): 1, ("core", "picking_task", "PT-2"): 1}
    assert store.complete(ids, "w1") == 0  # done is done


def test_an_expired_lease_makes_the_message_claimable_again(store: ExchangeStore) -> None:
    message = order("PT-1", seq=1)
    store.publish(message)
    assert claim_ids(store, "crashed") == [message.message_id]
    clock.freeze(T0 + LEASE)
    assert claim_ids(store, "w2") == []  # the lease still holds at its last instant
    clock.freeze(T0 + LEASE + timedelta(seconds=1))
    taken = store.claim("wms", 10, LEASE, "w2")
    assert [(t.message_id, t.attempts, t.taken_by) for t in taken] == [(message.message_id, 2, "w2")]
    # The crashed worker coming back cannot settle what is now w2's.
    assert store.complete([taken[0].id], "crashed") == 0
    assert store.fail(taken[0].id, "boom", "crashed") == ""
    assert store.complete([taken[0].id], "w2") == 1


def test_a_message_whose_lease_keeps_running_out_dies(store: ExchangeStore) -> None:
    message = order()
    store.publish(message)
    for n in range(3):  # max_attempts = 3
        clock.freeze(T0 + n * (LEASE + timedelta(seconds=1)))
        assert claim_ids(store, f"w{n}") == [message.message_id]
    clock.freeze(T0 + 3 * (LEASE + timedelta(seconds=1)))
    assert claim_ids(store, "w9") == []
    dead = store.get(message.message_id)
    assert (dead.status, dead.attempts) == ("dead", 3)
    assert dead.last_error == "internal: the lease ran out on every one of 3 attempts"


# --- failures, rejections, waits ---------------------------------------------------------------------


def test_fail_backs_off_then_dead_and_the_document_waits_behind_it(store: ExchangeStore) -> None:
    first, second = order("PT-1", seq=1), order("PT-1", seq=2)
    other = order("PT-2", seq=1)
    store.publish_many([first, second, other])
    now = T0
    for attempt, delay in ((1, 2), (2, 4)):
        taken = store.claim("wms", 1, LEASE, "w1")
        assert [t.message_id for t in taken] == [first.message_id]
        assert store.fail(taken[0].id, "database went away", "w1") == "new"
        record = store.get(first.message_id)
        assert (record.status, record.attempts, record.next_attempt_at) == (
            "new",
            attempt,
            now + timedelta(seconds=delay),
        )
        assert (
            record.last_error == f"internal: database went away (attempt {attempt} of 3; next in {delay} s)"
        )
        # Another document flows on meanwhile.
        held = store.claim("wms", 1, LEASE, "w1")
        assert [t.message_id for t in held] == ([other.message_id] if attempt == 1 else [])
        store.complete([t.id for t in held], "w1")
        now = record.next_attempt_at
        clock.freeze(now)
    taken = store.claim("wms", 1, LEASE, "w1")
    assert store.fail(taken[0].id, "database went away", "w1") == "dead"
    record = store.get(first.message_id)
    assert (record.status, record.attempts, record.processed_at) == ("dead", 3, now)
    assert record.last_error == "internal: database went away (attempt 3 of 3: dead)"
    clock.freeze(now + timedelta(days=1))
    assert claim_ids(store) == []  # seq 2 waits behind the dead seq 1
    assert store.get(second.message_id).status == "new"

    assert store.retry(first.message_id) == "dead"
    record = store.get(first.message_id)
    assert (record.status, record.attempts, record.processed_at) == ("new", 0, None)
    taken = store.claim("wms", 10, LEASE, "w1")
    assert [t.message_id for t in taken] == [first.message_id]
    store.complete([taken[0].id], "w1")
    assert claim_ids(store) == [second.message_id]


def test_backoff_is_capped(store: ExchangeStore) -> None:
    assert [store.backoff(n).total_seconds() for n in (1, 2, 3, 10, 30)] == [2, 4, 8, 600, 600]


def test_reject_is_an_error_that_stays_until_retried(store: ExchangeStore) -> None:
    bad, good = order("PT-1", seq=1), order("PT-2")
    store.publish_many([bad, good])
    taken = store.claim("wms", 10, LEASE, "w1")
    assert store.reject(taken[0].id, "unknown_item", "no item FLT-001", "w1") is True
    assert store.complete([taken[1].id], "w1") == 1
    record = store.get(bad.message_id)
    assert (record.status, record.last_error, record.processed_at) == (
        "error",
        "unknown_item: no item FLT-001",
        T0,
    )
    clock.freeze(T0 + timedelta(days=1))
    assert claim_ids(store) == []
    assert store.retry(bad.message_id) == "error"
    assert claim_ids(store) == [bad.message_id]


def test_wait_does_not_count_the_attempt_and_turns_into_an_error_after_the_timeout(
    store: ExchangeStore,
) -> None:
    message = order()
    store.publish(message)
    taken = store.claim("wms", 1, LEASE, "w1")
    assert store.wait(taken[0].id, "item FLT-001 is not known yet", timedelta(seconds=30), "w1") == "new"
    record = store.get(message.message_id)
    assert (record.status, record.attempts, record.next_attempt_at) == ("new", 0, T0 + timedelta(seconds=30))
    assert record.last_error.startswith("unknown_item: item FLT-001 is not known yet (waiting; next try at")
    assert claim_ids(store) == []
    clock.freeze(T0 + timedelta(hours=1))
    taken = store.claim("wms", 1, LEASE, "w1")
    assert taken[0].attempts == 1
    assert store.wait(taken[0].id, "item FLT-001 is not known yet", timedelta(seconds=30), "w1") == "error"
    record = store.get(message.message_id)
    assert (record.status, record.last_error) == (
        "error",
        "unknown_item: item FLT-001 is not known yet (waited 60 min, the limit is 60 min)",
    )


def test_retry_refuses_what_cannot_be_retried(store: ExchangeStore) -> None:
    message = order()
    store.publish(message)
    with pytest.raises(NotFound):
        store.retry("00000000-0000-4000-8000-000000000000")
    taken = store.claim("wms", 1, LEASE, "w1")
    with pytest.raises(RetryRefused, match="is taken"):
        store.retry(message.message_id)
    store.complete([taken[0].id], "w1")
    with pytest.raises(RetryRefused, match="is done"):
        store.retry(message.message_id)


def test_retry_dead_puts_every_dead_message_back(store: ExchangeStore) -> None:
    batch = [order(f"PT-{n}") for n in range(3)]
    store.publish_many(batch)
    store.publish(ack(batch[0].message_id, sender="core", receiver="erp"))
    for _ in range(3):  # max_attempts = 3, every attempt fails
        for receiver in ("wms", "erp"):
            for taken in store.claim(receiver, 10, LEASE, "w1"):
                store.fail(taken.id, "down", "w1")
        clock.freeze(clock.now() + timedelta(minutes=11))
    assert {r.status for r in rows(store)} == {"dead"}
    assert store.retry_dead("wms") == 3
    assert [r.status for r in rows(store)] == ["new", "new", "new", "dead"]
    assert store.retry_dead() == 1
    assert {(r.status, r.attempts) for r in rows(store)} == {("new", 0)}


# --- archive, status, list ----------------------------------------------------------------------


def test_archive_moves_old_done_messages_in_batches(store: ExchangeStore) -> None:
    batch = [order(f"PT-{n}", seq=1) for n in range(5)]
    store.publish_many(batch)
    taken = store.claim("wms", 4, LEASE, "w1")
    store.complete([t.id for t in taken[:3]], "w1")  # 3 done, 1 taken, 1 new
    clock.freeze(T0 + timedelta(days=31))
    seen = []
    assert store.archive(timedelta(days=30), batch_size=2, progress=seen.append) == 3
    assert seen == [2, 1]
    assert [r.message_id for r in rows(store)] == [b.message_id for b in batch[3:]]
    archived = rows(store, archive)
    assert [(r.message_id, r.status) for r in archived] == [(b.message_id, "done") for b in batch[:3]]
    assert [r.id for r in archived] == [t.id for t in taken[:3]]  # ids are kept
    record = store.get(batch[0].message_id)
    assert (record.archived, record.status, record.payload) == (True, "done", batch[0].payload)
    # An archived message is still a duplicate, and the document's progress stays.
    assert store.publish(batch[0]) is PublishResult.DUPLICATE
    assert progress(store)[("core", "picking_task", "PT-0")] == 1
    assert store.archive(timedelta(days=30)) == 0


def test_archive_keeps_what_is_younger_than_the_retention(store: ExchangeStore) -> None:
    store.publish(order())
    store.complete([r.id for r in store.claim("wms", 1, LEASE, "w1")], "w1")
    clock.freeze(T0 + timedelta(days=29))
    assert store.archive(timedelta(days=30)) == 0
    assert len(rows(store)) == 1


def test_status_counts_lag_and_the_oldest_waiting(store: ExchangeStore) -> None:
    first, second = order("PT-1", seq=1), order("PT-1", seq=2)
    store.publish_many([first, second])
    clock.freeze(T0 + timedelta(seconds=10))
    store.publish(ack(first.message_id))
    clock.freeze(T0 + timedelta(seconds=40))
    report = store.status()
    assert [(c.type, c.status, c.count) for c in report.counts] == [("ACK", "new", 1), ("ORDERS", "new", 2)]
    assert report.lag_seconds == {"wms": 40.0, "core": 30.0}
    assert report.oldest_waiting.message_id == second.message_id  # held back by its document
    assert report.total("new") == 3
    store.complete([r.id for r in store.claim("wms", 10, LEASE, "w1")], "w1")
    report = store.status()
    assert report.lag_seconds == {"wms": 40.0, "core": 30.0}  # seq 2 is claimable now
    assert report.oldest_waiting is None


def test_list_filters_and_pages_newest_first(store: ExchangeStore) -> None:
    batch = [order(f"PT-{n}", seq=1) for n in range(5)]
    store.publish_many(batch)
    answer = ack(batch[1].message_id)
    store.publish(answer)
    page, total = store.list(MessageFilter(type="ORDERS"), page=1, per_page=2)
    assert total == 5
    assert [r.message_id for r in page] == [batch[4].message_id, batch[3].message_id]
    page, total = store.list(MessageFilter(type="ORDERS"), page=3, per_page=2)
    assert [r.message_id for r in page] == [batch[0].message_id]
    page, total = store.list(MessageFilter(message_id=batch[1].message_id))
    assert [r.message_id for r in page] == [answer.message_id, batch[1].message_id]  # by correlation too
    page, total = store.list(MessageFilter(receiver="core", status="new"))
    assert [r.message_id for r in page] == [answer.message_id]
    assert store.list(MessageFilter(document_number="PT-3"))[1] == 1
    assert store.list(MessageFilter(status="dead"))[1] == 0


def test_the_store_claims_rows_an_outside_party_wrote_with_plain_sql(store: ExchangeStore) -> None:
    # Only the envelope and the payload: status, attempts and times come from the column defaults.
    with store.db.transaction() as s:
        s.execute(
            insert(messages),
            [
                raw_row(payload="{not json", database_clock=True),
                raw_row(type_="NOPE", payload="[]", database_clock=True),
            ],
        )
    clock.freeze(None)  # the defaults are the database's own clock
    taken = store.claim("core", 10, LEASE, "w1")
    assert [(t.payload, t.attempts, t.status) for t in taken] == [
        ("{not json", 1, "taken"),
        ("[]", 1, "taken"),
    ]
    with store.db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(messages).where(messages.c.status == Status.TAKEN)) == 2
        )
