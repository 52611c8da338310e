"""The exchange store: publish, claim and settle messages in the exchange database.

Every method runs its own short transaction on the exchange database (never inside a core or WMS
transaction): the two sides meet only here, and each side's effects commit in its own database.

- publish / publish_many: idempotent by message_id (same payload hash: no-op; another hash:
  refused: recorded as `error` in exchange_refused_messages with an ERROR to the sender, the rest
  of the batch stored). The archive counts too, so a re-relayed old message stays a duplicate.
- claim: one transaction that selects the receiver's claimable messages in arrival order with
  FOR UPDATE SKIP LOCKED (PostgreSQL, MariaDB; SQLite serializes writers with BEGIN IMMEDIATE),
  and marks them taken with a lease. A message with a document is claimable only when the
  previous one of its document is done (exchange_document_progress). An expired lease (crashed
  worker) makes the message claimable again.
- complete / reject / wait / fail: settle what a worker holds; each is conditional on the message
  still being taken by that worker, so a worker whose lease ran out cannot overwrite the outcome of
  the worker that took the message over.

Publishing is in publishing.py, the operators' actions (retry, retry --dead, archive) in
operators.py, the transactions' deadlock retries and MariaDB sessions in transactions.py.

The store never parses payloads: rows written by an outside party may hold anything, and parsing
belongs to the worker, which turns bad input into status `error`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dealerhub.exchange import refusals, sequence
from dealerhub.exchange.contracts import ErrorCode
from dealerhub.exchange.journal import JournalReads, MessageFilter, StatusCount, StatusReport
from dealerhub.exchange.models import Status, messages
from dealerhub.exchange.operators import OperatorActions, RetryRefused
from dealerhub.exchange.publishing import Publishing, PublishResult
from dealerhub.exchange.records import MessageRecord
from dealerhub.exchange.transactions import configure_mariadb_sessions, deadlock_retry, human_duration
from dealerhub.shared import clock
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database

__all__ = ["ExchangeStore", "MessageFilter", "PublishResult", "RetryRefused", "StatusCount", "StatusReport"]

log = logging.getLogger(__name__)

m = messages.c


class ExchangeStore(JournalReads, Publishing, OperatorActions):
    def __init__(
        self,
        db: Database,
        *,
        max_attempts: int = 10,
        wait_timeout: timedelta = timedelta(hours=1),
        backoff_base: timedelta = timedelta(seconds=2),
        backoff_max: timedelta = timedelta(minutes=10),
    ) -> None:
        self.db = db
        self.max_attempts = max_attempts
        self.wait_timeout = wait_timeout
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        # How often claim looks for messages that can never be next in their documents.
        self.sweep_every = min(wait_timeout / 10, timedelta(minutes=1))
        self._next_sweep: dict[str, datetime] = {}
        if db.dialect in ("mysql", "mariadb"):
            configure_mariadb_sessions(db)

    @classmethod
    def from_settings(cls, settings: Settings, db: Database | None = None) -> ExchangeStore:
        return cls(
            db or Database(settings.exchange_database_url),
            max_attempts=settings.exchange_max_attempts,
            wait_timeout=timedelta(seconds=settings.exchange_wait_timeout_seconds),
        )

    # --- claiming -------------------------------------------------------------------------------

    def claim(self, receiver: str, limit: int, lease: timedelta, worker_id: str) -> list[MessageRecord]:
        """Take up to `limit` claimable messages of `receiver` for `lease`, in arrival order.

        A message whose lease ran out after its last allowed attempt (it kept killing or hanging its
        worker) is made dead instead of being taken again."""
        now = clock.now()
        if now >= self._next_sweep.get(receiver, now):
            self._next_sweep[receiver] = now + self.sweep_every
            deadlock_retry(lambda: self.end_endless_waits(receiver))
        return deadlock_retry(lambda: self._claim(receiver, limit, lease, worker_id))

    def end_endless_waits(self, receiver: str) -> int:
        """Make `error` the receiver's messages that can never be next in their documents (a gap
        older than the wait timeout, or a place already done; sequence.py), each with an ERROR to
        its sender, in one transaction. Claim runs it every `sweep_every`. Returns how many."""
        now = clock.now()
        with self.db.transaction() as s:
            rows = sequence.never_next(s, receiver, now, self.wait_timeout)
            if not rows:
                return 0
            answers = []
            for row in rows:
                last_error = sequence.reason(row, now, self.wait_timeout, human_duration)
                log.warning("exchange: %s %s: %s", row.type, row.message_id, last_error)
                s.execute(
                    update(messages)
                    .where(m.id == row.id, m.status == Status.NEW.value)
                    .values(
                        status=Status.ERROR.value, processed_at=now, lease_until=None, last_error=last_error
                    )
                )
                answer = refusals.error_answer(
                    message_id=row.message_id,
                    sender=row.receiver,
                    receiver=row.sender,
                    warehouse_code=row.warehouse_code,
                    type=row.type,
                    code=ErrorCode.OUT_OF_ORDER,
                    reason=last_error.removeprefix(f"{ErrorCode.OUT_OF_ORDER}: "),
                )
                if answer is not None:
                    answers.append(answer)
            present = self._known_ids(s, [a.message_id for a in answers])
            fresh = [a for a in answers if a.message_id not in present]
            if fresh:
                s.execute(insert(messages), refusals.new_rows(fresh, now))
            return len(rows)

    def _claim(self, receiver: str, limit: int, lease: timedelta, worker_id: str) -> list[MessageRecord]:
        now = clock.now()
        lease_until = now + lease
        with self.db.transaction() as s:
            query = (
                select(messages)
                .where(m.receiver == receiver, sequence.claimable(now))
                .order_by(m.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = s.execute(query).all()
            buried = {r.id for r in rows if r.status == Status.TAKEN and r.attempts >= self.max_attempts}
            taken = [r for r in rows if r.id not in buried]
            if buried:
                log.warning("claim: %d message(s) dead: the lease ran out on every attempt", len(buried))
                s.execute(
                    update(messages)
                    .where(m.id.in_(sorted(buried)))
                    .values(
                        status=Status.DEAD.value,
                        processed_at=now,
                        lease_until=None,
                        last_error=f"{ErrorCode.INTERNAL}: the lease ran out on every one of "
                        f"{self.max_attempts} attempts",
                    )
                )
            if taken:
                s.execute(
                    update(messages)
                    .where(m.id.in_([r.id for r in taken]))
                    .values(
                        status=Status.TAKEN.value,
                        taken_by=worker_id,
                        taken_at=now,
                        lease_until=lease_until,
                        attempts=m.attempts + 1,
                    )
                )
        changes = {
            "status": Status.TAKEN.value,
            "taken_by": worker_id,
            "taken_at": now,
            "lease_until": lease_until,
        }
        return [MessageRecord(**{**dict(r._mapping), **changes, "attempts": r.attempts + 1}) for r in taken]

    # --- settling what a worker holds ----------------------------------------------------------

    def complete(self, ids: Sequence[int], worker_id: str | None = None) -> int:
        """Mark taken messages done and advance their documents, in one transaction. Returns how many
        were still held (a message whose lease passed to another worker is left to that worker)."""
        if not ids:
            return 0
        return deadlock_retry(lambda: self._complete(ids, worker_id))

    def _complete(self, ids: Sequence[int], worker_id: str | None) -> int:
        now = clock.now()
        with self.db.transaction() as s:
            held = s.execute(
                select(m.id, m.sender, m.document_type, m.document_number, m.document_seq)
                .where(m.id.in_(ids), *_held_by(worker_id))
                .with_for_update()
            ).all()
            if not held:
                return 0
            s.execute(
                update(messages)
                .where(m.id.in_([row.id for row in held]))
                .values(status=Status.DONE.value, processed_at=now, lease_until=None)
            )
            self._advance_documents(s, [row for row in held if row.document_number is not None])
        return len(held)

    @staticmethod
    def _advance_documents(s: Session, rows: list[Any]) -> None:
        done: dict[sequence.Progress, int] = {}
        for r in rows:
            key = (r.sender, r.document_type, r.document_number)
            done[key] = max(done.get(key, 0), r.document_seq)
        sequence.advance(s, done)

    def renew(self, ids: Sequence[int], worker_id: str, lease: timedelta) -> int:
        """Extend the lease of the messages `worker_id` still holds to now + `lease` (a worker's
        heartbeat while it handles a long batch). Returns how many it still held: one whose lease
        passed to another worker stays with that worker."""
        if not ids:
            return 0
        with self.db.transaction() as s:
            result = s.execute(
                update(messages)
                .where(m.id.in_(list(ids)), *_held_by(worker_id))
                .values(lease_until=clock.now() + lease)
            )
            return result.rowcount

    def reject(self, id: int, code: ErrorCode | str, reason: str, worker_id: str | None = None) -> bool:
        """Bad input: status error with `code: reason`; not retried until someone retries it."""
        return self._settle(
            id,
            worker_id,
            status=Status.ERROR.value,
            processed_at=clock.now(),
            lease_until=None,
            last_error=f"{code}: {reason}",
        )

    def wait(
        self,
        id: int,
        reason: str,
        delay: timedelta,
        worker_id: str | None = None,
        code: ErrorCode | str = ErrorCode.UNKNOWN_ITEM,
    ) -> str:
        """Something the message refers to is not known yet: back to `new`, next attempt after
        `delay`, the attempt not counted. After the wait timeout (since created_at) it is an error.
        Returns the status the message got."""
        now = clock.now()
        with self.db.transaction() as s:
            created_at = s.scalar(select(m.created_at).where(m.id == id, *_held_by(worker_id)))
            if created_at is None:
                return ""
            if now - created_at >= self.wait_timeout:
                values: dict[str, Any] = {
                    "status": Status.ERROR.value,
                    "processed_at": now,
                    "last_error": f"{code}: {reason} (waited {human_duration(now - created_at)}, the limit is "
                    f"{human_duration(self.wait_timeout)})",
                }
            else:
                values = {
                    "status": Status.NEW.value,
                    "next_attempt_at": now + delay,
                    "attempts": m.attempts - 1,
                    "last_error": f"{code}: {reason} (waiting; next try at {(now + delay):%Y-%m-%d %H:%M:%S} UTC)",
                }
            s.execute(update(messages).where(m.id == id).values(lease_until=None, **values))
            return values["status"]

    def fail(self, id: int, error: str, worker_id: str | None = None) -> str:
        """A transient failure: back to `new` after an exponential backoff, or `dead` when the
        attempts are used up. Returns the status the message got."""
        now = clock.now()
        with self.db.transaction() as s:
            attempts = s.scalar(select(m.attempts).where(m.id == id, *_held_by(worker_id)))
            if attempts is None:
                return ""
            last_error = f"{ErrorCode.INTERNAL}: {error}"
            if attempts >= self.max_attempts:
                values: dict[str, Any] = {
                    "status": Status.DEAD.value,
                    "processed_at": now,
                    "last_error": f"{last_error} (attempt {attempts} of {self.max_attempts}: dead)",
                }
            else:
                delay = self.backoff(attempts)
                values = {
                    "status": Status.NEW.value,
                    "next_attempt_at": now + delay,
                    "last_error": f"{last_error} (attempt {attempts} of {self.max_attempts}; "
                    f"next in {human_duration(delay)})",
                }
            s.execute(update(messages).where(m.id == id).values(lease_until=None, **values))
            return values["status"]

    def backoff(self, attempts: int) -> timedelta:
        """2 s, 4 s, 8 s... after the 1st, 2nd, 3rd failed attempt, at most backoff_max."""
        return min(self.backoff_base * (2 ** max(attempts - 1, 0)), self.backoff_max)

    def _settle(self, id: int, worker_id: str | None, **values: Any) -> bool:
        with self.db.transaction() as s:
            result = s.execute(update(messages).where(m.id == id, *_held_by(worker_id)).values(**values))
            return result.rowcount == 1


def _held_by(worker_id: str | None) -> list[Any]:
    conditions = [m.status == Status.TAKEN.value]
    if worker_id is not None:
        conditions.append(m.taken_by == worker_id)
    return conditions
