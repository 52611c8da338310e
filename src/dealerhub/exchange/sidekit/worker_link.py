"""A side's Inbox behind the exchange's Worker: the worker claims and checks messages, the inbox
applies them (one transaction, a savepoint per message) and answers with ACK/ERROR through the
side's outbox; so make the worker with `report_rejections=False`.

    worker = Worker.from_settings(settings, store, receiver=node, handler=exchange_handler(inbox, db),
                                  report_rejections=False)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dealerhub.exchange import worker
from dealerhub.exchange.sidekit.inbox import Inbox
from dealerhub.exchange.sidekit.outcomes import Applied, Outcome, Rejected, Wait
from dealerhub.shared.db import Database


def exchange_handler(inbox: Inbox, db: Database) -> Callable[[list[worker.Inbound]], dict[int, worker.Outcome]]:
    def handle(batch: list[worker.Inbound]) -> dict[int, worker.Outcome]:
        results = inbox.apply_batch(db, batch)
        return {inbound.id: to_worker(outcome) for inbound, outcome in zip(batch, results, strict=True)}

    return handle


def to_worker(outcome: Outcome) -> worker.Outcome:
    if isinstance(outcome, Applied):
        return worker.Applied()
    if isinstance(outcome, Rejected):
        return worker.Rejected(outcome.code, outcome.reason)
    if isinstance(outcome, Wait):
        return worker.Wait(outcome.reason, timedelta(seconds=outcome.delay), outcome.code)
    return worker.Failed(outcome.reason)
