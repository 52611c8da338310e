"""What an operator does to the exchange's messages (`dealerhub exchange retry` / `retry --dead`,
the monitor's retry button, `dealerhub exchange archive`): ExchangeStore's operator actions."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from dealerhub.exchange.models import ARCHIVE_COLUMNS, Status, archive, messages
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from dealerhub.shared.errors import DomainError, NotFound

log = logging.getLogger(__name__)
m = messages.c


class RetryRefused(DomainError):
    http_status = 409


class OperatorActions:
    db: Database

    def retry(self, message_id: str) -> str:
        """Put an `error` or `dead` message back to `new` with fresh attempts, or make a waiting
        `new` one claimable now. Returns the status it had. Done and taken messages are refused."""
        now = clock.now()
        with self.db.transaction() as s:
            status = s.scalar(select(m.status).where(m.message_id == message_id).with_for_update())
            if status is None:
                if s.scalar(select(archive.c.id).where(archive.c.message_id == message_id)) is not None:
                    raise RetryRefused(f"message {message_id} is done and archived")
                raise NotFound(f"no message {message_id} in the exchange")
            if status in (Status.ERROR, Status.DEAD):
                values: dict[str, Any] = {"attempts": 0, "processed_at": None, "taken_by": None}
            elif status == Status.NEW:
                values = {}
            else:
                raise RetryRefused(
                    f"message {message_id} is {status}: only error, dead or waiting ones are retried"
                )
            s.execute(
                update(messages)
                .where(m.message_id == message_id)
                .values(status=Status.NEW.value, next_attempt_at=now, lease_until=None, **values)
            )
            log.info("retry: %s was %s, now new", message_id, status)
            return status

    def retry_dead(self, receiver: str | None = None) -> int:
        """Every dead message (of `receiver`) back to `new`; returns how many."""
        with self.db.transaction() as s:
            query = update(messages).where(m.status == Status.DEAD.value)
            if receiver:
                query = query.where(m.receiver == receiver)
            result = s.execute(
                query.values(
                    status=Status.NEW.value,
                    attempts=0,
                    next_attempt_at=clock.now(),
                    processed_at=None,
                    taken_by=None,
                    lease_until=None,
                )
            )
            return result.rowcount

    def archive(self, older_than: timedelta, batch_size: int = 1000, progress: Any = None) -> int:
        """Move done messages processed more than `older_than` ago into the archive, one batch per
        transaction (no long locks). `progress(n)` is called after each batch. Returns how many."""
        cutoff = clock.now() - older_than
        moved = 0
        columns = [archive.c[name] for name in ARCHIVE_COLUMNS]
        while True:
            with self.db.transaction() as s:
                ids = list(
                    s.scalars(
                        select(m.id)
                        .where(m.status == Status.DONE.value, m.processed_at < cutoff)
                        .order_by(m.id)
                        .limit(batch_size)
                        .with_for_update(skip_locked=True)
                    )
                )
                if not ids:
                    return moved
                source = select(*(m[name] for name in ARCHIVE_COLUMNS)).where(m.id.in_(ids))
                s.execute(insert(archive).from_select(columns, source))
                s.execute(delete(messages).where(m.id.in_(ids)))
            moved += len(ids)
            if progress is not None:
                progress(len(ids))
