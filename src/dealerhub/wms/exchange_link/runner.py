"""The WMS's exchange node: relay its outbox to the exchange, consume the messages addressed to it,
and (if set) send scheduled REMAINS. `dealerhub wms exchange run` loops over `run_once`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from dealerhub.exchange.sidekit.consumer import consume_once
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.wms.exchange_link.inbox import WMS_INBOX
from dealerhub.wms.exchange_link.outbox import WMS_OUTBOX
from dealerhub.wms.remains.service import send_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Round:
    relayed: int
    consumed: int
    snapshots: int


def relay(wms_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    return WMS_OUTBOX.relay_all(wms_db, store.publish_many, batch)


def consume(wms_db: Database, store: ExchangeStore, settings: Settings) -> int:
    total = 0
    while count := consume_once(
        store, settings.wms_exchange_node, lambda messages: WMS_INBOX.apply_batch(wms_db, messages),
        batch=settings.exchange_batch_size, lease=timedelta(seconds=settings.exchange_lease_seconds),
    ):
        total += count
    return total


def run_once(wms_db: Database, store: ExchangeStore, settings: Settings) -> Round:
    """Relay, consume (which answers with ACK/ERROR), relay the answers, send due REMAINS."""
    snapshots = 0
    if settings.wms_remains_every_minutes > 0:
        with wms_db.transaction() as s:
            snapshots = len(send_due(s, every=timedelta(minutes=settings.wms_remains_every_minutes),
                                     part_rows=settings.wms_remains_part_rows))
    relayed = relay(wms_db, store)
    consumed = consume(wms_db, store, settings)
    relayed += relay(wms_db, store)
    return Round(relayed, consumed, snapshots)


def run_forever(wms_db: Database, store: ExchangeStore, settings: Settings, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            done = run_once(wms_db, store, settings)
        except Exception:  # a database away: log, wait, try again
            log.exception("the WMS exchange round failed; trying again")
            done = Round(0, 0, 0)
        if not (done.relayed or done.consumed):
            stop.wait(settings.exchange_poll_seconds)
