"""The core's node loop. One round:

    relay a batch of the outbox -> take a batch addressed to the core and apply it (the inbox writes
    the ACK/ERROR answers into the outbox in the same transaction) -> relay again (the answers)

and, every `housekeeping_every`, the purge and the archive. A round that found nothing to do is
followed by a pause of `poll` seconds. Several nodes may run at once, on several machines: the
relay and the claim skip rows another node holds (SKIP LOCKED on PostgreSQL and MariaDB; SQLite
serializes writers), and a node that dies holding messages only delays them until their lease
runs out (settings.exchange_lease_seconds) — the inbox then recognizes what was applied already.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from dealerhub.core.exchange_link.housekeeping import housekeep
from dealerhub.core.inbox.worker_handler import exchange_handler
from dealerhub.core.outbox.relay import relay
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.wakeup import EXCHANGE_CHANNEL, OUTBOX_CHANNEL, Listen, Wakeup
from dealerhub.exchange.worker import Worker
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

MAX_PAUSE = 60.0


@dataclass
class Round:
    relayed: int = 0
    taken: int = 0
    applied: int = 0
    rejected: int = 0
    waiting: int = 0
    failed: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.relayed or self.taken)

    def add(self, other: Round) -> None:
        for name in ("relayed", "taken", "applied", "rejected", "waiting", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (
            f"{self.relayed} relayed, {self.taken} taken: {self.applied} applied, {self.rejected} rejected, "
            f"{self.waiting} waiting, {self.failed} failed"
        )


class CoreNode:
    def __init__(
        self,
        core_db: Database,
        store: ExchangeStore,
        settings: Settings,
        *,
        batch: int | None = None,
        poll: float | None = None,
        relay_batch: int = 500,
        housekeeping_every: timedelta | None = timedelta(hours=1),
    ) -> None:
        self.core_db = core_db
        self.store = store
        self.relay_batch = relay_batch
        self.poll = settings.exchange_poll_seconds if poll is None else poll
        self.retention = timedelta(days=settings.exchange_retention_days)
        self.housekeeping_every = housekeeping_every
        options = {"batch_size": batch} if batch else {}
        self.worker = Worker.from_settings(
            settings,
            store,
            receiver=settings.exchange_node,
            handler=exchange_handler(core_db),
            report_rejections=False,  # the inbox answers every message itself, through the outbox
            poll_seconds=self.poll,
            **options,
        )
        self._last_housekeeping: float | None = None
        # Woken at once by a message for us in the exchange or a row in the core's outbox.
        self.wakeup = Wakeup([
            Listen(store.db, EXCHANGE_CHANNEL, frozenset({settings.exchange_node})),
            Listen(core_db, OUTBOX_CHANNEL),
        ])  # fmt: skip

    @property
    def worker_id(self) -> str:
        return self.worker.worker_id

    def run_round(self) -> Round:
        done = Round(relayed=relay(self.core_db, self.store, self.relay_batch))
        taken = self.worker.run_batch()
        done.taken, done.applied, done.rejected = taken.taken, taken.applied, taken.rejected
        done.waiting, done.failed = taken.waiting, taken.failed
        if taken.taken:
            done.relayed += relay(self.core_db, self.store, self.relay_batch)
        return done

    def housekeeping_due(self) -> bool:
        if self.housekeeping_every is None:
            return False
        last = self._last_housekeeping
        return last is None or time.monotonic() - last >= self.housekeeping_every.total_seconds()

    def run_housekeeping(self) -> None:
        self._last_housekeeping = time.monotonic()
        housekeep(self.core_db, self.store, self.retention)

    def run(self, stop: threading.Event, once: bool = False) -> Round:
        """Rounds until `stop` is set; with `once`, until a round finds nothing, then return (errors
        are raised). Without `once` a failing database is logged and tried again after a growing pause."""
        total = Round()
        pause = self.poll
        log.info("core exchange node %s: relaying and taking messages for %r", self.worker_id, self.worker.receiver)
        while not stop.is_set():
            try:
                if self.housekeeping_due():
                    self.run_housekeeping()
                done = self.run_round()
            except Exception:
                if once:
                    raise
                log.exception("core exchange node: the round failed; trying again in %.0f s", pause)
                stop.wait(pause)
                pause = min(pause * 2, MAX_PAUSE)
                continue
            pause = self.poll
            total.add(done)
            if done.busy:
                log.debug("core exchange node: %s", done)
                continue
            if once:
                break
            self.wakeup.wait(self.poll, stop)
        self.wakeup.close()
        log.info("core exchange node %s: stopped; %s", self.worker_id, total)
        return total
