"""Keeping the exchange's tables and the core's outbox small: after the retention period
(settings.exchange_retention_days) relayed outbox rows are deleted (the exchange keeps its own
record of every message) and done exchange messages move to exchange_messages_archive.

Both are safe to run from several nodes at once: the purge deletes by id (a row deleted twice is
deleted once) and the archive moves rows in short batches of its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from dealerhub.core.outbox import purge_relayed
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

PURGE_BATCH = 10_000


@dataclass(frozen=True)
class Housekeeping:
    purged: int  # outbox rows deleted from the core
    archived: int  # done messages moved to the exchange's archive


def housekeep(core_db: Database, store: ExchangeStore, retention: timedelta) -> Housekeeping:
    """Purge relayed outbox rows and archive done messages older than `retention`."""
    older_than = clock.now() - retention
    purged = 0
    while True:  # one transaction per batch: a long purge never holds the outbox for long
        with core_db.transaction() as s:
            count = purge_relayed(s, older_than, limit=PURGE_BATCH)
        purged += count
        if count < PURGE_BATCH:
            break
    archived = store.archive(retention)
    if purged or archived:
        log.info("housekeeping: %d relayed outbox rows purged, %d done messages archived", purged, archived)
    return Housekeeping(purged, archived)
