"""The other side's answers to our messages (ACK / ERROR, applied by the inbox) and the purge of
relayed rows after the retention period (sidekit's Outbox does both)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dealerhub.core.outbox.enqueue import CORE_OUTBOX


def record_answer(
    s: Session, message_id: str, *, ok: bool, code: str | None = None, reason: str | None = None
) -> bool:
    """Note an ACK (ok) or an ERROR (code, reason) for one of our messages; the latest answer wins
    (an ERROR, then a retry that was applied, ends as "ack"). False if the outbox has no such row
    (not ours, or purged already)."""
    return CORE_OUTBOX.record_answer(s, message_id, ok=ok, code=code, reason=reason)


def purge_relayed(s: Session, older_than: datetime, *, limit: int = 10_000) -> int:
    """Delete up to `limit` rows relayed before `older_than` (the exchange keeps its own record of
    them); returns how many. Call again while it returns `limit`. Unrelayed rows are never touched."""
    return CORE_OUTBOX.purge_relayed(s, older_than, limit=limit)
