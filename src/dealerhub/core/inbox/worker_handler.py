"""The core's handler for the exchange worker (receiver = settings.exchange_node):

    worker = Worker.from_settings(settings, store, receiver=settings.exchange_node,
                                  handler=exchange_handler(core_db), report_rejections=False)

The inbox answers every message itself (ACK or ERROR through the outbox, in the batch's
transaction), so the worker must not report rejections a second time. The outcomes are mapped to
the worker's by sidekit's worker_link (the WMS uses it too)."""

from __future__ import annotations

from collections.abc import Callable

from dealerhub.core.inbox.apply import CORE_INBOX
from dealerhub.exchange import worker
from dealerhub.exchange.sidekit import worker_link
from dealerhub.shared.db import Database


def exchange_handler(core_db: Database) -> Callable[[list[worker.Inbound]], dict[int, worker.Outcome]]:
    return worker_link.exchange_handler(CORE_INBOX, core_db)
