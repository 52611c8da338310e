"""A batch's lease kept alive while the worker handles it."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Self

from dealerhub.exchange.store import ExchangeStore

log = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews the lease of a batch every third of the lease while the batch is handled and its
    outcomes recorded, so a long handler does not lose its messages to another worker. A lease lost
    all the same (a renewal that could not reach the database in time) is safe: every settle is
    conditional on the worker still holding the message, and the side's inbox makes a second apply
    a no-op."""

    def __init__(self, store: ExchangeStore, ids: list[int], worker_id: str, lease: timedelta) -> None:
        self.store, self.ids, self.worker_id, self.lease = store, ids, worker_id, lease
        self.renewals = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._keep, name=f"lease-{worker_id}", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _keep(self) -> None:
        every = self.lease.total_seconds() / 3
        while not self._done.wait(every):
            try:
                held = self.store.renew(self.ids, self.worker_id, self.lease)
            except Exception:
                log.exception("worker %s: renewing the lease failed; trying again", self.worker_id)
                continue
            self.renewals += 1
            if held < len(self.ids):
                log.warning(
                    "worker %s: %d of %d messages no longer held (settled, or the lease passed on)",
                    self.worker_id,
                    len(self.ids) - held,
                    len(self.ids),
                )
            if held == 0:
                return
