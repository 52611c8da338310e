"""The WMS's exchange node: relay its outbox to the exchange, take the messages addressed to it with
the exchange's Worker (applied by the WMS inbox, answered through the WMS outbox), and send
scheduled REMAINS. `dealerhub wms exchange run [--once]`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from dealerhub.exchange.sidekit.worker_link import exchange_handler
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.wakeup import EXCHANGE_CHANNEL, OUTBOX_CHANNEL, Listen, Wakeup
from dealerhub.exchange.worker import Worker
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.wms.exchange_link.inbox import WMS_INBOX
from dealerhub.wms.exchange_link.outbox import WMS_OUTBOX
from dealerhub.wms.remains.service import send_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Round:
    relayed: int
    taken: int
    snapshots: int


def make_worker(wms_db: Database, store: ExchangeStore, settings: Settings) -> Worker:
    return Worker.from_settings(settings, store, settings.wms_exchange_node, exchange_handler(WMS_INBOX, wms_db),
                                report_rejections=False)


def relay(wms_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    return WMS_OUTBOX.relay_all(wms_db, store.publish_many, batch)


def send_scheduled_remains(wms_db: Database, settings: Settings) -> int:
    if settings.wms_remains_every_minutes <= 0:
        return 0
    with wms_db.transaction() as s:
        return len(send_due(s, every=timedelta(minutes=settings.wms_remains_every_minutes),
                            part_rows=settings.wms_remains_part_rows))


def run_once(wms_db: Database, store: ExchangeStore, settings: Settings, worker: Worker | None = None) -> Round:
    """Due REMAINS, relay, then batch by batch until nothing is claimable: take a batch (answers go
    to the outbox) and relay its answers at once, so the other side works on them meanwhile."""
    worker = worker or make_worker(wms_db, store, settings)
    snapshots = send_scheduled_remains(wms_db, settings)
    relayed = relay(wms_db, store)
    taken = 0
    while not worker.stopping and (batch := worker.run_batch().taken):
        taken += batch
        relayed += relay(wms_db, store)
    return Round(relayed, taken, snapshots)


def run_forever(wms_db: Database, store: ExchangeStore, settings: Settings, stop: threading.Event) -> None:
    """Rounds until `stop` is set (the CLI sets it on SIGTERM / SIGINT); a pause when a round had nothing."""
    worker = make_worker(wms_db, store, settings)
    # Woken at once by a message for us in the exchange or a row in the WMS's outbox (wakeup.py).
    wakeup = Wakeup([
        Listen(store.db, EXCHANGE_CHANNEL, frozenset({worker.receiver})), Listen(wms_db, OUTBOX_CHANNEL),
    ])  # fmt: skip
    pause = settings.exchange_poll_seconds
    while not stop.is_set():
        try:
            done = run_once(wms_db, store, settings, worker)
            pause = settings.exchange_poll_seconds
        except Exception:  # a database away: log, wait longer, try again
            log.exception("the WMS exchange round failed; trying again in %.0f s", pause)
            done, pause = Round(0, 0, 0), min(pause * 2, 60.0)
        if not (done.relayed or done.taken):
            wakeup.wait(pause, stop)
    wakeup.close()
