"""The core's handler for the exchange worker (receiver = settings.exchange_node):

    worker = Worker.from_settings(settings, store, receiver=settings.exchange_node,
                                  handler=exchange_handler(core_db), report_rejections=False)

The inbox answers every message itself (ACK or ERROR through the outbox, in the batch's
transaction), so the worker must not report rejections a second time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dealerhub.core.inbox import outcomes as inbox
from dealerhub.core.inbox.apply import apply_batch
from dealerhub.exchange import worker
from dealerhub.shared.db import Database


def exchange_handler(core_db: Database) -> Callable[[list[worker.Inbound]], dict[int, worker.Outcome]]:
    def handle(batch: list[worker.Inbound]) -> dict[int, worker.Outcome]:
        results = apply_batch(core_db, batch)
        return {inbound.id: to_worker(outcome) for inbound, outcome in zip(batch, results, strict=True)}

    return handle


def to_worker(outcome: inbox.Outcome) -> worker.Outcome:
    if isinstance(outcome, inbox.Applied):
        return worker.Applied()
    if isinstance(outcome, inbox.Rejected):
        return worker.Rejected(outcome.code, outcome.reason)
    if isinstance(outcome, inbox.Wait):
        return worker.Wait(outcome.reason, timedelta(seconds=outcome.delay), outcome.code)
    return worker.Failed(outcome.reason)
