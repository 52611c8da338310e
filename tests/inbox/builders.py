"""Builders and readers for the inbox tests: messages from the WMS as the exchange worker hands
them over (envelope + parsed payload), the answers the core wrote to its outbox, and a check that a
refused message left every table but the inbox and the outbox as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from dealerhub.core.inbox import InboundMessage, apply_batch
from dealerhub.core.inbox.models import InboxMessage
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.exchange.contracts import Contract, Envelope, new_message_id, spec_of
from dealerhub.shared.db import Database
from tests.integration.purchasing_builders import table_contents

D = Decimal
AT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
# What applying a message writes besides its effect: the inbox row and the answer.
ANSWER_TABLES = ("inbox_messages", "outbox_messages", "outbox_document_seqs")


def wms(
    payload: Contract, *, warehouse_code: str | None = "MSK", message_id: str | None = None,
    document: tuple[str, str, int] | None = None, correlation_id: str | None = None,
) -> InboundMessage:
    spec = spec_of(payload)
    doc_type, doc_number, seq = document or (None, None, None)
    envelope = Envelope(
        message_id=message_id or new_message_id(), type=spec.type.value, schema_version=spec.version,
        sender="wms", receiver="core", warehouse_code=warehouse_code, document_type=doc_type,
        document_number=doc_number, document_seq=seq, correlation_id=correlation_id,
    )
    return InboundMessage(envelope, payload)


def q(value: str | int) -> str:
    """A quantity as the contract writes it: "2.000"."""
    return f"{Decimal(value):.3f}"


def answers(db: Database) -> list[tuple[str, str | None, dict]]:
    """(type, correlation_id, payload) of the ACKs and ERRORs in the core's outbox, oldest first."""
    with db.session() as s:
        rows = s.execute(
            select(OutboxMessage.type, OutboxMessage.correlation_id, OutboxMessage.payload)
            .where(OutboxMessage.type.in_(("ACK", "ERROR")))
            .order_by(OutboxMessage.id)
        )
        return [(t, c, json.loads(p)) for t, c, p in rows]


def inbox(db: Database) -> list[tuple[str, str, str, str | None, str | None]]:
    """(message id, type, status, document number, error code) of the inbox rows."""
    with db.session() as s:
        rows = s.execute(
            select(
                InboxMessage.message_id, InboxMessage.type, InboxMessage.status, InboxMessage.document_number,
                InboxMessage.error_code,
            ).order_by(InboxMessage.recorded_at, InboxMessage.message_id)
        )
        return [tuple(r) for r in rows]


def contents(db: Database) -> dict[str, list[tuple]]:
    with db.session() as s:
        everything = table_contents(s)
    return {name: rows for name, rows in everything.items() if name not in ANSWER_TABLES}


def refused(db: Database, message: InboundMessage, code: str) -> str:
    """Apply `message`: it is Rejected with `code`, nothing but its inbox row and its ERROR is
    written (exactly one ERROR, answering it); returns the reason."""
    before, answered = contents(db), len(answers(db))
    [outcome] = apply_batch(db, [message])
    assert type(outcome).__name__ == "Rejected", outcome
    assert outcome.code == code, outcome
    assert contents(db) == before
    new = answers(db)[answered:]
    mid = message.envelope.message_id
    assert new == [("ERROR", mid, {"message_id": mid, "code": code, "reason": outcome.reason})]
    return outcome.reason


def waits(db: Database, message: InboundMessage, code: str) -> str:
    """Apply `message`: it waits (code = what it becomes after the wait timeout) and writes nothing."""
    before, answered = contents(db), answers(db)
    [outcome] = apply_batch(db, [message])
    assert type(outcome).__name__ == "Wait", outcome
    assert outcome.code == code
    assert contents(db) == before and answers(db) == answered
    with db.session() as s:
        assert s.get(InboxMessage, message.envelope.message_id) is None
    return outcome.reason


def applied_once(db: Database, message: InboundMessage, check: Callable[[], object]) -> None:
    """Apply `message` twice: the effect (`check()`'s result) and the single ACK stay as after the first."""
    [first] = apply_batch(db, [message])
    assert type(first).__name__ == "Applied" and not first.already, first
    state, answered = check(), answers(db)
    mid = message.envelope.message_id
    assert [a for a in answered if a[1] == mid] == [
        ("ACK", mid, {"message_id": mid, "result": "applied", "note": first.note})
    ]
    [second] = apply_batch(db, [message])
    assert type(second).__name__ == "Applied" and second.already, second
    assert check() == state
    assert answers(db) == answered
