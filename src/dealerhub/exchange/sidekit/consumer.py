"""The receiving loop of one node: claim its messages from the exchange, apply them as a batch on
its side (`apply`: an Inbox's apply_batch bound to the side's database), and settle each outcome in
the exchange: Applied -> done, Rejected -> error (the side already answered with an ERROR), Wait ->
back to new later, Failed -> retried with backoff (dead after the store's max attempts).

A message whose envelope an outside party wrote badly cannot be applied or answered: it is marked
`error` with schema_violation right away.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Sequence
from datetime import timedelta

from pydantic import ValidationError

from dealerhub.exchange.contracts import ErrorCode, Message
from dealerhub.exchange.sidekit.outcomes import Applied, Failed, Outcome, Rejected, Wait
from dealerhub.exchange.store import ExchangeStore

log = logging.getLogger(__name__)

Apply = Callable[[Sequence[Message]], list[Outcome]]


def worker_name(node: str) -> str:
    return f"{node}@{socket.gethostname()}:{os.getpid()}"


def consume_once(
    store: ExchangeStore,
    receiver: str,
    apply: Apply,
    *,
    batch: int = 100,
    lease: timedelta = timedelta(seconds=60),
    worker_id: str | None = None,
) -> int:
    """Claim and handle one batch; returns how many messages were claimed (0: nothing to do)."""
    worker_id = worker_id or worker_name(receiver)
    records = store.claim(receiver, batch, lease, worker_id)
    if not records:
        return 0
    messages: list[Message] = []
    ids: list[int] = []
    for record in records:
        try:
            messages.append(Message(envelope=record.envelope(), payload=record.payload))
            ids.append(record.id)
        except ValidationError as exc:
            reason = f"the envelope breaks the contract: {exc.errors()[0].get('msg', exc)}"
            store.reject(record.id, ErrorCode.SCHEMA_VIOLATION, reason, worker_id)
    if not messages:
        return len(records)
    try:
        outcomes = apply(messages)
    except Exception as exc:  # the side's transaction failed as a whole: every message is retried
        log.exception("applying a batch of %d failed", len(messages))
        for id_ in ids:
            store.fail(id_, f"{type(exc).__name__}: {exc}".splitlines()[0], worker_id)
        return len(records)
    done = []
    for id_, outcome in zip(ids, outcomes, strict=True):
        if isinstance(outcome, Applied):
            done.append(id_)
        elif isinstance(outcome, Rejected):
            store.reject(id_, outcome.code, outcome.reason, worker_id)
        elif isinstance(outcome, Wait):
            store.wait(id_, outcome.reason, timedelta(seconds=outcome.delay), worker_id, code=outcome.code)
        elif isinstance(outcome, Failed):
            store.fail(id_, outcome.reason, worker_id)
    store.complete(done, worker_id)
    return len(records)


def consume_all(store: ExchangeStore, receiver: str, apply: Apply, **kwargs) -> int:
    """Handle batches until nothing is claimable; returns how many messages were claimed."""
    total = 0
    while count := consume_once(store, receiver, apply, **kwargs):
        total += count
    return total
