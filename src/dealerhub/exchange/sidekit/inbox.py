"""Applying a batch of inbound messages on one side: one transaction, a savepoint per message.

For each message: if the inbox knows its id as applied, nothing happens again (Applied(already)).
Otherwise its handler runs inside a savepoint:
- applied: the inbox row and the ACK go into the same savepoint, so the effect, the record and the
  answer commit together or not at all;
- refused (Reject, a ContractError, or a side's error that `classify` maps to a Reject): the
  savepoint is rolled back, then the inbox row (rejected) and the ERROR are written in the batch
  transaction, so the refusal is answered exactly once (a redelivery refused for the same code and
  reason answers nothing again);
- waiting (NotYet): the savepoint is rolled back; nothing is written;
- failed (any other exception): the savepoint is rolled back; nothing is written; the exchange
  retries it. A lost connection propagates: nothing of the batch is committed, all is retried.
One commit per batch keeps the loop fast; a bad message never spoils the others.

A batch is first tried in one go, without savepoints, its inbox rows and ACKs written in two bulk
INSERTs at the end (the usual batch: every message applies). A type with a batch handler has each
run of consecutive messages of that type handed over at once (the WMS makes a run of ORDERS in a
fixed number of statements); a batch handler must leave exactly what its messages applied one by
one in that order would leave. If any message does not apply (it raises anything: a refusal, a
wait, a failure; a batch handler raising for any message of its run), that whole try is rolled back
and the batch is applied again as above, a savepoint per message, with the one-message handlers.
Either way the effects, the inbox rows and the answers of a batch commit together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import (
    AckV1,
    Contract,
    ContractError,
    Envelope,
    ErrorCode,
    ErrorV1,
    Message,
    parse_payload,
)
from dealerhub.exchange.sidekit.outbox import Outbox
from dealerhub.exchange.sidekit.outcomes import Applied, Failed, NotYet, Outcome, Reject, Rejected, Wait
from dealerhub.exchange.sidekit.tables import APPLIED, REJECTED, InboxTable
from dealerhub.shared import clock
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

NOTE_MAX = 2000
REASON_MAX = 4000
ANSWERS = ("ACK", "ERROR")


@dataclass(frozen=True)
class InboundMessage:
    """An envelope and its parsed payload (the exchange worker's claimed messages fit too)."""

    envelope: Envelope
    payload: Contract

    @property
    def message_id(self) -> str:
        return self.envelope.message_id

    @classmethod
    def of(cls, message: Message) -> InboundMessage:
        envelope = message.envelope
        return cls(envelope, parse_payload(envelope.type, envelope.schema_version, message.payload))


@dataclass(frozen=True)
class Done:
    """What a handler made: the side's document (if one) and a note for the ACK."""

    document_type: str | None = None
    document_number: str | None = None
    note: str | None = None


Handler = Callable[[Session, InboundMessage], Done]
# Applies a run of messages of one type in one go: a Done per message, in order, or it raises.
BatchHandler = Callable[[Session, Sequence[InboundMessage]], list[Done]]
# Maps a side's own exception (its DomainErrors) to a Reject or NotYet; None: a bug (Failed).
Classify = Callable[[Exception], Reject | NotYet | None]


class Inbox:
    def __init__(
        self,
        table: InboxTable,
        outbox: Outbox,
        handlers: Mapping[str, Handler],
        *,
        classify: Classify | None = None,
        node_name: str = "this side",
        batch_handlers: Mapping[str, BatchHandler] | None = None,
    ) -> None:
        self.table = table.table
        self.outbox = outbox
        self.handlers = handlers
        self.batch_handlers = dict(batch_handlers or {})
        self.classify = classify or (lambda _exc: None)
        self.node_name = node_name

    def apply_batch(self, db: Database, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
        """Apply `messages` in this order in one transaction; an outcome per message."""
        if len(messages) > 1:
            try:
                with db.transaction() as s:
                    return self._apply_all_or_nothing(s, messages)
            except _NotAll as stop:
                log.info("inbound batch of %d: %s; applying it message by message", len(messages), stop)
        with db.transaction() as s:
            return self.apply_in_session(s, messages)

    def _apply_all_or_nothing(self, s: Session, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
        """Every message applied, or _NotAll raised (the caller's transaction then rolls back)."""
        t = self.table
        ids = [m.envelope.message_id for m in messages]
        known = {row.message_id: row for row in s.execute(select(t).where(t.c.message_id.in_(ids)))}
        outcomes: list[Outcome | None] = [None] * len(messages)
        records, acks = [], []
        run: list[tuple[int, InboundMessage]] = []  # consecutive messages of a type with a batch handler
        in_run: set[str] = set()

        def applied(at: int, envelope: Envelope, done: Done) -> None:
            known[envelope.message_id] = _Known(APPLIED, done.note, None, None)  # the same id again: already
            records.append({"message_id": envelope.message_id, **self._values(envelope, APPLIED, done=done)})
            if envelope.type not in ANSWERS:
                acks.append(self._ack_row(envelope, done.note))
            outcomes[at] = Applied(note=done.note)

        def apply_run() -> None:
            if run:
                for (at, inbound), done in zip(run, self._handle_run(s, [m for _, m in run]), strict=True):
                    applied(at, inbound.envelope, done)
                run.clear()
                in_run.clear()

        for at, message in enumerate(messages):
            envelope = message.envelope
            if envelope.message_id in in_run:
                apply_run()  # the same message twice: the second is "already"
            previous = known.get(envelope.message_id)
            if previous is not None and previous.status == APPLIED:
                outcomes[at] = Applied(note=previous.note, already=True)
                continue
            if previous is not None:
                raise _NotAll(f"{envelope.message_id} was refused before")
            try:
                inbound = InboundMessage.of(message) if isinstance(message, Message) else message
            except Exception as exc:
                raise _NotAll(f"{envelope.message_id} did not apply") from exc
            if envelope.type in self.batch_handlers:
                if run and run[0][1].envelope.type != envelope.type:
                    apply_run()
                run.append((at, inbound))
                in_run.add(envelope.message_id)
                continue
            apply_run()
            applied(at, envelope, self._guarded(partial(self._handle, s, inbound), envelope.message_id))
        apply_run()
        try:
            if records:
                s.connection().execute(insert(t), records)
            if acks:
                self.outbox.insert_built(s, acks)
        except DBAPIError as exc:  # e.g. a worker that took over a lost lease recorded one first
            if exc.connection_invalidated:
                raise
            raise _NotAll("the inbox rows could not be written") from exc
        return outcomes  # type: ignore[return-value]

    def _handle_run(self, s: Session, run: list[InboundMessage]) -> list[Done]:
        handler = self.batch_handlers[run[0].envelope.type]
        what = f"a run of {len(run)} {run[0].envelope.type}"
        dones = self._guarded(partial(handler, s, run), what)
        if len(dones) != len(run):
            raise _NotAll(f"{what}: {len(dones)} results")
        return dones

    @staticmethod
    def _guarded(apply: Callable[[], T], what: str) -> T:
        """`apply()`; anything it raises becomes _NotAll, except a lost connection."""
        try:
            return apply()
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            raise _NotAll(f"{what} did not apply") from exc
        except Exception as exc:
            raise _NotAll(f"{what} did not apply") from exc

    def apply_in_session(self, s: Session, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
        t = self.table
        ids = [m.envelope.message_id for m in messages]
        known = {row.message_id: row for row in s.execute(select(t).where(t.c.message_id.in_(ids)))}
        return [self._apply_one(s, message, known) for message in messages]

    def _apply_one(self, s: Session, message: InboundMessage | Message, known: dict) -> Outcome:
        envelope = message.envelope
        previous = known.get(envelope.message_id)
        if previous is not None and previous.status == APPLIED:
            return Applied(note=previous.note, already=True)
        try:
            with s.begin_nested():
                inbound = InboundMessage.of(message) if isinstance(message, Message) else message
                done = self._handle(s, inbound)
                self._record(s, envelope, previous is not None, APPLIED, done=done)
                if envelope.type not in ANSWERS:
                    self._ack(s, envelope, done.note)
            known[envelope.message_id] = _Known(APPLIED, done.note, None, None)
            return Applied(note=done.note)
        except NotYet as wait:
            return Wait(wait.reason, wait.delay, wait.code.value)
        except (Reject, ContractError) as refusal:
            return self._refuse(s, envelope, previous, known, refusal.code.value, refusal.reason)
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            log.exception("inbound message %s failed", envelope.message_id)
            return Failed(f"{type(exc).__name__}: {exc}".splitlines()[0])
        except Exception as exc:
            log.exception("inbound message %s failed", envelope.message_id)
            return Failed(f"{ErrorCode.INTERNAL.value}: {type(exc).__name__}: {exc}".splitlines()[0])

    def _handle(self, s: Session, message: InboundMessage) -> Done:
        handler = self.handlers.get(message.envelope.type)
        if handler is None:
            raise Reject(
                ErrorCode.UNKNOWN_TYPE, f"{self.node_name} does not take {message.envelope.type} messages"
            )
        try:
            return handler(s, message)
        except (NotYet, Reject, ContractError):
            raise
        except Exception as error:
            mapped = self.classify(error)
            if mapped is None:
                raise
            raise mapped from error

    def _refuse(
        self, s: Session, envelope: Envelope, previous, known: dict, code: str, reason: str
    ) -> Rejected:
        if previous is not None and (previous.error_code, previous.error_reason) == (code, reason):
            return Rejected(code, reason, already=True)
        self._record(s, envelope, previous is not None, REJECTED, code=code, reason=reason)
        known[envelope.message_id] = _Known(REJECTED, None, code, reason)
        if envelope.type not in ANSWERS:
            payload = ErrorV1(
                message_id=envelope.message_id, code=ErrorCode(code), reason=_cut(reason, REASON_MAX) or code
            )
            self.outbox.enqueue(
                s, payload, correlation_id=envelope.message_id, warehouse_code=envelope.warehouse_code
            )
        return Rejected(code, reason)

    def _ack(self, s: Session, envelope: Envelope, note: str | None) -> None:
        payload = AckV1(message_id=envelope.message_id, result="applied", note=_cut(note, NOTE_MAX))
        self.outbox.enqueue(
            s, payload, correlation_id=envelope.message_id, warehouse_code=envelope.warehouse_code
        )

    def _ack_row(self, envelope: Envelope, note: str | None) -> Message:
        payload = AckV1(message_id=envelope.message_id, result="applied", note=_cut(note, NOTE_MAX))
        return self.outbox.build(payload, correlation_id=envelope.message_id, warehouse_code=envelope.warehouse_code)

    def _record(
        self,
        s: Session,
        envelope: Envelope,
        exists: bool,
        status: str,
        *,
        done: Done | None = None,
        code: str | None = None,
        reason: str | None = None,
    ) -> None:
        t = self.table
        values = self._values(envelope, status, done=done, code=code, reason=reason)
        conn = s.connection()
        if exists:
            conn.execute(update(t).where(t.c.message_id == envelope.message_id).values(**values))
        else:
            conn.execute(insert(t).values(message_id=envelope.message_id, **values))

    @staticmethod
    def _values(
        envelope: Envelope,
        status: str,
        *,
        done: Done | None = None,
        code: str | None = None,
        reason: str | None = None,
    ) -> dict:
        return {
            "type": envelope.type,
            "sender": envelope.sender,
            "status": status,
            "recorded_at": clock.now(),
            "document_type": done.document_type if done else None,
            "document_number": done.document_number if done else None,
            "note": _cut(done.note, NOTE_MAX) if done else None,
            "error_code": code,
            "error_reason": reason,
        }


class _NotAll(Exception):
    """A message of a batch tried in one go did not apply: roll the try back."""


@dataclass(frozen=True)
class _Known:
    status: str
    note: str | None
    error_code: str | None
    error_reason: str | None


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
