"""ACK and ERROR from the other side about one of the core's messages: noted on its outbox row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.core.outbox.answers import record_acks, record_answer
from dealerhub.exchange.contracts import AckV1, ErrorV1
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage


def handle_ack(s: Session, message: InboundMessage) -> Done:
    payload: AckV1 = message.payload  # type: ignore[assignment]
    found = record_answer(s, payload.message_id, ok=True)
    return Done(note=_note("ACK", payload.message_id, found))


def handle_acks(s: Session, messages: Sequence[InboundMessage]) -> list[Done]:
    """A run of ACKs: handle_ack on each, the outbox rows noted in one UPDATE."""
    answered = [m.payload.message_id for m in messages]  # type: ignore[attr-defined]
    found = record_acks(s, answered)
    return [Done(note=_note("ACK", message_id, message_id in found)) for message_id in answered]


def handle_error(s: Session, message: InboundMessage) -> Done:
    payload: ErrorV1 = message.payload  # type: ignore[assignment]
    found = record_answer(s, payload.message_id, ok=False, code=payload.code.value, reason=payload.reason)
    return Done(note=_note(f"ERROR {payload.code.value}", payload.message_id, found))


def _note(what: str, message_id: str, found: bool) -> str:
    # An answer to a message the outbox no longer has (purged) is still taken: nothing to note it on.
    return f"{what} for {message_id}" + ("" if found else " (no such message in the outbox)")
