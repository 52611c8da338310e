"""The relay: moves outbox rows into the exchange database. Why it is safe to crash anywhere and to
run several at once: docs/mechanisms/exchange.md.

One batch, in short:
1. core transaction: the oldest unrelayed rows, locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL and
   MariaDB: a second relay takes the next rows instead of waiting; SQLite's write transaction
   begins IMMEDIATE, so relays there take turns);
2. exchange transaction: publish them (idempotent by message_id) and COMMIT;
3. mark them relayed and commit the core transaction.
A crash after 2 and before 3 leaves the rows unrelayed: the next relay publishes them again, which
the exchange ignores (same message_id, same payload hash), and marks them. Nothing is lost (the
core commits "relayed" only after the exchange committed the message) and nothing is doubled.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.exchange.contracts import Envelope, ErrorCode, Message
from dealerhub.exchange.store import ExchangeStore, PublishResult
from dealerhub.shared import clock
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

_t = OutboxMessage.__table__
_ENVELOPE = (
    "message_id",
    "type",
    "schema_version",
    "sender",
    "receiver",
    "warehouse_code",
    "document_type",
    "document_number",
    "document_seq",
    "correlation_id",
)
_PENDING = (
    select(_t.c.id, _t.c.payload, *(_t.c[name] for name in _ENVELOPE))
    .where(_t.c.relayed_at.is_(None))
    .order_by(_t.c.id)
)


def relay(core_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    """Hand over at most `batch` of the oldest unrelayed messages to the exchange (`store`: one per
    process); returns how many (0: none left that another relay isn't handing over right now)."""
    with core_db.transaction() as core:
        rows = core.execute(_PENDING.limit(batch).with_for_update(skip_locked=True)).all()
        if not rows:
            return 0
        results = store.publish_many([_message(row) for row in rows])  # commits in the exchange
        # Only now, with the exchange committed, may the core say "relayed".
        now = clock.now()
        conflicts = [row for row in rows if results[row.message_id] is PublishResult.CONFLICT]
        core.execute(
            update(_t).where(_t.c.id.in_([row.id for row in rows])).values(relayed_at=now)
        )
        if conflicts:
            _record_conflicts(core, conflicts, now)
    return len(rows)


def _record_conflicts(core: Session, rows: list[Row], now: datetime) -> None:
    """The exchange holds another payload under one of our message ids: a sender bug, never a
    retry away from working. The row is marked relayed (it must not block the ones after it) and
    carries the error for the monitor."""
    for row in rows:
        log.error("relay: message %s refused by the exchange: its id holds another payload", row.message_id)
    core.execute(
        update(_t).where(_t.c.id == bindparam("row_id")).values(
            answer="error", answered_at=now, error_code=ErrorCode.DUPLICATE_CONFLICT.value,
            error_reason="the exchange holds a different payload under this message id; not published",
        ),
        [{"row_id": row.id} for row in rows],
    )


def relay_all(core_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    """Relay until nothing is pending; returns how many messages were handed over."""
    total = 0
    while count := relay(core_db, store, batch):
        total += count
    return total


def _message(row: Row) -> Message:
    envelope = Envelope(**{name: getattr(row, name) for name in _ENVELOPE})
    return Message(envelope=envelope, payload=row.payload)
