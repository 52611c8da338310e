"""The worker: a generic loop that takes one receiver's messages from the exchange and hands them
to that side's handler.

    claim a batch -> check each envelope and payload against the contract -> handler(valid ones)
    -> record each outcome -> again (or sleep `poll` when there was nothing)

- Bad input (malformed JSON, unknown type or version, schema violation, a bad envelope) never
  reaches the handler: the message becomes `error` with the reason, and an ERROR message goes
  back to its sender (correlation_id = the message's id), unless the bad message is itself an ACK
  or ERROR (no ping-pong).
- The handler returns an outcome per message: Applied, Rejected(code, reason), Wait(reason,
  delay), or Failed(error). Rejected also sends an ERROR back unless the worker was made with
  `report_rejections=False` (a side that writes its own ACK/ERROR through its outbox).
- An exception from the handler is a transient failure. A batch that raises is handed over again
  one message at a time, so only the message that raises is failed (with backoff, then dead);
  the handler must therefore leave nothing behind when it raises (one transaction per call) or be
  idempotent (an inbox of applied message ids) — the core's handlers are both.
- While a batch is handled, its lease is renewed every third of the lease (LeaseKeeper).
- The ERROR sent back has a message id derived from the message answered: sending it again after
  a crash is a no-op duplicate, so each refused message is answered exactly once.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from dealerhub.exchange.contracts import (
    ContractError,
    ErrorCode,
    MessageType,
    parse_payload,
)
from dealerhub.exchange.handing import Applied, BatchResult, Failed, Handler, Inbound, Outcome, Rejected, Wait
from dealerhub.exchange.lease import LeaseKeeper
from dealerhub.exchange.records import MessageRecord
from dealerhub.exchange.refusals import answer_id, error_answer
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.config import Settings

log = logging.getLogger(__name__)

__all__ = ["Applied", "Failed", "Inbound", "LeaseKeeper", "Outcome", "Rejected", "Wait", "Worker", "answer_id"]

_worker_numbers = itertools.count()


def new_worker_id() -> str:
    """host:pid:n — unique among the workers running anywhere at one time."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_worker_numbers)}"


class Worker:
    def __init__(
        self,
        store: ExchangeStore,
        receiver: str,
        handler: Handler,
        *,
        batch_size: int = 100,
        lease: timedelta = timedelta(seconds=60),
        poll_seconds: float = 1.0,
        report_rejections: bool = True,
        worker_id: str | None = None,
    ) -> None:
        self.store = store
        self.receiver = receiver
        self.handler = handler
        self.batch_size = batch_size
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.report_rejections = report_rejections
        self.worker_id = worker_id or new_worker_id()
        self._stop = threading.Event()

    @classmethod
    def from_settings(
        cls, settings: Settings, store: ExchangeStore, receiver: str, handler: Handler, **kwargs: Any
    ) -> Worker:
        options = {
            "batch_size": settings.exchange_batch_size,
            "lease": timedelta(seconds=settings.exchange_lease_seconds),
            "poll_seconds": settings.exchange_poll_seconds,
            **kwargs,
        }
        return cls(store, receiver, handler, **options)

    # --- running ----------------------------------------------------------------------------------

    def stop(self) -> None:
        """Finish the batch at hand, then return from run()."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the worker cleanly (main thread only)."""

        def _handle(signum: int, _frame: Any) -> None:
            log.info(
                "worker %s: %s received, stopping after this batch",
                self.worker_id,
                signal.Signals(signum).name,
            )
            self.stop()

        signal.signal(signal.SIGTERM, _handle)
        signal.signal(signal.SIGINT, _handle)

    def run(self, once: bool = False) -> BatchResult:
        """Process batches until stopped; with `once`, until nothing is claimable, then return.
        Returns the totals. A failing exchange database is retried with a growing pause (once:
        the error is raised)."""
        total = BatchResult()
        pause = self.poll_seconds
        log.info("worker %s: taking messages for %r", self.worker_id, self.receiver)
        while not self.stopping:
            try:
                result = self.run_batch()
            except Exception:
                if once:
                    raise
                log.exception("worker %s: the exchange failed; trying again in %.0f s", self.worker_id, pause)
                self._stop.wait(pause)
                pause = min(pause * 2, 60.0)
                continue
            pause = self.poll_seconds
            _add(total, result)
            if result.taken == 0:
                if once:
                    break
                self._stop.wait(self.poll_seconds)
        log.info("worker %s: stopped; %s", self.worker_id, total)
        return total

    def run_batch(self) -> BatchResult:
        """Claim one batch, handle it, record the outcomes."""
        records = self.store.claim(self.receiver, self.batch_size, self.lease, self.worker_id)
        result = BatchResult(taken=len(records), by_type=Counter(r.type for r in records))
        if not records:
            return result
        valid: list[Inbound] = []
        for record in records:
            checked = _check(record)
            if isinstance(checked, Inbound):
                valid.append(checked)
            else:
                self._reject(record, checked.code, checked.reason, answer=True)
                result.rejected += 1
        if valid:
            with LeaseKeeper(self.store, [i.id for i in valid], self.worker_id, self.lease):
                self._record(valid, self._handle(valid), result)
        log.info("worker %s: %s", self.worker_id, result)
        return result

    # --- handling ---------------------------------------------------------------------------------

    def _handle(self, batch: list[Inbound]) -> dict[int, Outcome]:
        try:
            return self._call(batch)
        except Exception as exc:
            if len(batch) == 1:
                log.exception("worker %s: handler failed on %s", self.worker_id, batch[0].message_id)
                return {batch[0].id: Failed(_describe(exc))}
            log.warning(
                "worker %s: handler failed on a batch of %d (%s); handing them over one by one",
                self.worker_id,
                len(batch),
                _describe(exc),
            )
        outcomes: dict[int, Outcome] = {}
        for inbound in batch:
            try:
                outcomes.update(self._call([inbound]))
            except Exception as exc:
                log.exception("worker %s: handler failed on %s", self.worker_id, inbound.message_id)
                outcomes[inbound.id] = Failed(_describe(exc))
        return outcomes

    def _call(self, batch: list[Inbound]) -> dict[int, Outcome]:
        outcomes = dict(self.handler(batch))
        for inbound in batch:
            if inbound.id not in outcomes:
                outcomes[inbound.id] = Failed("the handler returned no outcome for this message")
        return outcomes

    def _record(self, batch: Sequence[Inbound], outcomes: Mapping[int, Outcome], result: BatchResult) -> None:
        applied = [i.id for i in batch if isinstance(outcomes[i.id], Applied)]
        if applied:
            result.applied += self.store.complete(applied, self.worker_id)
        for inbound in batch:
            outcome = outcomes[inbound.id]
            if isinstance(outcome, Rejected):
                self._reject(inbound.record, outcome.code, outcome.reason, answer=self.report_rejections)
                result.rejected += 1
            elif isinstance(outcome, Wait):
                status = self.store.wait(
                    inbound.id, outcome.reason, outcome.delay, self.worker_id, outcome.code
                )
                log.info(
                    "worker %s: %s %s waits: %s (%s)",
                    self.worker_id,
                    inbound.type,
                    inbound.message_id,
                    outcome.reason,
                    status or "lease lost",
                )
                result.waiting += 1
            elif isinstance(outcome, Failed):
                status = self.store.fail(inbound.id, outcome.error, self.worker_id)
                log.warning(
                    "worker %s: %s %s failed: %s (now %s)",
                    self.worker_id,
                    inbound.type,
                    inbound.message_id,
                    outcome.error,
                    status or "lease lost",
                )
                result.failed += 1

    def _reject(self, record: MessageRecord, code: ErrorCode | str, reason: str, *, answer: bool) -> None:
        log.warning(
            "worker %s: %s %s from %s refused: %s: %s",
            self.worker_id,
            record.type,
            record.message_id,
            record.sender,
            code,
            reason,
        )
        if answer:
            self._answer_error(record, code, reason)
        self.store.reject(record.id, code, reason, self.worker_id)

    def _answer_error(self, record: MessageRecord, code: ErrorCode | str, reason: str) -> None:
        """An ERROR back to the sender, published before the refusal is recorded (a crash in between
        re-runs both; the ERROR's derived id makes the second one a no-op)."""
        if record.type in (MessageType.ACK, MessageType.ERROR):
            return
        reply = error_answer(
            message_id=record.message_id,
            sender=self.receiver,
            receiver=record.sender,
            warehouse_code=record.warehouse_code,
            type=record.type,
            code=code,
            reason=reason,
        )
        if reply is None:
            # An envelope too broken to answer (no valid message id or sender): the error status says it.
            log.warning("worker %s: cannot answer %r", self.worker_id, record.message_id)
            return
        self.store.publish_many([reply])


@dataclass(frozen=True)
class _Bad:
    code: ErrorCode
    reason: str


def _check(record: MessageRecord) -> Inbound | _Bad:
    """The record's envelope and payload against the contract."""
    try:
        envelope = record.envelope()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'envelope'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        return _Bad(ErrorCode.SCHEMA_VIOLATION, f"envelope: {problems}")
    try:
        payload = parse_payload(record.type, record.schema_version, record.payload)
    except ContractError as exc:
        return _Bad(exc.code, exc.reason)
    return Inbound(id=record.id, envelope=envelope, payload=payload, record=record)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:1000]


def _add(total: BatchResult, result: BatchResult) -> None:
    total.taken += result.taken
    total.applied += result.applied
    total.rejected += result.rejected
    total.waiting += result.waiting
    total.failed += result.failed
    total.by_type.update(result.by_type)
