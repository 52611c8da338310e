"""Messages the exchange refuses on arrival, and the ERROR that answers a refused message.

A message cannot be stored in exchange_messages when its id is already there (or in the archive)
with a different payload, or when its place in its document (sender, document_type,
document_number, document_seq) is held by another message: the table's unique keys must hold, so
the receiver never sees two messages under one id or one place. Such a message is bad input like
any other: it is recorded in exchange_refused_messages with status `error` and `last_error`
`<code>: <reason>`, nothing of it is applied, an ERROR goes back to its sender (correlation_id =
its message id), and the rest of its batch is stored as usual. The same refused message published
again (same id, same payload) is recorded and answered once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import ErrorCode, ErrorV1, Message, MessageType, build_message
from dealerhub.exchange.models import Status, messages, refused
from dealerhub.exchange.transactions import chunks

# Derives the id of the ERROR (or ACK) that answers a message (uuid5 over the answered id).
_ANSWER_NAMESPACE = uuid.UUID("6d1b5c1e-3f0a-4b7e-9a57-0e5f3c2d8a41")

m = messages.c
r = refused.c

Slot = tuple[str, str, str, int]


def answer_id(message_id: str, kind: str = "ERROR") -> str:
    """The id of the ERROR (or ACK) answering `message_id`: the same every time it is built."""
    return str(uuid.uuid5(_ANSWER_NAMESPACE, f"{kind}:{message_id}"))


@dataclass(frozen=True)
class Refusal:
    message: Message
    code: ErrorCode
    reason: str
    conflicts_with: int | None


def duplicate(message: Message, stored_id: int, stored_sha256: str, where: str) -> Refusal:
    return Refusal(
        message,
        ErrorCode.DUPLICATE_CONFLICT,
        f"message id {message.message_id} is already in the exchange ({where} row {stored_id}) with "
        f"a different payload (sha256 {stored_sha256[:12]}..., this one {message.payload_sha256[:12]}...); "
        "this one was not stored: send it under a new message id",
        stored_id,
    )


def slot_taken(message: Message, holder_id: int | None, holder_message_id: str) -> Refusal:
    e = message.envelope
    return Refusal(
        message,
        ErrorCode.OUT_OF_ORDER,
        f"place {e.document_seq} of {e.document_type} {e.document_number} (sender {e.sender}) is already "
        f"held by message {holder_message_id}; this one was not stored",
        holder_id,
    )


def slot_of(message: Message) -> Slot | None:
    e = message.envelope
    if e.document_number is None or e.document_type is None or e.document_seq is None:
        return None
    return (e.sender, e.document_type, e.document_number, e.document_seq)


def slot_holders(s: Session, slots: Sequence[Slot]) -> dict[Slot, tuple[int, str]]:
    """Which stored message holds each of these places in a document: slot -> (id, message_id)."""
    held: dict[Slot, tuple[int, str]] = {}
    for chunk in chunks(list(slots), 200):
        rows = s.execute(
            select(m.id, m.message_id, m.sender, m.document_type, m.document_number, m.document_seq).where(
                or_(
                    *(
                        and_(m.sender == a, m.document_type == b, m.document_number == c, m.document_seq == d)
                        for a, b, c, d in chunk
                    )
                )
            )
        )
        for row in rows:
            held[(row.sender, row.document_type, row.document_number, row.document_seq)] = (
                row.id,
                row.message_id,
            )
    return held


def record(s: Session, refusals: Sequence[Refusal], now: datetime) -> list[Message]:
    """Record refusals not recorded before, in the caller's transaction; returns the ERROR answers
    to store with them (none for a refusal recorded earlier, nor for a refused ACK or ERROR)."""
    if not refusals:
        return []
    keys = {(x.message.message_id, x.message.payload_sha256) for x in refusals}
    known = set()
    for chunk in chunks(sorted(keys), 300):
        known.update(
            tuple(row)
            for row in s.execute(
                select(r.message_id, r.payload_sha256).where(
                    or_(*(and_(r.message_id == a, r.payload_sha256 == b) for a, b in chunk))
                )
            )
        )
    rows, answers = [], []
    for refusal in refusals:
        message = refusal.message
        key = (message.message_id, message.payload_sha256)
        if key in known:
            continue
        known.add(key)
        rows.append(
            {
                **message.envelope.model_dump(),
                "payload": message.payload,
                "payload_sha256": message.payload_sha256,
                "status": Status.ERROR.value,
                "created_at": now,
                "processed_at": now,
                "last_error": f"{refusal.code}: {refusal.reason}",
                "conflicts_with": refusal.conflicts_with,
            }
        )
        answer = error_answer(
            message_id=message.message_id,
            sender=message.envelope.receiver,
            receiver=message.envelope.sender,
            warehouse_code=message.envelope.warehouse_code,
            type=message.envelope.type,
            code=refusal.code,
            reason=refusal.reason,
            answer_kind=f"REFUSED:{message.payload_sha256}",
        )
        if answer is not None:
            answers.append(answer)
    if rows:
        s.execute(insert(refused), rows)
    return answers


def error_answer(
    *,
    message_id: str,
    sender: str,
    receiver: str,
    warehouse_code: str | None,
    type: str,
    code: ErrorCode | str,
    reason: str,
    answer_kind: str = "ERROR",
) -> Message | None:
    """The ERROR answering a refused message, or None for an ACK or ERROR (never answered: no
    ping-pong) and for an envelope too broken to answer."""
    if type in (MessageType.ACK, MessageType.ERROR):
        return None
    try:
        payload = ErrorV1(message_id=message_id, code=ErrorCode(code), reason=reason[:4000])
        return build_message(
            payload,
            sender=sender,
            receiver=receiver,
            message_id=answer_id(message_id, answer_kind),
            warehouse_code=warehouse_code,
            correlation_id=message_id,
        )
    except (ValidationError, ValueError):
        return None


def new_rows(batch: Iterable[Message], now: datetime) -> list[dict[str, Any]]:
    """exchange_messages rows for messages to store."""
    return [
        {
            **msg.envelope.model_dump(),
            "payload": msg.payload,
            "payload_sha256": msg.payload_sha256,
            "status": Status.NEW.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for msg in batch
    ]
