"""Writing into a side's outbox (in the caller's transaction) and relaying it to the exchange.

The payload is a contract model; `build_message` serializes it once and that exact text is stored
and later published (the exchange's idempotency check compares its hash).

The relay, one batch:
1. side transaction: the oldest unrelayed rows, locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL and
   MariaDB: a second relay takes the next rows instead of waiting; SQLite's write transaction begins
   IMMEDIATE, so relays there take turns);
2. exchange: publish them (idempotent by message_id; its own transaction, committed);
3. mark them relayed and commit the side transaction.
A crash between 2 and 3 leaves them unrelayed: the next relay publishes them again, which the
exchange ignores (same id, same hash), and marks them. Nothing lost, nothing doubled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import Contract, Envelope, ErrorCode, Message, build_message
from dealerhub.exchange.sidekit.tables import OutboxTables
from dealerhub.exchange.wakeup import OUTBOX_CHANNEL, notify
from dealerhub.shared import clock
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

# The envelope's fields, in its order: the outbox's columns that rebuild it for the relay.
ENVELOPE = tuple(Envelope.model_fields)

CONFLICT_REASON = "the exchange holds a different payload under this message id; not published"
SLOT_REASON = "another message holds this message's place in its document in the exchange; not published"
# What the exchange's publish answers for a message it refused (recorded there as `error`).
REFUSALS = {
    "conflict": (ErrorCode.DUPLICATE_CONFLICT.value, CONFLICT_REASON),
    "out_of_order": (ErrorCode.OUT_OF_ORDER.value, SLOT_REASON),
}

Publish = Callable[[Sequence[Message]], dict]


class Outbox:
    """One side's outbox. `node()` answers (sender, receiver) when a message is enqueued (read
    from settings at that moment, so tests and deployments can change them)."""

    def __init__(self, tables: OutboxTables, node: Callable[[], tuple[str, str]]) -> None:
        self.tables = tables
        self.node = node
        t, q = tables.messages, tables.document_seqs
        self._t, self._q = t, q
        self._insert = insert(t)
        self._upsert = {
            "postgresql": self._seq_upsert(postgresql.insert),
            "sqlite": self._seq_upsert(sqlite.insert),
        }
        self._pending = (
            select(t.c.id, t.c.payload, *(t.c[name] for name in ENVELOPE))
            .where(t.c.relayed_at.is_(None))
            .order_by(t.c.id)
        )

    def _seq_upsert(self, insert_fn):
        q = self._q
        stmt = insert_fn(q).values(
            document_type=bindparam("document_type"), document_number=bindparam("document_number"), last_seq=1
        )
        return stmt.on_conflict_do_update(
            index_elements=["document_type", "document_number"], set_={"last_seq": q.c.last_seq + 1}
        ).returning(q.c.last_seq)

    # --- writing ---------------------------------------------------------------------------------

    def next_document_seq(self, s: Session, document_type: str, document_number: str) -> int:
        """1, 2, 3... per document. The upsert locks the counter row until the transaction ends, so
        two transactions enqueuing for one document get consecutive numbers in commit order."""
        conn = s.connection()
        params = {"document_type": document_type, "document_number": document_number}
        stmt = self._upsert.get(conn.dialect.name)
        if stmt is not None:
            return conn.execute(stmt, params).scalar_one()
        # Other servers (MariaDB): lock-and-increment, or the first row.
        q = self._q
        key = (q.c.document_type == document_type, q.c.document_number == document_number)
        if conn.execute(update(q).where(*key).values(last_seq=q.c.last_seq + 1)).rowcount == 0:
            conn.execute(insert(q).values(**params, last_seq=1))
            return 1
        return conn.execute(select(q.c.last_seq).where(*key)).scalar_one()

    def document_seq_used(self, s: Session, document_type: str, document_number: str) -> int:
        """How many messages about the document were enqueued so far (0: none)."""
        q = self._q
        return (
            s.scalar(
                select(q.c.last_seq).where(
                    q.c.document_type == document_type, q.c.document_number == document_number
                )
            )
            or 0
        )

    def enqueue(
        self,
        s: Session,
        payload: Contract,
        *,
        document_type: str | None = None,
        document_number: str | None = None,
        warehouse_code: str | None = None,
        correlation_id: str | None = None,
        message_id: str | None = None,
    ) -> Message:
        """Put a message into the outbox, in the caller's transaction. A message about a document
        gets the document's next sequence number; one without a document gets none."""
        if (document_type is None) != (document_number is None):
            raise ValueError("document_type and document_number go together")
        sender, receiver = self.node()
        seq = (
            self.next_document_seq(s, document_type, document_number)
            if document_type and document_number
            else None
        )
        message = build_message(
            payload,
            sender=sender,
            receiver=receiver,
            warehouse_code=warehouse_code,
            document_type=document_type,
            document_number=document_number,
            document_seq=seq,
            correlation_id=correlation_id,
            message_id=message_id,
        )
        s.connection().execute(
            self._insert,
            {**message.envelope.model_dump(), "payload": message.payload, "created_at": clock.now()},
        )
        notify(s, OUTBOX_CHANNEL)  # the relay wakes at the commit (exchange/wakeup.py)
        return message

    def build(self, payload: Contract, *, correlation_id: str | None = None,
              warehouse_code: str | None = None) -> Message:
        """A message without a document (an answer), to write later with insert_built."""
        sender, receiver = self.node()
        return build_message(payload, sender=sender, receiver=receiver, warehouse_code=warehouse_code,
                             correlation_id=correlation_id)

    def insert_built(self, s: Session, built: Sequence[Message]) -> None:
        """Write messages made by `build` into the outbox (one INSERT), in the caller's transaction."""
        now = clock.now()
        s.connection().execute(
            self._insert, [{**m.envelope.model_dump(), "payload": m.payload, "created_at": now} for m in built]
        )
        notify(s, OUTBOX_CHANNEL)

    def record_answer(
        self, s: Session, message_id: str, *, ok: bool, code: str | None = None, reason: str | None = None
    ) -> bool:
        """Note an ACK (ok) or an ERROR for one of our messages (the latest answer wins). False if
        the outbox has no such row (not ours, or purged)."""
        values = {
            "answer": "ack" if ok else "error",
            "answered_at": clock.now(),
            "error_code": None if ok else code,
            "error_reason": None if ok else reason,
        }
        t = self._t
        return (
            s.connection().execute(update(t).where(t.c.message_id == message_id).values(**values)).rowcount
            == 1
        )

    def record_acks(self, s: Session, message_ids: Sequence[str]) -> set[str]:
        """record_answer(ok=True) for each of `message_ids` in one UPDATE (a run of ACKs); the ids
        the outbox has."""
        if not message_ids:
            return set()
        t = self._t
        ids = sorted(set(message_ids))
        values = {"answer": "ack", "answered_at": clock.now(), "error_code": None, "error_reason": None}
        conn = s.connection()
        if not conn.dialect.update_returning:  # MariaDB: which exist, then the UPDATE
            found = set(conn.execute(select(t.c.message_id).where(t.c.message_id.in_(ids))).scalars())
            if found:
                conn.execute(update(t).where(t.c.message_id.in_(sorted(found))).values(**values))
            return found
        bump = update(t).where(t.c.message_id.in_(ids)).values(**values).returning(t.c.message_id)
        return set(conn.execute(bump).scalars())

    def purge_relayed(self, s: Session, older_than: datetime, *, limit: int = 10_000) -> int:
        """Delete up to `limit` rows relayed before `older_than`; returns how many."""
        t = self._t
        ids = list(
            s.scalars(
                select(t.c.id)
                .where(t.c.relayed_at.is_not(None), t.c.relayed_at < older_than)
                .order_by(t.c.relayed_at, t.c.id)
                .limit(limit)
            )
        )
        if ids:
            s.connection().execute(delete(t).where(t.c.id.in_(ids)))
        return len(ids)

    # --- relaying --------------------------------------------------------------------------------

    def relay(self, side_db: Database, publish: Publish, batch: int = 500) -> int:
        """Hand over at most `batch` of the oldest unrelayed messages with `publish` (the exchange
        store's publish_many); returns how many (0: nothing pending)."""
        t = self._t
        with side_db.transaction() as s:
            rows = s.execute(self._pending.limit(batch).with_for_update(skip_locked=True)).all()
            if not rows:
                return 0
            results = publish([_message(row) for row in rows])
            # The exchange has committed: only now may this side say "relayed".
            now = clock.now()
            refused = {
                row.id: REFUSALS[str(results[row.message_id])]
                for row in rows
                if str(results.get(row.message_id, "")) in REFUSALS
            }
            s.execute(
                update(t)
                .where(t.c.id.in_([row.id for row in rows if row.id not in refused]))
                .values(relayed_at=now)
            )
            for row in rows:
                if row.id not in refused:
                    continue
                # The exchange refused it (kept there as an error): never publishable; kept visible here.
                code, reason = refused[row.id]
                log.error("relay: the exchange refused message %s: %s", row.message_id, code)
                s.execute(
                    update(t)
                    .where(t.c.id == row.id)
                    .values(
                        relayed_at=now, answer="error", answered_at=now, error_code=code, error_reason=reason
                    )
                )
        return len(rows)

    def relay_all(self, side_db: Database, publish: Publish, batch: int = 500) -> int:
        """Relay until nothing is pending; returns how many messages were handed over."""
        total = 0
        while count := self.relay(side_db, publish, batch):
            total += count
        return total


def _message(row: Row) -> Message:
    return Message(envelope=Envelope(**{name: getattr(row, name) for name in ENVELOPE}), payload=row.payload)
