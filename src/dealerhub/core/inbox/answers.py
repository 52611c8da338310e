"""The core's answers to the other side: an ACK for an applied message, an ERROR for a refused
one, written to the outbox in the batch's transaction (correlation_id = the message answered)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.outbox.enqueue import enqueue
from dealerhub.exchange.contracts import AckV1, ErrorCode, ErrorV1

NOTE_MAX = 2000
REASON_MAX = 4000


def send_ack(s: Session, message_id: str, *, note: str | None, warehouse_code: str | None) -> None:
    payload = AckV1(message_id=message_id, result="applied", note=_cut(note, NOTE_MAX))
    enqueue(s, payload, correlation_id=message_id, warehouse_code=warehouse_code)


def send_error(s: Session, message_id: str, *, code: str, reason: str, warehouse_code: str | None) -> None:
    payload = ErrorV1(message_id=message_id, code=ErrorCode(code), reason=_cut(reason, REASON_MAX) or code)
    enqueue(s, payload, correlation_id=message_id, warehouse_code=warehouse_code)


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
