"""ACK and ERROR: the core's answers to the WMS's messages, noted on the outbox row answered."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import AckV1, ErrorV1
from dealerhub.exchange.sidekit import Done
from dealerhub.exchange.sidekit.inbox import InboundMessage
from dealerhub.wms.exchange_link.outbox import WMS_OUTBOX


def handle_ack(s: Session, message: InboundMessage) -> Done:
    p: AckV1 = message.payload  # type: ignore[assignment]
    known = WMS_OUTBOX.record_answer(s, p.message_id, ok=True)
    return Done(note=None if known else f"ACK for a message the outbox does not hold: {p.message_id}")


def handle_error(s: Session, message: InboundMessage) -> Done:
    p: ErrorV1 = message.payload  # type: ignore[assignment]
    known = WMS_OUTBOX.record_answer(s, p.message_id, ok=False, code=p.code.value, reason=p.reason)
    return Done(note=None if known else f"ERROR for a message the outbox does not hold: {p.message_id}")
