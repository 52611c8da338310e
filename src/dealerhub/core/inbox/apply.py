"""Applying a batch of inbound messages: one core transaction, a savepoint per message.

For each message: if the inbox knows its id, nothing happens again (Applied(already) or the earlier
Rejected, with no second answer). Otherwise its handler runs inside a savepoint:
- applied: the inbox row (status applied, the document it made) and the ACK go into the same
  savepoint, so the effect, the record and the answer commit together or not at all;
- refused (bad input): the savepoint is rolled back, then the inbox row (status rejected) and the
  ERROR are written in the batch transaction, so the refusal is answered exactly once;
- waiting (unknown item or warehouse...): the savepoint is rolled back; nothing is written;
- failed (any other exception): the savepoint is rolled back; nothing is written; the exchange
  retries it. A failure of the transaction itself (lost connection) propagates: nothing of the
  batch is committed and every message of it is retried.
One commit per batch keeps the loop fast; a bad message never spoils the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dealerhub.core.inbox import answers
from dealerhub.core.inbox.codes import classify
from dealerhub.core.inbox.errors import NotYet, Reject
from dealerhub.core.inbox.handlers import HANDLERS, Done
from dealerhub.core.inbox.message import InboundMessage
from dealerhub.core.inbox.models import APPLIED, REJECTED, InboxMessage
from dealerhub.core.inbox.outcomes import Applied, Failed, Outcome, Rejected, Wait
from dealerhub.exchange.contracts import ContractError, ErrorCode, Message
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from dealerhub.shared.errors import DomainError

log = logging.getLogger(__name__)


def apply_batch(core_db: Database, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
    """Apply `messages` (in this order) in one core transaction; an outcome per message."""
    with core_db.transaction() as s:
        return apply_in_session(s, messages)


def apply_in_session(s: Session, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
    """apply_batch inside the caller's transaction (it commits)."""
    ids = [m.envelope.message_id for m in messages]
    known = {row.message_id: row for row in s.scalars(select(InboxMessage).where(InboxMessage.message_id.in_(ids)))}
    outcomes: list[Outcome] = []
    for message in messages:
        outcomes.append(_apply_one(s, message, known))
    return outcomes


def _apply_one(s: Session, message: InboundMessage | Message, known: dict[str, InboxMessage]) -> Outcome:
    previous = known.get(message.envelope.message_id)
    if previous is not None and previous.status == APPLIED:
        return Applied(note=previous.note, already=True)
    envelope = message.envelope
    try:
        with s.begin_nested():
            inbound = InboundMessage.of(message) if isinstance(message, Message) else message
            done = _handle(s, inbound)
            row = _record(s, envelope, previous, APPLIED, done=done)
            if envelope.type not in ("ACK", "ERROR"):
                answers.send_ack(s, envelope.message_id, note=done.note, warehouse_code=envelope.warehouse_code)
        known[envelope.message_id] = row
        return Applied(note=done.note)
    except NotYet as wait:
        return Wait(wait.reason, wait.delay, wait.code.value)
    except (Reject, ContractError) as refusal:
        return _refuse(s, envelope, previous, known, refusal.code.value, refusal.reason)
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise
        log.exception("inbound message %s failed", envelope.message_id)
        return Failed(f"{type(exc).__name__}: {exc}".splitlines()[0])
    except Exception as exc:
        log.exception("inbound message %s failed", envelope.message_id)
        return Failed(f"{ErrorCode.INTERNAL.value}: {type(exc).__name__}: {exc}".splitlines()[0])


def _handle(s: Session, message: InboundMessage) -> Done:
    handler = HANDLERS.get(message.envelope.type)
    if handler is None:
        raise Reject(ErrorCode.UNKNOWN_TYPE, f"the core does not take {message.envelope.type} messages")
    try:
        return handler(s, message)
    except DomainError as error:
        raise classify(error) from error


def _refuse(
    s: Session, envelope, previous: InboxMessage | None, known: dict[str, InboxMessage], code: str, reason: str
) -> Rejected:
    """Record the refusal and answer it, unless this very refusal was answered before."""
    if previous is not None and (previous.error_code, previous.error_reason) == (code, reason):
        return Rejected(code, reason, already=True)
    known[envelope.message_id] = _record(s, envelope, previous, REJECTED, code=code, reason=reason)
    if envelope.type not in ("ACK", "ERROR"):
        answers.send_error(s, envelope.message_id, code=code, reason=reason, warehouse_code=envelope.warehouse_code)
    return Rejected(code, reason)


def _record(
    s: Session,
    envelope,
    previous: InboxMessage | None,
    status: str,
    *,
    done: Done | None = None,
    code: str | None = None,
    reason: str | None = None,
) -> InboxMessage:
    row = previous if previous is not None else InboxMessage(message_id=envelope.message_id)
    row.type, row.sender, row.status, row.recorded_at = envelope.type, envelope.sender, status, clock.now()
    row.document_type = done.document_type if done else None
    row.document_number = done.document_number if done else None
    row.note = done.note if done else None
    row.error_code, row.error_reason = code, reason
    if previous is None:
        s.add(row)
    s.flush()
    return row
