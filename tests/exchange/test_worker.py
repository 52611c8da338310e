"""The generic worker on SQLite, PostgreSQL and MariaDB: bad input ends in `error` with its reason
and an ERROR back to the sender while the other messages flow on; handler outcomes; exceptions;
draining with --once; a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Mapping
from datetime import timedelta

import pytest
from sqlalchemy import insert

from dealerhub.exchange.contracts import ErrorCode, OrdersV1, parse_payload
from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore, MessageFilter
from dealerhub.exchange.worker import (
    Applied,
    Failed,
    Inbound,
    Outcome,
    Rejected,
    Wait,
    Worker,
    answer_id,
    new_worker_id,
)
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.exchange.builders import T0, ack, order, raw_row


class Side:
    """A receiving side for the tests: applies ORDERS by noting them; the `rules` decide outcomes."""

    def __init__(self, rules: Mapping[str, Outcome | Exception] | None = None) -> None:
        self.rules = dict(rules or {})
        self.applied: list[str] = []
        self.calls: list[list[str]] = []

    def __call__(self, batch: list[Inbound]) -> dict[int, Outcome]:
        self.calls.append([i.message_id for i in batch])
        outcomes: dict[int, Outcome] = {}
        for inbound in batch:
            assert isinstance(inbound.payload, OrdersV1)
            rule = self.rules.get(inbound.payload.order_number, Applied())
            if isinstance(rule, Exception):
                raise rule
            outcomes[inbound.id] = rule
        for inbound in batch:
            if isinstance(outcomes[inbound.id], Applied):
                self.applied.append(inbound.payload.order_number)
        return outcomes


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:
    clock.freeze(T0)
    return ExchangeStore(exchange_db, max_attempts=3)


def worker(store: ExchangeStore, side: Side, **options) -> Worker:
    return Worker(store, "wms", side, batch_size=options.pop("batch_size", 10), **options)


def errors_sent(store: ExchangeStore, to: str = "core") -> list[dict]:
    found = store.list(MessageFilter(type="ERROR", receiver=to), per_page=100)[0]
    return [
        {"id": e.message_id, "correlation_id": e.correlation_id, **json.loads(e.payload)}
        for e in reversed(found)
    ]


def test_valid_messages_reach_the_handler_parsed_and_end_done(store: ExchangeStore) -> None:
    batch = [order(f"PT-{n}") for n in range(3)]
    store.publish_many(batch)
    side = Side()
    result = worker(store, side).run(once=True)
    assert side.applied == ["PT-0", "PT-1", "PT-2"]
    assert side.calls == [[m.message_id for m in batch]]  # one batch
    assert (result.taken, result.applied, result.rejected) == (3, 3, 0)
    assert {store.get(m.message_id).status for m in batch} == {"done"}


def test_every_kind_of_bad_input_ends_in_error_with_its_reason_and_the_rest_flows_on(
    store: ExchangeStore,
) -> None:
    good_before, good_after = order("PT-1"), order("PT-2")
    store.publish(good_before)
    bad = {
        "malformed": raw_row(payload='{"order_number": "PT-9",', sender="core", receiver="wms"),
        "unknown_type": raw_row(type_="INVOICE", payload="{}", sender="core", receiver="wms"),
        "unknown_version": raw_row(version=9, payload=good_before.payload, sender="core", receiver="wms"),
        "schema": raw_row(
            payload=json.dumps(
                {
                    **json.loads(good_before.payload),
                    "lines": [{"line_no": 1, "item_code": "A", "quantity": 2}],
                }
            ),
            sender="core",
            receiver="wms",
        ),
        "envelope": raw_row(
            payload=good_before.payload, sender="core", receiver="wms", message_id="not-a-uuid"
        ),
    }
    with store.db.transaction() as s:
        s.execute(insert(messages), list(bad.values()))
    store.publish(good_after)

    side = Side()
    result = worker(store, side).run(once=True)
    assert side.applied == ["PT-1", "PT-2"]
    assert (result.applied, result.rejected) == (2, 5)
    status = {name: store.get(row["message_id"]) for name, row in bad.items()}
    assert {r.status for r in status.values()} == {"error"}
    assert status["malformed"].last_error.startswith("malformed_json: the payload is not valid JSON")
    assert status["unknown_type"].last_error == "unknown_type: unknown message type 'INVOICE'"
    assert (
        status["unknown_version"].last_error == "unknown_version: ORDERS has no schema version 9 (known: 1)"
    )
    assert (
        status["schema"].last_error
        == "schema_violation: ORDERS.v1: lines.0.quantity: Input should be a valid string"
    )
    assert status["envelope"].last_error.startswith(
        "schema_violation: envelope: message_id: String should match"
    )

    # An ERROR back to the sender for each (but the one without a valid id to refer to).
    sent = errors_sent(store)
    expected = ["malformed", "unknown_type", "unknown_version", "schema"]
    assert [(e["message_id"], e["correlation_id"]) for e in sent] == [
        (bad[name]["message_id"], bad[name]["message_id"]) for name in expected
    ]
    assert [e["code"] for e in sent] == [
        "malformed_json",
        "unknown_type",
        "unknown_version",
        "schema_violation",
    ]
    assert [e["id"] for e in sent] == [answer_id(bad[name]["message_id"]) for name in expected]
    for e in sent:
        parse_payload("ERROR", 1, json.dumps({k: e[k] for k in ("message_id", "code", "reason")}))


def test_rejected_by_the_handler_is_an_error_with_an_error_message_back(store: ExchangeStore) -> None:
    refused, fine = order("PT-X"), order("PT-1")
    store.publish_many([refused, fine])
    side = Side({"PT-X": Rejected(ErrorCode.UNKNOWN_COUNTERPARTY, "no contractor K-1")})
    worker(store, side).run(once=True)
    assert store.get(refused.message_id).last_error == "unknown_counterparty: no contractor K-1"
    assert store.get(fine.message_id).status == "done"
    assert [(e["message_id"], e["code"], e["reason"]) for e in errors_sent(store)] == [
        (refused.message_id, "unknown_counterparty", "no contractor K-1")
    ]


def test_a_side_that_answers_itself_gets_no_automatic_error(store: ExchangeStore) -> None:
    refused = order("PT-X")
    store.publish(refused)
    side = Side({"PT-X": Rejected(ErrorCode.QUANTITY_MISMATCH, "shipped more than ordered")})
    worker(store, side, report_rejections=False).run(once=True)
    assert store.get(refused.message_id).status == "error"
    assert errors_sent(store) == []


def test_an_error_about_an_ack_or_error_is_not_answered(store: ExchangeStore) -> None:
    broken_ack = raw_row(type_="ACK", payload="{}", sender="core", receiver="wms")
    with store.db.transaction() as s:
        s.execute(insert(messages), [broken_ack])
    worker(store, Side()).run(once=True)
    assert store.get(broken_ack["message_id"]).last_error.startswith(
        "schema_violation: ACK.v1: message_id: Field required"
    )
    assert store.list(MessageFilter(type="ERROR"))[1] == 0


def test_an_answer_sent_before_a_crash_is_not_sent_twice(store: ExchangeStore) -> None:
    row = raw_row(payload="{oops", sender="core", receiver="wms")
    with store.db.transaction() as s:
        s.execute(insert(messages), [row])
    w = worker(store, Side())
    # The worker died after publishing its ERROR and before recording the refusal: the message is
    # taken again after the lease and answered again, which must be a no-op.
    record = store.claim("wms", 10, w.lease, "crashed")[0]
    w._answer_error(record, ErrorCode.MALFORMED_JSON, "the payload is not valid JSON")
    clock.freeze(T0 + w.lease + timedelta(seconds=1))
    w.run(once=True)
    assert store.get(row["message_id"]).status == "error"
    assert len(errors_sent(store)) == 1


def test_wait_comes_back_later_and_errors_after_the_timeout(store: ExchangeStore) -> None:
    message = order("PT-W")
    store.publish(message)
    side = Side({"PT-W": Wait("item FLT-001 is not known yet", timedelta(minutes=5))})
    w = worker(store, side)
    result = w.run(once=True)
    assert result.waiting == 1 and len(side.calls) == 1  # not taken again within the same run
    assert store.get(message.message_id).status == "new"
    clock.freeze(T0 + timedelta(minutes=5))
    w.run(once=True)
    assert len(side.calls) == 2
    clock.freeze(T0 + timedelta(hours=2))
    w.run(once=True)
    record = store.get(message.message_id)
    assert record.status == "error"
    assert record.last_error.startswith("unknown_item: item FLT-001 is not known yet (waited")
    assert [e["code"] for e in errors_sent(store)] == []  # the wait timeout is recorded, not answered


def test_an_exception_fails_only_the_message_that_raised(store: ExchangeStore) -> None:
    poison, first, second = order("PT-BOOM", seq=1), order("PT-1"), order("PT-BOOM", seq=2)
    store.publish_many([first, poison, second])
    side = Side({"PT-BOOM": RuntimeError("core database is down")})
    w = worker(store, side)
    result = w.run(once=True)
    assert side.applied == ["PT-1"]
    assert side.calls == [[first.message_id, poison.message_id], [first.message_id], [poison.message_id]]
    assert (result.applied, result.failed) == (1, 1)
    record = store.get(poison.message_id)
    assert (record.status, record.attempts) == ("new", 1)
    assert record.last_error == "internal: RuntimeError: core database is down (attempt 1 of 3; next in 2 s)"
    for attempt in (2, 3):  # backoff passes, it fails again; the 3rd attempt is the last
        clock.freeze(record.next_attempt_at)
        w.run(once=True)
        record = store.get(poison.message_id)
    assert (record.status, record.attempts) == ("dead", 3)
    clock.freeze(T0 + timedelta(days=1))
    w.run(once=True)
    assert store.get(second.message_id).status == "new"  # waits behind the dead one
    store.retry(poison.message_id)
    side.rules.clear()
    w.run(once=True)
    assert side.applied == ["PT-1", "PT-BOOM", "PT-BOOM"]
    assert {store.get(m.message_id).status for m in (poison, second)} == {"done"}


def test_a_missing_outcome_is_a_failure(store: ExchangeStore) -> None:
    message = order()
    store.publish(message)
    worker(store, lambda batch: {}).run(once=True)
    assert store.get(message.message_id).last_error.startswith("internal: the handler returned no outcome")


def test_failed_outcome_retries_with_backoff(store: ExchangeStore) -> None:
    message = order("PT-F")
    store.publish(message)
    worker(store, Side({"PT-F": Failed("WMS busy")})).run(once=True)
    record = store.get(message.message_id)
    assert (record.status, record.next_attempt_at) == ("new", T0 + timedelta(seconds=2))


def test_once_drains_a_document_sequence_in_one_run(store: ExchangeStore) -> None:
    store.publish_many(
        [order("PT-1", seq=n) for n in (3, 2, 1)] + [ack("0b6f1f0e-8f2a-4c36-9d63-2f2a5f3c1a10")]
    )
    side = Side()
    result = worker(store, side).run(once=True)
    assert side.applied == ["PT-1"] * 3
    assert result.taken == 3  # the ACK is for "core", not for this worker
    assert len(side.calls) == 3


def test_worker_ids_name_host_process_and_number() -> None:
    first, second = new_worker_id(), new_worker_id()
    assert re.fullmatch(rf".+:{os.getpid()}:\d+", first)
    assert first != second


def test_sigterm_stops_the_loop_cleanly(store: ExchangeStore) -> None:
    clock.freeze(None)
    store.publish(order("PT-1"))
    side = Side()
    w = worker(store, side, poll_seconds=0.05)
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    w.install_signal_handlers()
    try:
        timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        result = w.run()  # runs until the signal
        timer.join()
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert w.stopping
    assert (result.taken, result.applied, side.applied) == (1, 1, ["PT-1"])
