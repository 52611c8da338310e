"""Reading the exchange: a message, the journal with filters, and the counts, lag and oldest
waiting message that `dealerhub exchange status` and the back office's monitor show. The store
(store.py) writes; this is its read side, mixed into ExchangeStore."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from dealerhub.exchange import sequence
from dealerhub.exchange.models import Status, archive, messages, refused
from dealerhub.exchange.records import MessageRecord, RefusedRecord
from dealerhub.shared import clock
from dealerhub.shared.db import Database

m = messages.c


@dataclass(frozen=True)
class StatusCount:
    type: str
    status: str
    count: int


@dataclass(frozen=True)
class StatusReport:
    counts: list[StatusCount]
    # Per receiver: seconds since the oldest message that could be taken right now was created.
    lag_seconds: dict[str, float]
    # The oldest `new` message that cannot be taken now (backoff, waiting, or held by its document).
    oldest_waiting: MessageRecord | None
    # Messages refused on arrival (exchange_refused_messages, all `error`) and the latest of them:
    # (message_id, type, sender, last_error).
    refused: int = 0
    latest_refused: tuple[str, str, str, str] | None = None

    def total(self, status: str) -> int:
        return sum(c.count for c in self.counts if c.status == status)


@dataclass(frozen=True)
class MessageFilter:
    status: str | None = None
    type: str | None = None
    sender: str | None = None
    receiver: str | None = None
    document_number: str | None = None
    # A message id or a correlation id (exact).
    message_id: str | None = None


class JournalReads:
    db: Database

    def get(self, message_id: str) -> MessageRecord | None:
        """A message by its id, from the live table or else the archive."""
        with self.db.session() as s:
            row = s.execute(select(messages).where(m.message_id == message_id)).first()
            if row is not None:
                return MessageRecord.from_row(row)
            row = s.execute(select(archive).where(archive.c.message_id == message_id)).first()
            return MessageRecord.from_row(row, archived=True) if row is not None else None

    def list(
        self, filters: MessageFilter | None = None, page: int = 1, per_page: int = 50
    ) -> tuple[list[MessageRecord], int]:
        """One page of the journal, newest first, and the number of messages that match."""
        f = filters or MessageFilter()
        conditions = [
            column == value
            for column, value in (
                (m.status, f.status),
                (m.type, f.type),
                (m.sender, f.sender),
                (m.receiver, f.receiver),
                (m.document_number, f.document_number),
            )
            if value
        ]
        if f.message_id:
            conditions.append(or_(m.message_id == f.message_id, m.correlation_id == f.message_id))
        with self.db.session() as s:
            total = s.scalar(select(func.count()).select_from(messages).where(*conditions)) or 0
            rows = s.execute(
                select(messages)
                .where(*conditions)
                .order_by(m.id.desc())
                .limit(per_page)
                .offset((max(page, 1) - 1) * per_page)
            ).all()
        return [MessageRecord.from_row(row) for row in rows], total

    def refused(self, type: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[RefusedRecord], int]:
        """One page of the messages refused on arrival, newest first, and how many match."""
        r = refused.c
        conditions = [r.type == type] if type else []
        with self.db.session() as s:
            total = s.scalar(select(func.count()).select_from(refused).where(*conditions)) or 0
            rows = s.execute(
                select(refused).where(*conditions).order_by(r.id.desc()).limit(limit).offset(offset)
            ).all()
        return [RefusedRecord.from_row(row) for row in rows], total

    def get_refused(self, id: int) -> RefusedRecord | None:
        with self.db.session() as s:
            row = s.execute(select(refused).where(refused.c.id == id)).first()
        return RefusedRecord.from_row(row) if row is not None else None

    def get_by_id(self, id: int) -> MessageRecord | None:
        """A stored message by its row id, live or archived (the archive keeps the live id)."""
        with self.db.session() as s:
            row = s.execute(select(messages).where(m.id == id)).first()
            if row is not None:
                return MessageRecord.from_row(row)
            row = s.execute(select(archive).where(archive.c.id == id)).first()
        return MessageRecord.from_row(row, archived=True) if row is not None else None

    def status(self) -> StatusReport:
        now = clock.now()
        with self.db.session() as s:
            counts = [
                StatusCount(row.type, row.status, row.n)
                for row in s.execute(
                    select(m.type, m.status, func.count().label("n"))
                    .group_by(m.type, m.status)
                    .order_by(m.type, m.status)
                )
            ]
            lag = {
                row.receiver: max((now - row.oldest).total_seconds(), 0.0)
                for row in s.execute(
                    select(m.receiver, func.min(m.created_at).label("oldest"))
                    .where(sequence.claimable(now))
                    .group_by(m.receiver)
                )
                if row.oldest is not None
            }
            waiting = s.execute(
                select(messages)
                .where(m.status == Status.NEW.value, ~sequence.claimable(now))
                .order_by(m.created_at, m.id)
                .limit(1)
            ).first()
            r = refused.c
            refused_count = s.scalar(select(func.count()).select_from(refused)) or 0
            latest = s.execute(
                select(r.message_id, r.type, r.sender, r.last_error).order_by(r.id.desc()).limit(1)
            ).first()
        return StatusReport(
            counts,
            lag,
            MessageRecord.from_row(waiting) if waiting is not None else None,
            refused_count,
            tuple(latest) if latest is not None else None,  # type: ignore[arg-type]
        )
