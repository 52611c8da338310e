"""Ordering per document: which message is next, and which can never be.

A message with a document is taken only when its `document_seq` is the document's last done one
+ 1. A later message waits behind an earlier one that is present (also when that one is in
`error` or `dead`: an operator's retry lets the document flow on). Two waits have no end, and the
receiver's claim turns them into `error` (out_of_order) with an ERROR to the sender:
- a gap: the message right before it never arrived, and it has waited the wait timeout since it
  was created (the lowest message after the gap becomes `error`; the later ones wait behind it);
- a place that is already done (document_seq <= last done): it can never be taken; at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import ErrorCode
from dealerhub.exchange.models import Status, document_progress, messages

m = messages.c
p = document_progress.c


def last_done_seq() -> Any:
    """The last done place of the outer message's document (NULL: none yet)."""
    return (
        select(p.last_done_seq)
        .where(
            p.sender == m.sender,
            p.document_type == m.document_type,
            p.document_number == m.document_number,
        )
        .scalar_subquery()
    )


def is_next_in_document() -> Any:
    """No document, or the next place of its document."""
    return or_(m.document_number.is_(None), m.document_seq == func.coalesce(last_done_seq(), literal(0)) + 1)


def never_next(s: Session, receiver: str, now: datetime, timeout: timedelta, limit: int = 500) -> list[Any]:
    """The receiver's `new` messages that will never be next in their documents (see above), locked
    (skipping rows another worker holds); each row has `last_done` and `gap` (True: a gap)."""
    done = func.coalesce(last_done_seq(), literal(0))
    before = messages.alias("before")
    predecessor_missing = ~exists().where(
        before.c.sender == m.sender,
        before.c.document_type == m.document_type,
        before.c.document_number == m.document_number,
        before.c.document_seq == m.document_seq - 1,
    )
    gap = and_(m.document_seq > done + 1, m.created_at <= now - timeout, predecessor_missing)
    query = (
        select(messages, done.label("last_done"), (m.document_seq > done).label("gap"))
        .where(
            m.receiver == receiver,
            m.status == Status.NEW.value,
            m.document_number.is_not(None),
            or_(m.document_seq <= done, gap),
        )
        .order_by(m.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(s.execute(query).all())


def reason(row: Any, now: datetime, timeout: timedelta, human: Any) -> str:
    document = f"{row.document_type} {row.document_number} (sender {row.sender})"
    if row.gap:
        return (
            f"{ErrorCode.OUT_OF_ORDER}: message {row.document_seq - 1} of {document} never arrived; message "
            f"{row.document_seq} waited {human(now - row.created_at)} for it, the limit is {human(timeout)} "
            "(the later messages of the document wait behind this one)"
        )
    return (
        f"{ErrorCode.OUT_OF_ORDER}: place {row.document_seq} of {document} is already done (the document "
        f"is at {row.last_done}): this message can never be taken"
    )


def claimable(now: Any) -> Any:
    """New and due, or taken with an expired lease; and, with a document, next in its sequence."""
    return and_(
        or_(
            and_(m.status == Status.NEW.value, m.next_attempt_at <= now),
            and_(m.status == Status.TAKEN.value, m.lease_until < now),
        ),
        is_next_in_document(),
    )


Progress = tuple[str, str, str]  # (sender, document_type, document_number)


def advance(s: Session, done: dict[Progress, int]) -> None:
    """Move each document's last done place up to the given one (never down), creating its row on
    its first message: one upsert where the database has one (PostgreSQL, SQLite, MariaDB), so
    completing a batch of messages of new documents is one statement and two workers completing
    messages of one new document both succeed."""
    if not done:
        return
    rows = [
        {"sender": a, "document_type": b, "document_number": c, "last_done_seq": seq}
        for (a, b, c), seq in sorted(done.items())
    ]
    dialect = s.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        ins = (postgresql if dialect == "postgresql" else sqlite).insert(document_progress).values(rows)
        s.execute(
            ins.on_conflict_do_update(
                index_elements=[p.sender, p.document_type, p.document_number],
                set_={"last_done_seq": ins.excluded.last_done_seq},
                where=p.last_done_seq < ins.excluded.last_done_seq,
            )
        )
    elif dialect in ("mysql", "mariadb"):
        ins = mysql.insert(document_progress).values(rows)
        s.execute(
            ins.on_duplicate_key_update(
                last_done_seq=func.greatest(p.last_done_seq, ins.inserted.last_done_seq)
            )
        )
    else:  # no upsert in SQLAlchemy for it (SQL Server): read what exists, update it, insert the rest
        _advance_portably(s, done)


def _advance_portably(s: Session, done: dict[Progress, int]) -> None:
    """Without an upsert: two workers completing the first messages of one new document at the same
    moment may both insert its row, and one of them fails (its batch is claimed again after its
    lease)."""
    keys = list(done)
    existing: set[Progress] = set()
    for start in range(0, len(keys), 200):
        found = s.execute(
            select(p.sender, p.document_type, p.document_number).where(
                or_(
                    *(
                        and_(p.sender == a, p.document_type == b, p.document_number == c)
                        for a, b, c in keys[start : start + 200]
                    )
                )
            )
        )
        existing.update(tuple(row) for row in found)  # type: ignore[misc]
    for (a, b, c), seq in done.items():
        if (a, b, c) in existing:
            s.execute(
                update(document_progress)
                .where(p.sender == a, p.document_type == b, p.document_number == c, p.last_done_seq < seq)
                .values(last_done_seq=seq)
            )
    new = [
        {"sender": a, "document_type": b, "document_number": c, "last_done_seq": seq}
        for (a, b, c), seq in done.items()
        if (a, b, c) not in existing
    ]
    if new:
        s.execute(document_progress.insert(), new)
