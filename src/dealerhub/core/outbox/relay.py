"""The relay: moves outbox rows into the exchange database. Why it is safe to crash anywhere and to
run several at once: docs/mechanisms/exchange.md.

One batch, in short:
1. core transaction: the oldest unrelayed rows, locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL and
   MariaDB: a second relay takes the next rows instead of waiting; SQLite's write transaction
   begins IMMEDIATE, so relays there take turns);
2. exchange transaction: publish them (idempotent by message_id) and COMMIT;
3. mark them relayed and commit the core transaction.
A crash after 2 and before 3 leaves the rows unrelayed: the next relay publishes them again, which
the exchange ignores (same message_id, same payload hash), and marks them. Nothing is lost (the
core commits "relayed" only after the exchange committed the message) and nothing is doubled.
A message id the exchange holds with another payload (a sender bug, never a retry away from
working) is marked relayed, so it does not block the ones after it, and carries the error
`duplicate_conflict` for the monitor. The loop is sidekit's Outbox.relay (the WMS runs it too).
"""

from __future__ import annotations

from dealerhub.core.outbox.enqueue import CORE_OUTBOX
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.db import Database


def relay(core_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    """Hand over at most `batch` of the oldest unrelayed messages to the exchange (`store`: one per
    process); returns how many (0: none left that another relay isn't handing over right now)."""
    return CORE_OUTBOX.relay(core_db, store.publish_many, batch)


def relay_all(core_db: Database, store: ExchangeStore, batch: int = 500) -> int:
    """Relay until nothing is pending; returns how many messages were handed over."""
    return CORE_OUTBOX.relay_all(core_db, store.publish_many, batch)
